from otter.test_files import test_case

OK_FORMAT = False

name = "q14"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="На валидации регуляризованная модель должна иметь меньший cross-entropy, чем базовая.")
def test_q14_public(baseline_model, regularized_model):
    import numpy as np
    import torch
    import torch.nn.functional as F
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    digits = load_digits()
    X = digits.data.astype(np.float32) / 16.0
    y = digits.target.astype(np.int64)
    X_dev, _, y_dev, _ = train_test_split(X, y, test_size=0.25, random_state=2024, stratify=y)
    _, X_va, _, y_va = train_test_split(X_dev, y_dev, test_size=0.2, random_state=0, stratify=y_dev)
    X_va, y_va = (torch.from_numpy(X_va), torch.from_numpy(y_va))
    losses = []
    for model in (baseline_model, regularized_model):
        model.eval()
        logits = torch.as_tensor(model(X_va)).detach()
        losses.append(F.cross_entropy(logits, y_va).item())
    assert losses[1] < losses[0], 'регуляризованная модель не лучше базовой на валидации'

