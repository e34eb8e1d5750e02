from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте: nelbo = rec + kl, сумма по пикселям и среднее по батчу; IWAE через logsumexp.")
def test_q2_public(negative_elbo, log_importance_weights, iwae_nll):
    import math
    import torch
    logits = torch.zeros(2, 4)
    x = torch.ones(2, 4)
    mu, logvar = (torch.zeros(2, 3), torch.zeros(2, 3))
    nelbo, rec, kl = negative_elbo(logits, x, mu, logvar)
    assert abs(float(rec) - 4 * math.log(2.0)) < 1e-05, 'negative_elbo: rec — сумма по пикселям, среднее по батчу'
    assert abs(float(kl)) < 1e-06 and abs(float(nelbo) - float(rec)) < 1e-06, 'negative_elbo: должно быть nelbo = rec + kl'
    z = torch.zeros(1, 2, 3)
    log_w = log_importance_weights(x, z, mu, logvar, torch.zeros(1, 2, 4))
    assert tuple(log_w.shape) == (1, 2), 'log_importance_weights: форма результата (K, B)'
    assert torch.allclose(log_w, torch.full((1, 2), -4 * math.log(2.0))), 'log_importance_weights: неверное значение'
    assert abs(float(iwae_nll(log_w)) - 4 * math.log(2.0)) < 1e-05, 'iwae_nll: при K = 1 это -mean(log_w)'

