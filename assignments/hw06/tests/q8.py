from otter.test_files import test_case

OK_FORMAT = False

name = "q8"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте fold_in (один шаг implicit ALS по строкам новых пользователей) и recommend (без просмотренного).")
def test_q8_public(fold_in, recommend):
    import torch
    Y = torch.tensor([[1.0], [1.0], [-1.0]], dtype=torch.float64)
    R_new = torch.tensor([[2.0, 0.0, 0.0]], dtype=torch.float64)
    X = fold_in(R_new, Y, lam=1.0, alpha=0.5)
    assert abs(float(X[0, 0]) - 0.4) < 1e-09, 'fold_in: шаг implicit ALS по строке нового пользователя'
    assert recommend(X, Y, R_new > 0, 1).tolist() == [[1]], 'recommend: наибольшее xᵀy среди непросмотренных'

