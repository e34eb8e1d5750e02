from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формы выходов VAE и то, что train_vae возвращает историю по эпохам.")
def test_q3_public(VAE, train_vae):
    import torch
    model = VAE(x_dim=6, hidden=5, z_dim=2)
    x = (torch.rand(4, 6) < 0.5).float()
    logits, mu, logvar = model(x, torch.randn(4, 2))
    assert tuple(logits.shape) == (4, 6) and tuple(mu.shape) == tuple(logvar.shape) == (4, 2), 'VAE: формы logits (B, x_dim), mu и logvar (B, z_dim)'
    assert tuple(model.decode(torch.randn(3, 2)).shape) == (3, 6), 'VAE.decode: логиты формы (B, x_dim)'
    history = train_vae(model, (torch.rand(30, 6) < 0.5).float(), epochs=3, batch_size=8, lr=0.01, seed=1)
    assert len(history) == 3, 'train_vae: одно значение на эпоху'
    assert not model.training, 'train_vae: в конце модель в режиме eval()'

