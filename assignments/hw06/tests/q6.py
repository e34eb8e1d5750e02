from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте train_implicit_als (история из 2·iterations значений, L не растёт); recall@10 на валидации должен быть выше 0.18.")
def test_q6_public(train_implicit_als, implicit_X, implicit_Y, clicks_train, clicks_val):
    import torch
    g = torch.Generator().manual_seed(1)
    R = (torch.rand(8, 6, generator=g) < 0.4) * torch.randint(1, 4, (8, 6), generator=g).double()
    X, Y, history = train_implicit_als(R, factors=2, iterations=3)
    assert tuple(X.shape) == (8, 2) and tuple(Y.shape) == (6, 2), 'формы X и Y'
    assert len(history) == 6, 'history: значение L после каждого шага'
    assert all((b <= a + 1e-09 for a, b in zip(history, history[1:]))), 'L не должна расти ни на одном шаге'
    scores = (implicit_X @ implicit_Y.T).masked_fill(clicks_train > 0, float('-inf'))
    top = scores.topk(10, dim=1).indices
    relevant = clicks_val > 0
    users = relevant.any(1)
    recall = (relevant.gather(1, top).sum(1)[users] / relevant.sum(1)[users]).mean()
    assert float(recall) > 0.18, 'implicit ALS: recall@10 на валидации слишком низкий'

