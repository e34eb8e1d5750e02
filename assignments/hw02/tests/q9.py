from otter.test_files import test_case

OK_FORMAT = False

name = "q9"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте kd_loss в крайних случаях alpha=0 и alpha=1.")
def test_q9_public(kd_loss):
    import torch
    import torch.nn.functional as F
    gen = torch.Generator().manual_seed(3)
    s, t = (torch.randn(5, 10, generator=gen), torch.randn(5, 10, generator=gen))
    y = torch.randint(0, 10, (5,), generator=gen)
    assert torch.allclose(kd_loss(s, t, y, T=4.0, alpha=0.0), F.cross_entropy(s, y), atol=1e-06), 'kd_loss: при alpha=0 должна остаться только кросс-энтропия'
    kl = F.kl_div(F.log_softmax(s, dim=1), F.softmax(t, dim=1), reduction='batchmean')
    assert torch.allclose(kd_loss(s, t, y, T=1.0, alpha=1.0), kl, atol=1e-06), 'kd_loss: при T=1, alpha=1 должна остаться только KL'

