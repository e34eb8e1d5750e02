from otter.test_files import test_case

OK_FORMAT = False

name = "q8"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Генератор цифр должен по шуму (n, 16) давать сэмплы (n, 64) в [-1, 1].")
def test_q8_public(digits_G):
    import torch
    samples = digits_G(torch.randn(50, 16)).detach()
    assert tuple(samples.shape) == (50, 64), 'digits_G: сэмплы формы (n, 64)'
    assert float(samples.min()) >= -1.0 and float(samples.max()) <= 1.0, 'digits_G: значения в [-1, 1]'
    assert float(samples.std(0).mean()) > 0.05, 'digits_G: все сэмплы почти одинаковы'

