"""What a call did that its results do not show: the train/eval mode a model's layers ran
in, whether it left torch's gradient mode switched off, whether it moved torch's global
generator (a function given a seed draws from its own), and whether it left the models it
was handed as they were (weights, buffers, `requires_grad`, `.grad`).

A function told to run a model in eval mode (`greedy_decode`: «модель — в режиме eval»)
gives the same numbers in train mode when the model has no dropout or batch norm, so its
results cannot show the mistake; its layers can, each recording the `training` flag it has
whenever it runs. A function that calls `torch.set_grad_enabled(False)` instead of using
`with torch.no_grad()` returns the right numbers and breaks every later training step.
A decoding function that calls `model.requires_grad_(False)` «for inference», or an
evaluation that calls `loss.backward()`, returns the right numbers and changes the
caller's model. Used on both sides of a grading: in the worker for a call a hidden test
makes through a proxy (`proxy.traced_call`), and in-process by otter and the mutation
harness.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Trace:
    """What a call did besides its result (`tracing`, `proxy.traced_call`)."""

    # per key: the `training` flags the module's layers had whenever one of them ran
    modes: dict[Any, set[bool]] = field(default_factory=dict)
    grad_enabled: bool = True  # torch's gradient mode right after the call (started on)
    rng_kept: bool = True  # torch's global generator is where the call found it
    # per key: the module's parameters and buffers are as the call found them
    kept: dict[Any, bool] = field(default_factory=dict)


@contextmanager
def tracing(modules: dict[Any, Any]) -> Iterator[Trace]:
    """Run the block with gradients enabled, recording the modes the layers of each module
    (the module and every submodule) ran in, whether the block left each module's state as
    it found it, the gradient mode the block left and whether it moved the global generator.
    A value that is not a module records nothing (and counts as kept). Hooks and the
    gradient mode the caller had are restored after the block, whatever it raised."""
    import torch

    trace = Trace(modes={key: set() for key in modules}, kept={key: True for key in modules})
    before = {k: _state(m) for k, m in modules.items() if isinstance(m, torch.nn.Module)}
    rng_before = torch.random.get_rng_state()
    handles = []

    def recorder(key: Any) -> Callable[[int], Callable[..., None]]:
        def hook(layer: Any, _inputs: Any) -> None:
            trace.modes[key].add(bool(layer.training))

        return lambda _index: hook

    try:
        with torch.enable_grad():
            for key, module in modules.items():
                if isinstance(module, torch.nn.Module):
                    handles += _hook_layers(module, recorder(key))
            yield trace
            trace.grad_enabled = torch.is_grad_enabled()
            trace.rng_kept = torch.equal(torch.random.get_rng_state(), rng_before)
            for key, state in before.items():
                trace.kept[key] = _same_state(state, _state(modules[key]))
    finally:
        for handle in handles:
            handle.remove()


def _state(module: Any) -> list[tuple[Any, ...]]:
    """A copy of what a module holds: each parameter's and buffer's name, values,
    `requires_grad` and `.grad`."""
    rows = []
    for name, tensor in (*module.named_parameters(), *module.named_buffers()):
        grad = tensor.grad if tensor.is_leaf else None
        rows.append(
            (
                name,
                tensor.detach().clone(),
                bool(tensor.requires_grad),
                None if grad is None else grad.detach().clone(),
            )
        )
    return rows


def _same_state(before: list[tuple[Any, ...]], after: list[tuple[Any, ...]]) -> bool:
    def equal(a: Any, b: Any) -> bool:  # bit for bit, a NaN equal to a NaN
        if a is None or b is None:
            return a is b
        return (
            a.shape == b.shape
            and a.dtype == b.dtype
            and bool(((a == b) | (a != a) & (b != b)).all())
        )

    return len(before) == len(after) and all(
        x[0] == y[0] and x[2] == y[2] and equal(x[1], y[1]) and equal(x[3], y[3])
        for x, y in zip(before, after, strict=True)
    )


def _hook_layers(module: Any, hook_for: Callable[[int], Callable[..., None]]) -> list[Any]:
    """A forward pre-hook on the module and every submodule (`hook_for(index)` in
    `modules()` order); the handles remove them."""
    return [
        layer.register_forward_pre_hook(hook_for(i)) for i, layer in enumerate(module.modules())
    ]


class RunCounter:
    """How many times each layer of a module (the module and every submodule, in
    `modules()` order) has run since the counter was made or reset; `close()` removes it.
    Two counters on models of the same architecture give comparable counts: a procedure
    the task prescribes step by step (one `encode` per batch, one decoder step per token
    until every row ended) runs the layers as often as the reference does."""

    def __init__(self, module: Any):
        self._counts = [0] * len(list(module.modules()))
        self._handles = _hook_layers(module, self._hook)

    def _hook(self, index: int) -> Callable[..., None]:
        def hook(_layer: Any, _inputs: Any) -> None:
            self._counts[index] += 1

        return hook

    def counts(self) -> tuple[int, ...]:
        return tuple(self._counts)

    def close(self) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
