from otter.test_files import test_case

OK_FORMAT = False

name = "q7"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Сеть с параметрами по умолчанию должна решать XOR, а loss — убывать.")
def test_q7_public(init_two_layer, train_xor):
    import torch
    params = init_two_layer(3, 5, 2, seed=1)
    shapes = {key: tuple(value.shape) for key, value in params.items()}
    assert shapes == {'W1': (3, 5), 'b1': (5,), 'W2': (5, 2), 'b2': (2,)}, 'формы параметров'
    assert params['W1'].dtype == torch.float64, 'параметры должны иметь тип float64'
    params, losses = train_xor()
    assert len(losses) == 1000, 'losses должен содержать значение для каждой эпохи'
    assert losses[-1] < losses[0], 'loss должен убывать'
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float64)
    h = torch.tanh(X @ params['W1'] + params['b1'])
    pred = (h @ params['W2'] + params['b2']).argmax(dim=1)
    assert pred.tolist() == [0, 1, 1, 0], 'сеть неверно классифицирует точки XOR'

