"""The numbers hw06's thresholds sit between: the reference solution retrained over 5 seeds
(data and initialisation), beside the baselines and the best wrong methods, measured as the
hidden tests measure (held-out ratings and clicks regenerated from the notebook's own
generators, RMSE and recall@10 computed here).

    PYTHONPATH=. python solutions/hw06/measure_thresholds.py            # this CPU's kernels
    ATEN_CPU_CAPABILITY=avx2 PYTHONPATH=. python solutions/hw06/measure_thresholds.py

Run it on both kernel paths and put every threshold between both paths' worst reference and
best wrong method (README, "Thresholds"). Takes about a minute per path on one thread.
"""

from __future__ import annotations

import ast
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from mutation.harness import assign, code_cells, execute  # noqa: E402

SEEDS = range(5)


def reference() -> tuple[dict, list[str]]:
    """The reference notebook executed once (its functions are the ones measured) and its
    code cells."""
    hw = assign("hw06", Path(tempfile.mkdtemp()) / "out")
    cells = code_cells(hw.autograder_notebook)
    return execute(cells).namespace, cells


def with_heldout(ns: dict, cells: list[str], name: str, train_return: str, heldout_return: str):
    """The notebook's generator `name`, returning the held-out part the hidden tests use
    instead of the training part (the same draws: only the return line differs)."""
    cell = next(c for c in cells if f"def {name}(" in c)
    node = next(n for n in ast.parse(cell).body if isinstance(n, ast.FunctionDef) and n.name == name)
    source = ast.get_source_segment(cell, node)
    if train_return not in source:
        raise SystemExit(f"{name}: the generator's return line changed; update this script")
    scope = dict(ns)
    exec(source.replace(train_return, heldout_return), scope)  # noqa: S102 (our own notebook)
    return scope[name]


def main() -> None:
    torch.set_num_threads(1)
    ns, cells = reference()
    ratings_heldout = with_heldout(
        ns, cells, "make_ratings",
        "return ratings * train, train, ratings * val, val",
        "return ratings * (observed & (part < 0.2)), observed & (part < 0.2)",
    )  # fmt: skip
    clicks_heldout = with_heldout(
        ns, cells, "make_clicks",
        "return counts * (part >= 0.3), counts * ((part >= 0.2) & (part < 0.3))",
        "return counts * (part < 0.2)",
    )  # fmt: skip
    train_explicit, rmse = ns["train_explicit_als"], ns["rmse"]
    train_implicit, recall_at_k = ns["train_implicit_als"], ns["recall_at_k"]
    top_k_unseen, popularity = ns["top_k_unseen"], ns["popularity"]
    print(f"torch {torch.__version__}, {torch.backends.cpu.get_cpu_capability()}")

    explicit: dict[str, list[float]] = {}
    implicit: dict[str, list[float]] = {}
    for seed in SEEDS:
        R, M, _, _ = ns["make_ratings"](seed)
        R_held, M_held = ratings_heldout(seed)
        zeros = {"P": (600, 1), "Q": (400, 1), "user_bias": (600,), "item_bias": (400,)}
        global_mean = {"mu": float(R[M].mean())}
        global_mean.update({k: torch.zeros(shape, dtype=torch.float64) for k, shape in zeros.items()})
        runs = {
            "reference": train_explicit(R, M, seed=seed)[0],
            "global mean": global_mean,
            "biases only (factors=0)": train_explicit(R, M, factors=0, seed=seed)[0],
            "no regularisation (lam=0.01)": train_explicit(R, M, lam=0.01, seed=seed)[0],
            "20 factors, lam=1": train_explicit(R, M, factors=20, lam=1.0, seed=seed)[0],
            "3 iterations": train_explicit(R, M, iterations=3, seed=seed)[0],
        }  # fmt: skip
        for name, model in runs.items():
            explicit.setdefault(name, []).append(rmse(model, R_held, M_held))

        clicks, _ = ns["make_clicks"](seed)
        held = clicks_heldout(seed) > 0
        seen = clicks > 0

        def recall(scores: torch.Tensor) -> float:
            return recall_at_k(top_k_unseen(scores, seen, 10), held, 10)

        def factors(data: torch.Tensor = clicks, **kwargs) -> torch.Tensor:
            X, Y, _ = train_implicit(data, seed=seed, **kwargs)
            return X @ Y.T

        scores = {
            "reference": factors(),
            "popularity": popularity(clicks).expand(600, -1),
            "random": torch.rand(600, 400, generator=torch.Generator().manual_seed(seed), dtype=torch.float64),
            "binary counts (alpha on r > 0)": factors((clicks > 0).double()),
            "one factor": factors(factors=1),
            "2 iterations": factors(iterations=2),
            "no regularisation (lam=1e-6)": factors(lam=1e-6),
            "c = alpha r (alpha=2)": wrong_confidence(clicks, seed),
        }  # fmt: skip
        for name, s in scores.items():
            implicit.setdefault(name, []).append(recall(s))

    print("\nexplicit ALS, held-out RMSE (threshold: <= 0.82)")
    for name, values in explicit.items():
        print(f"  {name:32s} " + " ".join(f"{v:.3f}" for v in values) + f"   range {min(values):.3f}-{max(values):.3f}")
    print("\nimplicit ALS, held-out recall@10 (threshold: >= 0.2)")
    for name, values in implicit.items():
        print(f"  {name:32s} " + " ".join(f"{v:.3f}" for v in values) + f"   range {min(values):.3f}-{max(values):.3f}")


def wrong_confidence(clicks: torch.Tensor, seed: int) -> torch.Tensor:
    """The reference loop (f = 8, lambda = 1, alpha = 2, 10 iterations, the same draws) with
    the `implicit` library's confidence c = alpha r, under which zeros weigh nothing."""
    g = torch.Generator().manual_seed(seed)
    X = 0.01 * torch.randn(600, 8, generator=g, dtype=torch.float64)  # drawn, as the reference
    Y = 0.01 * torch.randn(400, 8, generator=g, dtype=torch.float64)

    def step(R: torch.Tensor, F: torch.Tensor) -> torch.Tensor:
        C = 2.0 * R
        A = torch.einsum("ui,if,ig->ufg", C, F, F) + torch.eye(8, dtype=torch.float64)
        return torch.linalg.solve(A, (C * (R > 0)) @ F)

    for _ in range(10):
        X = step(clicks, Y)
        Y = step(clicks.T, X)
    return X @ Y.T


if __name__ == "__main__":
    main()
