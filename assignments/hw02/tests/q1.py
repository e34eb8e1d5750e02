from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = None

@test_case(points=0.25, hidden=False, 
    failure_message="Проверьте IoU и Dice на маленьком примере из условия.")
def test_q1_public(iou_per_image, dice_loss):
    import torch
    pred = torch.tensor([[[1, 1], [0, 0]], [[0, 0], [0, 0]], [[1, 0], [0, 0]]], dtype=torch.bool)
    true = torch.tensor([[[1, 0], [1, 0]], [[0, 0], [0, 0]], [[0, 0], [0, 1]]], dtype=torch.bool)
    iou = iou_per_image(pred, true)
    assert tuple(iou.shape) == (3,), 'iou_per_image: форма результата должна быть (N,)'
    assert iou.dtype == torch.float32, 'iou_per_image: тип результата должен быть float32'
    assert torch.allclose(iou, torch.tensor([1 / 3, 1.0, 0.0])), 'iou_per_image: неверные значения (пустое объединение даёт 1)'
    logits = torch.tensor([[[[3.0, -3.0], [0.0, 2.0]]]])
    target = torch.tensor([[[[1.0, 0.0], [1.0, 0.0]]]])
    p = torch.sigmoid(logits)
    expected = 1 - (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)
    assert torch.allclose(dice_loss(logits, target), expected, atol=1e-06), 'dice_loss: неверное значение'

