from otter.test_files import test_case

OK_FORMAT = False

name = "q7"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте select_filters на маленьком примере.")
def test_q7_public(select_filters):
    import torch
    w = torch.zeros(4, 1, 1, 2)
    w[:, 0, 0, 0] = torch.tensor([1.0, -5.0, 0.5, 2.0])
    w[:, 0, 0, 1] = torch.tensor([1.0, 0.0, -0.1, 2.0])
    keep = select_filters(w, 0.5)
    assert keep.dtype == torch.int64, 'select_filters: индексы должны быть int64'
    assert keep.tolist() == [1, 3], 'select_filters: неверные индексы (L1-норма, по возрастанию)'

