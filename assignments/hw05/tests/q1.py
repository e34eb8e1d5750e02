from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте pca (среднее, ортонормированные строки-компоненты по убыванию дисперсии) и subspace_cosines.")
def test_q1_public(pca, subspace_cosines):
    import torch
    X = torch.tensor([[2.0, 0.0, 1.0], [-2.0, 0.0, 1.0], [0.0, 1.0, 1.0], [0.0, -1.0, 1.0]])
    mean, components = pca(X, 2)
    assert torch.allclose(mean, torch.tensor([0.0, 0.0, 1.0])), 'pca: среднее по объектам'
    assert tuple(components.shape) == (2, 3), 'pca: компоненты — строки, форма (k, d)'
    assert torch.allclose(components.abs(), torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), atol=1e-05), 'pca: первая компонента — направление наибольшей дисперсии'
    cos = subspace_cosines(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), torch.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]))
    assert tuple(cos.shape) == (2,), 'subspace_cosines: вектор длины min(k, m)'
    assert torch.allclose(cos, torch.tensor([1.0, 0.0]), atol=1e-05), 'subspace_cosines: неверные косинусы'

