from otter.test_files import test_case

OK_FORMAT = False

name = "q5"
points = None

@test_case(points=0.5, hidden=False, 
    failure_message="IoU на валидации ниже 0.85 или у модели больше 100 тысяч параметров.")
def test_q5_public(unet, val_images, val_masks):
    import torch
    unet.eval()
    n_params = sum((p.numel() for p in unet.parameters()))
    assert n_params <= 100000, 'у модели больше 100 тысяч параметров'
    with torch.no_grad():
        pred = (unet(val_images) > 0).flatten(1)
    true = (val_masks > 0.5).flatten(1)
    inter, union = ((pred & true).sum(1).float(), (pred | true).sum(1).float())
    iou = torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union)).mean()
    assert iou.item() >= 0.85, 'IoU на валидации ниже 0.85'

