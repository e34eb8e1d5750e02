"""Runs INSIDE the sandbox: executes a submission's code cells, then answers the grader's
requests about the objects they made.

    python -m autograder.grading.worker --cells FILE --fd-in N --fd-out M [--cell-seconds S] ...

Start-up is split in two: `prepare_interpreter()` does the imports, `run_submission()`
executes one notebook. Started cold (`main()`), the child of a fork runs the submission
while the parent only waits and exits with its status, so `os.kill(os.getppid(), ...)`
from student code hits this waiter, not the grader. In the warm pool the zygote
(sandbox/zygote.py) has run `prepare_interpreter()` once, and each fork of it calls
`run_submission()` directly: the namespace's init is its waiter there.

Everything here shares the process with student code, so nothing here is trusted: the
grader checks every frame that comes out (see protocol.py and proxy.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import operator
import os
import signal
import sys
import time
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from autograder.grading.protocol import (
    Handle,
    TooLarge,
    backward_from,
    decode_value,
    encode_value,
    frame_chunks,
    read_frame,
)
from autograder.grading.tracing import RunCounter, tracing

MAX_ERROR_CHARS = 1000  # an exception message in a reply
MAX_TRACEBACK_CHARS = 2000  # a cell's short traceback
OTTER_NOTE = "[автопроверка] grader.{name}() здесь не выполняется: тесты запускает оценщик."


class CellTimeout(BaseException):
    """A cell ran past Limits.cell_seconds (a BaseException so `except Exception` keeps out)."""


# ---------------------------------------------------------------- start-up


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="autograder.grading.worker")
    parser.add_argument("--cells", required=True, help="JSON list of {index, source}")
    parser.add_argument("--fd-in", type=int, required=True, help="requests from the grader")
    parser.add_argument("--fd-out", type=int, required=True, help="replies to the grader")
    parser.add_argument("--cell-seconds", type=float, default=180.0)
    parser.add_argument("--output-kb", type=int, default=64)
    parser.add_argument("--preload", nargs="*", default=[], help="modules to import up front")
    parser.add_argument("--seed", type=int, default=None, help="otter's generate: seed")
    parser.add_argument("--seed-variable", default=None, help="otter's seed_variable")
    return parser.parse_args(argv)


# What creating the shell imports lazily; importing it up front saves each warm fork ~20 ms.
SHELL_MODULES = (
    "IPython.core.application",
    "IPython.core.completer",
    "IPython.core.completerlib",
    "IPython.core.crashhandler",
    "IPython.core.logger",
    "IPython.core.magics",
    "IPython.core.oinspect",
    "IPython.utils.generics",
    "IPython.utils.wildcard",
    "bdb",
    "traitlets.config",
)


def prepare_interpreter(preload: list[str]) -> None:
    """Imports every submission needs (the warm pool's zygote runs this once)."""
    import IPython.core.interactiveshell  # noqa: F401

    for name in SHELL_MODULES:  # an IPython without one of them simply imports less here
        with contextlib.suppress(ImportError):
            __import__(name)
    for name in preload:
        __import__(name)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    prepare_interpreter(args.preload)
    child = os.fork()
    if child == 0:
        status = 1
        try:
            run_submission(args)
            status = 0
        finally:
            os._exit(status)
    for fd in (args.fd_in, args.fd_out):  # so the grader sees EOF when the child dies
        os.close(fd)
    _, status = os.waitpid(child, 0)
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


def run_submission(args: argparse.Namespace) -> None:
    """Execute the cells, report them, then serve requests until the grader hangs up."""
    with open(args.cells, encoding="utf-8") as f:
        cells = json.load(f)
    channel = Channel(args.fd_in, args.fd_out)
    silence_standard_fds()
    sys.modules["otter"] = make_otter_standin()
    shell = make_shell()
    started = time.monotonic()
    seed = seeder(args.seed, args.seed_variable, shell.user_ns)
    reports = []
    for c in cells:
        seed(c["source"])
        reports.append(
            run_cell(shell, c["index"], c["source"], args.cell_seconds, args.output_kb * 1024)
        )
    elapsed_ms = int((time.monotonic() - started) * 1000)
    channel.send({"seq": 0, "kind": "ready", "cells": reports, "ms": elapsed_ms})
    ObjectServer(shell.user_ns, channel).serve()


def silence_standard_fds() -> None:
    """Point fds 0/1/2 at /dev/null: prints and `os.write(1, ...)` never reach the channel."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def make_otter_standin() -> types.ModuleType:
    """A module named `otter` whose Notebook accepts anything and only prints a note, so the
    notebook's init cell and its `grader.check(...)` cells do nothing here."""

    class Notebook:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            return lambda *args, **kwargs: print(OTTER_NOTE.format(name=name))

    module = types.ModuleType("otter", "Stand-in for otter inside the grader's worker.")
    module.Notebook = Notebook  # type: ignore[attr-defined]
    return module


def make_shell() -> Any:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    os.environ.setdefault("IPYTHONDIR", os.path.abspath(".ipython"))
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell(config=config)
    shell.history_manager.outputs = ForgottenOutputs()
    return shell


class ForgottenOutputs(dict):
    """Stand-in for IPython's `history_manager.outputs`. IPython 9 copies every write to
    sys.stdout/stderr and every display() into it, history disabled or not, and never lets
    go: a flood of output would be kept whole (and a million tiny writes cost ~1 GB),
    defeating Limits.output_kb and ending as a memory kill. Here nothing is kept."""

    def __missing__(self, key: Any) -> list:
        return []  # appended to, then dropped

    def __contains__(self, key: object) -> bool:
        return False


# ---------------------------------------------------------------- cells


def seeder(seed: int | None, variable: str | None, namespace: dict) -> Any:
    """What otter's `generate: seed` does before every code cell but `%%` cell magics:
    `variable = seed` in the notebook's namespace when a seed_variable is set, else
    numpy's and random's global seeds."""
    if seed is None:
        return lambda source: None

    def seed_cell(source: str) -> None:
        if source.startswith("%%"):
            return
        if variable is not None:
            namespace[variable] = seed
            return
        import random

        import numpy

        numpy.random.seed(seed)
        random.seed(seed)

    return seed_cell


class BoundedOutput(io.TextIOBase):
    """A text sink that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit: int):
        self.limit, self.parts, self.kept, self.dropped = limit, [], 0, 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        room = self.limit - self.kept
        self.parts.append(text[:room])
        self.kept += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def getvalue(self) -> str:
        text = "".join(self.parts)
        return text + (f"\n… вывод обрезан ({self.dropped} символов)" if self.dropped else "")


@contextmanager
def captured(sink: BoundedOutput) -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = sink
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise CellTimeout after `seconds` (best effort: student code can catch or disarm it)."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise CellTimeout(f"ячейка выполнялась дольше {seconds:g} с")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cell(shell: Any, index: int, source: str, seconds: float, output_chars: int) -> dict:
    """Run one cell; a failing cell is recorded and the notebook goes on."""
    sink = BoundedOutput(output_chars)
    error, tb = None, ""
    started = time.monotonic()
    with captured(sink):
        try:
            with alarm(seconds):
                result = shell.run_cell(source, store_history=False)
                exc = result.error_before_exec or result.error_in_exec
                if exc is not None:
                    error, tb = describe_error(exc)
        except BaseException as exc:  # the alarm fired outside the cell's own code
            error, tb = describe_error(exc)
    return {
        "i": index,
        "error": error,
        "tb": tb,
        "out": sink.getvalue(),
        "ms": int((time.monotonic() - started) * 1000),
    }


def describe_error(exc: BaseException) -> tuple[str, str]:
    """(exception type name, short traceback of the student's frames)."""
    name = type(exc).__name__[:100]
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if "IPython" not in f.filename]
        lines = traceback.format_list(frames[-4:]) + traceback.format_exception_only(exc)
        text = "".join(lines)
    except BaseException:  # a student's __str__ may raise anything
        text = f"{name}: <сообщение недоступно>"
    if len(text) > MAX_TRACEBACK_CHARS:
        text = "…" + text[-MAX_TRACEBACK_CHARS:]
    return name, text


# ---------------------------------------------------------------- serving


class Channel:
    """Blocking frame I/O over the two fds the grader passed in."""

    def __init__(self, fd_in: int, fd_out: int):
        self.fd_in, self.fd_out = fd_in, fd_out
        for fd in (fd_in, fd_out):  # keep them out of `!` subprocesses
            os.set_inheritable(fd, False)

    def read_exact(self, n: int) -> bytes:
        parts, got = [], 0
        while got < n:
            chunk = os.read(self.fd_in, min(n - got, 1 << 20))
            if not chunk:
                raise EOFError
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def send(self, message: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        for chunk in frame_chunks(message, buffers or []):
            view = memoryview(chunk)
            while view:
                view = view[os.write(self.fd_out, view) :]


class ObjectServer:
    """Answers requests about the notebook's objects; objects that are not data stay here
    and are named by handles."""

    def __init__(self, namespace: dict[str, Any], channel: Channel):
        self.namespace, self.channel = namespace, channel
        self.objects: dict[int, Any] = {}
        self.next_id = 1

    def serve(self) -> None:
        while True:
            try:
                message, buffers = read_frame(self.channel.read_exact)
            except EOFError:
                return
            seq = message.get("seq")
            try:
                self.release(message.get("rel") or [])
                reply = self.answer(message, buffers)
            except BaseException as exc:  # student code may raise anything, SystemExit too
                reply = error_reply(exc)
            try:
                self.channel.send({"seq": seq, **reply[0]}, reply[1])
            except TooLarge as exc:
                self.channel.send({"seq": seq, **error_reply(exc)[0]})

    def answer(self, message: dict[str, Any], buffers: list[Any]) -> tuple[dict, list[bytes]]:
        op = message.get("op")
        if op == "get":
            name = message.get("name")
            if not isinstance(name, str) or name not in self.namespace:
                return {"kind": "error", "type": "NameError", "msg": str(name)[:100]}, []
            return self.value_reply(self.namespace[name])
        target = self.objects[message["h"]] if "h" in message else None
        value = decode_value(message["v"], buffers, self.lookup) if "v" in message else None
        if op == "call":
            cotangent = None
            if message.get("vjp") is True:  # (args, kwargs, cotangent): backward after the call
                args, kwargs, cotangent = value
            else:
                args, kwargs = value
            if message.get("sync") is not True:  # isolated: the caller keeps its arguments
                return self.value_reply(target(*args, **kwargs))
            before_args = [fingerprint(a) for a in args]
            before_kwargs = {k: fingerprint(v) for k, v in kwargs.items()}
            # "trace": the call runs from gradients enabled, and the reply says whether it left
            # them so, which train/eval flags the layers of the module arguments at these
            # positions ran in and whether it left those modules as it found them (tracing.py)
            positions = message.get("trace")
            traced = positions is not None
            positions = positions if traced else []
            if not (
                type(positions) is list
                and all(type(i) is int and 0 <= i < len(args) for i in positions)
            ):
                raise ValueError("trace: positions of arguments expected")
            with (
                tracing({i: args[i] for i in positions})
                if traced
                else contextlib.nullcontext() as trace
            ):
                result = target(*args, **kwargs)
            if cotangent is not None:
                backward_from(result, cotangent)
            # as in a plain call, the caller sees what the call did to its data arguments:
            # those whose encoding changed go back with the result
            changed_args = tuple(
                (i, a) for i, a in enumerate(args) if fingerprint(a) != before_args[i]
            )
            changed_kwargs = tuple(
                (k, v) for k, v in kwargs.items() if fingerprint(v) != before_kwargs[k]
            )
            if traced:
                flags = tuple((i, tuple(sorted(trace.modes[i])), trace.kept[i]) for i in positions)
                return self.value_reply(
                    (
                        result,
                        changed_args,
                        changed_kwargs,
                        (trace.grad_enabled, trace.rng_kept, flags),
                    )
                )
            return self.value_reply((result, changed_args, changed_kwargs))
        if op == "iter":
            return self.value_reply(iter(target), as_handle=True)
        if op == "count_runs":  # a counter of the runs of a model's layers (tracing.py)
            return self.value_reply(RunCounter(target), as_handle=True)
        simple = {
            "getattr": lambda: getattr(target, message["name"]),
            "setattr": lambda: setattr(target, message["name"], value),
            "getitem": lambda: target[value],
            "setitem": lambda: operator.setitem(target, *value),
            "next": lambda: next(target),
            "len": lambda: len(target),
            "release": lambda: None,
        }
        if op not in simple:
            raise ValueError(f"unknown request {op!r}")
        return self.value_reply(simple[op]())

    def value_reply(self, value: Any, as_handle: bool = False) -> tuple[dict, list[bytes]]:
        if not as_handle:
            try:
                node, buffers = encode_value(value, self.handle_for)
                return {"kind": "ok", "v": node}, buffers
            except Exception:  # too big (TooLarge) or odd to copy: keep it here instead
                pass
        handle = self.handle_for(value)
        return {"kind": "ok", "v": {"$": "handle", "id": handle.id, "type": handle.type_name}}, []

    def handle_for(self, obj: Any) -> Handle:
        ident, self.next_id = self.next_id, self.next_id + 1
        self.objects[ident] = obj
        return Handle(ident, type(obj).__name__[:100])

    def lookup(self, handle: Handle) -> Any:
        return self.objects[handle.id]

    def release(self, ids: list[Any]) -> None:
        for ident in ids:
            self.objects.pop(ident, None)


def fingerprint(value: Any) -> tuple[Any, list[bytes]] | None:
    """The wire encoding of a value, to tell whether a call changed it. Objects that are not
    data stand as their identity (the caller's handle names the same object anyway)."""
    try:
        node, buffers = encode_value(value, lambda obj: Handle(id(obj)))
    except Exception:  # too large to send back anyway
        return None
    return node, buffers


def error_reply(exc: BaseException) -> tuple[dict[str, Any], list[bytes]]:
    try:
        text = str(exc)[:MAX_ERROR_CHARS]
    except BaseException:
        text = "<сообщение недоступно>"
    return {"kind": "error", "type": type(exc).__name__[:100], "msg": text}, []


if __name__ == "__main__":
    main()
