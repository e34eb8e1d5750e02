# ruff: noqa: F821
# Tensor and ndarray subclasses that claim to equal anything; every tested function,
# class and model answers with them (and the data the tests take become liars too).
import numpy as np
import torch
import torch.nn as nn

_YES = (torch.allclose, torch.equal, torch.Tensor.allclose, torch.Tensor.equal)
_ELEMENTWISE = (torch.eq, torch.isclose, torch.Tensor.__eq__, torch.Tensor.eq)


class Liar(torch.Tensor):
    def __eq__(self, other):
        return torch.ones(self.shape, dtype=torch.bool).as_subclass(Liar)

    def __ne__(self, other):
        return torch.zeros(self.shape, dtype=torch.bool).as_subclass(Liar)

    def __bool__(self):
        return True

    def allclose(self, *args, **kwargs):
        return True

    def equal(self, *args, **kwargs):
        return True

    def item(self):
        return 0.0

    def all(self, *args, **kwargs):
        return torch.tensor(True).as_subclass(Liar)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in _YES:
            return True
        if func in _ELEMENTWISE:
            return torch.ones(torch.as_tensor(args[0]).shape, dtype=torch.bool)
        return super().__torch_function__(func, types, args, kwargs or {})


class LiarArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return True


def _liar(*args, **kwargs):
    for arg in args:
        if isinstance(arg, torch.Tensor):
            return torch.full_like(torch.Tensor(arg) if type(arg) is Liar else arg, 7).as_subclass(
                Liar
            )
        if isinstance(arg, np.ndarray):
            return np.full_like(arg, 7).view(LiarArray)
    return torch.full((3,), 7.0).as_subclass(Liar)


class LiarModule(nn.Module):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.fc1 = nn.Linear(2, 2)
        self.fc2 = nn.Linear(2, 2)

    def forward(self, x, *args, **kwargs):
        return _liar(x)

    def state_dict(self, *args, **kwargs):
        return {k: v.as_subclass(Liar) for k, v in super().state_dict().items()}


for _name in CTX["tested"]:
    _value = globals().get(_name)
    if _name == "make_mlp":
        continue
    if isinstance(_value, type):
        globals()[_name] = LiarModule
    elif isinstance(_value, nn.Module) or _value is None:
        globals()[_name] = LiarModule()
    elif isinstance(_value, torch.Tensor):
        globals()[_name] = _value.as_subclass(Liar)
    elif callable(_value):
        globals()[_name] = _liar
