from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формулы слияния на маленьком примере.")
def test_q6_public(fuse_conv_bn_weights):
    import torch
    from torch.nn.utils.fusion import fuse_conv_bn_weights as reference
    gen = torch.Generator().manual_seed(1)
    w, b = (torch.randn(3, 2, 3, 3, generator=gen), torch.randn(3, generator=gen))
    mean, var = (torch.randn(3, generator=gen), 0.5 + torch.rand(3, generator=gen))
    gamma, beta = (torch.randn(3, generator=gen), torch.randn(3, generator=gen))
    got_w, got_b = fuse_conv_bn_weights(w, b, mean, var, gamma, beta)
    ref_w, ref_b = reference(w, b, mean, var, 1e-05, gamma, beta)
    assert torch.allclose(got_w, ref_w.detach(), atol=1e-05), 'fuse_conv_bn_weights: неверные веса'
    assert torch.allclose(got_b, ref_b.detach(), atol=1e-05), 'fuse_conv_bn_weights: неверное смещение'

