from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте precision@k, recall@k (знаменатель — все релевантные), hit rate и top_k_unseen.")
def test_q1_public(precision_at_k, recall_at_k, hit_rate_at_k, top_k_unseen):
    import torch
    recommended = torch.tensor([[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]])
    relevant = torch.tensor([[True, False, True, False], [False, False, False, False], [False, False, False, True]])
    assert abs(precision_at_k(recommended, relevant, 2) - 0.5) < 1e-09, 'precision@k: hits / k, среднее по пользователям с релевантными'
    assert abs(recall_at_k(recommended, relevant, 2) - 0.75) < 1e-09, 'recall@k: попадания делятся на число релевантных'
    assert abs(hit_rate_at_k(recommended, relevant, 1) - 0.5) < 1e-09, 'hit rate: доля пользователей с попаданием'
    scores = torch.tensor([[0.1, 0.9, 0.5, 0.7], [0.3, 0.3, 0.2, 0.1]])
    seen = torch.tensor([[False, True, False, False], [False, False, False, True]])
    top = top_k_unseen(scores, seen, 2)
    assert top.tolist() == [[3, 2], [0, 1]], 'top_k_unseen: без просмотренных, по убыванию, при равенстве — меньший номер'

