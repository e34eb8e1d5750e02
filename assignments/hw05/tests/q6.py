from otter.test_files import test_case

OK_FORMAT = False

name = "q6"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="SimCLR не обучился: линейный пробник на обучающих цифрах ниже 0.4 или признаки схлопнулись.")
def test_q6_public(simclr, probe_accuracy, X_train, y_train):
    import torch
    accuracy = probe_accuracy(simclr, X_train, y_train, seed=3)
    assert accuracy >= 0.4, 'SimCLR: линейный пробник на обучающих цифрах ниже 0.4'
    with torch.no_grad():
        features = simclr(torch.randn(50, 1, 12, 12)).detach()
    assert float(features.std(0).mean()) > 0.001, 'SimCLR: признаки схлопнулись'

