from otter.test_files import test_case

OK_FORMAT = False

name = "q9"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Accuracy на валидации ниже 0.93 или неверная форма выхода.")
def test_q9_public(digits_model):
    import numpy as np
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    y = digits.target.astype(np.int64)
    X_dev, _, y_dev, _ = train_test_split(X, y, test_size=0.25, random_state=2024, stratify=y)
    _, X_va, _, y_va = train_test_split(X_dev, y_dev, test_size=0.2, random_state=0, stratify=y_dev)
    X_va, y_va = (torch.from_numpy(X_va), torch.from_numpy(y_va))
    digits_model.eval()
    logits = torch.as_tensor(digits_model(X_va)).detach()
    assert tuple(logits.shape) == (len(y_va), 10), 'выход должен иметь форму (N, 10)'
    acc = (logits.argmax(dim=1) == y_va).float().mean().item()
    assert acc >= 0.93, 'accuracy на валидации ниже 0.93'

