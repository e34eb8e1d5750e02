"""The numbers hw04's thresholds sit between: the reference solution retrained over 5 seeds,
beside the best wrong methods, measured as the hidden tests measure (held-out digits, the
test's own noise, a trusted PCA-16 space and classifier).

    PYTHONPATH=. python solutions/hw04/measure_thresholds.py            # this CPU's kernels
    ATEN_CPU_CAPABILITY=avx2 PYTHONPATH=. python solutions/hw04/measure_thresholds.py

Run it on both kernel paths and put every threshold between both paths' worst reference and
best wrong method (README, "Thresholds"). Takes about 3 minutes per path on one thread.
"""

from __future__ import annotations

import hashlib
import math
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy import linalg
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from mutation.harness import assign, code_cells, execute  # noqa: E402

SEEDS = range(5)
RING_CENTRES = torch.tensor(
    [[2 * math.cos(2 * math.pi * k / 8), 2 * math.sin(2 * math.pi * k / 8)] for k in range(8)]
)


def heldout_mask() -> np.ndarray:
    n = len(load_digits().target)
    return np.array(
        [int(hashlib.md5(f"digit-{i}".encode()).hexdigest(), 16) % 5 == 0 for i in range(n)]
    )


# ---------------------------------------------------------------- the hidden tests' metrics


def vae_metrics(encode, decode, x: torch.Tensor) -> tuple[float, float]:
    """(NELBO over 8 noise draws, IWAE-100 NLL) in nats per digit, as test_q4 computes them."""
    gen = torch.Generator().manual_seed(4401)
    with torch.no_grad():
        mu, logvar = (t.double() for t in encode(x))
        kl = 0.5 * (mu**2 + logvar.exp() - 1 - logvar).sum(-1)
        nelbos = []
        for _ in range(8):
            z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=gen, dtype=torch.float64)
            rec = F.binary_cross_entropy_with_logits(
                decode(z.float()).double(), x.double(), reduction="none"
            ).sum(-1)
            nelbos.append(float((rec + kl).mean()))
        z = mu + torch.exp(0.5 * logvar) * torch.randn(100, *mu.shape, generator=gen, dtype=torch.float64)
        logits = decode(z.float()).double()
        log_px = -F.binary_cross_entropy_with_logits(
            logits, x.double().expand_as(logits), reduction="none"
        ).sum(-1)
        log_pz = -0.5 * (z**2 + math.log(2 * math.pi)).sum(-1)
        log_qz = -0.5 * ((z - mu) ** 2 / logvar.exp() + logvar + math.log(2 * math.pi)).sum(-1)
        iwae = float(-(torch.logsumexp(log_px + log_pz - log_qz, 0) - math.log(100)).mean())
    return sum(nelbos) / len(nelbos), iwae


def ring_metrics(G, z_dim: int) -> tuple[float, int]:
    """(quality, modes with >= 2% of 5000 samples), as test_q7 computes them."""
    with torch.no_grad():
        samples = G(torch.randn(5000, z_dim, generator=torch.Generator().manual_seed(4701)))
    distance, mode = torch.cdist(samples.float(), RING_CENTRES).min(dim=1)
    good = distance < 0.15
    share = torch.bincount(mode[good], minlength=8).float() / len(samples)
    return float(good.float().mean()), int((share >= 0.02).sum())


class DigitsJudge:
    """test_q8's trusted space: PCA-16 and a logistic regression on all digits in [-1, 1]."""

    def __init__(self):
        digits = load_digits()
        self.real = digits.data / 8.0 - 1.0
        self.held = heldout_mask()
        self.pca = PCA(16, random_state=0).fit(self.real)
        self.features = self.pca.transform(self.real)
        self.classifier = LogisticRegression(max_iter=3000).fit(self.features, digits.target)

    def __call__(self, G) -> tuple[float, int, float, float]:
        """(FD, classes with >= 3%, mean confidence, copy ratio) of 2000 samples."""
        z = torch.randn(2000, 16, generator=torch.Generator().manual_seed(4801))
        with torch.no_grad():
            fake = G(z).double().numpy()
        f = self.pca.transform(fake)
        m1, s1 = f.mean(0), np.cov(f, rowvar=False)
        m2, s2 = self.features.mean(0), np.cov(self.features, rowvar=False)
        fd = float(((m1 - m2) ** 2).sum() + np.trace(s1 + s2 - 2 * linalg.sqrtm(s1 @ s2).real))
        proba = self.classifier.predict_proba(f)
        share = np.bincount(proba.argmax(1), minlength=10) / len(fake)
        train = torch.tensor(self.real[~self.held])
        near_fake = torch.cdist(torch.tensor(fake[:1000]), train).min(1).values.median()
        near_held = torch.cdist(torch.tensor(self.real[self.held]), train).min(1).values.median()
        ratio = float(near_fake) / float(near_held)
        return fd, int((share >= 0.03).sum()), float(proba.max(1).mean()), ratio


# ---------------------------------------------------------------- the study


def fmt(values: list[float]) -> str:
    return f"min {min(values):7.3f}  max {max(values):7.3f}  " + " ".join(
        f"{v:.3f}" for v in values
    )


def main() -> None:
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, kernels {torch.backends.cpu.get_cpu_capability()}")
    with tempfile.TemporaryDirectory() as tmp:
        cells = code_cells(assign("hw04", Path(tmp) / "dist").autograder_notebook)
    ns = execute(cells).namespace
    x_held = (torch.tensor(load_digits().data[heldout_mask()], dtype=torch.float32) > 7).float()
    judge = DigitsJudge()

    rows: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        rows.setdefault(name, []).append(value)

    for seed in SEEDS:
        torch.manual_seed(100 + seed)
        vae = ns["VAE"]()
        ns["train_vae"](vae, ns["X_bin"], seed=seed)
        nelbo, iwae = vae_metrics(vae.encode, vae.decode, x_held)
        add("VAE reference: held-out NELBO", nelbo)
        add("VAE reference: held-out IWAE-100", iwae)
        torch.manual_seed(100 + seed)
        short = ns["VAE"]()
        ns["train_vae"](short, ns["X_bin"], epochs=2, seed=seed)
        add("VAE wrong: 2 epochs, NELBO", vae_metrics(short.encode, short.decode, x_held)[0])

        torch.manual_seed(100 + seed)
        G, D = ns["make_mlp"]([2, 256, 256, 2]), ns["make_mlp"]([2, 256, 256, 1])
        ring = ns["sample_ring"](4096, seed=seed + 1)
        ns["train_gan"](G, D, ring, steps=3000, z_dim=2, batch_size=256, lr=5e-4, seed=seed)
        quality, modes = ring_metrics(G, 2)
        add("ring reference: quality", quality)
        add("ring reference: modes >= 2%", modes)
        torch.manual_seed(100 + seed)
        G, D = ns["make_mlp"]([2, 256, 256, 2]), ns["make_mlp"]([2, 256, 256, 1])
        ns["train_gan"](G, D, ring, steps=300, z_dim=2, batch_size=256, lr=5e-4, seed=seed)
        quality, modes = ring_metrics(G, 2)
        add("ring wrong: 300 steps, quality", quality)
        add("ring wrong: 300 steps, modes", modes)

        torch.manual_seed(100 + seed)
        G = ns["make_mlp"]([16, 128, 256, 64], torch.nn.Tanh())
        D = ns["make_mlp"]([64, 256, 128, 1])
        ns["train_gan"](G, D, ns["X_gan"], steps=3000, z_dim=16, seed=seed)
        for name, value in zip(("FD", "classes >= 3%", "confidence", "copy ratio"), judge(G)):
            add(f"digits reference: {name}", value)

    # wrong methods that do not depend on a seed
    x_bin = ns["X_bin"]
    p = x_bin.mean(0).clamp(1e-3, 1 - 1e-3)
    baseline = float(-(x_held * p.log() + (1 - x_held) * (1 - p).log()).sum(-1).mean())
    add("VAE wrong: no latent (pixel means), NLL", baseline)
    X_gan = ns["X_gan"]

    def memorizer(noise: float):
        def G(z):
            index = (z[:, 0].abs() * 7919 + z[:, 1].abs() * 104729).long() % len(X_gan)
            return (X_gan[index] + noise * torch.tanh(z[:, 2:3] * z[:, 3:4])).clamp(-1, 1)

        return G

    for noise in (0.0, 0.15, 0.5):
        fd, classes, confidence, ratio = judge(memorizer(noise))
        add(f"digits wrong: memorizer + {noise} noise, FD", fd)
        add(f"digits wrong: memorizer + {noise} noise, copy ratio", ratio)
    three = X_gan[ns["y_train"] == 3].mean(0)
    mix = torch.nn.Linear(16, 64)
    fd, classes, confidence, _ = judge(lambda z: (three + 0.2 * torch.tanh(mix(z))).clamp(-1, 1))
    add("digits wrong: one class, FD", fd)
    add("digits wrong: one class, classes >= 3%", classes)
    for name, values in rows.items():
        print(f"{name:<48} {fmt(values)}")


if __name__ == "__main__":
    main()
