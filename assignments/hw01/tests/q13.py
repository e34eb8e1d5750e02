from otter.test_files import test_case

OK_FORMAT = False

name = "q13"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте l2_penalty и формат результата fit_early_stopping.")
def test_q13_public(l2_penalty, fit_early_stopping, make_mlp):
    import torch
    model = make_mlp([3, 4, 2], seed=0)
    state = model.state_dict()
    expected = (state['0.weight'] ** 2).sum() + (state['2.weight'] ** 2).sum()
    penalty = torch.as_tensor(l2_penalty(model))
    assert abs(penalty.item() - expected.item()) < 1e-05, 'l2_penalty: неверное значение'
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(30, 3, generator=gen)
    y = (X[:, 0] > 0).long()
    history = fit_early_stopping(model, X[:20], y[:20], X[20:], y[20:], 'cross_entropy', max_epochs=15, lr=0.1, batch_size=5, patience=3)
    assert set(history) >= {'train_loss', 'val_loss', 'best_epoch'}, 'ключи словаря'
    assert len(history['train_loss']) == len(history['val_loss']) <= 15, 'длины списков'
    assert 0 <= history['best_epoch'] < len(history['val_loss']), 'best_epoch вне диапазона'
    assert history['val_loss'][history['best_epoch']] == min(history['val_loss']), 'best_epoch должен указывать на минимум val loss'

