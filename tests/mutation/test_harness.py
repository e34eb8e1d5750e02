"""The mutation harness on a tiny homework: how mutants are built, graded and checked."""

from __future__ import annotations

import textwrap

import pytest

from mutation.harness import (
    KINDS,
    Mutant,
    apply_mutant,
    catalogue_problems,
    execute,
    grade,
    lost_points,
    uncontracted,
)

CELLS = [
    "import math\n\ndef area(r):\n    return math.pi * r**2\n\ndef double(x):\n    return 2 * x",
    "def twice_area(r):\n    return double(area(r))",
    "table = [area(r) for r in (1, 2)]",
]
TESTS = {
    "q1": """
        from otter.test_files import test_case

        OK_FORMAT = False
        name = "q1"
        points = 2

        @test_case(points=1)
        def test_area(area):
            import math
            assert abs(area(2) - 4 * math.pi) < 1e-12

        @test_case(points=1, hidden=True)
        def test_twice(twice_area):
            assert abs(twice_area(1) - 6.283185307179586) < 1e-12
    """,
    "q2": """
        from otter.test_files import test_case

        OK_FORMAT = False
        name = "q2"
        points = 1

        @test_case(points=1, hidden=True)
        def test_table(table):
            assert len(table) == 2 and table[1] > table[0]
    """,
}


def mutant(target, edits, question="q1", rerun=()):
    return Mutant("m", question, "one line", "formula", target, tuple(edits), tuple(rerun))


@pytest.fixture
def tests_dir(tmp_path):
    for name, source in TESTS.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
    return tmp_path


@pytest.fixture
def reference():
    run = execute(CELLS)
    assert run.errors == []
    return run.namespace


def test_reference_loses_nothing(tests_dir, reference):
    assert lost_points(grade(tests_dir, reference)) == {}


def test_a_mutated_definition_reaches_the_functions_that_call_it(tests_dir, reference):
    run = apply_mutant(mutant("double", [("2 * x", "3 * x")]), CELLS, reference)
    assert lost_points(grade(tests_dir, run.namespace)) == {"q1": 1.0}
    assert reference["double"](1) == 2, "the reference namespace is left as it was"


def test_results_of_answer_cells_are_reused_unless_rerun(tests_dir, reference):
    wrong_area = mutant("area", [("math.pi * r**2", "-r")])
    reused = apply_mutant(wrong_area, CELLS, reference)
    assert reused.namespace["table"] == reference["table"]
    rerun = apply_mutant(
        mutant("area", [("math.pi * r**2", "-r")], rerun=("table =",)), CELLS, reference
    )
    assert lost_points(grade(tests_dir, rerun.namespace, questions={"q2"})) == {"q2": 1.0}


def test_an_answer_cell_can_be_the_target(tests_dir, reference):
    run = apply_mutant(mutant("table =", [("(1, 2)", "(2, 1)")], "q2"), CELLS, reference)
    assert lost_points(grade(tests_dir, run.namespace)) == {"q2": 1.0}


def test_a_mutant_that_no_longer_applies_is_an_error(reference):
    with pytest.raises(KeyError, match="snippet not found"):
        apply_mutant(mutant("double", [("4 * x", "5 * x")]), CELLS, reference)
    with pytest.raises(KeyError, match="names no definition"):
        apply_mutant(mutant("no_such_thing", [("a", "b")]), CELLS, reference)
    with pytest.raises(KeyError, match="no cell contains"):
        apply_mutant(mutant("double", [("2 * x", "3 * x")], rerun=("nope",)), CELLS, reference)


def test_catalogue_problems_name_what_is_missing_or_wrong():
    good = [
        Mutant(f"m{i}", "q1", "a mistake", kind, "area", (("r", "r"),))
        for i, kind in enumerate(KINDS)
    ]
    assert catalogue_problems(good, ["q1"]) == []
    bad = [
        good[0],
        good[0],
        Mutant("x", "q9", "two\nlines", "nonsense", "area", ()),
    ]
    problems = catalogue_problems(bad, ["q1", "q2"], per_question=2)
    assert problems == [
        "duplicate mutant name m0",
        "x: unknown question q9",
        "x: unknown kind nonsense",
        "x: the description must be one line",
        "x: no edits",
        "q2: 0 mutants, at least 2 wanted",
    ]


CONTRACTED = """
    from otter.test_files import test_case

    OK_FORMAT = False
    name = "q1"
    points = 2

    @test_case(points=1)
    def test_public(area, double):
        assert area(1) > 3

    @test_case(points=1, hidden=True)
    def test_area_contract(area, double):
        from autograder.grading.contracts import check_contract
        check_contract(area, None)
"""


GRADED_CELLS = [
    "def area(r):\n    # BEGIN SOLUTION\n    return 3.14 * r**2\n    # END SOLUTION\n\n"
    "def double(x):\n    # BEGIN SOLUTION\n    return 2 * x\n    # END SOLUTION\n\n"
    "def given(x):\n    return x",
]


def test_a_graded_function_without_a_declared_contract_is_named(tmp_path):
    (tmp_path / "q1.py").write_text(
        textwrap.dedent(CONTRACTED.replace("area, double", "area, double, given"))
    )
    assert uncontracted(tmp_path, GRADED_CELLS) == ["q1: double"], "a given helper needs none"
    (tmp_path / "q1.py").write_text(textwrap.dedent(CONTRACTED))
    both = CONTRACTED.replace(
        "check_contract(area, None)",
        "check_contract(area, None)\n        twin = double\n        check_contract(twin, None)",
    )
    (tmp_path / "q1.py").write_text(textwrap.dedent(both))
    assert uncontracted(tmp_path, GRADED_CELLS) == []
    public_only = CONTRACTED.replace("hidden=True", "hidden=False")
    (tmp_path / "q1.py").write_text(textwrap.dedent(public_only))
    assert sorted(uncontracted(tmp_path, GRADED_CELLS)) == ["q1: area", "q1: double"]
