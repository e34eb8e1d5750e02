from otter.test_files import test_case

OK_FORMAT = False

name = "q10"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте радиусы (k-й сосед без самой точки) и какой набор даёт шары для precision и для recall.")
def test_q10_public(knn_precision_recall):
    import torch
    real = torch.randn(50, 2, generator=torch.Generator().manual_seed(0))
    result = knn_precision_recall(real, real.clone(), k=3)
    assert isinstance(result[0], float) and isinstance(result[1], float), 'knn_precision_recall: два числа float'
    assert result == (1.0, 1.0), 'knn_precision_recall: одинаковые наборы дают (1.0, 1.0)'
    far = knn_precision_recall(real, real + 100.0, k=3)
    assert far == (0.0, 0.0), 'knn_precision_recall: далёкие наборы дают (0.0, 0.0)'

