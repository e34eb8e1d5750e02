from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте метки 1/0, знак и средние в функциях потерь GAN.")
def test_q5_public(d_loss_bce, g_loss_nonsaturating, lsgan_d_loss, lsgan_g_loss):
    import math
    import torch
    zero = torch.zeros(4, 1)
    assert abs(float(d_loss_bce(zero, zero)) - 2 * math.log(2.0)) < 1e-06, 'd_loss_bce: при логитах 0 это 2·log 2'
    assert abs(float(g_loss_nonsaturating(zero)) - math.log(2.0)) < 1e-06, 'g_loss_nonsaturating: при логитах 0 это log 2'
    assert float(g_loss_nonsaturating(torch.full((3, 1), 5.0))) < 0.01, 'g_loss_nonsaturating: уверенное «настоящее» у D — малая потеря генератора'
    ones = torch.ones(3, 1)
    assert abs(float(lsgan_d_loss(ones, torch.zeros(2, 1)))) < 1e-06, 'lsgan_d_loss: идеальный D — нулевая потеря'
    assert abs(float(lsgan_g_loss(torch.zeros(2, 1))) - 0.5) < 1e-06, 'lsgan_g_loss: при выходах 0 это 1/2'

