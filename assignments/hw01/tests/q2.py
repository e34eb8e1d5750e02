from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте значения и формы loss и градиентов на простом примере.")
def test_q2_public(mse_and_grads, elementwise_derivative):
    import torch
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    y = torch.tensor([1.0, 2.0])
    w = torch.tensor([0.5, 0.5])
    b = torch.tensor(0.0)
    loss, grad_w, grad_b = mse_and_grads(X, y, w, b)
    assert abs(float(loss) - 1.25) < 1e-06, 'mse_and_grads: неверное значение loss'
    assert tuple(grad_w.shape) == (2,), 'mse_and_grads: grad_w должен иметь форму (D,)'
    assert torch.allclose(grad_w, torch.tensor([-0.5, -1.5])), 'mse_and_grads: неверный grad_w'
    assert tuple(grad_b.shape) == (), 'mse_and_grads: grad_b должен быть скаляром формы ()'
    assert abs(float(grad_b) + 2.0) < 1e-06, 'mse_and_grads: неверный grad_b'
    d = elementwise_derivative(torch.tensor([0.0, 1.0]))
    expected = torch.tensor([0.0, float(torch.sin(torch.tensor(1.0)) + torch.cos(torch.tensor(1.0)))])
    assert torch.allclose(d, expected, atol=1e-06), 'elementwise_derivative: неверные значения'

