from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте train_explicit_als (история из 2·iterations значений, L не растёт) и predict_explicit; RMSE на валидации должен быть ниже 0.85.")
def test_q4_public(train_explicit_als, predict_explicit, explicit_model, R_val, M_val):
    import torch
    g = torch.Generator().manual_seed(1)
    M = torch.rand(8, 6, generator=g) < 0.5
    R = torch.randint(1, 6, (8, 6), generator=g).double() * M
    model, history = train_explicit_als(R, M, factors=2, lam=1.0, iterations=3)
    assert len(history) == 6, 'history: значение L после каждого шага'
    assert all((b <= a + 1e-09 for a, b in zip(history, history[1:]))), 'L не должна расти ни на одном шаге'
    assert tuple(model['P'].shape) == (8, 2) and tuple(model['Q'].shape) == (6, 2), 'формы P и Q'
    users, items = M_val.nonzero(as_tuple=True)
    prediction = predict_explicit(explicit_model, users, items)
    assert float(prediction.min()) >= 1 and float(prediction.max()) <= 5, 'predict_explicit: обрежьте в [1, 5]'
    error = float(((prediction - R_val[users, items]) ** 2).mean().sqrt())
    assert error < 0.85, 'explicit_model: RMSE на валидации слишком высок'

