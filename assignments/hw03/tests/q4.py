from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = None

@test_case(points=0.5, hidden=False, 
    failure_message="Проверьте форму логитов и точность на валидации (нужно не ниже 0.5).")
def test_q4_public(ClozeClassifier, predict_cloze, cls_val):
    import torch
    model = ClozeClassifier(torch.randn(10, 300), 12)
    logits = model(torch.tensor([[4, 5, 0], [6, 0, 0]]), torch.tensor([2, 1]), torch.tensor([[True, True, False], [True, False, False]]))
    assert tuple(logits.shape) == (2, 12), 'ClozeClassifier: логиты должны быть (B, n_classes)'
    texts = [t for t, _ in cls_val]
    predicted = predict_cloze(texts)
    accuracy = sum((int(p) == y for p, (_, y) in zip(predicted, cls_val))) / len(cls_val)
    assert accuracy >= 0.5, 'классификатор: низкая точность на валидации'

