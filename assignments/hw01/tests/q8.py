from otter.test_files import test_case

OK_FORMAT = False

name = "q8"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте compute_loss и то, что train_model возвращает убывающие потери по эпохам.")
def test_q8_public(compute_loss, train_model, make_mlp):
    import torch
    import torch.nn.functional as F
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    labels = torch.tensor([0, 1, 1])
    value = float(compute_loss(logits, labels, 'cross_entropy'))
    assert abs(value - F.cross_entropy(logits, labels).item()) < 1e-06, 'cross_entropy неверна'
    value = float(compute_loss(torch.tensor([[1.0], [2.0]]), torch.tensor([1.0, 4.0]), 'mse'))
    assert abs(value - 2.0) < 1e-06, 'mse неверна: проверьте формы (B, 1) и (B,)'
    gen = torch.Generator().manual_seed(0)
    X = torch.cat([torch.randn(20, 2, generator=gen) + 2.0, torch.randn(20, 2, generator=gen) - 2.0])
    y = torch.cat([torch.zeros(20, dtype=torch.int64), torch.ones(20, dtype=torch.int64)])
    model = make_mlp([2, 8, 2], seed=0)
    losses = train_model(model, X, y, 'cross_entropy', n_epochs=20, lr=0.1, batch_size=8, seed=0)
    assert len(losses) == 20, 'нужно вернуть по одному значению на эпоху'
    assert all((isinstance(v, float) for v in losses)), 'значения должны быть float'
    assert losses[-1] < 0.5 * losses[0], 'loss должен заметно убывать'

