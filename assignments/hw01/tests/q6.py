from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте relative_error и numerical_gradient на простой функции.")
def test_q6_public(relative_error, numerical_gradient, sigmoid_forward):
    import torch
    a = torch.tensor([3.0, 4.0])
    assert abs(relative_error(a, a)) < 1e-12, 'relative_error(a, a) должна быть 0'
    assert abs(relative_error(a, torch.zeros(2)) - 1.0) < 1e-09, 'relative_error(a, 0) должна быть 1'
    x = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64)
    dout = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    grad = numerical_gradient(sigmoid_forward, x, dout)
    s = torch.sigmoid(x)
    assert tuple(grad.shape) == (3,), 'градиент должен иметь форму x'
    assert torch.allclose(grad, dout * s * (1 - s), atol=1e-06), 'численный градиент неточен'

