from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте NDCG@k (двоичный логарифм, IDCG по min(k, |rel|)) и MAP@k (делитель min(k, |rel|)).")
def test_q2_public(ndcg_at_k, map_at_k):
    import math
    import torch
    recommended = torch.tensor([[2, 0, 1, 3], [0, 1, 2, 3]])
    relevant = torch.tensor([[True, False, False, True], [False, False, False, False]])
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    idcg = 1 + 1 / math.log2(3)
    assert abs(ndcg_at_k(recommended, relevant, 4) - dcg / idcg) < 1e-09, 'NDCG@k: DCG / IDCG с log2(j + 1)'
    assert abs(map_at_k(recommended, relevant, 4) - (1 / 2 + 2 / 4) / 2) < 1e-09, 'MAP@k: сумма precision@j по попаданиям / min(k, |rel|)'

