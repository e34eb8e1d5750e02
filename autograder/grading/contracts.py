"""Contracts for hidden tests: what a graded function must keep, checked on varied inputs.

A hidden test declares the contract of the function its question asks for and checks it:

    from autograder.grading.contracts import Contract, check_contract

    check_contract(softmax, Contract(
        name="softmax",
        inputs=lambda gen, n, c: ((torch.randn(n, c, generator=gen),), {}),
        sizes=[(1, 3), (7, 5), (4, 1)],         # never only the notebook's own sizes
        reference=lambda x: torch.softmax(x, dim=1),
        dtypes=(torch.float32, torch.float64),   # the result keeps the input's dtype
        grads=(0,),                              # backward reaches x, as the reference's does
    ))

Every rule runs on every size, through the same calls a student's kernel would make (the
grader's proxies write a call's effects on its arguments back, `proxy.write_back`), and a
broken rule fails the test with its constant Russian message; a message never shows a
hidden input or an expected value. Rules:

- results equal `reference`'s on every size (within `rtol`/`atol`; nested tuples, lists and
  dicts of tensors, arrays and numbers);
- `pure`: no argument changes (values, shape, requires_grad, .grad; a model handed over
  keeps its weights, buffers, their requires_grad and .grad: `model.requires_grad_(False)`
  «for inference» or a `backward()` on the caller's model shows; the models a procedure
  trains, at the positions `trains` or `runs_in_train` names, excepted), or, with `effect`, the
  arguments end exactly as `effect` leaves its own copies (an in-place function); a module
  called leaves its own train/eval mode as it was; every call leaves torch's gradient mode
  on (`torch.set_grad_enabled(False)` for `with torch.no_grad()` shows);
- `dtypes`: floating inputs cast to each dtype; floating results come back in it, and in
  float64 agree with the reference to `FLOAT64_TOL` whatever the contract's own tolerance
  (a step computed in float32 and cast back shows);
- results of a plain function (no module in the call) require grad exactly where the
  reference's do (a result that keeps a graph, or one cut off from it, shows even where
  the values agree);
- `grads`: with the positions/names given requiring grad, backpropagating a random
  cotangent from the result (from every output of a tuple that keeps a graph in the
  reference's: a second output cut off shows) gives each of them the reference's gradient
  (a detached term, a `.data` or a missing path shows);
- `grads_reach`: the same for a random function, which has no reference (dropout in
  train mode): each of them gets a finite gradient, not zero everywhere;
- `repeatable`: the same inputs twice give the same result;
- `seed`: the keyword naming a seed; the same seed gives the same result and another seed
  another one; a plain function (no module in the call: a model's dropout draws from the
  global generator by design) leaves torch's global generator where it found it (it draws
  from its own `torch.Generator`; `torch.manual_seed(seed)` inside reseeds the caller's);
  a module called in eval mode draws nothing from the global generator either (a dropout
  mask drawn and discarded in eval shifts every later draw of the notebook);
- `modules`: positions of module arguments (proxies of the student's models) whose
  train/eval flag the call must leave as it found it, checked from both modes;
- `result_training`: the mode a returned module must be in (False: returned in eval());
- `runs_in_eval`: positions of module arguments the function must run in eval mode: handed
  over in train mode, every layer of it that runs during the call runs in eval mode (a
  copy the function makes and runs is its own business). Seen on the layers themselves, so
  it shows on a model without dropout or batch norm too, where the results are the same
  in both modes;
- `runs_in_train`: positions of module arguments a procedure trains: handed over in eval
  mode, its layers must run in train mode during the call (a training loop without
  `model.train()` shows on a model without dropout or batch norm too); a procedure that
  trains a copy and leaves the given model unrun is not judged by this rule;
- `train_only`: positions of module arguments a procedure only trains, never evaluates (a
  GAN's or a VAE's training loop): handed over in eval mode, every layer of them that runs
  during the call runs in train mode (an `eval()` for one step — the critic during the
  generator's step — shows on a model without dropout too);
- `returns_logits`: the result (a tuple's first item) holds logits, not probabilities: not
  every row over the last axis lies in [0, 1] and sums to 1 (a softmax at the end of a
  model whose loss takes logits shows, in eval mode too; the argmax is the same);
- `requires_grad_inputs` (on unless `effect` is given): with every floating tensor argument
  (or those at the positions/names given) requiring grad, the results are the same and the
  caller's tensors get no .grad;
- `rows_independent`: the result for a batch is the results for its rows one by one (a
  batch of one works; no statistic of the batch leaks into a row);
- `param_grads`: for a module, backpropagating a random cotangent from its output reaches
  every parameter that requires grad on at least one of the sizes (a branch cut off by
  `.data`/`detach()` shows);
- `param_grads_exact`: for a module in a deterministic mode, the parameters' gradient
  along a random direction through all of them equals the central difference in float64
  (a term cut off from the graph shows even where every parameter still learns something);
- `pure_in_train`: for a module checked in eval mode, a call in train mode leaves its
  arguments as they were too (word dropout or noise written into the caller's tensor shows
  only there), on the largest size; the module's mode is restored;
- `draws_nothing`: a deterministic function (greedy decoding), or a seeded procedure given
  a model that draws nothing itself (no dropout), leaves torch's global generator where it
  found it (a `torch.manual_seed` inside resets the caller's);
- `same_runs`: positions of module arguments whose layers must run as many times as in
  the reference on the same inputs — a procedure the task prescribes step by step (one
  `encode` per batch, a decoder step per token until every row ended, no step after);
- `follows`: positions/names of arguments the result follows from call to call: for each
  pair of consecutive sizes, a call on the first size's inputs, then on the same inputs
  with that one argument taken from the next size's, gives the reference's result on the
  mix (a result remembered from an earlier call under a key without that argument — the
  same tokens under another vocabulary — shows); a mix the reference refuses is skipped;
- `defaults` (by default on for a function with a reference and off for procedures — a
  `seed` or a `result_data` — whose training may be too long to repeat; `True` turns it on
  for a procedure cheap enough): on the last size, each keyword argument the inputs give is
  left out in turn, and the result (its `result_data`) must still be the reference's without
  it — the student's default is the task's (the reference's signature says which keywords
  have one).

`result_data` turns a result into the data compared (`lambda m: m.state_dict()` for a
procedure that returns a model: its reference trains a trusted twin the prescribed way).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograder.grading.proxy import (
    Observed,
    copy_data,
    observe_call,
    run_counter,
    traced_call,
    vjp_call,
)

Inputs = Callable[..., tuple[tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class Contract:
    name: str
    inputs: Inputs  # inputs(generator, *size) -> (args, kwargs), fresh objects each call
    sizes: Sequence[tuple[Any, ...]]
    reference: Callable[..., Any] | None = None
    pure: bool = True
    effect: Callable[..., Any] | None = None  # the reference of an in-place function
    dtypes: tuple[Any, ...] = ()
    grads: tuple[int | str, ...] = ()
    grads_reach: tuple[int | str, ...] = ()  # without a reference: a random function's inputs
    repeatable: bool = True
    seed: str | None = None
    modules: tuple[int, ...] = ()
    result_training: bool | None = None
    runs_in_eval: tuple[int, ...] = ()
    runs_in_train: tuple[int, ...] = ()  # module arguments a procedure trains in train mode
    train_only: tuple[int, ...] = ()  # module arguments whose every layer run is in train mode
    trains: tuple[int, ...] = ()  # module arguments the call changes by design (trains)
    draws_nothing: bool = False  # the call leaves torch's global generator as it found it
    returns_logits: bool = False  # the result holds logits, not probabilities
    same_runs: tuple[int, ...] = ()  # module arguments whose layers run as often as the reference's
    param_grads: bool = False
    param_grads_exact: bool = False  # a module's gradients are the derivative itself
    pure_in_train: bool = False  # a module's train-mode call changes no argument either
    defaults: bool | None = None  # keywords left out give the reference's defaults (None: auto)
    requires_grad_inputs: bool | tuple[int | str, ...] = True
    rows_independent: bool = False
    result_data: Callable[[Any], Any] | None = (
        None  # what of a result is compared (a model's state_dict)
    )
    follows: tuple[int | str, ...] = ()  # arguments a result follows from call to call
    rtol: float = 1e-5
    atol: float = 1e-6
    generator_seed: int = 0


# a float64 result agrees with the float64 reference to this (relative and absolute): far
# tighter than float32's rounding (~6e-8), looser than float64's rounding of any order of
# the same operations (a central difference's cancellation included)
FLOAT64_TOL = 1e-9


class ContractBroken(AssertionError):
    """A rule of a contract does not hold (its message is for the student)."""


def check_contract(func: Any, contract: Contract) -> None:
    """Check every rule of `contract` on `func` (a proxy of the student's function or
    module, or a plain callable); raise ContractBroken on the first broken rule."""
    import torch

    if len(contract.sizes) < 2:
        raise ValueError("a contract varies sizes: give at least two")
    gen = torch.Generator().manual_seed(contract.generator_seed)
    learned: set[int] = set()  # parameters a size gave a gradient (param_grads)
    for size in contract.sizes:
        _check_size(func, contract, gen, tuple(size), learned)
    if contract.follows:
        _check_follows(func, contract, gen)
    procedure = contract.seed is not None or contract.result_data is not None
    defaults = not procedure if contract.defaults is None else contract.defaults
    if defaults and contract.reference is not None:
        _check_defaults(func, contract, gen, tuple(contract.sizes[-1]))
    if contract.pure_in_train:
        largest = max(
            contract.sizes, key=lambda size: math.prod(s for s in size if type(s) is int and s > 0)
        )
        _check_pure_in_train(func, contract, gen, tuple(largest))
    if contract.param_grads:
        count = sum(1 for _ in func.parameters())
        frozen = {i for i, p in enumerate(func.parameters()) if not p.requires_grad}
        if learned | frozen != set(range(count)):
            _fail(contract, "градиент не доходит до части параметров модели (detach, .data?)")


def check_fresh_init(
    build: Callable[[], Any], name: str, given: Sequence[tuple[int, ...]] = ()
) -> None:
    """A model class draws its initial weights from the global generator, which the notebook
    seeds before building it: two models `build()` makes one after the other differ in some
    randomly initialised parameter (a class that seeds the generator itself builds the same
    model twice, whatever the caller's seed, and resets the caller's generator). Parameters
    of the shapes in `given` (an embedding matrix handed over) and constant ones (zeros,
    ones) are not drawn, so they do not count."""
    first, second = build().state_dict(), build().state_dict()
    drawn = [
        (a, second[key])
        for key, a in first.items()
        if a.is_floating_point()
        and a.numel() > 1
        and float(a.std()) > 0
        and tuple(a.shape) not in {tuple(s) for s in given}
    ]
    if drawn and all(a.shape == b.shape and bool((a == b).all()) for a, b in drawn):
        raise ContractBroken(
            f"{name}: инициализация не должна сама задавать seed (две модели подряд одинаковы)"
        )


def _fail(contract: Contract, what: str) -> None:
    raise ContractBroken(f"{contract.name}: {what}")


class _SavedInputs:
    """The same inputs again: the generator state before they were made."""

    def __init__(self, contract: Contract, gen: Any, state: Any, size: tuple[Any, ...]):
        self.contract, self.gen, self.state, self.size = contract, gen, state, size

    def again(self) -> tuple[tuple, dict]:
        import torch

        twin = torch.Generator().set_state(self.state)
        return self.contract.inputs(twin, *self.size)


def _check_size(
    func: Any, contract: Contract, gen: Any, size: tuple[Any, ...], learned: set[int]
) -> None:
    saved = _SavedInputs(contract, gen, gen.get_state(), size)
    args, kwargs = contract.inputs(gen, *size)
    traced = (
        contract.draws_nothing
        or contract.runs_in_eval
        or contract.runs_in_train
        or contract.train_only
    )
    if traced and _wraps_proxies(func, args, kwargs):
        # what such a rule records is seen where `func` runs: for a trusted wrapper around
        # the notebook's objects that is the grading process, whose global generator other
        # gradings share, not the worker where the student's code runs
        raise ValueError(
            f"{contract.name}: draws_nothing/runs_in_eval/runs_in_train/train_only judge the notebook's "
            "function itself; check the contract on it, not on a wrapper"
        )

    # results, and what the call does to its arguments (on copies), to torch's gradient
    # mode and, for a module, to its own mode
    mode = bool(func.training) if _is_module(func) else None
    mine_args, mine_kwargs = copy_data(args), copy_data(kwargs)
    held = ()  # models handed over and not trained: the call must leave them as they were
    if contract.pure and contract.effect is None:
        held = tuple(
            i
            for i, a in enumerate(mine_args)
            if _is_module(a) and i not in (*contract.runs_in_train, *contract.trains)
        )
    result, trace = traced_call(func, held, *mine_args, **mine_kwargs)
    seen = Observed(result, mine_args, mine_kwargs)
    if mode is not None and bool(func.training) is not mode:
        _fail(contract, "вызов модели не должен менять её режим train()/eval()")
    if not trace.grad_enabled:
        _fail(contract, "функция не должна выключать градиенты глобально (with torch.no_grad())")
    if not all(trace.kept.values()):
        _fail(
            contract, "функция не должна менять переданную ей модель (веса, requires_grad, .grad)"
        )
    if contract.seed is not None and not trace.rng_kept and not _holds_modules(func, args, kwargs):
        _fail(
            contract,
            "функция с seed берёт случайность из своего torch.Generator, не трогая глобальный",
        )
    if contract.draws_nothing and not trace.rng_kept:
        _fail(contract, "функция не должна трогать глобальный генератор torch (manual_seed, rand)")
    if mode is False and not trace.rng_kept:
        _fail(
            contract,
            "в режиме eval модель не должна брать случайные числа из глобального генератора",
        )
    if contract.reference is not None:
        ref_args, ref_kwargs = saved.again()
        expected = contract.reference(*ref_args, **ref_kwargs)
        if not same(
            _data(contract, seen.result), _data(contract, expected), contract.rtol, contract.atol
        ):
            _fail(contract, "неверный результат на одном из размеров входа")
        if contract.result_data is None and not _holds_modules(func, args, kwargs):
            _check_result_graph(contract, seen.result, expected)
    if contract.returns_logits:
        _check_logits(contract, seen.result)
    if contract.effect is not None:
        mine_args, mine_kwargs = saved.again()
        contract.effect(*mine_args, **mine_kwargs)
        if not (
            same(seen.args, tuple(mine_args), 0.0, contract.atol, strict=True)
            and same(seen.kwargs, mine_kwargs, 0.0, contract.atol, strict=True)
        ):
            _fail(contract, "аргументы после вызова не такие, как требует задание")
    elif contract.pure and not (
        same(seen.args, args, 0.0, 0.0, strict=True)
        and same(seen.kwargs, kwargs, 0.0, 0.0, strict=True)
    ):
        _fail(contract, "функция не должна изменять свои аргументы")

    if contract.requires_grad_inputs and contract.effect is None:
        _check_requires_grad_inputs(func, contract, saved, seen.result)
    if contract.rows_independent:
        _check_rows(func, contract, saved, seen.result)
    if contract.repeatable and contract.seed is None:
        again_args, again_kwargs = saved.again()
        again = func(*again_args, **again_kwargs)
        if not same(_data(contract, again), _data(contract, seen.result), 0.0, 0.0):
            _fail(contract, "два вызова с одинаковыми входами дают разные результаты")
    if contract.seed is not None:
        _check_seed(func, contract, saved)
    for dtype in contract.dtypes:
        _check_dtype(func, contract, saved, dtype)
    if contract.grads:
        _check_grads(func, contract, saved, gen)
    if contract.grads_reach:
        _check_grads_reach(func, contract, saved, gen)
    for position in contract.modules:
        _check_modes(func, contract, saved, position)
    if contract.runs_in_eval:
        _check_run_mode(func, contract, saved, contract.runs_in_eval, training=False)
    if contract.runs_in_train:
        _check_run_mode(func, contract, saved, contract.runs_in_train, training=True)
    if contract.train_only:
        _check_run_mode(func, contract, saved, contract.train_only, training=True, only=True)
    for position in contract.same_runs:
        _check_same_runs(func, contract, saved, position)
    if contract.param_grads:
        learned |= _parameters_learning(func, saved, gen)
    if contract.param_grads_exact:
        _check_param_grads_exact(func, contract, saved, gen)
    if contract.result_training is not None:
        module = _first_tensor_or_self(seen.result)
        if bool(module.training) is not contract.result_training:
            mode = "train()" if contract.result_training else "eval()"
            _fail(contract, f"возвращаемая модель должна быть в режиме {mode}")


def _check_defaults(func: Any, contract: Contract, gen: Any, size: tuple[Any, ...]) -> None:
    """Each keyword argument with a default in the reference's signature, left out of the
    call: the student's function answers as the reference does with its default."""
    import inspect

    saved = _SavedInputs(contract, gen, gen.get_state(), size)
    _, kwargs = saved.again()
    try:
        parameters = inspect.signature(contract.reference).parameters
    except (TypeError, ValueError):  # a builtin without a signature: nothing to compare
        return
    for name in kwargs:
        parameter = parameters.get(name)
        if parameter is None or parameter.default is inspect.Parameter.empty:
            continue
        args, kwargs = saved.again()
        del kwargs[name]
        got = _data(contract, func(*args, **kwargs))
        ref_args, ref_kwargs = saved.again()
        del ref_kwargs[name]
        expected = _data(contract, contract.reference(*ref_args, **ref_kwargs))
        if not same(got, expected, contract.rtol, contract.atol):
            _fail(contract, f"значение по умолчанию аргумента {name} не такое, как в задании")


def _check_pure_in_train(func: Any, contract: Contract, gen: Any, size: tuple[Any, ...]) -> None:
    """The module called in train mode on fresh inputs: its arguments stay as they were.
    The mode it was in is restored whatever the call does."""
    args, kwargs = contract.inputs(gen, *size)
    was_training = bool(func.training)
    func.train()
    try:
        seen = observe_call(func, *args, **kwargs)
    finally:
        func.train(was_training)
    if not (
        same(seen.args, args, 0.0, 0.0, strict=True)
        and same(seen.kwargs, kwargs, 0.0, 0.0, strict=True)
    ):
        _fail(contract, "в режиме train() модель не должна изменять свои аргументы")


def _first_tensor_or_self(value: Any) -> Any:
    return value[0] if isinstance(value, tuple | list) and value else value


def _requiring_grad(value: Any) -> tuple[Any, bool]:
    """A copy with every floating tensor a leaf that requires grad; whether there was one."""
    import torch

    if isinstance(value, torch.Tensor) and value.is_floating_point():
        return value.detach().clone().requires_grad_(True), True
    if isinstance(value, tuple | list):
        items = [_requiring_grad(v) for v in value]
        return type(value)(i for i, _ in items), any(f for _, f in items)
    if isinstance(value, dict):
        items = {k: _requiring_grad(v) for k, v in value.items()}
        return {k: i for k, (i, _) in items.items()}, any(f for _, f in items.values())
    return value, False


def _check_requires_grad_inputs(
    func: Any, contract: Contract, saved: _SavedInputs, plain: Any
) -> None:
    args, kwargs = saved.again()
    chosen = contract.requires_grad_inputs
    if chosen is True:
        (args, kwargs), any_float = _requiring_grad((args, kwargs))
    else:
        args, kwargs, any_float = list(args), dict(kwargs), False
        for key in chosen:
            holder = args if isinstance(key, int) else kwargs
            holder[key], flag = _requiring_grad(holder[key])
            any_float = any_float or flag
        args = tuple(args)
    if not any_float:
        return
    seen = observe_call(func, *args, **kwargs)
    comparable = contract.repeatable or contract.result_data is not None  # else a new object
    if comparable and not same(
        _data(contract, seen.result), _data(contract, plain), contract.rtol, contract.atol
    ):
        _fail(contract, "результат другой, если вход требует градиента (requires_grad=True)")
    if not (
        same(seen.args, tuple(args), 0.0, 0.0, strict=True)
        and same(seen.kwargs, kwargs, 0.0, 0.0, strict=True)
    ):
        _fail(
            contract, "функция не должна менять тензоры вызывающего и их .grad (requires_grad=True)"
        )


def _check_rows(func: Any, contract: Contract, saved: _SavedInputs, whole: Any) -> None:
    import torch

    args, kwargs = saved.again()
    rows = next(a.shape[0] for a in args if isinstance(a, torch.Tensor))
    pieces = []
    for i in range(rows):
        one = [
            a[i : i + 1] if isinstance(a, torch.Tensor) and a.dim() and a.shape[0] == rows else a
            for a in args
        ]
        pieces.append(_first_tensor(func(*one, **kwargs)))
    expected = _first_tensor(whole)
    if not same(torch.cat(pieces), expected, max(contract.rtol, 1e-4), max(contract.atol, 1e-5)):
        _fail(
            contract,
            "результат для примера зависит от других примеров батча (проверьте и батч из одного)",
        )


def _data(contract: Contract, value: Any) -> Any:
    return value if contract.result_data is None else contract.result_data(value)


def _check_seed(func: Any, contract: Contract, saved: _SavedInputs) -> None:
    args, kwargs = saved.again()
    base = kwargs.get(contract.seed, 0)
    first = _data(contract, func(*args, **{**kwargs, contract.seed: base}))
    args, kwargs = saved.again()
    second = _data(contract, func(*args, **{**kwargs, contract.seed: base}))
    if not same(first, second, 0.0, 0.0):
        _fail(contract, "один и тот же seed должен давать один и тот же результат")
    args, kwargs = saved.again()
    other = _data(contract, func(*args, **{**kwargs, contract.seed: base + 1}))
    if same(first, other, 0.0, 0.0):
        _fail(contract, "другой seed должен давать другой результат")


def _cast(value: Any, dtype: Any) -> Any:
    import torch

    if isinstance(value, torch.Tensor) and value.is_floating_point():
        return value.detach().to(dtype).requires_grad_(value.requires_grad)
    if isinstance(value, tuple | list):
        return type(value)(_cast(v, dtype) for v in value)
    if isinstance(value, dict):
        return {k: _cast(v, dtype) for k, v in value.items()}
    return value


def _floating_results(value: Any) -> list[Any]:
    import torch

    if isinstance(value, torch.Tensor):
        return [value] if value.is_floating_point() else []
    if isinstance(value, tuple | list):
        return [t for v in value for t in _floating_results(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _floating_results(v)]
    return []


def _check_dtype(func: Any, contract: Contract, saved: _SavedInputs, dtype: Any) -> None:
    args, kwargs = saved.again()
    result = _data(contract, func(*_cast(args, dtype), **_cast(kwargs, dtype)))
    if any(t.dtype != dtype for t in _floating_results(result)):
        _fail(contract, "тип результата должен совпадать с типом входа")
    if contract.reference is not None:
        args, kwargs = saved.again()
        expected = _data(contract, contract.reference(*_cast(args, dtype), **_cast(kwargs, dtype)))
        if str(dtype) == "torch.float64":  # float64 kept means float64 precision kept
            rtol, atol = min(contract.rtol, FLOAT64_TOL), min(contract.atol, FLOAT64_TOL)
        elif str(dtype) in ("torch.float32", "torch.float16", "torch.bfloat16"):
            rtol, atol = max(contract.rtol, 1e-4), max(contract.atol, 1e-4)
        else:
            rtol, atol = contract.rtol, contract.atol
        if not same(result, expected, rtol, atol):
            _fail(contract, "неверный результат для другого типа входа")


def _with_grad(args: tuple, kwargs: dict, wanted: tuple[int | str, ...]) -> list[Any]:
    leaves = []
    for key in wanted:
        tensor = args[key] if isinstance(key, int) else kwargs[key]
        tensor.requires_grad_(True)
        leaves.append(tensor)
    return leaves


def _check_grads(func: Any, contract: Contract, saved: _SavedInputs, gen: Any) -> None:
    import torch

    if contract.reference is None:
        raise ValueError("a gradient rule needs the reference")
    args, kwargs = saved.again()
    _with_grad(args, kwargs, contract.grads)
    expected_out = contract.reference(*args, **kwargs)
    output = _first_tensor(expected_out)
    cotangent = torch.randn(output.shape, generator=gen, dtype=output.dtype)
    if isinstance(expected_out, tuple | list):
        # a direction for every output of the reference's that keeps a graph: a second
        # output (attention's weights) cut off from the graph shows too
        cotangent = tuple(
            torch.randn(o.shape, generator=gen, dtype=o.dtype)
            if isinstance(o, torch.Tensor) and o.requires_grad
            else None
            for o in expected_out
        )

    mine_args, mine_kwargs = saved.again()
    mine = _with_grad(mine_args, mine_kwargs, contract.grads)
    vjp_call(contract.reference, cotangent, *mine_args, **mine_kwargs)
    theirs_args, theirs_kwargs = saved.again()
    theirs = _with_grad(theirs_args, theirs_kwargs, contract.grads)
    vjp_call(func, cotangent, *theirs_args, **theirs_kwargs)
    for expected, got in zip(mine, theirs, strict=True):
        if got.grad is None:
            _fail(contract, "градиент не доходит до входа (граф разорван: detach, .data, no_grad?)")
        if not same(got.grad, expected.grad, max(contract.rtol, 1e-4), max(contract.atol, 1e-5)):
            _fail(contract, "градиент по входу неверен (часть вычисления выпала из графа?)")


def _holds_modules(func: Any, args: tuple, kwargs: dict) -> bool:
    """Whether the function is a module or takes one: its parameters may put a graph in the
    result that a reference computed another way has not."""
    return any(_is_module(v) for v in (func, *args, *kwargs.values()))


def _is_module(value: Any) -> bool:
    """A module, or a proxy of the student's one."""
    return callable(getattr(value, "parameters", None))


def _check_result_graph(contract: Contract, result: Any, expected: Any) -> None:
    """For a plain function of tensors, the result's tensors require grad exactly where the
    reference's do: one that keeps a graph the reference has not (create_graph, a leaf made
    inside) or one cut off from the graph (detach, .data, no_grad) shows even where the
    values agree."""
    mine, theirs = _floating_results(expected), _floating_results(result)
    for want, got in zip(mine, theirs, strict=False):
        if got.requires_grad and not want.requires_grad:
            _fail(contract, "результат не должен тянуть за собой граф вычислений (detach?)")
        if want.requires_grad and not got.requires_grad:
            _fail(contract, "результат оторван от графа вычислений (detach, .data, no_grad?)")


def _check_grads_reach(func: Any, contract: Contract, saved: _SavedInputs, gen: Any) -> None:
    """For a random function (no reference): a random cotangent from the result gives each
    named input a finite gradient that is not zero everywhere."""
    import torch

    args, kwargs = saved.again()
    output = _first_tensor(func(*args, **kwargs))
    cotangent = torch.randn(output.shape, generator=gen, dtype=output.dtype)
    args, kwargs = saved.again()
    leaves = _with_grad(args, kwargs, contract.grads_reach)
    vjp_call(func, cotangent, *args, **kwargs)
    for leaf in leaves:
        grad = leaf.grad
        if grad is None or not bool(grad.any()):
            _fail(contract, "градиент не доходит до входа (граф разорван: detach, .data, no_grad?)")
        if not bool(torch.isfinite(grad).all()):
            _fail(contract, "градиент по входу не конечен (inf/nan)")


def _parameters_learning(func: Any, saved: _SavedInputs, gen: Any) -> set[int]:
    """Which parameters a random cotangent from the output reaches on these inputs (a size
    may leave some at zero by itself: one source token gives attention nothing to learn)."""
    import torch

    args, kwargs = saved.again()
    output = _first_tensor(func(*args, **kwargs))
    cotangent = torch.randn(output.shape, generator=gen, dtype=output.dtype)
    func.zero_grad(set_to_none=True)
    args, kwargs = saved.again()
    vjp_call(func, cotangent, *args, **kwargs)
    reached = {
        i
        for i, p in enumerate(func.parameters())
        if p.requires_grad and p.grad is not None and bool(p.grad.any())
    }
    func.zero_grad(set_to_none=True)
    return reached


def _check_param_grads_exact(func: Any, contract: Contract, saved: _SavedInputs, gen: Any) -> None:
    """For a module in a deterministic mode: along a random direction through all its
    parameters, the gradient autograd gives equals the central difference of
    <cotangent, output>, in float64. A term cut off from the graph (a detached state or
    query, `.data`) makes them differ even where every parameter still gets some gradient."""
    import torch

    original = {k: v.detach().clone() for k, v in func.state_dict().items()}
    dtype = next((str(v.dtype) for v in original.values() if v.is_floating_point()), None)
    if dtype not in _DTYPE_METHODS:
        return
    try:
        func.double()
        state = {k: v.double() if v.is_floating_point() else v for k, v in original.items()}
        args, kwargs = saved.again()
        args, kwargs = _cast(args, torch.float64), _cast(kwargs, torch.float64)
        output = _first_tensor(func(*args, **kwargs))
        cotangent = torch.randn(output.shape, generator=gen, dtype=torch.float64)
        func.zero_grad(set_to_none=True)
        vjp_call(func, cotangent, *args, **kwargs)
        grads = {
            name: (None if p.grad is None else p.grad.detach().clone())
            for name, p in func.named_parameters()
            if p.requires_grad
        }
        func.zero_grad(set_to_none=True)
        # one random direction through all parameters at once: a wrong gradient anywhere
        # moves the sum (it would vanish only for a direction of measure zero)
        eps = 1e-6
        direction = {
            name: torch.randn(state[name].shape, generator=gen, dtype=torch.float64)
            for name in grads
        }
        # a unit step through all of them: a ReLU or a max crossed within eps is unlikely
        norm = math.sqrt(sum(float((d * d).sum()) for d in direction.values())) or 1.0
        direction = {name: d / norm for name, d in direction.items()}
        sides = []
        for sign in (1.0, -1.0):
            moved = {
                k: v + sign * eps * direction[k] if k in direction else v for k, v in state.items()
            }
            func.load_state_dict(moved)
            out = _first_tensor(func(*args, **kwargs))
            sides.append(float((out.detach().double() * cotangent).sum()))
        numeric = (sides[0] - sides[1]) / (2 * eps)
        analytic = sum(
            0.0 if grad is None else float((grad * direction[name]).sum())
            for name, grad in grads.items()
        )
        if not math.isclose(analytic, numeric, rel_tol=1e-5, abs_tol=1e-7):
            _fail(
                contract,
                "градиенты параметров не совпадают с производной (часть графа оторвана:"
                " detach, .data?)",
            )
    finally:  # as it came: its dtype (by method name: a dtype does not cross to the worker)
        getattr(func, _DTYPE_METHODS[dtype])()
        func.load_state_dict(original)


_DTYPE_METHODS = {
    "torch.float16": "half",
    "torch.bfloat16": "bfloat16",
    "torch.float32": "float",
    "torch.float64": "double",
}


def _check_logits(contract: Contract, result: Any) -> None:
    import torch

    out = _first_tensor(result).detach()
    if out.numel() == 0 or out.shape[-1] < 2:
        raise ValueError("logits are compared over a last axis of at least two classes")
    sums = out.sum(dim=-1)
    if bool(((out >= 0) & (out <= 1)).all()) and torch.allclose(
        sums, torch.ones_like(sums), atol=1e-4
    ):
        _fail(contract, "модель должна возвращать логиты, а не вероятности (без softmax на выходе)")


def _first_tensor(value: Any) -> Any:
    import torch

    output = value[0] if isinstance(value, tuple | list) and value else value
    if not isinstance(output, torch.Tensor):
        raise ValueError("a gradient rule needs a tensor result (or a tuple starting with one)")
    return output


def _check_modes(func: Any, contract: Contract, saved: _SavedInputs, position: int) -> None:
    for training in (True, False):
        args, kwargs = saved.again()
        module = args[position]
        module.train(training)
        func(*args, **kwargs)
        if bool(module.training) is not training:
            _fail(contract, "режим модели (train/eval) после вызова должен остаться прежним")


def _check_run_mode(
    func: Any,
    contract: Contract,
    saved: _SavedInputs,
    positions: tuple[int, ...],
    training: bool,
    only: bool = False,
) -> None:
    """The models at `positions`, handed over in the other mode, run in `training` mode during
    the call: every layer that runs, for eval (and for train with `only`); some run, for
    train (a copy the function runs instead is its own business)."""
    args, kwargs = saved.again()
    for position in positions:
        args[position].train(not training)
    _, trace = traced_call(func, positions, *args, **kwargs)
    for position in positions:
        seen = trace.modes[position]
        if not training and True in seen:
            _fail(contract, "модель должна работать в режиме eval() (model.eval()) во время вызова")
        if training and seen and True not in seen:
            _fail(contract, "модель нужно обучать в режиме train() (model.train() перед обучением)")
        if training and only and False in seen:
            _fail(
                contract,
                "во время обучения модель не переводят в eval(): все шаги в режиме train()",
            )


def _wraps_proxies(func: Any, args: tuple, kwargs: dict) -> bool:
    """`func` is a trusted callable whose arguments hold proxies (a wrapper in the test)."""
    if hasattr(type(func), "__traced_call__"):
        return False
    return any(hasattr(type(v), "__traced_call__") for v in (*args, *kwargs.values()))


def _check_follows(func: Any, contract: Contract, gen: Any) -> None:
    if contract.reference is None:
        raise ValueError("the follows rule needs the reference")
    states = []
    for size in contract.sizes:
        states.append((gen.get_state(), tuple(size)))
        contract.inputs(gen, *size)
    for (first, size), (second, next_size) in zip(states, states[1:], strict=False):
        for key in contract.follows:

            def mix(first=first, size=size, second=second, next_size=next_size, key=key):
                args, kwargs = _SavedInputs(contract, gen, first, size).again()
                other, other_kwargs = _SavedInputs(contract, gen, second, next_size).again()
                args = list(args)
                if isinstance(key, int):
                    args[key] = other[key]
                elif key in kwargs and key in other_kwargs:
                    kwargs[key] = other_kwargs[key]
                else:
                    return None
                return tuple(args), kwargs

            if mix() is None:
                continue
            try:
                ref_args, ref_kwargs = mix()
                expected = contract.reference(*ref_args, **ref_kwargs)
            except Exception:  # a mix the task does not allow (a vocabulary without <bos>)
                continue
            args, kwargs = _SavedInputs(contract, gen, first, size).again()
            func(*args, **kwargs)  # what a cache would keep
            mixed_args, mixed_kwargs = mix()
            if not same(
                _data(contract, func(*mixed_args, **mixed_kwargs)),
                _data(contract, expected),
                contract.rtol,
                contract.atol,
            ):
                _fail(contract, "результат должен зависеть от всех аргументов вызова (кэш?)")


def _check_same_runs(func: Any, contract: Contract, saved: _SavedInputs, position: int) -> None:
    counts = []
    for call in (func, contract.reference):
        args, kwargs = saved.again()
        counter = run_counter(args[position])
        try:
            call(*args, **kwargs)
            counts.append(counter.counts())
        finally:
            counter.close()
    if counts[0] != counts[1]:
        _fail(contract, "модель вызывается не так, как предписано (лишние или пропущенные шаги)")


def same(a: Any, b: Any, rtol: float, atol: float, strict: bool = False) -> bool:
    """Equal data: tensors and arrays by shape, dtype and values (NaN equal to NaN), with
    `requires_grad` and `.grad` too when `strict`; numbers within tolerance; containers
    item by item; anything else (a proxy) only as the very same object."""
    import numpy as np
    import torch

    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
            return False
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if strict:
            if a.requires_grad != b.requires_grad:
                return False
            ga = a.grad if a.is_leaf else None
            gb = b.grad if b.is_leaf else None
            if (ga is None) != (gb is None) or (ga is not None and not same(ga, gb, rtol, atol)):
                return False
        x, y = a.detach(), b.detach()
        if not (x.is_floating_point() or x.is_complex()):
            return bool(torch.equal(x, y))
        return bool(torch.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        if a.dtype.kind in "fc":
            return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
        return bool(np.array_equal(a, b))
    if isinstance(a, bool | str | bytes | type(None)) or isinstance(
        b, bool | str | bytes | type(None)
    ):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(
            same(x, y, rtol, atol, strict) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], rtol, atol, strict) for k in a)
    return a is b
