from otter.test_files import test_case

OK_FORMAT = False

name = "q14"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="На валидации регуляризованная модель должна иметь меньший cross-entropy, чем базовая.")
def test_q14_public(baseline_model, regularized_model, digits_X_val, digits_y_val):
    import torch
    import torch.nn.functional as F
    losses = []
    for model in (baseline_model, regularized_model):
        model.eval()
        logits = torch.as_tensor(model(digits_X_val)).detach()
        losses.append(F.cross_entropy(logits, torch.as_tensor(digits_y_val)).item())
    assert losses[1] < losses[0], 'регуляризованная модель не лучше базовой на валидации'

