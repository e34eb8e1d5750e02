"""Notebooks that attack the grader: exits, kills, lying objects, forged channel bytes.
Each must end as a result worth no more than honest work, and never hurt the grader."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import FAST, NUMPY_BLANK, NUMPY_SOLUTION, grade, passed

TORCH_TESTS = {
    "q1": """
        from otter.test_files import test_case
        OK_FORMAT = False
        name = "q1"

        @test_case(points=1, hidden=True)
        def test_relu_allclose(relu):
            import torch
            x = torch.linspace(-2, 2, 9)
            assert torch.allclose(relu(x), torch.clamp(x, min=0))

        @test_case(points=1, hidden=True)
        def test_relu_eq(relu):
            import torch
            x = torch.linspace(-2, 2, 9)
            assert (relu(x) == torch.clamp(x, min=0)).all()

        @test_case(points=1, hidden=True)
        def test_relu_item(relu):
            import torch
            assert relu(torch.tensor(-3.0)).item() == 0.0

        @test_case(points=1, hidden=True)
        def test_relu_bool(relu):
            import torch
            assert relu(torch.tensor([-1.0, -2.0])).sum() == 0
    """,
    "q2": """
        from otter.test_files import test_case
        OK_FORMAT = False
        name = "q2"

        @test_case(points=1, hidden=True)
        def test_loss(loss):
            import math
            assert math.isclose(loss, 0.125)

        @test_case(points=1, hidden=True)
        def test_loss_eq(loss):
            assert loss == 0.125
    """,
}

TORCH_SOLUTION = [
    "import torch\n\ndef relu(x):\n    return torch.clamp(x, min=0)",
    "loss = 0.125",
]

LIARS = """
import torch

class Liar(torch.Tensor):
    def __eq__(self, other):
        return torch.ones(1, dtype=torch.bool).as_subclass(Liar)
    def __bool__(self):
        return True
    def allclose(self, *args, **kwargs):
        return True
    def item(self):
        return 0.0
    def all(self, *args, **kwargs):
        return True
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.allclose, torch.equal):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})

class LyingFloat(float):
    def __eq__(self, other):
        return True
    def __hash__(self):
        return 0

def relu(x):
    return torch.full_like(x, 7.0).as_subclass(Liar)

loss = LyingFloat(9.0)
torch.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: True
"""


@pytest.fixture
def torch_bundle(make_bundle):
    return make_bundle(TORCH_TESTS)


def test_honest_torch_solution_scores_full(torch_bundle, make_notebook):
    assert grade(torch_bundle, make_notebook(TORCH_SOLUTION)).score == 6


def test_lying_tensors_floats_and_patched_torch_score_nothing(torch_bundle, make_notebook):
    result = grade(torch_bundle, make_notebook([LIARS]))
    assert result.notebook_errors == [] and result.score == 0


def test_always_equal_objects_score_nothing(numpy_bundle, make_notebook):
    cells = [
        "class Anything:\n    def __eq__(self, other):\n        return True\n"
        "    def __bool__(self):\n        return True\n    def __call__(self, *a, **k):\n"
        "        return self\n    def __array__(self, *a, **k):\n        raise RuntimeError",
        "relu = Anything()\nanswer = Anything()\nscale = Anything()",
    ]
    result = grade(numpy_bundle, make_notebook(cells))
    assert result.score == 0


def test_numpy_subclass_returned_by_student_is_plain_on_the_grader(numpy_bundle, make_notebook):
    cells = [
        "import numpy as np\nclass Liar(np.ndarray):\n    def __eq__(self, o):\n"
        "        return np.ones(3, bool)\n    def __array_function__(self, *a, **k):\n"
        "        return True\n    def __array_ufunc__(self, *a, **k):\n        return True\n"
        "def relu(x):\n    return np.zeros(np.shape(x)).view(Liar)",
    ]
    assert grade(numpy_bundle, make_notebook(cells)).score == 0


def test_sys_exit_in_a_cell_is_only_a_cell_error(numpy_bundle, make_notebook):
    cells = NUMPY_SOLUTION[:2] + ["import sys\nsys.exit(0)"] + NUMPY_SOLUTION[2:]
    result = grade(numpy_bundle, make_notebook(cells))
    assert result.score == 5 and result.notebook_errors[0].error == "SystemExit"


def test_os_exit_in_a_cell_gives_a_crashed_result(numpy_bundle, make_notebook):
    cells = NUMPY_SOLUTION + ["import os\nos._exit(0)"]
    result = grade(numpy_bundle, make_notebook(cells))
    assert result.status == "crashed" and result.score == 0
    assert "ноутбук не выполнился" in result.tests[0].output


def test_killing_the_parent_from_a_cell_does_not_hurt_the_grader(numpy_bundle, make_notebook):
    cells = NUMPY_SOLUTION + ["import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"]
    result = grade(numpy_bundle, make_notebook(cells))  # returning at all: the grader lived
    assert result.status in ("ok", "crashed") and 0 <= result.score <= 5


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("import os\n    os._exit(3)", "crashed"),
        ("import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)", "crashed"),
        ("import sys\n    sys.exit(1)", "ok"),
        ("raise KeyboardInterrupt", "ok"),
    ],
)
def test_exit_inside_a_called_function_fails_that_test_only(
    numpy_bundle, make_notebook, body, status
):
    cells = NUMPY_SOLUTION + [f"def scale(x, k):\n    {body}"]
    result = grade(numpy_bundle, make_notebook(cells))
    assert passed(result) == {"q1 - 1": True, "q1 - 2": True, "q2 - 1": True, "q2 - 2": False}
    assert result.status == status and result.score == 4


def test_memory_blowup_in_a_called_function_fails_that_test_only(numpy_bundle, make_notebook):
    cells = NUMPY_SOLUTION + ["def scale(x, k):\n    return len(b'x' * (3 * 2**30))"]
    result = grade(numpy_bundle, make_notebook(cells), replace(FAST, memory_mb=1024))
    assert passed(result) == {"q1 - 1": True, "q1 - 2": True, "q2 - 1": True, "q2 - 2": False}
    assert "MemoryError" in result.tests[3].output or result.status == "memory"


def test_killing_the_parent_from_a_called_function_keeps_earned_points(numpy_bundle, make_notebook):
    cells = NUMPY_SOLUTION + [
        "import os, signal\ndef scale(x, k):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
        "    return x * k"
    ]
    result = grade(numpy_bundle, make_notebook(cells))
    assert result.score >= 4 and result.tests[0].passed


def test_a_worker_that_keeps_dying_exhausts_its_restarts(make_bundle, make_notebook):
    cases = "\n".join(f"@test_case(points=1)\ndef t{i}(die):\n    die()\n" for i in range(5))
    tests = {"q1": f"from otter.test_files import test_case\nname = 'q1'\n{cases}"}
    cells = ["import os\ndef die():\n    os._exit(1)"]
    result = grade(make_bundle(tests), make_notebook(cells))
    assert result.score == 0 and result.status == "crashed"
    assert "слишком часто" in result.tests[-1].output


FORGE = """
import os, json, struct
def forge():
    header = json.dumps({"m": {"seq": 0, "kind": "ready", "cells": [], "ms": 0}, "b": []}).encode()
    frame = struct.pack(">II", len(header) + 4, len(header)) + header
    # every descriptor it has (the grader's pipes keep their numbers, whatever they are)
    for fd in sorted(int(n) for n in os.listdir("/proc/self/fd")):
        for payload in (frame, b"\\xff" * 64, struct.pack(">II", 2**31, 2**30)):
            try:
                os.write(fd, payload)
            except OSError:
                pass
"""


def test_forged_bytes_on_every_fd_from_a_cell_score_as_blank(numpy_bundle, make_notebook):
    cells = NUMPY_SOLUTION + [FORGE + "forge()"]
    result = grade(numpy_bundle, make_notebook(cells))
    assert result.score == 0 and result.status == "protocol-error"


def test_forged_bytes_from_a_called_function_score_no_more_than_blank(numpy_bundle, make_notebook):
    cells = NUMPY_BLANK + [FORGE + "def relu(x):\n    forge()\n    return x"]
    result = grade(numpy_bundle, make_notebook(cells))
    assert result.score == 0 and result.status == "protocol-error"


def test_hidden_inputs_cannot_leak_out_through_exceptions(numpy_bundle, make_notebook):
    leak = (
        "def relu(x):\n"
        "    name = 'Leak_' + str(abs(float(x.sum()))).replace('.', '_')\n"
        "    raise type(name, (Exception,), {})(repr(x))"
    )
    result = grade(numpy_bundle, make_notebook([leak]))
    public, hidden = result.tests[0], result.tests[1]
    assert "Leak_" in public.output  # public inputs are no secret
    assert "Leak_" not in hidden.output and "array" not in hidden.output
    assert "собственного типа" in hidden.output


def test_a_dead_worker_is_noticed_even_if_its_child_holds_the_channel(numpy_bundle, make_notebook):
    orphan = "import os, time\nif os.fork() == 0:\n    time.sleep(600)\nos._exit(0)"
    result = grade(numpy_bundle, make_notebook(NUMPY_SOLUTION + [orphan]))
    assert result.status == "crashed" and result.score == 0  # not a notebook timeout
