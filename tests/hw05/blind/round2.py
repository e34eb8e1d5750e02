"""hw05 blind round 2: 40 mistakes written by a helper that read only the kit (the task,
the reference cells, the mutant format, round 1's names), graded before any test changed."""

from mutation.harness import Mutant

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="pca_vh_read_as_v",
        question="q1",
        description="svd's Vh treated as V: components taken as rows of vt.T (columns of Vh)",
        kind="formula",
        target="pca",
        edits=(("vt[:k]", "vt.T[:k]"),),
    ),
    Mutant(
        name="pca_standardizes_features",
        question="q1",
        description="data standardized (divided by per-pixel std) before the SVD: PCA of the correlation matrix",
        kind="formula",
        target="pca",
        edits=(("X - mean", "(X - mean) / (X.std(0) + 1e-8)"),),
    ),
    Mutant(
        name="subspace_cosines_qr_of_rows_untransposed",
        question="q1",
        description="QR taken of A and B themselves instead of A.T and B.T: columns (not rows) orthonormalized",
        kind="formula",
        target="subspace_cosines",
        edits=(("qr(A.T)", "qr(A)"), ("qr(B.T)", "qr(B)")),
    ),
    Mutant(
        name="subspace_cosines_normalizes_rows_in_place",
        question="q1",
        description="rows of A and B normalized with /= before the QR: the caller's matrices are changed",
        kind="in_place",
        target="subspace_cosines",
        edits=(
            (
                "qa = torch.linalg.qr(A.T).Q",
                "A /= A.norm(dim=1, keepdim=True)\n    B /= B.norm(dim=1, keepdim=True)\n    qa = torch.linalg.qr(A.T).Q",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="ae_loss_summed_over_objects",
        question="q2",
        description="loss summed over objects and features (.sum()) instead of summed over features and averaged over objects",
        kind="formula",
        target="train_linear_ae",
        edits=(("((model(X) - X) ** 2).sum(-1).mean()", "((model(X) - X) ** 2).sum()"),),
    ),
    Mutant(
        name="ae_history_logged_after_step",
        question="q2",
        description="history records the loss recomputed after optimizer.step() instead of the loss before the step",
        kind="loop",
        target="train_linear_ae",
        edits=(
            (
                "history.append(loss.item())",
                "with torch.no_grad():\n            history.append(((model(X) - X) ** 2).sum(-1).mean().item())",
            ),
        ),
    ),
    Mutant(
        name="ae_lr_argument_ignored",
        question="q2",
        description="Adam built with a hard-coded lr=1e-2 whatever lr is passed",
        kind="loop",
        target="train_linear_ae",
        edits=(("lr=lr", "lr=1e-2"),),
    ),
    Mutant(
        name="ae_steps_range_starts_at_one",
        question="q2",
        description="loop over range(1, steps): one step fewer and a history of length steps - 1",
        kind="loop",
        target="train_linear_ae",
        edits=(("range(steps)", "range(1, steps)"),),
    ),
    Mutant(
        name="ae_recenters_X_in_place",
        question="q2",
        description="train_linear_ae 'makes sure' X is centered with X -= X.mean(0), changing the caller's tensor",
        kind="in_place",
        target="train_linear_ae",
        edits=(
            (
                "optimizer = torch.optim.Adam",
                "X -= X.mean(0)\n    optimizer = torch.optim.Adam",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="nt_xent_raw_dot_products",
        question="q3",
        description="rows not normalized: raw dot products used instead of cosine similarities",
        kind="formula",
        target="nt_xent",
        edits=(("F.normalize(torch.cat([z1, z2]), dim=-1)", "torch.cat([z1, z2])"),),
    ),
    Mutant(
        name="nt_xent_normalizes_columns",
        question="q3",
        description="F.normalize over dim=0 (feature columns over the batch) instead of over each row",
        kind="formula",
        target="nt_xent",
        edits=(("dim=-1", "dim=0"),),
    ),
    Mutant(
        name="nt_xent_multiplies_by_tau",
        question="q3",
        description="similarities multiplied by the temperature instead of divided by it",
        kind="formula",
        target="nt_xent",
        edits=(("(z @ z.T) / tau", "(z @ z.T) * tau"),),
    ),
    Mutant(
        name="nt_xent_tau_applied_to_each_vector",
        question="q3",
        description="normalized vectors divided by tau before the product: similarities scaled by 1/tau**2",
        kind="formula",
        target="nt_xent",
        edits=(
            (
                "F.normalize(torch.cat([z1, z2]), dim=-1)",
                "F.normalize(torch.cat([z1, z2]), dim=-1) / tau",
            ),
            ("(z @ z.T) / tau", "z @ z.T"),
        ),
    ),
    Mutant(
        name="nt_xent_positive_excluded_from_denominator",
        question="q3",
        description="denominator sums over the 2B-2 negatives only (positive left out), as if 'negatives' were the whole sum",
        kind="formula",
        target="nt_xent",
        edits=(
            (
                "return F.cross_entropy(sim, target)",
                "positive = sim[torch.arange(2 * n), target]\n"
                '    negatives = sim.masked_fill(F.one_hot(target, 2 * n).bool(), float("-inf"))\n'
                "    return (torch.logsumexp(negatives, dim=1) - positive).mean()",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="place_digits_digit_transposed",
        question="q4",
        description="8x8 digit transposed after reshape (pixels read column by column)",
        kind="formula",
        target="place_digits",
        edits=(("x.reshape(-1, 8, 8)", "x.reshape(-1, 8, 8).transpose(1, 2)"),),
    ),
    Mutant(
        name="place_digits_row_offset_used_for_column",
        question="q4",
        description="copy-paste slip: column offset read from offsets[i, 0] too, digits only on the diagonal",
        kind="formula",
        target="place_digits",
        edits=(("int(offsets[i, 1])", "int(offsets[i, 0])"),),
    ),
    Mutant(
        name="place_digits_clamped_to_unit_range",
        question="q4",
        description="canvas clamped to [0, 1] as a 'valid image': negative noise and bright digits cut off",
        kind="tolerance",
        target="place_digits",
        edits=(("return canvas", "return canvas.clamp(0, 1)"),),
    ),
    Mutant(
        name="place_digits_noise_ignored",
        question="q4",
        description="canvas started from zeros_like(noise): the noise argument is never added",
        kind="formula",
        target="place_digits",
        edits=(("noise.clone()", "torch.zeros_like(noise)"),),
    ),
    Mutant(
        name="place_digits_first_offset_for_all",
        question="q4",
        description="offsets[0] used for every digit (code written and tested on a batch of one)",
        kind="formula",
        target="place_digits",
        edits=(
            ("int(offsets[i, 0]), int(offsets[i, 1])", "int(offsets[0, 0]), int(offsets[0, 1])"),
        ),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="encoder_no_relu_before_pooling",
        question="q5",
        description="last ReLU before AdaptiveAvgPool2d left out: features can be negative",
        kind="formula",
        target="Encoder",
        edits=(("nn.ReLU(),\n            nn.AdaptiveAvgPool2d(1)", "nn.AdaptiveAvgPool2d(1)"),),
    ),
    Mutant(
        name="encoder_first_conv_unpadded",
        question="q5",
        description="first Conv2d without padding=1 (12x12 -> 10x10); output shape still (B, 4*width)",
        kind="formula",
        target="Encoder",
        edits=(("nn.Conv2d(1, width, 3, padding=1)", "nn.Conv2d(1, width, 3)"),),
    ),
    Mutant(
        name="simclr_forward_normalizes_features",
        question="q5",
        description="SimCLR.forward returns L2-normalized encoder features instead of the raw features",
        kind="formula",
        target="SimCLR",
        edits=(("return self.encoder(x)", "return F.normalize(self.encoder(x), dim=-1)"),),
    ),
    Mutant(
        name="simclr_zero_grad_after_backward",
        question="q5",
        description="optimizer.zero_grad() called between backward() and step(): gradients wiped, weights never change",
        kind="graph",
        target="train_simclr",
        edits=(
            (
                "optimizer.zero_grad()\n            loss.backward()",
                "loss.backward()\n            optimizer.zero_grad()",
            ),
        ),
    ),
    Mutant(
        name="simclr_perm_drawn_once",
        question="q5",
        description="randperm drawn once before the epoch loop: the same batch order every epoch",
        kind="loop",
        target="train_simclr",
        edits=(
            (
                "for _ in range(epochs):\n        perm = torch.randperm(len(X), generator=g)",
                "perm = torch.randperm(len(X), generator=g)\n    for _ in range(epochs):",
            ),
        ),
    ),
    Mutant(
        name="simclr_optimizer_recreated_each_epoch",
        question="q5",
        description="Adam created anew at the start of every epoch: its moment estimates are reset each epoch",
        kind="loop",
        target="train_simclr",
        edits=(
            (
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    model.train()",
                "model.train()",
            ),
            (
                "perm = torch.randperm(len(X), generator=g)",
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n        perm = torch.randperm(len(X), generator=g)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="simclr_trained_on_centered_digits",
        question="q6",
        description="SimCLR trained on X_centered (the autoencoder's data) instead of X_train",
        kind="loop",
        target="simclr = SimCLR()",
        edits=(("train_simclr(simclr, X_train)", "train_simclr(simclr, X_centered)"),),
    ),
    Mutant(
        name="simclr_trained_with_batch_size_256",
        question="q6",
        description="SimCLR trained with batch_size=256 to save time: four times fewer optimizer steps",
        kind="outcome",
        target="simclr = SimCLR()",
        edits=(("train_simclr(simclr, X_train)", "train_simclr(simclr, X_train, batch_size=256)"),),
    ),
    Mutant(
        name="simclr_trained_with_nt_xent_default_tau",
        question="q6",
        description="SimCLR trained with tau=0.5 (nt_xent's default) instead of train_simclr's default 0.3",
        kind="outcome",
        target="simclr = SimCLR()",
        edits=(("train_simclr(simclr, X_train)", "train_simclr(simclr, X_train, tau=0.5)"),),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="triplet_loss_without_hinge",
        question="q7",
        description="max(0, .) forgotten: negative triplet losses averaged in",
        kind="formula",
        target="triplet_loss",
        edits=(("F.relu(d_ap - d_an + margin).mean()", "(d_ap - d_an + margin).mean()"),),
    ),
    Mutant(
        name="batch_hard_self_counted_as_positive",
        question="q7",
        description="positive mask = same class without excluding the anchor: single-member classes get d_ap = 0 and count",
        kind="tolerance",
        target="batch_hard_triplet_loss",
        edits=(("positive = same & ~eye", "positive = same"),),
    ),
    Mutant(
        name="batch_hard_mean_over_all_anchors",
        question="q7",
        description="sum of anchor losses divided by the batch size instead of the number of valid anchors",
        kind="tolerance",
        target="batch_hard_triplet_loss",
        edits=(("losses.sum() / max(int(valid.sum()), 1)", "losses.sum() / len(labels)"),),
    ),
    Mutant(
        name="batch_hard_negative_detached",
        question="q7",
        description="mined hardest-negative distance detached ('mining needs no gradient'): no gradient pushes negatives away",
        kind="graph",
        target="batch_hard_triplet_loss",
        edits=((".amin(1)", ".amin(1).detach()"),),
    ),
    Mutant(
        name="batch_all_positive_negative_axes_swapped",
        question="q7",
        description="broadcast axes swapped: d[a, n] - d[a, p] + margin computed for the (a, p, n) mask",
        kind="formula",
        target="batch_all_triplet_loss",
        edits=(("d[:, :, None] - d[:, None, :]", "d[:, None, :] - d[:, :, None]"),),
    ),
    Mutant(
        name="batch_all_nan_without_active_triplets",
        question="q7",
        description="mean of the positive losses via .mean(): NaN instead of zero when no triplet is active",
        kind="tolerance",
        target="batch_all_triplet_loss",
        edits=(("losses[active].sum() / max(int(active.sum()), 1)", "losses[active].mean()"),),
    ),
    Mutant(
        name="recall_drops_first_neighbour_as_self",
        question="q7",
        description="self excluded by taking topk(k + 1) and dropping column 0: wrong with ties / duplicate points",
        kind="tolerance",
        target="recall_at_k",
        edits=(
            (
                'd.fill_diagonal_(float("inf"))\n    nearest = d.topk(k, dim=1, largest=False).indices',
                "nearest = d.topk(k + 1, dim=1, largest=False).indices[:, 1:]",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="embedding_normalized_over_batch",
        question="q8",
        description="F.normalize over dim=0: each embedding coordinate normalized over the batch, not each vector",
        kind="formula",
        target="EmbeddingNet",
        edits=(("dim=-1", "dim=0"),),
    ),
    Mutant(
        name="embedding_relu_before_normalize",
        question="q8",
        description="ReLU applied after fc before normalizing: embeddings confined to the positive orthant",
        kind="formula",
        target="EmbeddingNet",
        edits=(
            (
                "F.normalize(self.fc(self.encoder(x)), dim=-1)",
                "F.normalize(F.relu(self.fc(self.encoder(x))), dim=-1)",
            ),
        ),
        rerun=("embed_net = EmbeddingNet()",),
    ),
    Mutant(
        name="metric_restores_initial_mode",
        question="q8",
        description="train_metric restores the model's original train/eval mode at the end instead of switching to eval()",
        kind="mode",
        target="train_metric",
        edits=(
            (
                "g = torch.Generator().manual_seed(seed)",
                "was_training = model.training\n    g = torch.Generator().manual_seed(seed)",
            ),
            ("model.eval()", "model.train(was_training)"),
        ),
    ),
    Mutant(
        name="metric_epochs_argument_ignored",
        question="q8",
        description="epoch loop hard-coded to range(30): the epochs argument is ignored",
        kind="loop",
        target="train_metric",
        edits=(("range(epochs)", "range(30)"),),
    ),
    Mutant(
        name="metric_batch_size_hardcoded",
        question="q8",
        description="batches cut with a hard-coded 128 instead of the batch_size argument",
        kind="loop",
        target="train_metric",
        edits=(
            ("range(0, len(X), batch_size)", "range(0, len(X), 128)"),
            ("perm[start : start + batch_size]", "perm[start : start + 128]"),
        ),
    ),
]
