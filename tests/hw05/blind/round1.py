"""hw05 blind round 1: 40 mistakes written by a helper that read only the kit (the task,
the reference cells, the mutant format), graded before any test changed."""

from mutation.harness import Mutant

SIMCLR_CELL = "simclr_history = train_simclr(simclr, X_train)"
METRIC_CELL = "metric_history = train_metric(embed_net, X_train, y_train)"
AE_CELL = "linear_ae_history = train_linear_ae(linear_ae, X_centered)"

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="pca_svd_of_uncentered_data",
        question="q1",
        description="SVD taken of the raw data instead of the centered data (mean still returned)",
        kind="formula",
        target="pca",
        edits=(("torch.linalg.svd(X - mean,", "torch.linalg.svd(X,"),),
    ),
    Mutant(
        name="pca_eigh_takes_smallest_components",
        question="q1",
        description="covariance eigendecomposition with eigh, first k eigenvectors taken although eigh sorts ascending",
        kind="formula",
        target="pca",
        edits=(
            (
                "_, _, vt = torch.linalg.svd(X - mean, full_matrices=False)\n    return mean, vt[:k]",
                "_, vectors = torch.linalg.eigh((X - mean).T @ (X - mean))\n    return mean, vectors[:, :k].T",
            ),
        ),
    ),
    Mutant(
        name="pca_centers_input_in_place",
        question="q1",
        description="X -= mean centers the caller's tensor in place before the SVD",
        kind="in_place",
        target="pca",
        edits=(
            (
                "_, _, vt = torch.linalg.svd(X - mean, full_matrices=False)",
                "X -= mean\n    _, _, vt = torch.linalg.svd(X, full_matrices=False)",
            ),
        ),
    ),
    Mutant(
        name="subspace_cosines_without_orthonormalization",
        question="q1",
        description="singular values of A @ B.T taken directly, skipping the QR orthonormalization of the rows",
        kind="tolerance",
        target="subspace_cosines",
        edits=(("torch.linalg.qr(A.T).Q", "A.T"), ("torch.linalg.qr(B.T).Q", "B.T")),
    ),
    Mutant(
        name="subspace_cosines_sorted_ascending",
        question="q1",
        description="result re-sorted with .sort() (ascending) although cosines must be in decreasing order",
        kind="formula",
        target="subspace_cosines",
        edits=(
            (
                "return torch.linalg.svdvals(qa.T @ qb).clamp(max=1.0)",
                "return torch.linalg.svdvals(qa.T @ qb).clamp(max=1.0).sort().values",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="ae_linear_layers_with_bias",
        question="q2",
        description="encoder/decoder built as nn.Linear with the default bias=True",
        kind="formula",
        target="LinearAE",
        edits=((", bias=False", ""),),
        rerun=(AE_CELL,),
    ),
    Mutant(
        name="ae_loss_mse_over_all_elements",
        question="q2",
        description="loss F.mse_loss (mean over objects and features) instead of sum over features, mean over objects",
        kind="formula",
        target="train_linear_ae",
        edits=(("((model(X) - X) ** 2).sum(-1).mean()", "F.mse_loss(model(X), X)"),),
    ),
    Mutant(
        name="ae_history_stores_loss_tensors",
        question="q2",
        description="history.append(loss) keeps the loss tensors (and their graphs) instead of floats",
        kind="graph",
        target="train_linear_ae",
        edits=(("history.append(loss.item())", "history.append(loss)"),),
    ),
    Mutant(
        name="ae_model_left_in_train_mode",
        question="q2",
        description="train_linear_ae never switches the model to eval() at the end",
        kind="mode",
        target="train_linear_ae",
        edits=(("    model.eval()\n", ""),),
    ),
    Mutant(
        name="ae_trained_on_uncentered_digits",
        question="q2",
        description="linear_ae trained on X_train instead of the centered X_centered",
        kind="loop",
        target=AE_CELL,
        edits=(("train_linear_ae(linear_ae, X_centered)", "train_linear_ae(linear_ae, X_train)"),),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="nt_xent_diagonal_masked_with_zero",
        question="q3",
        description="self-similarity 'removed' by setting the diagonal to 0 instead of -inf (exp(0) stays in the denominator)",
        kind="formula",
        target="nt_xent",
        edits=(('float("-inf")', "0.0"),),
    ),
    Mutant(
        name="nt_xent_only_first_view_as_anchors",
        question="q3",
        description="cross-entropy averaged over the B anchors of z1 only instead of all 2B anchors",
        kind="formula",
        target="nt_xent",
        edits=(
            ("return F.cross_entropy(sim, target)", "return F.cross_entropy(sim[:n], target[:n])"),
        ),
    ),
    Mutant(
        name="nt_xent_casts_to_float32",
        question="q3",
        description="inputs cast with .float() before normalizing: float64 inputs give a float32 loss",
        kind="tolerance",
        target="nt_xent",
        edits=(
            (
                "z = F.normalize(torch.cat([z1, z2]), dim=-1)",
                "z = F.normalize(torch.cat([z1, z2]).float(), dim=-1)",
            ),
        ),
    ),
    Mutant(
        name="nt_xent_detaches_second_view",
        question="q3",
        description="z2 detached (stop-gradient on the second view): no gradient reaches z2",
        kind="graph",
        target="nt_xent",
        edits=(("torch.cat([z1, z2])", "torch.cat([z1, z2.detach()])"),),
    ),
    Mutant(
        name="nt_xent_explicit_softmax_log",
        question="q3",
        description="loss as -log(exp(s)/sum exp(s)) by hand: overflows/underflows for small tau",
        kind="tolerance",
        target="nt_xent",
        edits=(
            (
                "return F.cross_entropy(sim, target)",
                "probs = sim.exp() / sim.exp().sum(1, keepdim=True)\n"
                "    return -probs[torch.arange(2 * n), target].log().mean()",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="place_digits_writes_into_noise",
        question="q4",
        description="canvas = noise without clone: the caller's noise tensor is modified in place",
        kind="in_place",
        target="place_digits",
        edits=(("canvas = noise.clone()", "canvas = noise"),),
    ),
    Mutant(
        name="place_digits_row_col_swapped",
        question="q4",
        description="offsets[:, 0] used as the column and offsets[:, 1] as the row",
        kind="formula",
        target="place_digits",
        edits=(
            (
                "r, c = int(offsets[i, 0]), int(offsets[i, 1])",
                "c, r = int(offsets[i, 0]), int(offsets[i, 1])",
            ),
        ),
    ),
    Mutant(
        name="place_digits_scales_noise_too",
        question="q4",
        description="brightness multiplier applied to the whole canvas (noise included) instead of the digit only",
        kind="formula",
        target="place_digits",
        edits=(
            (
                "images = x.reshape(-1, 8, 8) * scales[:, None, None]",
                "images = x.reshape(-1, 8, 8)",
            ),
            ("return canvas", "return canvas * scales[:, None, None, None]"),
        ),
    ),
    Mutant(
        name="place_digits_overwrites_noise",
        question="q4",
        description="digit assigned into the square (=) instead of added to the noise (+=)",
        kind="formula",
        target="place_digits",
        edits=(("+= images[i]", "= images[i]"),),
    ),
    Mutant(
        name="place_digits_scales_x_in_place",
        question="q4",
        description="images *= scales on a reshape view of x: the caller's digits are rescaled in place",
        kind="in_place",
        target="place_digits",
        edits=(
            (
                "images = x.reshape(-1, 8, 8) * scales[:, None, None]",
                "images = x.reshape(-1, 8, 8)\n    images *= scales[:, None, None]",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="encoder_adaptive_max_pool",
        question="q5",
        description="AdaptiveMaxPool2d instead of the required AdaptiveAvgPool2d",
        kind="formula",
        target="Encoder",
        edits=(("nn.AdaptiveAvgPool2d(1)", "nn.AdaptiveMaxPool2d(1)"),),
    ),
    Mutant(
        name="simclr_forward_returns_projection",
        question="q5",
        description="SimCLR.forward returns head(encoder(x)) instead of the encoder features",
        kind="formula",
        target="SimCLR",
        edits=(("return self.encoder(x)", "return self.head(self.encoder(x))"),),
    ),
    Mutant(
        name="simclr_randperm_global_rng",
        question="q5",
        description="torch.randperm without generator=g: shuffling from the global RNG",
        kind="loop",
        target="train_simclr",
        edits=(("torch.randperm(len(X), generator=g)", "torch.randperm(len(X))"),),
    ),
    Mutant(
        name="simclr_history_mean_of_batch_losses",
        question="q5",
        description="epoch loss = plain mean of batch losses (short last batch weighted like a full one)",
        kind="tolerance",
        target="train_simclr",
        edits=(
            ("total += loss.item() * len(batch)", "total += loss.item()"),
            (
                "history.append(total / len(X))",
                "history.append(total / math.ceil(len(X) / batch_size))",
            ),
        ),
    ),
    Mutant(
        name="simclr_model_left_in_train_mode",
        question="q5",
        description="train_simclr never switches the model to eval() at the end",
        kind="mode",
        target="train_simclr",
        edits=(("    model.eval()\n", ""),),
    ),
    Mutant(
        name="simclr_tau_not_passed_to_loss",
        question="q5",
        description="nt_xent called without tau: the default 0.5 is used whatever tau is given",
        kind="loop",
        target="train_simclr",
        edits=(
            (
                "nt_xent(model.project(view1), model.project(view2), tau)",
                "nt_xent(model.project(view1), model.project(view2))",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="simclr_trained_ten_epochs",
        question="q6",
        description="SimCLR trained for only 10 epochs to save time",
        kind="loop",
        target=SIMCLR_CELL,
        edits=(("train_simclr(simclr, X_train)", "train_simclr(simclr, X_train, epochs=10)"),),
    ),
    Mutant(
        name="simclr_views_share_one_placement",
        question="q6",
        description="one sample_placement per batch reused for both views: the two views are identical",
        kind="loop",
        target="train_simclr",
        edits=(
            (
                "view1 = place_digits(batch, *sample_placement(len(batch), g))\n"
                "            view2 = place_digits(batch, *sample_placement(len(batch), g))",
                "placement = sample_placement(len(batch), g)\n"
                "            view1 = place_digits(batch, *placement)\n"
                "            view2 = place_digits(batch, *placement)",
            ),
        ),
        rerun=(SIMCLR_CELL,),
    ),
    Mutant(
        name="simclr_project_detaches_encoder",
        question="q6",
        description="project() detaches the encoder features ('frozen encoder'), so only the head is trained",
        kind="graph",
        target="SimCLR",
        edits=(
            ("return self.head(self.encoder(x))", "return self.head(self.encoder(x).detach())"),
        ),
        rerun=(SIMCLR_CELL,),
    ),
    Mutant(
        name="simclr_trains_a_fresh_model",
        question="q6",
        description="train_simclr called on a new SimCLR() instead of simclr, which stays untrained",
        kind="loop",
        target=SIMCLR_CELL,
        edits=(("train_simclr(simclr, X_train)", "train_simclr(SimCLR(), X_train)"),),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="triplet_squared_distances",
        question="q7",
        description="triplet loss on squared Euclidean distances instead of distances",
        kind="formula",
        target="triplet_loss",
        edits=(
            ("(anchor - positive).norm(dim=-1)", "((anchor - positive) ** 2).sum(-1)"),
            ("(anchor - negative).norm(dim=-1)", "((anchor - negative) ** 2).sum(-1)"),
        ),
    ),
    Mutant(
        name="batch_hard_closest_positive",
        question="q7",
        description="'hardest' positive taken as the closest same-class object (amin) instead of the farthest",
        kind="formula",
        target="batch_hard_triplet_loss",
        edits=(
            (
                'd.masked_fill(~positive, float("-inf")).amax(1)',
                'd.masked_fill(~positive, float("inf")).amin(1)',
            ),
        ),
    ),
    Mutant(
        name="batch_hard_manual_sqrt_distance",
        question="q7",
        description="distance matrix via sqrt of summed squares: zero self-distances put NaN into the gradient",
        kind="graph",
        target="batch_hard_triplet_loss",
        edits=(
            (
                "d = torch.cdist(emb, emb)",
                "d = ((emb[:, None, :] - emb[None, :, :]) ** 2).sum(-1).sqrt()",
            ),
        ),
    ),
    Mutant(
        name="batch_all_mean_over_all_triplets",
        question="q7",
        description="batch-all loss averaged over all valid triplets, zero-loss ones included",
        kind="formula",
        target="batch_all_triplet_loss",
        edits=(
            (
                "return losses[active].sum() / max(int(active.sum()), 1)",
                "return losses.sum() / max(len(losses), 1)",
            ),
        ),
    ),
    Mutant(
        name="recall_requires_all_k_neighbours",
        question="q7",
        description="recall@k counts an object only if all k nearest neighbours share its class (.all instead of .any)",
        kind="tolerance",
        target="recall_at_k",
        edits=((".any(1)", ".all(1)"),),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="embedding_not_normalized",
        question="q8",
        description="EmbeddingNet.forward returns fc(encoder(x)) without F.normalize",
        kind="formula",
        target="EmbeddingNet",
        edits=(
            (
                "return F.normalize(self.fc(self.encoder(x)), dim=-1)",
                "return self.fc(self.encoder(x))",
            ),
        ),
    ),
    Mutant(
        name="metric_labels_not_permuted",
        question="q8",
        description="batch labels taken as y[start:start+batch_size] while the images are X[perm[...]]",
        kind="loop",
        target="train_metric",
        edits=(("y[index]", "y[start : start + batch_size]"),),
        rerun=(METRIC_CELL,),
    ),
    Mutant(
        name="metric_trained_with_batch_hard",
        question="q8",
        description="train_metric uses batch_hard_triplet_loss instead of batch_all_triplet_loss",
        kind="formula",
        target="train_metric",
        edits=(("batch_all_triplet_loss(model(view)", "batch_hard_triplet_loss(model(view)"),),
        rerun=(METRIC_CELL,),
    ),
    Mutant(
        name="metric_seed_argument_ignored",
        question="q8",
        description="generator seeded with a hard-coded 0 instead of the seed argument",
        kind="loop",
        target="train_metric",
        edits=(("manual_seed(seed)", "manual_seed(0)"),),
    ),
    Mutant(
        name="metric_batches_not_shuffled",
        question="q8",
        description="batches taken in data order (arange) instead of a randperm from g each epoch",
        kind="outcome",
        target="train_metric",
        edits=(("perm = torch.randperm(len(X), generator=g)", "perm = torch.arange(len(X))"),),
        rerun=(METRIC_CELL,),
    ),
]
