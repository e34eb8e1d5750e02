"""The numbers hw05's thresholds sit between: the reference solution retrained over 5 seeds,
beside the best wrong methods, measured as the hidden tests measure (held-out digits placed
with the tests' own seeds, a trusted probe and a trusted recall@1).

    PYTHONPATH=. python solutions/hw05/measure_thresholds.py            # this CPU's kernels
    ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 PYTHONPATH=. python solutions/hw05/measure_thresholds.py

Run it on both kernel paths and put every threshold between both paths' worst reference and
best wrong method (README, "Thresholds"). Takes about 8 minutes per path on one thread.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from mutation.harness import assign, code_cells, execute  # noqa: E402

SEEDS = range(5)


def heldout() -> tuple[torch.Tensor, np.ndarray]:
    digits = load_digits()
    held = [
        i
        for i in range(len(digits.target))
        if int(hashlib.md5(f"digit-{i}".encode()).hexdigest(), 16) % 5 == 0
    ]
    return torch.tensor(digits.data[held], dtype=torch.float32) / 16, digits.target[held]


def placed(X: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    n = len(X)
    offsets = torch.randint(0, 5, (n, 2), generator=gen)
    scales = 0.6 + 0.8 * torch.rand(n, generator=gen)
    canvas = 0.1 * torch.randn(n, 1, 12, 12, generator=gen)
    for i in range(n):
        r, c = int(offsets[i, 0]), int(offsets[i, 1])
        canvas[i, 0, r : r + 8, c : c + 8] += scales[i] * X[i].reshape(8, 8)
    return canvas


# ---------------------------------------------------------------- the hidden tests' metrics


def probe(features_of) -> tuple[float, float]:
    """(mean probe accuracy over 4 placements, effective rank), as test_q6 computes them."""
    X, y = heldout()
    gen = torch.Generator().manual_seed(5601)
    accuracies, rank = [], 0.0
    for draw in range(4):
        with torch.no_grad():
            features = features_of(placed(X, gen)).double()
        if draw == 0:
            s = torch.linalg.svdvals(features - features.mean(0))
            p = s / s.sum()
            rank = float(torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum()))
        f = features.numpy()
        f = (f - f.mean(0)) / (f.std(0) + 1e-8)
        rng = np.random.default_rng(5602 + draw)
        chosen = np.concatenate(
            [rng.choice(np.where(y == c)[0], 10, replace=False) for c in range(10)]
        )
        rest = np.setdiff1d(np.arange(len(y)), chosen)
        fitted = LogisticRegression(max_iter=2000).fit(f[chosen], y[chosen])
        accuracies.append(fitted.score(f[rest], y[rest]))
    return float(np.mean(accuracies)), rank


def recall(embed) -> float:
    """recall@1 over 3 placements of the held-out digits, as test_q8 computes it."""
    X, y = heldout()
    y = torch.tensor(y)
    gen = torch.Generator().manual_seed(5801)
    recalls = []
    for _ in range(3):
        with torch.no_grad():
            emb = embed(placed(X, gen)).double()
        d = torch.cdist(emb, emb)
        d.fill_diagonal_(float("inf"))
        recalls.append(float((y[d.argmin(1)] == y).double().mean()))
    return sum(recalls) / len(recalls)


# ---------------------------------------------------------------- the runs


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        hw = assign("hw05", Path(tmp) / "out")
        cells = code_cells(hw.autograder_notebook)
    ns = execute(cells).namespace
    X, y = ns["X_train"], ns["y_train"]
    SimCLR, train_simclr, EmbeddingNet, train_metric = (
        ns["SimCLR"], ns["train_simclr"], ns["EmbeddingNet"], ns["train_metric"],
    )  # fmt: skip

    flat = lambda v: v.flatten(1)  # noqa: E731
    print(f"q6 raw pixels: probe {probe(flat)[0]:.3f}; q8 raw pixels: recall@1 {recall(flat):.3f}")

    def train_placed(model, epochs, batch_size, lr, loss_of):
        """The notebook's procedure with another loss: loss_of(model, index, view)."""
        g = torch.Generator().manual_seed(0)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        model.train()
        for _ in range(epochs):
            perm = torch.randperm(len(X), generator=g)
            for start in range(0, len(X), batch_size):
                index = perm[start : start + batch_size]
                view = ns["place_digits"](X[index], *ns["sample_placement"](len(index), g))
                loss = loss_of(model, index, view)
                opt.zero_grad()
                loss.backward()
                opt.step()
        model.eval()

    def identical_views(model):
        """Both views from one placement: nothing to be invariant to."""
        nt_xent = ns["nt_xent"]
        train_placed(
            model, 60, 64, 2e-3, lambda m, _, v: nt_xent(m.project(v), m.project(v.clone()), 0.3)
        )

    def batch_hard(model):
        loss = ns["batch_hard_triplet_loss"]
        train_placed(model, 30, 128, 1e-3, lambda m, index, v: loss(m(v), y[index], 0.2))

    for seed in SEEDS:
        torch.manual_seed(seed)
        random_model = SimCLR().eval()
        line = [f"seed {seed}: q6 random encoder {probe(random_model)[0]:.3f}"]
        torch.manual_seed(seed)
        simclr = SimCLR()
        train_simclr(simclr, X)
        accuracy, rank = probe(simclr)
        line.append(
            f"reference {accuracy:.3f} (erank {rank:.1f}), its recall@1 {recall(simclr):.3f}"
        )
        for name, kwargs in [("10 epochs", {"epochs": 10}), ("tau 5", {"tau": 5.0})]:
            torch.manual_seed(seed)
            model = SimCLR()
            train_simclr(model, X, **kwargs)
            line.append(f"{name} {probe(model)[0]:.3f}")
        torch.manual_seed(seed)
        model = SimCLR()
        identical_views(model)
        line.append(f"identical views {probe(model)[0]:.3f}")
        print("; ".join(line), flush=True)

        torch.manual_seed(seed)
        net = EmbeddingNet()
        train_metric(net, X, y)
        line = [f"seed {seed}: q8 reference recall@1 {recall(net):.3f}"]
        torch.manual_seed(seed)
        net = EmbeddingNet()
        train_metric(net, X, y, epochs=5)
        line.append(f"5 epochs {recall(net):.3f}")
        torch.manual_seed(seed)
        net = EmbeddingNet()
        batch_hard(net)
        line.append(f"batch-hard {recall(net):.3f}")
        print("; ".join(line), flush=True)


if __name__ == "__main__":
    main()
