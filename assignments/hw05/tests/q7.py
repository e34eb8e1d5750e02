from otter.test_files import test_case

OK_FORMAT = False

name = "q7"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте triplet_loss, batch-hard и batch-all майнинг и recall_at_k на простом примере.")
def test_q7_public(triplet_loss, batch_hard_triplet_loss, batch_all_triplet_loss, recall_at_k):
    import torch
    a = torch.tensor([[0.0, 0.0], [0.0, 0.0]])
    p = torch.tensor([[1.0, 0.0], [0.0, 0.5]])
    n = torch.tensor([[0.0, 1.0], [3.0, 0.0]])
    assert abs(float(triplet_loss(a, p, n, margin=0.5)) - 0.25) < 1e-05, 'triplet_loss: среднее max(0, d_ap - d_an + margin)'
    emb = torch.tensor([[0.0], [1.0], [3.0], [2.5]])
    labels = torch.tensor([0, 0, 1, 1])
    assert abs(float(batch_hard_triplet_loss(emb, labels, margin=1.0)) - 0.125) < 1e-05, 'batch_hard_triplet_loss: неверное значение'
    assert abs(float(batch_all_triplet_loss(emb, labels, margin=1.0)) - 0.5) < 1e-05, 'batch_all_triplet_loss: неверное значение'
    assert recall_at_k(emb, labels, k=1) == 1.0, 'recall_at_k: ближайший другой объект'

