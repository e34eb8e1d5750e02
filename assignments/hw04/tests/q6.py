from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте интерполяцию, норму градиента по каждому объекту и форму шума.")
def test_q6_public(gradient_penalty, sample_noise, make_mlp):
    import torch
    D = make_mlp([3, 1])
    state = D.state_dict()
    state['0.weight'] = torch.tensor([[3.0, 0.0, 4.0]])
    D.load_state_dict(state)
    gp = gradient_penalty(D, torch.randn(4, 3), torch.randn(4, 3), torch.rand(4, 1))
    assert abs(float(gp.detach()) - 16.0) < 0.0001, 'gradient_penalty: для линейного D с |w| = 5 штраф (5 - 1)^2 = 16'
    noise = sample_noise(5, 3, seed=2)
    assert tuple(noise.shape) == (5, 3), 'sample_noise: форма (n, dim)'

