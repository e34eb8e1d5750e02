from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте LinearAE (без сдвигов) и то, что подпространство декодера совпадает с PCA на обучающих цифрах.")
def test_q2_public(linear_ae, LinearAE, train_linear_ae, X_centered, pca, subspace_cosines):
    import torch
    model = LinearAE(5, 2)
    assert model.encoder.bias is None and model.decoder.bias is None, 'LinearAE: слои без сдвигов (bias=False)'
    assert tuple(model(torch.randn(3, 5)).shape) == (3, 5), 'LinearAE: реконструкция той же формы'
    history = train_linear_ae(model, torch.randn(20, 5), steps=4)
    assert len(history) == 4 and (not model.training), 'train_linear_ae: история по шагам, в конце eval()'
    _, components = pca(X_centered, 8)
    cos = subspace_cosines(linear_ae.decoder.weight.detach().T, components)
    assert float(cos.min()) > 0.98, 'linear_ae: подпространство декодера не совпадает с PCA'

