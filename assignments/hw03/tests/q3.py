from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте форму, тип и правило для PAD и неизвестных слов.")
def test_q3_public(embedding_matrix, navec):
    import torch
    vocab = {'<pad>': 0, '<unk>': 1, 'кошка': 2, 'щщщзз': 3}
    matrix = embedding_matrix(vocab, navec)
    assert matrix.dtype == torch.float32 and tuple(matrix.shape) == (4, 300), 'embedding_matrix: нужна матрица float32 формы (len(vocab), 300)'
    assert torch.all(matrix[0] == 0), 'embedding_matrix: строка <pad> должна быть нулевой'
    assert torch.equal(matrix[1], matrix[3]), 'embedding_matrix: неизвестное слово -> вектор <unk>'
    assert not torch.equal(matrix[2], matrix[1]), 'embedding_matrix: «кошка» есть в navec'

