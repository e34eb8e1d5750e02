from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте BCE и focal loss на маленьком примере.")
def test_q2_public(bce_with_logits, focal_loss):
    import torch
    logits = torch.tensor([[2.0, -1.0], [0.5, -3.0]])
    target = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    p = torch.sigmoid(logits)
    bce = -(target * p.log() + (1 - target) * (1 - p).log()).mean()
    assert torch.allclose(bce_with_logits(logits, target), bce, atol=1e-06), 'bce_with_logits: неверное значение'
    got = focal_loss(logits, target, gamma=0.0, alpha=0.5)
    assert torch.allclose(got, 0.5 * bce, atol=1e-06), 'focal_loss: при gamma=0 и alpha=0.5 должна равняться половине BCE'

