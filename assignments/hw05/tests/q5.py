from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте формы: признаки кодировщика (B, 4·width), проекция (B, proj_dim); train_simclr возвращает историю по эпохам.")
def test_q5_public(SimCLR, train_simclr):
    import torch
    model = SimCLR(width=4, proj_dim=3)
    x = torch.randn(5, 1, 12, 12)
    assert tuple(model(x).shape) == (5, 16), 'SimCLR.forward: признаки кодировщика формы (B, 4·width)'
    assert tuple(model.project(x).shape) == (5, 3), 'SimCLR.project: выход головы формы (B, proj_dim)'
    history = train_simclr(model, torch.rand(20, 64), epochs=2, batch_size=8, seed=1)
    assert len(history) == 2, 'train_simclr: одно значение на эпоху'
    assert not model.training, 'train_simclr: в конце модель в режиме eval()'

