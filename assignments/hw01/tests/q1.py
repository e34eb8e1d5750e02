from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте форму, тип и значения результата на маленьком примере.")
def test_q1_public(to_one_hot, pairwise_sq_distances, standardize_columns, pick_class_scores):
    import torch
    oh = to_one_hot(torch.tensor([2, 0, 1]), 4)
    assert oh.dtype == torch.float32, 'to_one_hot: тип результата должен быть torch.float32'
    expected = torch.tensor([[0.0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    assert torch.equal(oh, expected), 'to_one_hot: неверные значения'
    A = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    B = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 4.0]])
    d = pairwise_sq_distances(A, B)
    assert tuple(d.shape) == (2, 3), 'pairwise_sq_distances: форма должна быть (N, M)'
    expected = torch.tensor([[1.0, 4.0, 25.0], [1.0, 2.0, 13.0]])
    assert torch.allclose(d, expected), 'pairwise_sq_distances: неверные значения'
    X = torch.tensor([[1.0, 10.0, 0.0], [3.0, 20.0, 2.0], [5.0, 30.0, 4.0], [7.0, 40.0, 10.0]])
    Z = standardize_columns(X)
    assert tuple(Z.shape) == (4, 3), 'standardize_columns: форма должна совпадать со входом'
    assert torch.allclose(Z.mean(dim=0), torch.zeros(3), atol=1e-05), 'standardize_columns: среднее каждого столбца должно стать 0'
    assert torch.allclose(Z.std(dim=0, correction=0), torch.ones(3), atol=0.0001), 'standardize_columns: смещённое стандартное отклонение столбцов должно стать 1'
    s = pick_class_scores(torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), torch.tensor([2, 0]))
    assert torch.equal(s, torch.tensor([3.0, 4.0])), 'pick_class_scores: неверные значения'

