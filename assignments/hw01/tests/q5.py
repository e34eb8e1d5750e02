from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте softmax, кросс-энтропию и MSE на маленьком примере.")
def test_q5_public(softmax, softmax_cross_entropy, mse_loss):
    import math
    import torch
    logits = torch.tensor([[0.0, 0.0], [0.0, math.log(3.0)]])
    p = softmax(logits)
    assert torch.allclose(p, torch.tensor([[0.5, 0.5], [0.25, 0.75]]), atol=1e-06), 'softmax: неверные значения'
    loss, dlogits = softmax_cross_entropy(logits, torch.tensor([0, 1]))
    expected = (math.log(2.0) - math.log(0.75)) / 2
    assert abs(float(loss) - expected) < 1e-06, 'softmax_cross_entropy: неверный loss'
    assert tuple(dlogits.shape) == (2, 2), 'dlogits должен иметь форму logits'
    loss, dpred = mse_loss(torch.tensor([[1.0], [3.0]]), torch.tensor([[0.0], [1.0]]))
    assert abs(float(loss) - 2.5) < 1e-06, 'mse_loss: неверный loss'
    assert torch.allclose(dpred, torch.tensor([[1.0], [2.0]])), 'mse_loss: неверный градиент'

