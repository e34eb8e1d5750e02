from otter.test_files import test_case

OK_FORMAT = False

name = "q10"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="R² на валидации ниже 0.45 или неверная форма выхода.")
def test_q10_public(diabetes_model, diab_X_val, diab_y_val):
    import torch
    diabetes_model.eval()
    pred = torch.as_tensor(diabetes_model(diab_X_val)).detach()
    assert tuple(pred.shape) == (len(diab_y_val), 1), 'выход должен иметь форму (N, 1)'
    y = torch.as_tensor(diab_y_val)
    r2 = 1.0 - ((y - pred[:, 0]) ** 2).sum().item() / ((y - y.mean()) ** 2).sum().item()
    assert r2 >= 0.45, 'R² на валидации ниже 0.45'

