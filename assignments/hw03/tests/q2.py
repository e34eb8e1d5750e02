from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте UNK, BOS/EOS и формы, типы и значения ids, lengths, mask.")
def test_q2_public(encode, pad_batch):
    import torch
    vocab = {'<pad>': 0, '<unk>': 1, '<bos>': 2, '<eos>': 3, 'мама': 4, 'мыла': 5, 'раму': 6}
    assert encode(['мама', 'мыла', 'окно'], vocab) == [4, 5, 1], 'encode: неверные id'
    assert encode(['раму'], vocab, add_bos=True, add_eos=True) == [2, 6, 3], 'encode: неверно добавлены <bos>/<eos>'
    ids, lengths, mask = pad_batch([[4, 5, 6], [6]])
    assert ids.dtype == torch.long and lengths.dtype == torch.long, 'pad_batch: нужен тип long'
    assert mask.dtype == torch.bool, 'pad_batch: mask должна быть типа bool'
    assert torch.equal(ids, torch.tensor([[4, 5, 6], [6, 0, 0]])), 'pad_batch: неверные ids'
    assert torch.equal(lengths, torch.tensor([3, 1])), 'pad_batch: неверные lengths'
    assert torch.equal(mask, torch.tensor([[True, True, True], [True, False, False]])), 'pad_batch: неверная mask'

