from otter.test_files import test_case

OK_FORMAT = False

name = "q9"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте несмещённую ковариацию и формулу расстояния Фреше.")
def test_q9_public(feature_stats, frechet_distance):
    import torch
    X = torch.tensor([[0.0, 1.0], [2.0, 1.0], [4.0, 4.0]], dtype=torch.float64)
    mean, cov = feature_stats(X)
    assert torch.allclose(mean, torch.tensor([2.0, 2.0], dtype=torch.float64)), 'feature_stats: среднее'
    assert torch.allclose(cov, torch.tensor([[4.0, 3.0], [3.0, 3.0]], dtype=torch.float64)), 'feature_stats: несмещённая ковариация (n - 1)'
    eye = torch.eye(2, dtype=torch.float64)
    fd = frechet_distance(torch.zeros(2, dtype=torch.float64), eye, torch.tensor([3.0, 4.0], dtype=torch.float64), 4 * eye)
    assert isinstance(fd, float), 'frechet_distance: нужно число float'
    assert abs(fd - (25.0 + 2.0)) < 1e-09, 'frechet_distance: неверное значение для N(0, I) и N((3, 4), 4I)'

