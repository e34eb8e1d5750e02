"""A strict in-process double of the grader's proxies, to hold hidden tests to the proxy rules.
Shared by every homework's tests (`from mutation.proxy_double import proxied_namespace`).

In production each test argument is a handle to an object in the sandboxed worker. This
double keeps the object in the same process but enforces the same contract:

* a proxy may be called, have attributes read or set, be indexed, iterated and measured;
* values crossing towards the student must be plain data or proxies (copied on the way),
  and what a call did to its data arguments is written back into the caller's (proxy.write_back);
  a call may backpropagate in the "worker" (proxy.vjp_call) or record the train/eval flags the
  layers of its model arguments ran in and the gradient mode it left (proxy.traced_call);
  a model's layer runs may be counted (proxy.run_counter);
* values coming back are trusted copies when they are plain data (tensors detached, with
  `requires_grad` and `.grad` kept; Parameter -> Tensor; torch.Size -> tuple;
  OrderedDict -> dict), and new proxies otherwise;
* a quantized tensor (qint8, quint8) is not data on the wire (grading/protocol.py sends
  only plain dtypes), so it comes back as a proxy: tests read it through `int_repr()`,
  `q_scale()`, `q_per_channel_scales()` and friends, which return plain tensors and numbers;
* a proxy cannot be truth-tested or compared.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np
import torch

from autograder.grading.proxy import RemoteType, vjp_call, write_back
from autograder.grading.tracing import RunCounter, tracing

_ATOMS = (type(None), bool, int, float, str, np.ndarray, np.generic, torch.Tensor, torch.Size)


class ProxyRuleError(TypeError):
    """A test used a proxy in a way the real grader cannot support."""


def is_data(value: Any) -> bool:
    """Whether value may cross the boundary as a copy."""
    if isinstance(value, torch.Tensor) and value.is_quantized:
        return False
    if isinstance(value, _ATOMS):
        return True
    if isinstance(value, list | tuple):
        return all(is_data(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str | int) and is_data(v) for k, v in value.items())
    return False


def copy_data(value: Any) -> Any:
    """A copy built from exact base types, as the wire format would rebuild it."""
    if isinstance(value, torch.Size):
        return tuple(int(v) for v in value)
    if isinstance(value, torch.Tensor):
        copy = value.detach().cpu().clone()
        if value.requires_grad:
            copy.requires_grad_(True)
        if value.is_leaf and value.grad is not None:
            copy.grad = value.grad.detach().cpu().clone()
        return copy
    if isinstance(value, np.ndarray | np.generic):
        return value.copy()
    if isinstance(value, list | tuple):
        items = [copy_data(v) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):  # OrderedDict (state_dict) included
        return {k: copy_data(v) for k, v in value.items()}
    return value


def to_trusted(value: Any) -> Any:
    """What the trusted side receives for a value living in the worker."""
    return copy_data(value) if is_data(value) else Proxy(value)


def to_worker(value: Any) -> Any:
    """What the worker receives for a value the trusted side passes in."""
    if isinstance(value, Proxy):
        return object.__getattribute__(value, "_target")
    if isinstance(value, list | tuple):
        return type(value)(to_worker(v) for v in value)
    if isinstance(value, dict):
        return {k: to_worker(v) for k, v in value.items()}
    if is_data(value):
        return copy_data(value)
    raise ProxyRuleError(f"cannot pass a trusted {type(value).__name__} into student code")


class Proxy:
    """Trusted-side handle on one object of the student's."""

    __slots__ = ("_target",)

    def __init__(self, target: Any):
        object.__setattr__(self, "_target", target)

    def _t(self) -> Any:
        return object.__getattribute__(self, "_target")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """As the grader's proxy: the student's code gets copies, and what it did to the data
        arguments is written back into the caller's, as a plain call would leave them."""
        return self.__vjp_call__(None, args, kwargs)

    def __vjp_call__(self, cotangent: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
        """A call, then backward from its result (proxy.vjp_call), in the "worker"."""
        return self._synced_call(args, kwargs, cotangent)[0]

    def __run_counter__(self) -> Any:
        return Proxy(RunCounter(self._t()))

    def __traced_call__(self, positions: tuple[int, ...], args: tuple, kwargs: dict) -> Any:
        """A call seen by tracing.py in the "worker" (proxy.traced_call)."""
        result, trace = self._synced_call(args, kwargs, None, positions)
        return result, trace

    def _synced_call(
        self, args: tuple, kwargs: dict[str, Any], cotangent: Any, positions: tuple | None = None
    ) -> tuple[Any, Any]:
        worker_args, worker_kwargs = to_worker(args), to_worker(kwargs)
        traced = positions is not None
        watched = {i: worker_args[i] for i in positions or ()}
        with tracing(watched) if traced else contextlib.nullcontext() as trace:
            if cotangent is None:
                result = self._t()(*worker_args, **worker_kwargs)
            else:
                result = vjp_call(self._t(), to_worker(cotangent), *worker_args, **worker_kwargs)
        for mine, theirs in [
            *zip(args, worker_args, strict=True),
            *((kwargs[k], worker_kwargs[k]) for k in kwargs),
        ]:
            if is_data(theirs):
                write_back(mine, copy_data(theirs))
        return to_trusted(result), trace

    def __isolated_call__(self, args: tuple, kwargs: dict[str, Any]) -> Any:
        return to_trusted(self._t()(*to_worker(args), **to_worker(kwargs)))

    def __getattr__(self, name: str) -> Any:
        return to_trusted(getattr(self._t(), name))

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._t(), name, to_worker(value))

    def __getitem__(self, key: Any) -> Any:
        return to_trusted(self._t()[to_worker(key)])

    def __iter__(self):
        for item in self._t():
            yield to_trusted(item)

    def __len__(self) -> int:
        return len(self._t())

    def __bool__(self) -> bool:
        raise ProxyRuleError("a proxy cannot be truth-tested")

    def __eq__(self, other: object) -> bool:
        raise ProxyRuleError("a proxy cannot be compared")

    def __ne__(self, other: object) -> bool:
        raise ProxyRuleError("a proxy cannot be compared")

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<proxy of {type(self._t()).__name__}>"


def proxied_namespace(namespace: dict[str, Any]) -> dict[str, Any]:
    """The namespace as the trusted side sees it: data copied, everything else proxied."""
    return {
        name: to_trusted(value) for name, value in namespace.items() if not name.startswith("__")
    }


def remote_type(*args: Any) -> Any:
    """`type` as the grader gives it to tests: a proxy answers with its object's type name."""
    if len(args) == 1 and isinstance(args[0], Proxy):
        return RemoteType(type(object.__getattribute__(args[0], "_target")).__name__)
    return type(*args)


def remote_isinstance(obj: Any, classinfo: Any) -> bool:
    if not isinstance(obj, Proxy):
        return isinstance(obj, classinfo)
    name = type(object.__getattribute__(obj, "_target")).__name__
    classes = classinfo if isinstance(classinfo, tuple) else (classinfo,)
    return any(isinstance(c, type) and c.__name__ == name for c in classes)


def bind_test_builtins(test_globals: dict[str, Any]) -> None:
    """What the grader binds in a test file's globals (grading/notebook.py): `type` and
    `isinstance` that answer for proxies by their object's type name."""
    test_globals.setdefault("type", remote_type)
    test_globals.setdefault("isinstance", remote_isinstance)
