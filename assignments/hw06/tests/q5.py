from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте implicit_step (уверенность 1 + α·r у всех предметов, предпочтение [r > 0], λ) и implicit_objective.")
def test_q5_public(implicit_step, implicit_objective):
    import torch
    R = torch.tensor([[2.0, 0.0], [0.0, 0.0]], dtype=torch.float64)
    Y = torch.tensor([[1.0], [1.0]], dtype=torch.float64)
    X = implicit_step(R, Y, 1.0, 0.5)
    assert tuple(X.shape) == (2, 1), 'implicit_step: форма (n, f)'
    assert abs(float(X[0, 0]) - 0.5) < 1e-09, 'implicit_step: неверное решение (уверенность 1 + α·r, нули тоже в сумме)'
    assert abs(float(X[1, 0])) < 1e-12, 'implicit_step: у строки без взаимодействий предпочтения нули — и решение ноль'
    value = implicit_objective(R, X, Y, 1.0, 0.5)
    expected = 2 * (1 - 0.5) ** 2 + (0 - 0.5) ** 2 + 1.0 * (0.25 + 2)
    assert abs(value - expected) < 1e-09, 'implicit_objective: сумма по всем парам c·(p − xᵀy)² + λ(‖X‖² + ‖Y‖²)'

