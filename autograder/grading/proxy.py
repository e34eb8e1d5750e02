"""Trusted-side stand-ins for the student's objects, and the channel they talk through.

A `Proxy` names an object that stays in the worker. Calls, attribute reads and writes,
indexing, iteration and len() are forwarded; what comes back is either data (rebuilt by
protocol.py as exact built-in / numpy / torch types) or another Proxy. A Proxy refuses
comparison, truth-testing and hashing, so a test can only judge the student's objects by
the data they produce. A call changes the caller's data arguments as a plain Python call
would (`write_back`), so a test sees in-place effects as the student's own kernel does;
`isolated_call` keeps them apart and `observe_call` shows them on copies.
The worker is hostile: every reply is checked, every wait has a deadline, and anything odd
ends the worker with `WorkerLost`.
"""

from __future__ import annotations

import builtins
import importlib
import os
import select
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from autograder.grading.protocol import (
    Handle,
    ProtocolError,
    TooLarge,
    backward_from,
    decode_value,
    encode_value,
    frame_chunks,
    read_frame,
)
from autograder.grading.tracing import RunCounter, Trace, tracing

MAX_TEXT = 4000  # strings the worker reports about cells and errors

# A test that asks the notebook for one of these names gets the TRUSTED library, whatever the
# notebook bound to the name (otter's docs show `def test_values(np, z)`; the student's numpy
# could have had `allclose` replaced, or `F` could be an object that says yes to everything).
# So does a name the test file itself binds to a module (StudentNamespace's `libraries`).
LIBRARY_ALIASES = {
    "np": "numpy",
    "numpy": "numpy",
    "pd": "pandas",
    "pandas": "pandas",
    "torch": "torch",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "optim": "torch.optim",
    "math": "math",
    "plt": "matplotlib.pyplot",
    "sp": "scipy",
    "scipy": "scipy",
    "stats": "scipy.stats",
    "sklearn": "sklearn",
    "random": "random",
    "statistics": "statistics",
    "itertools": "itertools",
    "collections": "collections",
    "functools": "functools",
    "re": "re",
}
POLL_SLICE_MS = 200  # how often a wait checks that the worker still lives


class WorkerLost(BaseException):
    """The worker cannot be asked anything more: it died, hung, or broke the protocol.
    A BaseException so that a test's `except Exception` cannot swallow it."""

    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind  # "timeout" | "crashed" | "memory" | "protocol"
        self.detail = detail


class StudentError(Exception):
    """Student code raised `type_name` in the worker. For built-in exception types the raised
    error also subclasses that type, so `except ValueError` in a test works."""

    type_name: str = "Exception"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_student_errors: dict[str, type] = {}


def student_error(type_name: str, message: str) -> StudentError:
    """A StudentError for `type_name` (mixing in the built-in type of that name, if any)."""
    builtin = getattr(builtins, type_name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception):
        try:
            if type_name not in _student_errors:
                bases = (StudentError, builtin)
                _student_errors[type_name] = type(f"Student{type_name}", bases, {})
            error = _student_errors[type_name](message)
        except TypeError:  # a built-in that wants other constructor arguments
            error = StudentError(message)
    else:
        error = StudentError(message)
    error.type_name = type_name
    return error


def clean_text(text: str, limit: int) -> str:
    """A worker's text, cut to `limit` and made writable as UTF-8 (no lone surrogates)."""
    return text[:limit].encode("utf-8", "replace").decode("utf-8")


@dataclass(frozen=True)
class CellReport:
    index: int
    error: str | None  # exception type name, None when the cell ran cleanly
    traceback: str
    output: str
    ms: int


class WorkerClient:
    """Requests and replies over the worker's channel, with a deadline on every wait."""

    def __init__(self, process: Any, fd_out: int, fd_in: int):
        self.process = process
        self.fd_out, self.fd_in = fd_out, fd_in  # we write requests to fd_out, read fd_in
        os.set_blocking(fd_out, False)
        self.deadline: float | None = None
        self.seq = 0
        self.lost: WorkerLost | None = None
        self.pending_release: list[int] = []

    # -- lifecycle

    def wait_ready(self, seconds: float, cell_count: int) -> list[CellReport]:
        """Wait for the notebook to finish; returns the per-cell reports."""
        self.deadline = time.monotonic() + seconds
        try:
            message = self._receive()[0]
        finally:
            self.deadline = None
        if set(message) != {"seq", "kind", "cells", "ms"} or message["kind"] != "ready":
            raise self._lose("protocol", "the first message was not 'ready'")
        cells = message.get("cells")
        if not isinstance(cells, list) or len(cells) > cell_count:
            raise self._lose("protocol", "malformed cell reports")
        return [self._cell_report(c) for c in cells]

    def _cell_report(self, raw: Any) -> CellReport:
        fields = {"i": int, "error": (str, type(None)), "tb": str, "out": str, "ms": int}
        if not isinstance(raw, dict) or set(raw) != set(fields):
            raise self._lose("protocol", "malformed cell report")
        if not all(isinstance(raw[k], t) and type(raw[k]) is not bool for k, t in fields.items()):
            raise self._lose("protocol", "malformed cell report")
        error = clean_text(raw["error"], 100) if raw["error"] is not None else None
        tb, out = clean_text(raw["tb"], MAX_TEXT), clean_text(raw["out"], MAX_TEXT)
        return CellReport(raw["i"], error, tb, out, raw["ms"])

    def close(self) -> None:
        """Kill the worker and close the channel (safe to call twice)."""
        if self.lost is None:
            self.lost = WorkerLost("crashed", "the worker was closed")
        self.process.kill_all()
        if self.fd_in >= 0:
            os.close(self.fd_out)
            os.close(self.fd_in)
            self.fd_out = self.fd_in = -1

    # -- requests

    def get(self, name: str) -> tuple[bool, Any]:
        """(found, value) for a top-level name of the notebook."""
        try:
            return True, self.request("get", name=name)
        except StudentError as exc:
            if exc.type_name == "NameError":
                return False, None
            raise

    def request(self, op: str, value: Any = None, **fields: Any) -> Any:
        """Send one request; returns the decoded reply or raises StudentError / WorkerLost."""
        if self.lost is not None:
            raise self.lost
        message: dict[str, Any] = {"seq": self.seq + 1, "op": op, **fields}
        buffers: list[bytes] = []
        if value is not None:
            try:
                message["v"], buffers = encode_value(value, self._handle_of)
            except TooLarge as exc:
                raise ValueError(f"argument too large for the student's code: {exc}") from None
        if self.pending_release:
            message["rel"], self.pending_release = self.pending_release, []
        self.seq += 1
        self._send(message, buffers)
        reply, reply_buffers = self._receive()
        return self._unwrap(reply, reply_buffers)

    def _unwrap(self, reply: dict[str, Any], buffers: list[Any]) -> Any:
        if reply.get("seq") != self.seq:
            raise self._lose("protocol", "reply out of order")
        kind = reply.get("kind")
        if kind == "ok" and set(reply) == {"seq", "kind", "v"}:
            try:
                return decode_value(reply["v"], buffers, self._proxy_for)
            except Exception as exc:  # ProtocolError, or numpy/torch refusing the bytes
                raise self._lose("protocol", str(exc)[:200]) from None
        if kind == "error" and set(reply) == {"seq", "kind", "type", "msg"}:
            type_name, text = reply["type"], reply["msg"]
            if isinstance(type_name, str) and isinstance(text, str):
                raise student_error(clean_text(type_name, 100), clean_text(text, MAX_TEXT))
        raise self._lose("protocol", "malformed reply")

    def _handle_of(self, obj: Any) -> Handle:
        if type(obj) is Proxy and object.__getattribute__(obj, "_client") is self:
            return object.__getattribute__(obj, "_handle")
        raise TypeError(
            f"only data (numbers, strings, containers, arrays, tensors) or the student's own "
            f"objects can be passed to the student's code, not {type(obj).__name__}"
        )

    def _proxy_for(self, handle: Handle) -> Proxy:
        return Proxy(self, handle)

    # -- bytes on the wire

    def _lose(self, kind: str, detail: str) -> WorkerLost:
        if self.lost is None:
            self.lost = WorkerLost(kind, detail)
            self.process.kill_all()
        return self.lost

    def _remaining(self) -> float | None:
        if self.deadline is None:
            return None
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._lose("timeout", "time limit reached")
        return remaining

    def _wait(self, fd: int, event: int) -> bool:
        """Wait (a short slice at most) until `fd` is ready. Between slices, check that the
        worker is alive: a process it forked may hold the channel open after it died."""
        remaining = self._remaining()
        poller = select.poll()
        poller.register(fd, event)
        slice_ms = POLL_SLICE_MS if remaining is None else min(remaining * 1000 + 1, POLL_SLICE_MS)
        if poller.poll(slice_ms):
            return True
        if self.process.poll() is not None:
            raise self._lose(*self._death())
        return False

    def _send(self, message: dict[str, Any], buffers: list[bytes]) -> None:
        for chunk in frame_chunks(message, buffers):
            view = memoryview(chunk)
            while view:
                if not self._wait(self.fd_out, select.POLLOUT):
                    continue
                try:
                    view = view[os.write(self.fd_out, view) :]
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    raise self._lose(*self._death()) from None

    def _read_exact(self, n: int) -> bytes:
        parts, got = [], 0
        while got < n:
            if not self._wait(self.fd_in, select.POLLIN):
                continue
            chunk = os.read(self.fd_in, min(n - got, 1 << 20))
            if not chunk:
                raise self._lose(*self._death())
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def _receive(self) -> tuple[dict[str, Any], list[Any]]:
        if self.lost is not None:
            raise self.lost
        try:
            return read_frame(self._read_exact)
        except ProtocolError as exc:
            raise self._lose("protocol", str(exc)) from None

    def _death(self) -> tuple[str, str]:
        """Why the worker's end of the channel closed: (kind, detail)."""
        try:
            code = self.process.wait(timeout=2)
        except Exception:  # still running (a child of it closed the channel): stop it
            self.process.kill_all()
            code = None
        hit = self.process.limit_hit()
        if hit == "memory":
            return "memory", "memory limit reached"
        return "crashed", f"the worker exited (status {code})"


class Proxy:
    """A student's object that stays in the worker. Data comes back as trusted copies."""

    __slots__ = ("_client", "_handle", "__weakref__")

    def __init__(self, client: WorkerClient, handle: Handle):
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "_handle", handle)

    def _ask(self, op: str, value: Any = None, **fields: Any) -> Any:
        client = object.__getattribute__(self, "_client")
        handle = object.__getattribute__(self, "_handle")
        return client.request(op, value, h=handle.id, **fields)

    def __getattr__(self, name: str) -> Any:
        # Dunders stay local: numpy, torch and copy probe them (e.g. __array_interface__
        # holds a raw pointer) and must never get an answer from the worker.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._ask("setattr", value, name=name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._synced_call(args, kwargs)

    def __vjp_call__(self, cotangent: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
        return self._synced_call(args, kwargs, cotangent)

    def __run_counter__(self) -> Any:
        return self._ask("count_runs")

    def __traced_call__(self, positions: tuple[int, ...], args: tuple, kwargs: dict) -> Any:
        return self._synced_call(args, kwargs, trace=positions)

    def _synced_call(
        self,
        args: tuple,
        kwargs: dict[str, Any],
        cotangent: Any = None,
        trace: tuple[int, ...] | None = None,
    ) -> Any:
        # "sync": the worker replies (result, changed args, changed kwargs), the data
        # arguments the call changed as it left them, each (position or name, value);
        # "vjp": it also backpropagates the cotangent from the result before comparing;
        # "trace": it also replies (gradient mode after, whether the global generator moved,
        # per position the modes those arguments' layers ran in and whether they were kept)
        fields: dict[str, Any] = {"sync": True}
        if trace is not None:
            fields["trace"] = list(trace)
        if cotangent is None:
            reply = self._ask("call", (args, kwargs), **fields)
        else:
            reply = self._ask("call", (args, kwargs, cotangent), vjp=True, **fields)
        if type(reply) is not tuple or len(reply) != (3 if trace is None else 4):
            raise TypeError("the arguments after the call are too large to send back")
        result, changed_args, changed_kwargs = reply[:3]
        if not (
            type(changed_args) is tuple
            and type(changed_kwargs) is tuple
            and all(_pair(c, int) and 0 <= c[0] < len(args) for c in changed_args)
            and all(_pair(c, str) and c[0] in kwargs for c in changed_kwargs)
        ):
            raise TypeError("the worker sent back malformed arguments")
        for index, after in changed_args:
            write_back(args[index], after)
        for name, after in changed_kwargs:
            write_back(kwargs[name], after)
        if trace is not None:
            return result, _trace_reply(reply[3], trace)
        return result

    def __isolated_call__(self, args: tuple, kwargs: dict[str, Any]) -> Any:
        return self._ask("call", (args, kwargs))

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._ask("setitem", (key, value))

    def __len__(self) -> int:
        length = self._ask("len")
        if type(length) is not int or length < 0:
            raise TypeError("len() of the student's object is not a non-negative int")
        return length

    def __iter__(self) -> Iterator[Any]:
        iterator = self._ask("iter")
        if type(iterator) is not Proxy:
            raise TypeError("iter() of the student's object did not give an iterator")
        return iterator

    def __next__(self) -> Any:
        return self._ask("next")

    def _refuse(self, *args: Any) -> Any:
        raise TypeError(
            "a student's object cannot be compared or truth-tested by a test; "
            "compare the data it returns instead"
        )

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __hash__ = _refuse

    def __repr__(self) -> str:
        handle = object.__getattribute__(self, "_handle")
        return f"{OPAQUE_MARK}{handle.id} of type {handle.type_name!r}>"

    def __del__(self) -> None:
        # Release with the next request, never from here: __del__ may run mid-request.
        client = object.__getattribute__(self, "_client")
        client.pending_release.append(object.__getattribute__(self, "_handle").id)


OPAQUE_MARK = "<student object #"  # a Proxy's repr starts so: its text is not the student's


class RemoteType:
    """`type()` of a student's object: only the type NAME the worker reports. It equals a
    class of that name (`type(s) == pd.Series`), so common idioms work, but the worker can
    name its class anything: a claim for the student's convenience, never proof."""

    __slots__ = ("__name__",)

    def __init__(self, name: str):
        object.__setattr__(self, "__name__", name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RemoteType):
            return other.__name__ == self.__name__
        return isinstance(other, type) and other.__name__ == self.__name__

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.__name__)

    def __repr__(self) -> str:
        return f"<class {self.__name__!r} of a student object>"


def type_name_of(obj: Any) -> str | None:
    """The worker's type name for a Proxy, None for anything else."""
    if type(obj) is not Proxy:
        return None
    return object.__getattribute__(obj, "_handle").type_name


def remote_type(*args: Any) -> Any:
    """`type` for tests: a RemoteType for a student's object, the built-in otherwise."""
    if len(args) == 1 and type_name_of(args[0]) is not None:
        return RemoteType(type_name_of(args[0]))
    return type(*args)


def remote_isinstance(obj: Any, classinfo: Any) -> bool:
    """`isinstance` for tests: for a student's object, whether a class in `classinfo` has
    the worker's type name (not its bases: the worker reports only the name)."""
    name = type_name_of(obj)
    if name is None:
        return isinstance(obj, classinfo)
    classes = classinfo if isinstance(classinfo, tuple) else (classinfo,)
    return any(isinstance(c, type) and c.__name__ == name for c in classes)


@dataclass(frozen=True)
class Observed:
    """What `observe_call` saw: the result and the arguments as they were after the call."""

    result: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def observe_call(func: Any, *args: Any, **kwargs: Any) -> Observed:
    """Call `func` on copies of the data arguments and return the copies as the call left
    them (for hidden tests): the caller's own tensors stay as they were, and a test compares
    the two to see an input changed in place or a gradient accumulated on it. A proxy writes
    the call's effects back into the copies; a function run in-process (otter, the mutation
    harness) changes them itself, so a test behaves alike in both places."""
    args, kwargs = copy_data(args), copy_data(kwargs)
    return Observed(func(*args, **kwargs), args, kwargs)


def isolated_call(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call `func` so that nothing it does to its data arguments reaches the caller's."""
    hook = getattr(type(func), "__isolated_call__", None)
    if hook is not None:
        return hook(func, args, kwargs)
    return func(*copy_data(args), **copy_data(kwargs))


def vjp_call(func: Any, cotangent: Any, *args: Any, **kwargs: Any) -> Any:
    """Call `func`, then backpropagate `cotangent` from its result (protocol.backward_from:
    a tensor, or one per element of a tuple result) where the graph lives (in the worker for
    a proxy), so that the caller's tensors that require grad get the .grad the student's
    graph gives them (None where it does not reach). Returns the result."""
    hook = getattr(type(func), "__vjp_call__", None)
    if hook is not None:
        return hook(func, cotangent, args, kwargs)
    result = func(*args, **kwargs)
    backward_from(result, cotangent)
    return result


def traced_call(
    func: Any, positions: tuple[int, ...], *args: Any, **kwargs: Any
) -> tuple[Any, Trace]:
    """Call `func` from gradients enabled and return (result, what the call did that its
    result does not show: a `tracing.Trace`), seen where the model lives (in the worker for
    a proxy): the gradient mode it left, whether it moved the global generator, and for each
    position of a module argument the `training` flags its layers had whenever one of them
    ran (empty: none ran)."""
    hook = getattr(type(func), "__traced_call__", None)
    if hook is not None:
        return hook(func, tuple(positions), args, kwargs)
    with tracing({i: args[i] for i in positions}) as trace:
        result = func(*args, **kwargs)
    return result, trace


def run_counter(module: Any) -> Any:
    """A `tracing.RunCounter` on `module` where the model lives (in the worker for a proxy):
    `.counts()` how many times each of its layers ran since, `.close()` to stop counting."""
    hook = getattr(type(module), "__run_counter__", None)
    if hook is not None:
        return hook(module)
    return RunCounter(module)


def _trace_reply(reply: Any, positions: tuple[int, ...]) -> Trace:
    if not (type(reply) is tuple and len(reply) == 3 and type(reply[0]) is type(reply[1]) is bool):
        raise TypeError("the worker sent back a malformed trace")
    grad_enabled, rng_kept, flags = reply
    if not (
        type(flags) is tuple
        and all(type(row) is tuple and len(row) == 3 for row in flags)
        and [row[0] for row in flags if type(row[0]) is int] == list(positions)
        and all(
            type(f) is tuple and all(type(b) is bool for b in f) and type(kept) is bool
            for _, f, kept in flags
        )
    ):
        raise TypeError("the worker sent back a malformed trace")
    return Trace(
        {i: set(f) for i, f, _ in flags},
        grad_enabled,
        rng_kept,
        {i: kept for i, _, kept in flags},
    )


def _pair(item: Any, key_type: type) -> bool:
    return type(item) is tuple and len(item) == 2 and type(item[0]) is key_type


def write_back(target: Any, after: Any) -> Any:
    """Make the caller's `target` what the call left of the student's copy of it, in place
    where Python would have changed it in place: tensors (values, shape, requires_grad and
    .grad of a leaf), numpy arrays, lists, dicts and what they hold. Returns what the caller
    now holds at that place (`target` itself, or `after` for what cannot change in place)."""
    torch = sys.modules.get("torch")
    numpy = sys.modules.get("numpy")
    if torch is not None and isinstance(target, torch.Tensor) and type(after) is torch.Tensor:
        _tensor_back(torch, target, after)
        return target
    if numpy is not None and type(target) is numpy.ndarray and type(after) is numpy.ndarray:
        if target.shape == after.shape and target.dtype == after.dtype:
            numpy.copyto(target, after)
        return target
    if type(target) is list and type(after) is list:
        target[:] = [
            write_back(target[i], value) if i < len(target) else value
            for i, value in enumerate(after)
        ]
        return target
    if isinstance(target, dict) and type(after) is dict:
        merged = {k: write_back(target[k], v) if k in target else v for k, v in after.items()}
        target.clear()
        target.update(merged)
        return target
    if type(target) is tuple and type(after) is tuple and len(target) == len(after):
        for item, value in zip(target, after, strict=True):
            write_back(item, value)
        return target
    return after


def _tensor_back(torch: Any, target: Any, after: Any) -> None:
    with torch.no_grad():
        same_layout = target.shape == after.shape and target.dtype == after.dtype
        if not (same_layout and torch.equal(target, after)):
            if same_layout:
                target.copy_(after)
            else:  # resized or retyped in place (resize_, set_, .data =)
                target.data = after
    if target.is_leaf:
        if target.requires_grad != after.requires_grad:
            target.requires_grad_(after.requires_grad)
        grad = after.grad
        if grad is None or target.grad is None or not torch.equal(target.grad, grad):
            target.grad = grad


def copy_data(value: Any) -> Any:
    """Data copied as the wire would copy it (tensors keep requires_grad and .grad);
    other objects are passed as they are, like handles."""
    if type(value) in (list, tuple):
        return type(value)(copy_data(v) for v in value)
    if type(value) is dict:
        return {k: copy_data(v) for k, v in value.items()}
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        twin = value.detach().clone().requires_grad_(value.requires_grad)
        if value.is_leaf and value.grad is not None:
            twin.grad = value.grad.detach().clone()
        return twin
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray):
        return value.copy()
    return value


def trusted_module(name: str) -> ModuleType | None:
    """The trusted library a test means by `name` (LIBRARY_ALIASES), or None: then the name
    is the notebook's."""
    module = LIBRARY_ALIASES.get(name)
    if module is None:
        return None
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


class StudentNamespace(Mapping[str, Any]):
    """The notebook's top-level names, fetched lazily, as otter's `global_environment`.
    A name the notebook did not define is None (as in otter) and is remembered in
    `missing` so the result can say so. Library names never come from the notebook: a
    name the test's own file binds to a module (`libraries`) or a conventional alias
    (`trusted_module`) is the grader's module, whatever the notebook bound to it; only
    the names a question asks the student to define are the notebook's, aliases among them
    (`student_aliases`, from the bundle: `stats = [...]` in the reference solution)."""

    def __init__(
        self,
        client: WorkerClient,
        libraries: Mapping[str, ModuleType] | None = None,
        student_aliases: frozenset[str] = frozenset(),
    ):
        self.client = client
        self.libraries = dict(libraries or {})
        self.student_aliases = student_aliases  # aliases the question asks the student to define
        self.missing: list[str] = []
        self.cache: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.cache:
            library = self.libraries.get(name)
            if library is None and name not in self.student_aliases:
                library = trusted_module(name)
            if library is not None:  # never asks the worker
                self.cache[name] = library
                return library
            found, value = self.client.get(name)
            if not found:
                self.missing.append(name)
                raise KeyError(name)
            self.cache[name] = value
        return self.cache[name]

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache)

    def __len__(self) -> int:
        return len(self.cache)
