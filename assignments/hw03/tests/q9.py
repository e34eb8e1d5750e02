from otter.test_files import test_case

OK_FORMAT = False

name = "q9"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте, что вывод останавливается на <eos> и не содержит <bos>/<eos>.")
def test_q9_public(greedy_decode, translator, translate, translator_val):
    texts = [' '.join(src) for src, _ in translator_val[:50]]
    expected = [''.join(tgt) for _, tgt in translator_val[:50]]
    got = translate(texts)
    assert len(got) == 50, 'translate: нужен один перевод на каждый текст'
    share = sum((g == e for g, e in zip(got, expected))) / 50
    assert share >= 0.8, 'greedy_decode: переводы валидационных чисел в основном неверны'

