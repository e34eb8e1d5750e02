from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = None

@test_case(points=0.5, hidden=False, 
    failure_message="Проверьте формы и значения на маленьком примере.")
def test_q4_public(linear_forward, linear_backward, relu_forward, relu_backward, sigmoid_forward, sigmoid_backward, tanh_forward, tanh_backward):
    import torch
    X = torch.tensor([[1.0, 2.0]])
    W = torch.tensor([[1.0, 0.0, -1.0], [0.5, 1.0, 2.0]])
    b = torch.tensor([0.0, 1.0, 2.0])
    out = linear_forward(X, W, b)
    assert torch.allclose(out, torch.tensor([[2.0, 3.0, 5.0]])), 'linear_forward: неверный выход'
    dX, dW, db = linear_backward(torch.ones(1, 3), X, W)
    assert tuple(dX.shape) == (1, 2), 'linear_backward: dX должен иметь форму X'
    assert tuple(dW.shape) == (2, 3), 'linear_backward: dW должен иметь форму W'
    assert tuple(db.shape) == (3,), 'linear_backward: db должен иметь форму b'
    assert torch.allclose(dX, torch.tensor([[0.0, 3.5]])), 'linear_backward: неверный dX'
    x = torch.tensor([-1.0, 0.0, 2.0])
    assert torch.equal(relu_forward(x), torch.tensor([0.0, 0.0, 2.0])), 'relu_forward: ошибка'
    g = relu_backward(torch.ones(3), x)
    assert torch.equal(g, torch.tensor([0.0, 0.0, 1.0])), 'relu_backward: ошибка'
    assert abs(float(sigmoid_forward(torch.tensor([0.0]))[0]) - 0.5) < 1e-06, 'sigmoid: ошибка'
    assert abs(float(sigmoid_backward(torch.ones(1), torch.zeros(1))[0]) - 0.25) < 1e-06, 'sigmoid_backward: ошибка'
    assert abs(float(tanh_forward(torch.tensor([0.0]))[0])) < 1e-06, 'tanh_forward: ошибка'
    assert abs(float(tanh_backward(torch.ones(1), torch.zeros(1))[0]) - 1.0) < 1e-06, 'tanh_backward: ошибка'

