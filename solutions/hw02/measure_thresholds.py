"""Measures the quality thresholds of hw02's hidden tests on the reference and on the best
wrong methods, over 5 training seeds, on one torch thread (as the grader runs):

    PYTHONPATH=. python solutions/hw02/measure_thresholds.py [part ...]   # parts: c d2 d3 d4

The reference is the master's own code (its definition cells are executed); the held-out
sets are built with the seeds the hidden tests use. Prints one line per seed and method,
then min / mean / max; the README records the numbers and where each threshold sits.
"""

from __future__ import annotations

import sys
import tempfile
import warnings
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from mutation import harness  # noqa: E402

SEEDS = range(5)


def iou(model, images, masks) -> float:
    with torch.no_grad():
        pred = (model(images) > 0).flatten(1)
    true = (masks > 0.5).flatten(1)
    inter, union = (pred & true).sum(1).float(), (pred | true).sum(1).float()
    return torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union)).mean().item()


def summary(label: str, values: list[float]) -> None:
    print(f"  {label:<36} min {min(values):.3f}  mean {sum(values) / len(values):.3f}  "
          f"max {max(values):.3f}")  # fmt: skip


def reference_namespace() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        assigned = harness.assign("hw02", Path(tmp) / "dist")
        cells = harness.code_cells(assigned.autograder_notebook)
    # the first cell imports and builds the training set, the digits cell defines the
    # classifier helpers; the rest are definitions
    definitions = [cells[0]] + [
        c for c in cells if harness.is_definition_cell(c) or "def train_classifier" in c
    ]
    run = harness.execute(definitions)
    if run.errors:
        raise SystemExit(run.errors[0][1])
    return run.namespace


def part_c(ns: dict) -> dict:
    nn = torch.nn
    make = ns["make_texture_shapes"]
    train_x, train_y = make(1000, seed=0)
    sets = {
        "heldout": make(400, seed=52025),
        "shifted": make(400, seed=52026, noise=0.30, radius=(4.0, 12.0)),
    }
    methods = {
        "unet (reference)": lambda: ns["UNet"](1, 1, 8),
        "local cnn (no downsampling, RF 7)": lambda: nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(32, 32, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(32, 1, 3, padding=1),
        ),  # fmt: skip
        "intensity threshold (1x1 conv)": lambda: nn.Conv2d(1, 1, 1),
    }
    scores: dict = {}
    trained = {}
    for name, build in methods.items():
        for seed in SEEDS:
            torch.manual_seed(seed)
            model = ns["train_segmentation"](build(), train_x, train_y, epochs=10, seed=seed)
            if name.startswith("unet"):
                trained[seed] = model
            for set_name, (x, y) in sets.items():
                scores.setdefault((name, set_name), []).append(iou(model, x, y))
            print(name, seed, {s: round(v[-1], 3) for (n, s), v in scores.items() if n == name})
    for (name, set_name), values in scores.items():
        summary(f"{name} / {set_name}", values)
    return trained


def part_d(ns: dict, trained: dict, parts: set[str]) -> None:
    nn = torch.nn
    make = ns["make_texture_shapes"]
    train_x, train_y = make(1000, seed=0)
    x, y = make(300, seed=52071)
    drops, scratch_drops, q_drops, agree = [], [], [], []
    for seed, unet in trained.items():
        base = iou(unet, x, y)
        if "d2" in parts:
            pruned = ns["prune_unet"](unet, 0.5)
            pruned = ns["train_segmentation"](pruned, train_x, train_y, epochs=6, seed=100 + seed)
            drops.append(base - iou(pruned, x, y))
            torch.manual_seed(seed)
            thin = ns["train_segmentation"](
                ns["UNet"](1, 1, 4), train_x, train_y, epochs=6, seed=seed
            )
            scratch_drops.append(base - iou(thin, x, y))
            print(
                "pruned",
                seed,
                round(drops[-1], 4),
                "thin from scratch",
                round(scratch_drops[-1], 4),
            )
        if "d3" in parts:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                q = ns["quantize_unet"](unet, train_x[:200])
            q_drops.append(base - iou(q, x, y))
            with torch.no_grad():
                agree.append(((q(x) > 0) == (unet(x) > 0)).float().mean().item())
            print("quantized", seed, round(q_drops[-1], 4), round(agree[-1], 4))
    if drops:
        summary("pruned + 6 epochs: IoU drop", drops)
        summary("thin U-Net from scratch, 6 epochs: drop", scratch_drops)
    if q_drops:
        summary("int8: IoU drop", q_drops)
        summary("int8: pixel agreement", agree)
    del nn


def part_d4(ns: dict) -> None:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    nn = torch.nn
    digits = load_digits()
    x_dev, x_test, y_dev, y_test = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.25, random_state=2024, stratify=digits.target
    )
    x_dev, x_test = (torch.tensor(a, dtype=torch.float32) for a in (x_dev, x_test))
    y_dev, y_test = torch.tensor(y_dev), torch.tensor(y_test)
    kd, labels_only = [], []
    for seed in SEEDS:
        torch.manual_seed(seed)
        teacher = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
        teacher = ns["train_classifier"](teacher, x_dev, y_dev, epochs=30, seed=seed)
        student = ns["distill"](ns["make_student"](seed), teacher, x_dev, epochs=40, seed=seed)
        baseline = ns["train_classifier"](
            ns["make_student"](seed), x_dev[:100], y_dev[:100], epochs=40, seed=seed
        )
        kd.append(ns["accuracy"](student, x_test, y_test))
        labels_only.append(ns["accuracy"](baseline, x_test, y_test))
        print("kd", seed, round(kd[-1], 3), "labels only", round(labels_only[-1], 3))
    summary("distilled student: held-out accuracy", kd)
    summary("student on 100 labels: held-out accuracy", labels_only)


if __name__ == "__main__":
    torch.set_num_threads(1)
    wanted = set(sys.argv[1:]) or {"c", "d2", "d3", "d4"}
    namespace = reference_namespace()
    if wanted & {"c", "d2", "d3"}:
        models = part_c(namespace)
        if wanted & {"d2", "d3"}:
            part_d(namespace, models, wanted)
    if "d4" in wanted:
        part_d4(namespace)
