# ruff: noqa: F821
# Some tested functions answer every call with 200 MB of data, close to the largest
# reply the protocol carries, for the grader to receive and rebuild each time.
import torch


def _huge(*args, **kwargs):
    return torch.zeros(50_000_000)


for _name in ("to_one_hot", "linear_forward", "softmax"):
    globals()[_name] = _huge
