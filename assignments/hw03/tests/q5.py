from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = None

@test_case(points=0.5, hidden=False, 
    failure_message="Проверьте правила CoNLL: B- всегда начинает сущность, I- после O или другого типа — тоже.")
def test_q5_public(bio_to_spans, span_f1):
    tags = ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'I-PER', 'O']
    expected = [('PER', 0, 2), ('LOC', 3, 4), ('LOC', 4, 5), ('PER', 5, 6)]
    assert [tuple(s) for s in bio_to_spans(tags)] == expected, 'bio_to_spans: неверные спаны'
    p, r, f = span_f1([['B-PER', 'I-PER', 'O', 'B-LOC']], [['B-PER', 'O', 'O', 'B-LOC']])
    assert abs(p - 0.5) < 1e-09 and abs(r - 0.5) < 1e-09 and (abs(f - 0.5) < 1e-09), 'span_f1: сущность засчитывается только при точном совпадении границ'

