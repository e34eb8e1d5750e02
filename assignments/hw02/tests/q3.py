from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте билинейное ядро 4x4 и формулу размера выхода.")
def test_q3_public(bilinear_kernel, conv_transpose_output_size):
    import torch
    w = bilinear_kernel(1, 4)
    assert tuple(w.shape) == (1, 1, 4, 4), 'bilinear_kernel: форма должна быть (C, C, k, k)'
    g = torch.tensor([0.25, 0.75, 0.75, 0.25])
    assert torch.allclose(w[0, 0], g[:, None] * g[None, :]), 'bilinear_kernel: неверное ядро 4x4'
    assert conv_transpose_output_size(16, 4, stride=2, padding=1) == 32, 'conv_transpose_output_size: неверный размер для k=4, s=2, p=1'

