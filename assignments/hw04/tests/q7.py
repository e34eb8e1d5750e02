from otter.test_files import test_case

OK_FORMAT = False

name = "q7"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте train_gan (история по шагам, режим eval в конце) и выход генератора на кольце.")
def test_q7_public(train_gan, make_mlp, ring_G):
    import torch
    G, D = (make_mlp([2, 4, 2]), make_mlp([2, 4, 1]))
    history = train_gan(G, D, torch.randn(20, 2), steps=3, z_dim=2, batch_size=5, seed=1)
    assert len(history) == 3 and len(history[0]) == 2, 'train_gan: пара (d_loss, g_loss) на каждый шаг'
    assert not G.training and (not D.training), 'train_gan: в конце обе модели в режиме eval()'
    samples = ring_G(torch.randn(100, 2)).detach()
    assert tuple(samples.shape) == (100, 2), 'ring_G: сэмплы формы (n, 2)'

