from otter.test_files import test_case

OK_FORMAT = False

name = "q10"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="R² на валидации ниже 0.45 или неверная форма выхода.")
def test_q10_public(diabetes_model):
    import numpy as np
    import torch
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split
    data = load_diabetes()
    X, y = (data.data.astype(np.float32), data.target.astype(np.float32))
    X_dev, _, y_dev, _ = train_test_split(X, y, test_size=0.2, random_state=2024)
    X_tr, X_va, _, y_va = train_test_split(X_dev, y_dev, test_size=0.2, random_state=0)
    X_va = torch.from_numpy((X_va - X_tr.mean(axis=0)) / X_tr.std(axis=0))
    y = torch.from_numpy(y_va)
    diabetes_model.eval()
    pred = torch.as_tensor(diabetes_model(X_va)).detach()
    assert tuple(pred.shape) == (len(y), 1), 'выход должен иметь форму (N, 1)'
    r2 = 1.0 - ((y - pred[:, 0]) ** 2).sum().item() / ((y - y.mean()) ** 2).sum().item()
    assert r2 >= 0.45, 'R² на валидации ниже 0.45'

