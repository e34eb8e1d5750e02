from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте форму логитов NerTagger и F1 на валидации (нужно не ниже 0.8).")
def test_q6_public(NerTagger, ner_val_f1):
    import torch
    model = NerTagger(30, 20, 5)
    logits = model(torch.tensor([[4, 5, 6], [7, 0, 0]]), torch.randint(1, 20, (2, 3, 4)), torch.tensor([[True, True, True], [True, False, False]]))
    assert tuple(logits.shape) == (2, 3, 5), 'NerTagger: логиты должны быть (B, T, n_tags)'
    assert 0.8 <= float(ner_val_f1) <= 1.0, 'теггер: низкий F1 на валидации'

