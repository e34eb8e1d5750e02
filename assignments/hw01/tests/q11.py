from otter.test_files import test_case

OK_FORMAT = False

name = "q11"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="В режиме обучения MyDropout должен занулять примерно долю p элементов и сохранять форму.")
def test_q11_public(MyDropout):
    import torch
    layer = MyDropout(0.5)
    layer.train()
    x = torch.ones(100, 100)
    out = torch.as_tensor(layer(x)).detach()
    assert tuple(out.shape) == (100, 100), 'форма выхода должна совпадать с формой входа'
    zero_fraction = (out == 0).float().mean().item()
    assert 0.4 < zero_fraction < 0.6, 'доля нулей должна быть близка к p'
    identity = MyDropout(0.0)
    identity.train()
    assert torch.equal(torch.as_tensor(identity(x)), x), 'при p = 0 слой тождественный'

