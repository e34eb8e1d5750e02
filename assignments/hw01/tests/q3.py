from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формы слоёв, форму выхода и подсчёт параметров.")
def test_q3_public(TwoLayerNet, count_parameters):
    import torch
    net = TwoLayerNet(4, 8, 3)
    out = net(torch.zeros(5, 4))
    assert tuple(out.shape) == (5, 3), 'выход должен иметь форму (N, out_features)'
    assert tuple(net.fc1.weight.shape) == (8, 4), 'fc1 должен быть nn.Linear(4, 8)'
    assert tuple(net.fc2.weight.shape) == (3, 8), 'fc2 должен быть nn.Linear(8, 3)'
    assert count_parameters(net) == 4 * 8 + 8 + 8 * 3 + 3, 'count_parameters: неверное число'

