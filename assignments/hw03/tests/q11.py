from otter.test_files import test_case

OK_FORMAT = False

name = "q11"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Точность и BLEU на валидации должны быть не ниже 0.85; посчитайте их через translate.")
def test_q11_public(translator_val_exact, translator_val_bleu):
    assert 0.85 <= float(translator_val_exact) <= 1.0, 'переводчик: низкая точность на валидации'
    assert 0.85 <= float(translator_val_bleu) <= 1.0, 'переводчик: низкий BLEU на валидации'

