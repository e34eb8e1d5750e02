from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте порядок специальных токенов, порог min_freq и сортировку.")
def test_q1_public(build_vocab):
    texts = [['кот', 'и', 'пёс'], ['кот', 'и', 'мышь'], ['кот']]
    vocab = build_vocab(texts, min_freq=2, specials=['<pad>', '<unk>'])
    expected = {'<pad>': 0, '<unk>': 1, 'кот': 2, 'и': 3}
    assert vocab == expected, 'build_vocab: неверный словарь на маленьком примере'

