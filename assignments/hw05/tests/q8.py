from otter.test_files import test_case

OK_FORMAT = False

name = "q8"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Вложение не обучилось: recall@1 на обучающих цифрах ниже 0.6.")
def test_q8_public(embed_net, place_digits, recall_at_k, X_train, y_train):
    import torch
    g = torch.Generator().manual_seed(2)
    offsets = torch.randint(0, 5, (600, 2), generator=g)
    scales = 0.6 + 0.8 * torch.rand(600, generator=g)
    noise = 0.1 * torch.randn(600, 1, 12, 12, generator=g)
    view = place_digits(X_train[:600], offsets, scales, noise)
    with torch.no_grad():
        emb = embed_net(view).detach()
    assert torch.allclose(emb.norm(dim=-1), torch.ones(600), atol=0.0001), 'EmbeddingNet: вложения единичной длины'
    assert recall_at_k(emb, y_train[:600]) >= 0.6, 'embed_net: recall@1 на обучающих цифрах ниже 0.6'

