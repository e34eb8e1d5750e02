from otter.test_files import test_case

OK_FORMAT = False

name = "q7"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте popularity (число пользователей, а не сумма счётчиков) и recommend_popular (без просмотренного, при равенстве — меньший номер).")
def test_q7_public(popularity, recommend_popular):
    import torch
    R = torch.tensor([[5.0, 0.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]], dtype=torch.float64)
    assert popularity(R).tolist() == [1.0, 2.0, 2.0, 0.0], 'popularity: число пользователей с r > 0'
    assert recommend_popular(R, 2).tolist() == [[1, 3], [0, 3], [2, 0]], 'recommend_popular: популярное без просмотренного'

