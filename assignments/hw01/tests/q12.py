from otter.test_files import test_case

OK_FORMAT = False

name = "q12"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="В режиме обучения выход должен иметь по каждому признаку среднее 0 и смещённое стандартное отклонение 1.")
def test_q12_public(MyBatchNorm1d):
    import torch
    layer = MyBatchNorm1d(3)
    layer.train()
    x = torch.tensor([[1.0, 10.0, -5.0], [2.0, 20.0, 0.0], [3.0, 30.0, 5.0], [6.0, 0.0, 8.0]])
    out = torch.as_tensor(layer(x)).detach()
    assert tuple(out.shape) == (4, 3), 'форма выхода должна совпадать с формой входа'
    assert torch.allclose(out.mean(dim=0), torch.zeros(3), atol=1e-05), 'среднее должно быть 0'
    assert torch.allclose(out.std(dim=0, correction=0), torch.ones(3), atol=0.001), 'смещённое стандартное отклонение должно быть 1'

