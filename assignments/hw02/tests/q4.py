from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте форму выхода UNet и число параметров.")
def test_q4_public(UNet):
    import torch
    model = UNet(in_channels=1, out_channels=1, base=8)
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(2, 1, 32, 32))
    assert tuple(out.shape) == (2, 1, 32, 32), 'UNet: выход должен иметь форму (N, 1, H, W)'
    n_params = sum((p.numel() for p in model.parameters()))
    assert 20000 < n_params < 40000, 'UNet(base=8): около 29.5 тысяч параметров'

