from otter.test_files import test_case

OK_FORMAT = False

name = "q9"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Accuracy на валидации ниже 0.93 или неверная форма выхода.")
def test_q9_public(digits_model, digits_X_val, digits_y_val):
    import torch
    digits_model.eval()
    logits = torch.as_tensor(digits_model(digits_X_val)).detach()
    assert tuple(logits.shape) == (len(digits_y_val), 10), 'выход должен иметь форму (N, 10)'
    acc = (logits.argmax(dim=1) == digits_y_val).float().mean().item()
    assert acc >= 0.93, 'accuracy на валидации ниже 0.93'

