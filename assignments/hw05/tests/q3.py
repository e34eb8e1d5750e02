from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте nt_xent: косинусное сходство, деление на tau, исключение диагонали, среднее по 2B якорям.")
def test_q3_public(nt_xent):
    import math
    import torch
    z1 = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    z2 = torch.tensor([[2.0, 0.0], [0.0, 3.0]])
    loss = nt_xent(z1, z2, tau=1.0)
    assert loss.dim() == 0, 'nt_xent: скаляр'
    expected = -math.log(math.e / (math.e + 2.0))
    assert abs(float(loss) - expected) < 1e-05, 'nt_xent: неверное значение'

