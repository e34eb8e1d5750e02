"""hw05 blind round 3: 40 mistakes written by a helper that read only the kit (the task,
the reference cells, the mutant format, rounds 1-2's names), graded before any test changed."""

from mutation.harness import Mutant

_NT_XENT_BODY = (
    "    z = F.normalize(torch.cat([z1, z2]), dim=-1)\n"
    "    n = len(z1)\n"
    "    sim = (z @ z.T) / tau\n"
    '    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))\n'
    "    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])\n"
    "    return F.cross_entropy(sim, target)\n"
)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="pca_global_scalar_mean",
        question="q1",
        description="mean taken with X.mean() (no dim): a scalar over all pixels is subtracted and returned",
        kind="formula",
        target="pca",
        edits=(("X.mean(0)", "X.mean()"),),
    ),
    Mutant(
        name="pca_mean_keepdim",
        question="q1",
        description="mean computed with keepdim=True: returned mean has shape (1, d) instead of (d,)",
        kind="formula",
        target="pca",
        edits=(("X.mean(0)", "X.mean(0, keepdim=True)"),),
    ),
    Mutant(
        name="pca_via_randomized_lowrank",
        question="q1",
        description="components from torch.pca_lowrank(X, q=k) (randomized, 2 power iterations, global RNG) instead of an exact SVD",
        kind="tolerance",
        target="pca",
        edits=(
            (
                "_, _, vt = torch.linalg.svd(X - mean, full_matrices=False)\n    return mean, vt[:k]",
                "_, _, v = torch.pca_lowrank(X, q=k)\n    return mean, v.T",
            ),
        ),
    ),
    Mutant(
        name="subspace_cosines_not_clamped",
        question="q1",
        description="singular values returned without clamping: identical subspaces give cosines slightly above 1",
        kind="tolerance",
        target="subspace_cosines",
        edits=((".clamp(max=1.0)", ""),),
    ),
    Mutant(
        name="subspace_cosines_rows_only_normalized",
        question="q1",
        description="'orthonormal basis' built by L2-normalizing the rows instead of a QR: correct only for orthogonal rows",
        kind="formula",
        target="subspace_cosines",
        edits=(
            ("torch.linalg.qr(A.T).Q", "F.normalize(A, dim=1).T"),
            ("torch.linalg.qr(B.T).Q", "F.normalize(B, dim=1).T"),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="ae_zero_grad_forgotten",
        question="q2",
        description="optimizer.zero_grad() never called: gradients accumulate over all steps of full-batch training",
        kind="in_place",
        target="train_linear_ae",
        edits=(("optimizer.zero_grad()\n        ", ""),),
        rerun=("linear_ae = LinearAE(64, 8)",),
    ),
    Mutant(
        name="ae_loss_norm_not_squared",
        question="q2",
        description="loss = mean Euclidean norm of the reconstruction error (not squared) instead of the sum of squares",
        kind="formula",
        target="train_linear_ae",
        edits=(("((model(X) - X) ** 2).sum(-1).mean()", "(model(X) - X).norm(dim=-1).mean()"),),
        rerun=("linear_ae = LinearAE(64, 8)",),
    ),
    Mutant(
        name="ae_trains_on_global_X_centered",
        question="q2",
        description="loss computed on the notebook's global X_centered instead of the X argument",
        kind="loop",
        target="train_linear_ae",
        edits=(("model(X) - X", "model(X_centered) - X_centered"),),
    ),
    Mutant(
        name="ae_training_flag_set_directly",
        question="q2",
        description="mode set by assigning model.training = True/False: the encoder/decoder submodules keep their own mode",
        kind="mode",
        target="train_linear_ae",
        edits=(
            ("model.train()", "model.training = True"),
            ("model.eval()", "model.training = False"),
        ),
    ),
    Mutant(
        name="ae_history_mutable_default",
        question="q2",
        description="history passed as a default argument history=[]: losses of earlier calls leak into later calls",
        kind="loop",
        target="train_linear_ae",
        edits=(
            ("lr=1e-2):", "lr=1e-2, history=[]):"),
            ("    history = []\n", ""),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="nt_xent_cross_view_logits_only",
        question="q3",
        description="CLIP-style loss on the B x B cross-view similarity matrix: same-view negatives left out of the denominator",
        kind="formula",
        target="nt_xent",
        edits=(
            (
                _NT_XENT_BODY,
                "    z1n = F.normalize(z1, dim=-1)\n"
                "    z2n = F.normalize(z2, dim=-1)\n"
                "    sim = (z1n @ z2n.T) / tau\n"
                "    target = torch.arange(len(z1))\n"
                "    return (F.cross_entropy(sim, target) + F.cross_entropy(sim.T, target)) / 2\n",
            ),
        ),
    ),
    Mutant(
        name="nt_xent_manual_normalization",
        question="q3",
        description="rows normalized by hand as z / z.norm(): a zero projection vector gives NaN (F.normalize clamps with eps)",
        kind="tolerance",
        target="nt_xent",
        edits=(
            (
                "z = F.normalize(torch.cat([z1, z2]), dim=-1)",
                "z = torch.cat([z1, z2])\n    z = z / z.norm(dim=-1, keepdim=True)",
            ),
        ),
    ),
    Mutant(
        name="nt_xent_sum_divided_by_pairs",
        question="q3",
        description="cross-entropy summed over the 2B anchors and divided by the B pairs: twice the required mean",
        kind="formula",
        target="nt_xent",
        edits=(
            ("F.cross_entropy(sim, target)", 'F.cross_entropy(sim, target, reduction="sum") / n'),
        ),
    ),
    Mutant(
        name="nt_xent_views_interleaved_by_stack",
        question="q3",
        description="views joined with stack(dim=1).reshape (z1[0], z2[0], z1[1], ...) but targets written for cat order",
        kind="formula",
        target="nt_xent",
        edits=(("torch.cat([z1, z2])", "torch.stack([z1, z2], dim=1).reshape(2 * len(z1), -1)"),),
    ),
    Mutant(
        name="nt_xent_key_side_detached",
        question="q3",
        description="similarities as z @ z.detach().T (MoCo-style stop-gradient on keys): gradient only through one factor",
        kind="graph",
        target="nt_xent",
        edits=(("(z @ z.T)", "(z @ z.detach().T)"),),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="place_digits_float32_canvas",
        question="q4",
        description="canvas allocated with torch.zeros(n, 1, 12, 12) and noise added in place: float64 inputs give a float32 result",
        kind="tolerance",
        target="place_digits",
        edits=(
            (
                "canvas = noise.clone()",
                "canvas = torch.zeros(len(x), 1, 12, 12)\n    canvas += noise",
            ),
        ),
    ),
    Mutant(
        name="place_digits_offset_clamped_to_3",
        question="q4",
        description="offsets clamped to 3 ('last start that fits is 12 - 8 - 1'): digits with offset 4 placed one pixel too early",
        kind="formula",
        target="place_digits",
        edits=(
            (
                "r, c = int(offsets[i, 0]), int(offsets[i, 1])",
                "r, c = min(int(offsets[i, 0]), 3), min(int(offsets[i, 1]), 3)",
            ),
        ),
    ),
    Mutant(
        name="place_digits_every_canvas_gets_every_digit",
        question="q4",
        description="batch index written as ':' instead of i: every digit is added to every canvas (right only for n = 1)",
        kind="formula",
        target="place_digits",
        edits=(("canvas[i, 0, r : r + 8, c : c + 8]", "canvas[:, 0, r : r + 8, c : c + 8]"),),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="simclr_history_weighted_by_nominal_batch_size",
        question="q5",
        description="epoch loss accumulates loss * batch_size: the short last batch is counted as a full one",
        kind="loop",
        target="train_simclr",
        edits=(("total += loss.item() * len(batch)", "total += loss.item() * batch_size"),),
    ),
    Mutant(
        name="encoder_squeeze_instead_of_flatten",
        question="q5",
        description="Flatten dropped and forward returns net(x).squeeze(): a batch of one gives shape (4*width,) not (1, 4*width)",
        kind="tolerance",
        target="Encoder",
        edits=(
            ("            nn.Flatten(),\n", ""),
            ("return self.net(x)", "return self.net(x).squeeze()"),
        ),
    ),
    Mutant(
        name="simclr_project_dropout_always_on",
        question="q5",
        description="project() applies F.dropout(p=0.1) to the features without training=self.training: stochastic even in eval()",
        kind="mode",
        target="SimCLR",
        edits=(
            (
                "return self.head(self.encoder(x))",
                "return self.head(F.dropout(self.encoder(x), p=0.1))",
            ),
        ),
    ),
    Mutant(
        name="simclr_generator_is_global_rng",
        question="q5",
        description="g = torch.manual_seed(seed): the global generator is reseeded and used instead of a private one",
        kind="loop",
        target="train_simclr",
        edits=(("g = torch.Generator().manual_seed(seed)", "g = torch.manual_seed(seed)"),),
    ),
    Mutant(
        name="simclr_only_encoder_set_to_eval",
        question="q5",
        description="at the end only model.encoder.eval() is called: the SimCLR module and its head stay in train mode",
        kind="mode",
        target="train_simclr",
        edits=(("model.eval()", "model.encoder.eval()"),),
    ),
    Mutant(
        name="simclr_both_views_one_draw",
        question="q5",
        description="both views placed from one sample_placement(2 * len(batch), g) call: different random draws than required",
        kind="loop",
        target="train_simclr",
        edits=(
            (
                "view1 = place_digits(batch, *sample_placement(len(batch), g))\n"
                "            view2 = place_digits(batch, *sample_placement(len(batch), g))",
                "views = place_digits(batch.repeat(2, 1), *sample_placement(2 * len(batch), g))\n"
                "            view1, view2 = views.chunk(2)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="simclr_loss_on_encoder_features",
        question="q6",
        description="NT-Xent computed on model(view) (encoder features) instead of model.project(view): head never trained",
        kind="outcome",
        target="train_simclr",
        edits=(
            (
                "nt_xent(model.project(view1), model.project(view2), tau)",
                "nt_xent(model(view1), model(view2), tau)",
            ),
        ),
        rerun=("simclr = SimCLR()",),
    ),
    Mutant(
        name="simclr_trained_with_width_8",
        question="q6",
        description="simclr built as SimCLR(width=8) to train faster: a smaller encoder with 32 features",
        kind="outcome",
        target="simclr = SimCLR()",
        edits=(("SimCLR()", "SimCLR(width=8)"),),
    ),
    Mutant(
        name="simclr_tau_passed_positionally_as_lr",
        question="q6",
        description="train_simclr(simclr, X_train, 60, 64, 0.3) meant to pass tau=0.3 but sets lr=0.3",
        kind="outcome",
        target="simclr_history = train_simclr(simclr, X_train)",
        edits=(("train_simclr(simclr, X_train)", "train_simclr(simclr, X_train, 60, 64, 0.3)"),),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="triplet_loss_via_F_triplet_margin_loss",
        question="q7",
        description="F.triplet_margin_loss used: its pairwise_distance adds eps=1e-6 to the differences (||a - p + eps||)",
        kind="tolerance",
        target="triplet_loss",
        edits=(
            (
                "    d_ap = (anchor - positive).norm(dim=-1)\n"
                "    d_an = (anchor - negative).norm(dim=-1)\n"
                "    return F.relu(d_ap - d_an + margin).mean()\n",
                "    return F.triplet_margin_loss(anchor, positive, negative, margin=margin)\n",
            ),
        ),
    ),
    Mutant(
        name="batch_hard_negative_is_not_positive",
        question="q7",
        description="negative mask = ~positive: the anchor itself (distance 0) becomes its own hardest negative",
        kind="formula",
        target="batch_hard_triplet_loss",
        edits=(("negative = ~same", "negative = ~positive"),),
    ),
    Mutant(
        name="batch_hard_anchor_without_positive_counted",
        question="q7",
        description="valid anchors = those with a negative only: anchors of single-member classes add 0 and enlarge the denominator",
        kind="tolerance",
        target="batch_hard_triplet_loss",
        edits=(("valid = positive.any(1) & negative.any(1)", "valid = negative.any(1)"),),
    ),
    Mutant(
        name="batch_all_fill_diagonal_in_place",
        question="q7",
        description="d.fill_diagonal_(0) on the cdist output 'to make self-distances exact': backward fails (inplace on saved result)",
        kind="graph",
        target="batch_all_triplet_loss",
        edits=(
            (
                "d = torch.cdist(emb, emb)\n",
                "d = torch.cdist(emb, emb)\n    d.fill_diagonal_(0.0)\n",
            ),
        ),
    ),
    Mutant(
        name="batch_all_constant_zero_without_grad",
        question="q7",
        description="no active triplets -> returns torch.tensor(0.0): no graph to emb and float32 whatever the input dtype",
        kind="graph",
        target="batch_all_triplet_loss",
        edits=(
            (
                "return losses[active].sum() / max(int(active.sum()), 1)",
                "if not active.any():\n        return torch.tensor(0.0)\n    return losses[active].mean()",
            ),
        ),
    ),
    Mutant(
        name="recall_self_excluded_by_zero_distance",
        question="q7",
        description="self excluded via d[d == 0] = inf: cdist's diagonal is not exactly 0 for large batches, and duplicates are dropped",
        kind="tolerance",
        target="recall_at_k",
        edits=(('d.fill_diagonal_(float("inf"))', 'd[d == 0] = float("inf")'),),
    ),
    Mutant(
        name="recall_labels_broadcast_without_column",
        question="q7",
        description="labels[nearest] == labels (no [:, None]): for k = 1 an (n, n) comparison makes every object a hit",
        kind="formula",
        target="recall_at_k",
        edits=(("== labels[:, None]", "== labels"),),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="metric_labels_from_global_y_train",
        question="q8",
        description="batch labels taken from the notebook's y_train instead of the y argument",
        kind="loop",
        target="train_metric",
        edits=(("y[index]", "y_train[index]"),),
    ),
    Mutant(
        name="embedding_encoder_width_not_passed",
        question="q8",
        description="EmbeddingNet builds Encoder() and nn.Linear(64, dim): the width argument is ignored",
        kind="formula",
        target="EmbeddingNet",
        edits=(
            ("Encoder(width)", "Encoder()"),
            ("nn.Linear(4 * width, dim)", "nn.Linear(64, dim)"),
        ),
    ),
    Mutant(
        name="embedding_normalized_before_fc",
        question="q8",
        description="F.normalize applied to the encoder features before fc: output embeddings are not unit vectors",
        kind="formula",
        target="EmbeddingNet",
        edits=(
            (
                "F.normalize(self.fc(self.encoder(x)), dim=-1)",
                "self.fc(F.normalize(self.encoder(x), dim=-1))",
            ),
        ),
    ),
    Mutant(
        name="metric_eval_without_parentheses",
        question="q8",
        description="model.eval written without parentheses at the end: a no-op, the model stays in train mode",
        kind="mode",
        target="train_metric",
        edits=(("model.eval()", "model.eval"),),
    ),
    Mutant(
        name="metric_trained_on_unplaced_digits",
        question="q8",
        description="training view = raw 8x8 digits X[index].reshape(-1, 1, 8, 8): no placement/brightness/noise augmentation",
        kind="outcome",
        target="train_metric",
        edits=(
            (
                "view = place_digits(X[index], *sample_placement(len(index), g))",
                "view = X[index].reshape(-1, 1, 8, 8)",
            ),
        ),
        rerun=("embed_net = EmbeddingNet()",),
    ),
    Mutant(
        name="metric_generator_reseeded_each_epoch",
        question="q8",
        description="generator re-created from seed at the start of every epoch: same permutation and placements each epoch",
        kind="loop",
        target="train_metric",
        edits=(
            (
                "for _ in range(epochs):\n",
                "for _ in range(epochs):\n        g = torch.Generator().manual_seed(seed)\n",
            ),
        ),
    ),
]
