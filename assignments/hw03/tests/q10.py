from otter.test_files import test_case

OK_FORMAT = False

name = "q10"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте обрезку совпадений, среднее геометрическое и штраф за краткость.")
def test_q10_public(corpus_bleu):
    import math
    ref = ['1', '2', '3', '4', '5']
    assert abs(corpus_bleu([ref], [ref]) - 1.0) < 1e-09, 'corpus_bleu: совпадение должно дать 1'
    assert corpus_bleu([ref], [['9', '8', '7', '6']]) == 0.0, 'corpus_bleu: нет совпадений — 0'
    hyp = ['1', '2', '3', '4']
    expected = math.exp(1 - 5 / 4)
    assert abs(corpus_bleu([ref], [hyp]) - expected) < 1e-09, 'corpus_bleu: короткая гипотеза должна получить штраф за краткость'
    p1 = 2 / 4
    got = corpus_bleu([['1', '2']], [['1', '1', '1', '2']], max_n=1)
    assert abs(got - p1) < 1e-09, 'corpus_bleu: совпадения n-грамм нужно обрезать'

