"""Proxies against a live worker: what is forwarded, what comes back, what is refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import numpy as np
import pytest
import torch
from conftest import running_worker

from autograder.grading.bundle import write_bundle_json
from autograder.grading.proxy import (
    Proxy,
    StudentError,
    StudentNamespace,
    WorkerLost,
    isolated_call,
    observe_call,
    traced_call,
)

NOTEBOOK = '''
import numpy as np
import torch

class Counter:
    """A plain object with state, methods and container behaviour."""
    def __init__(self):
        self.count = 0
        self.items = {"a": 1}
    def bump(self, by=1):
        self.count += by
        return self.count
    def __len__(self):
        return 3
    def __getitem__(self, key):
        return self.items[key]
    def __setitem__(self, key, value):
        self.items[key] = value

def gen(n):
    for i in range(n):
        yield i * i

class Custom(Exception):
    pass

def fail(kind):
    raise {"value": ValueError, "key": KeyError, "custom": Custom}[kind]("boom")

class HalfFloat(float):
    def __eq__(self, other):
        return True
    __hash__ = float.__hash__

def scale_in_place(t, by=2.0):
    t.mul_(by)
    return "done"

def square_norm_backward(w):
    (w * w).sum().backward()
    return float(w.grad.sum())

def append_to(items, value):
    items.append(value)

def keep(obj):
    return None

def reshape_and_fill(t, d, a):
    t.resize_(4)
    t.fill_(7.0)
    d["new"] = [1]
    del d["old"]
    a[0, 0] = -1.0
    return None

def touch_nothing(t, items, big):
    return float(t.sum()) + len(items) + big.shape[0]

def mark(model_and_data):
    model_and_data[1].add_(1.0)
    return None

counter = Counter()
model = torch.nn.Linear(2, 1)
numbers = [1, 2.5, "три", None, (4, 5)]
weird = HalfFloat(0.5)
array = np.arange(6, dtype=np.float32).reshape(2, 3)
'''


@contextmanager
def worker_for(source: str, root: Path) -> Iterator[StudentNamespace]:
    """A live worker that ran a one-cell notebook, seen as the notebook's namespace."""
    (root / "bundle" / "tests").mkdir(parents=True)
    (root / "bundle" / "tests" / "q1.py").write_text("name = 'q1'\n")
    bundle = write_bundle_json(
        root / "bundle", assignment="hw00", notebook="x.ipynb", max_points=1, questions={"q1": 1}
    )
    notebook = root / "student.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, notebook)
    with running_worker(bundle, notebook) as client:
        yield StudentNamespace(client)


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    with worker_for(NOTEBOOK, tmp_path_factory.mktemp("proxy")) as namespace:
        yield namespace


def test_data_comes_back_as_exact_trusted_types(worker):
    assert worker["numbers"] == [1, 2.5, "три", None, (4, 5)]
    assert type(worker["weird"]) is float and worker["weird"] != 1.0
    array = worker["array"]
    assert type(array) is np.ndarray and array.dtype == np.float32 and array[1, 2] == 5


def test_objects_come_back_as_proxies_that_forward(worker):
    counter = worker["counter"]
    assert type(counter) is Proxy
    assert counter.bump(by=2) == 2 and counter.count == 2
    counter.count = 10
    assert counter.bump() == 11
    assert len(counter) == 3 and counter["a"] == 1
    counter["b"] = [1, 2]
    assert counter.items == {"a": 1, "b": [1, 2]}


def test_iteration_is_forwarded(worker):
    assert list(worker["gen"](4)) == [0, 1, 4, 9]
    assert [p.shape for p in worker["model"].parameters()] == [(1, 2), (1,)]


def test_tensors_and_parameters_arrive_as_plain_tensors(worker):
    model = worker["model"]
    out = model(torch.ones(3, 2))
    assert type(out) is torch.Tensor and out.shape == (3, 1)
    weight = model.weight
    assert type(weight) is torch.Tensor and weight.requires_grad


def test_proxies_refuse_comparison_truth_and_hashing(worker):
    counter = worker["counter"]
    for attempt in (
        lambda: counter == counter,
        lambda: counter != 1,
        lambda: counter < 1,
        lambda: bool(counter),
        lambda: hash(counter),
        lambda: {counter},
    ):
        with pytest.raises(TypeError, match="cannot be compared"):
            attempt()


def test_dunder_attributes_are_never_asked_of_the_worker(worker):
    with pytest.raises(AttributeError):
        worker["counter"].__array_interface__  # noqa: B018
    with pytest.raises(TypeError):
        np.asarray(worker["model"]) + 1


def test_trusted_objects_cannot_be_sent_to_the_student(worker):
    with pytest.raises(TypeError, match="only data"):
        worker["counter"].bump(by=object())
    with pytest.raises(TypeError, match="only data"):
        worker["model"](torch.nn.Linear(1, 1))


def test_student_exceptions_arrive_as_their_builtin_type(worker):
    with pytest.raises(ValueError, match="boom") as caught:
        worker["fail"]("value")
    assert isinstance(caught.value, StudentError)
    with pytest.raises(KeyError):
        worker["fail"]("key")
    with pytest.raises(StudentError) as custom:
        worker["fail"]("custom")
    assert custom.value.type_name == "Custom"
    with pytest.raises(AttributeError):
        worker["counter"].no_such_attribute  # noqa: B018


def test_missing_names_are_none_and_remembered(worker):
    assert worker.get("nothing_here") is None
    assert "nothing_here" in worker.missing


def test_a_call_past_the_deadline_loses_the_worker_for_good(tmp_path):
    with worker_for("def spin():\n    while True:\n        pass", tmp_path) as namespace:
        spin = namespace["spin"]
        namespace.client.deadline = time.monotonic() + 0.5
        with pytest.raises(WorkerLost) as lost:
            try:
                spin()
            except Exception:  # a test cannot swallow it
                pytest.fail("WorkerLost was caught by `except Exception`")
        assert lost.value.kind == "timeout"
        namespace.client.deadline = None
        with pytest.raises(WorkerLost):
            namespace.client.get("spin")


def test_a_call_leaves_the_callers_data_as_a_plain_python_call_would(worker):
    x = torch.ones(2, 3)
    assert worker["scale_in_place"](x, by=3.0) == "done"
    assert torch.equal(x, torch.full((2, 3), 3.0)), "the input changed in place, here too"
    items = [1, 2]
    worker["append_to"](items, 5)
    assert items == [1, 2, 5]
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    assert worker["square_norm_backward"](w) == -2.0
    assert torch.equal(w.grad, torch.tensor([2.0, -4.0])), "the gradient accumulates on w"
    t, d, a = torch.zeros(2), {"old": 1}, np.zeros((2, 2))
    worker["reshape_and_fill"](t, d=d, a=a)
    assert torch.equal(t, torch.full((4,), 7.0)) and d == {"new": [1]} and a[0, 0] == -1.0
    pair = [worker["model"], torch.zeros(2)]
    worker["mark"](pair)
    assert type(pair[0]) is Proxy and torch.equal(pair[1], torch.ones(2))


def test_an_isolated_call_leaves_the_callers_data_alone(worker):
    x, items = torch.ones(2, 3), [1, 2]
    assert isolated_call(worker["scale_in_place"], x, by=3.0) == "done"
    isolated_call(worker["append_to"], items, 5)
    assert torch.equal(x, torch.ones(2, 3)) and items == [1, 2]


def test_only_the_arguments_a_call_changed_come_back(worker, monkeypatch):
    from autograder.grading import proxy

    written = []
    monkeypatch.setattr(proxy, "write_back", lambda target, after: written.append(after))
    big = torch.zeros(1000, 100)
    assert worker["touch_nothing"](torch.ones(3), [1, 2], big) == 1005.0
    assert written == []
    worker["append_to"]([1], 2)
    assert written == [[1, 2]]


def test_observed_call_sends_back_arguments_as_the_call_left_them(worker):
    x = torch.ones(2, 3)
    seen = observe_call(worker["scale_in_place"], x, by=3.0)
    assert seen.result == "done"
    assert type(seen.args[0]) is torch.Tensor and torch.equal(seen.args[0], torch.full((2, 3), 3.0))
    assert seen.kwargs == {"by": 3.0}
    assert torch.equal(x, torch.ones(2, 3)), "the caller's tensor is never touched"
    items = [1, 2]
    assert observe_call(worker["append_to"], items, 5).args == ([1, 2, 5], 5)
    assert items == [1, 2]


def test_observed_call_shows_gradients_accumulated_on_an_argument(worker):
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    seen = observe_call(worker["square_norm_backward"], w)
    assert seen.result == -2.0
    assert torch.equal(seen.args[0].grad, torch.tensor([2.0, -4.0]))
    assert w.grad is None


def test_observed_call_keeps_the_students_objects_as_proxies(worker):
    seen = observe_call(worker["keep"], worker["model"])
    assert seen.result is None and type(seen.args[0]) is Proxy
    assert seen.args[0].weight.shape == (1, 2)


def test_observed_call_in_process_copies_data_like_the_wire():
    def scale(t, by):
        t.mul_(by)
        return t.sum().item()

    x = torch.ones(3, requires_grad=False)
    seen = observe_call(scale, x, by=2.0)
    assert seen.result == 6.0 and torch.equal(seen.args[0], torch.full((3,), 2.0))
    assert torch.equal(x, torch.ones(3))


LYING_SERVER = """
import gc
import sys

# the worker's own request server: a module when forked from the warm pool (whose objects
# gc.freeze() hides from gc), else __main__, which IPython has replaced in sys.modules
server = getattr(sys.modules.get("autograder.grading.worker"), "ObjectServer", None) or next(
    o for o in gc.get_objects() if isinstance(o, type) and o.__name__ == "ObjectServer"
)
honest_reply = server.value_reply

def lying_reply(self, value, as_handle=False):
    if type(value) is tuple and len(value) == 3:  # the answer to a call: claim argument 5
        return honest_reply(self, (value[0], ((5, 1.0),), ()))
    if type(value) is tuple and len(value) == 4:  # traced: flags that are not flags
        return honest_reply(self, (*value[:3], (True, True, ((0, ("eval",)),))))
    return honest_reply(self, value, as_handle)

server.value_reply = lying_reply

def noop(x):
    return 1
"""


def test_a_worker_that_sends_back_malformed_arguments_is_refused(tmp_path):
    with worker_for(LYING_SERVER, tmp_path) as namespace:
        assert isolated_call(namespace["noop"], torch.ones(2)) == 1
        with pytest.raises(TypeError, match="malformed"):
            namespace["noop"](torch.ones(2))
        with pytest.raises(TypeError, match="malformed trace"):
            traced_call(namespace["noop"], (0,), torch.ones(2))
