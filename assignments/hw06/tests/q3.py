from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте explicit_step (система с λ и столбцом единиц для смещения) и explicit_objective.")
def test_q3_public(explicit_step, explicit_objective):
    import torch
    R = torch.tensor([[5.0, 0.0, 3.0], [0.0, 0.0, 0.0]], dtype=torch.float64)
    M = R > 0
    Y = torch.tensor([[1.0], [2.0], [-1.0]], dtype=torch.float64)
    c = torch.tensor([0.5, 0.0, -0.5], dtype=torch.float64)
    X, bias = explicit_step(R, M, Y, c, 4.0, 1.0)
    assert tuple(X.shape) == (2, 1) and tuple(bias.shape) == (2,), 'explicit_step: формы (n, f) и (n,)'
    assert torch.allclose(X[0], torch.tensor([1 / 3], dtype=torch.float64)) and abs(float(bias[0])) < 1e-09, 'explicit_step: неверное решение системы'
    assert float(X[1].abs().sum() + bias[1].abs()) < 1e-12, 'explicit_step: у строки без оценок — нули'
    model = {'mu': 4.0, 'P': X, 'Q': Y, 'user_bias': bias, 'item_bias': c}
    value = explicit_objective(R, M, model, 1.0)
    expected = (0.5 - 1 / 3) ** 2 + (-0.5 + 1 / 3) ** 2 + (1 / 9 + 6 + 0.5)
    assert abs(value - expected) < 1e-09, 'explicit_objective: ошибка по известным оценкам + λ·(все квадраты)'

