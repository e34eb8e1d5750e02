from otter.test_files import test_case

OK_FORMAT = False

name = "q8"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте квантизацию маленькой матрицы весов.")
def test_q8_public(quantize_per_channel_int8, dequantize_per_channel_int8):
    import torch
    w = torch.tensor([[0.5, -1.27, 0.01], [0.2, 0.1, -0.05]])
    q, scale = quantize_per_channel_int8(w)
    assert q.dtype == torch.int8, 'quantize_per_channel_int8: q должен иметь тип torch.int8'
    assert torch.allclose(scale, torch.tensor([0.01, 0.2 / 127])), 'quantize_per_channel_int8: неверные шкалы'
    assert q[0].tolist() == [50, -127, 1] and q[1].tolist() == [127, 64, -32], 'quantize_per_channel_int8: неверные int8-значения'
    deq = dequantize_per_channel_int8(q, scale)
    assert torch.all((deq - w).abs() <= scale[:, None] / 2 + 1e-07), 'dequantize_per_channel_int8: ошибка больше половины шкалы'

