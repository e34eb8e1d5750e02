from otter.test_files import test_case

OK_FORMAT = False

name = "q7"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формы, маску и ось softmax.")
def test_q7_public(attention):
    import torch
    q = torch.tensor([[1.0, 0.0]])
    K = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [5.0, 5.0]]])
    V = torch.tensor([[[1.0], [3.0], [100.0]]])
    mask = torch.tensor([[True, True, False]])
    context, weights = attention(q, K, V, mask)
    e = torch.exp(torch.tensor(1.0))
    expected = torch.tensor([[e / (e + 1), 1 / (e + 1), 0.0]])
    assert tuple(weights.shape) == (1, 3) and tuple(context.shape) == (1, 1), 'attention: формы'
    assert torch.allclose(weights, expected, atol=1e-06), 'attention: неверные веса'
    assert weights[0, 2].item() == 0.0, 'attention: вес паддинга должен быть ровно 0'
    assert torch.allclose(context, expected[:, :2] @ torch.tensor([[1.0], [3.0]]), atol=1e-05), 'attention: неверный context'

