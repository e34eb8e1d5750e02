from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формулы репараметризации, KL и логарифма правдоподобия Бернулли.")
def test_q1_public(reparameterize, kl_std_normal, bernoulli_log_lik):
    import math
    import torch
    mu = torch.tensor([[0.0, 1.0], [2.0, -1.0]])
    logvar = torch.tensor([[0.0, 0.0], [math.log(4.0), 0.0]])
    eps = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
    z = reparameterize(mu, logvar, eps)
    assert torch.allclose(z, torch.tensor([[1.0, 0.0], [3.0, 1.0]])), 'reparameterize: неверный сэмпл'
    kl = kl_std_normal(mu, logvar)
    assert tuple(kl.shape) == (2,), 'kl_std_normal: нужна сумма по последней оси, форма (B,)'
    expected = torch.tensor([0.5, 0.5 * (4.0 + 4.0 - 1.0 - math.log(4.0)) + 0.5])
    assert torch.allclose(kl, expected), 'kl_std_normal: неверное значение'
    logits = torch.zeros(2, 3)
    ll = bernoulli_log_lik(logits, torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]]))
    assert torch.allclose(ll, torch.full((2,), -3 * math.log(2.0))), 'bernoulli_log_lik: неверное значение'

