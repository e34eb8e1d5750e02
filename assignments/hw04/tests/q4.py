from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="VAE не обучился: NELBO на обучающих цифрах выше 23 нат.")
def test_q4_public(vae, X_bin):
    import torch
    import torch.nn.functional as F
    x = X_bin[:300]
    mu, logvar = vae.encode(x)
    logits = vae.decode(mu)
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction='sum') / len(x)
    kl = 0.5 * (mu ** 2 + logvar.exp() - 1 - logvar).sum() / len(x)
    assert float((rec + kl).detach()) < 23.0, 'VAE: NELBO на обучающих цифрах выше 23 нат'

