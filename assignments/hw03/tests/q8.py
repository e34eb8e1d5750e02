from otter.test_files import test_case

OK_FORMAT = False

name = "q8"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формы выходов Seq2Seq и что потеря не учитывает паддинг.")
def test_q8_public(Seq2Seq, seq2seq_loss):
    import torch
    model = Seq2Seq(20, 14, emb_dim=8, hidden=16)
    src = torch.tensor([[5, 6, 7], [8, 9, 0]])
    enc_out, mask, h = model.encode(src, torch.tensor([3, 2]))
    assert tuple(enc_out.shape) == (2, 3, 32), 'encode: enc_out должен быть (B, T, 2*hidden)'
    assert mask.tolist() == [[True, True, True], [True, True, False]], 'encode: неверная mask'
    assert tuple(h.shape) == (2, 16), 'encode: h должен быть (B, hidden)'
    logits = model(src, torch.tensor([3, 2]), torch.tensor([[2, 4, 5, 6], [2, 7, 0, 0]]))
    assert tuple(logits.shape) == (2, 4, 14), 'forward: логиты должны быть (B, L, V)'
    logits = torch.tensor([[[2.0, 1.0, 0.0], [0.0, 0.0, 5.0]]])
    targets = torch.tensor([[1, 0]])
    expected = -torch.log_softmax(torch.tensor([2.0, 1.0, 0.0]), dim=0)[1]
    assert torch.allclose(seq2seq_loss(logits, targets), expected), 'seq2seq_loss: паддинг не должен входить в потерю'

