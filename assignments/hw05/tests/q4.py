from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте place_digits: форма (n, 1, 12, 12), смещение (строка, столбец), яркость и шум.")
def test_q4_public(place_digits):
    import torch
    x = torch.zeros(1, 64)
    x[0, 0] = 1.0
    out = place_digits(x, torch.tensor([[2, 3]]), torch.tensor([0.5]), torch.zeros(1, 1, 12, 12))
    assert tuple(out.shape) == (1, 1, 12, 12), 'place_digits: форма (n, 1, 12, 12)'
    assert abs(float(out[0, 0, 2, 3]) - 0.5) < 1e-06 and abs(float(out.sum()) - 0.5) < 1e-06, 'place_digits: пиксель (0, 0) цифры попадает в (строка offsets[:, 0], столбец offsets[:, 1]), умноженный на scales'

