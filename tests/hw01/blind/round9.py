"""Blind round 9 for hw01 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-8 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

XOR = "xor_params, xor_losses = train_xor()"
DIGITS = "digits_history = train_model("
DIAB = "diabetes_history = train_model("
BASE = "baseline_history = train_model("
REG = "regularized_history = fit_early_stopping("

MUTANTS = [
    # ---------------- q1 ----------------
    Mutant(
        name="pairwise_abs_differences",
        question="q1",
        description="pairwise_sq_distances sums absolute differences (L1 / Manhattan) instead of squared differences",
        kind="formula",
        target="pairwise_sq_distances",
        edits=(
            (
                "((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=-1)",
                "(A[:, None, :] - B[None, :, :]).abs().sum(dim=-1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="standardize_no_centering",
        question="q1",
        description="standardize_columns divides by the column std but never subtracts the column mean",
        kind="formula",
        target="standardize_columns",
        edits=(("return (X - mean) / (std + eps)", "return X / (std + eps)"),),
        rerun=(),
    ),
    # ---------------- q2 ----------------
    Mutant(
        name="mse_and_grads_half_convention",
        question="q2",
        description="mse_and_grads uses the 1/2 convention: loss = 0.5 * mean squared error, so loss and both gradients are halved",
        kind="formula",
        target="mse_and_grads",
        edits=(
            (
                "loss = ((X @ w + b - y) ** 2).mean()",
                "loss = 0.5 * ((X @ w + b - y) ** 2).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="derivative_sin_factor_detached",
        question="q2",
        description="elementwise_derivative builds f as x * sin(x).detach(): the sin factor is a constant for autograd, derivative = sin x only",
        kind="graph",
        target="elementwise_derivative",
        edits=(("(x * torch.sin(x)).sum()", "(x * torch.sin(x).detach()).sum()"),),
        rerun=(),
    ),
    # ---------------- q3 ----------------
    Mutant(
        name="count_params_sums_dims",
        question="q3",
        description="count_parameters sums the dimensions of each shape (sum(p.shape)) instead of their product (numel)",
        kind="formula",
        target="count_parameters",
        edits=(("sum(p.numel() for p", "sum(sum(p.shape) for p"),),
        rerun=(),
    ),
    Mutant(
        name="twolayer_softmax_output",
        question="q3",
        description="TwoLayerNet.forward returns softmax probabilities over classes instead of raw logits",
        kind="formula",
        target="TwoLayerNet",
        edits=(
            (
                "return self.fc2(torch.relu(self.fc1(x)))",
                "return torch.softmax(self.fc2(torch.relu(self.fc1(x))), dim=1)",
            ),
        ),
        rerun=(),
    ),
    # ---------------- q4 ----------------
    Mutant(
        name="sigmoid_backward_tanh_formula",
        question="q4",
        description="sigmoid_backward copy-pasted from tanh: dout * (1 - s^2) instead of dout * s * (1 - s)",
        kind="formula",
        target="sigmoid_backward",
        edits=(("return dout * s * (1 - s)", "return dout * (1 - s * s)"),),
        rerun=(),
    ),
    Mutant(
        name="tanh_backward_missing_square",
        question="q4",
        description="tanh derivative written as 1 - tanh(x) (square forgotten) instead of 1 - tanh(x)^2",
        kind="formula",
        target="tanh_backward",
        edits=(("return dout * (1 - t * t)", "return dout * (1 - t)"),),
        rerun=(XOR,),
    ),
    Mutant(
        name="tanh_backward_in_place_dout",
        question="q4",
        description="tanh_backward multiplies the caller's dout in place (dout.mul_) and returns it",
        kind="in_place",
        target="tanh_backward",
        edits=(("return dout * (1 - t * t)", "return dout.mul_(1 - t * t)"),),
        rerun=(),
    ),
    Mutant(
        name="relu_backward_mask_from_output_ge_zero",
        question="q4",
        description="relu_backward masks with relu(x) >= 0, which is always true: the gradient passes through negative inputs",
        kind="formula",
        target="relu_backward",
        edits=(("(x > 0)", "(torch.clamp(x, min=0) >= 0)"),),
        rerun=(),
    ),
    # ---------------- q5 ----------------
    Mutant(
        name="ce_grad_onehot_added",
        question="q5",
        description="dlogits built as softmax + onehot (dlogits[rows, y] += 1) instead of softmax - onehot",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(("dlogits[rows, y] -= 1.0", "dlogits[rows, y] += 1.0"),),
        rerun=(XOR,),
    ),
    Mutant(
        name="ce_logsumexp_over_batch_axis",
        question="q5",
        description="log-sum-exp in softmax_cross_entropy sums exp over the batch axis (dim=0) instead of the class axis",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(
            (
                "torch.exp(shifted).sum(dim=1, keepdim=True)",
                "torch.exp(shifted).sum(dim=0, keepdim=True)",
            ),
        ),
        rerun=(XOR,),
    ),
    Mutant(
        name="mse_grad_not_normalised",
        question="q5",
        description="mse_loss gradient dpred = 2 * (pred - target) without dividing by numel although the loss is a mean",
        kind="formula",
        target="mse_loss",
        edits=(("2.0 * diff / diff.numel()", "2.0 * diff"),),
        rerun=(),
    ),
    # ---------------- q6 ----------------
    Mutant(
        name="relative_error_squared_norms",
        question="q6",
        description="relative_error uses squared norms (sum of squares, sqrt forgotten) in numerator and denominator",
        kind="formula",
        target="relative_error",
        edits=(
            (
                "((a - b).norm() / max((a.norm() + b.norm()).item(), 1e-12)).item()",
                "(((a - b) ** 2).sum() / max(((a**2).sum() + (b**2).sum()).item(), 1e-12)).item()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="relative_error_l1_norms",
        question="q6",
        description="relative_error uses L1 norms (sum of absolute values) instead of Frobenius norms",
        kind="formula",
        target="relative_error",
        edits=((".norm()", ".abs().sum()"),),
        rerun=(),
    ),
    Mutant(
        name="numgrad_precedence_two_times_eps",
        question="q6",
        description="central difference written as (plus - minus) / 2 * eps: multiplied by eps instead of divided by 2*eps",
        kind="formula",
        target="numerical_gradient",
        edits=(("(plus - minus) / (2 * eps)", "(plus - minus) / 2 * eps"),),
        rerun=(),
    ),
    # ---------------- q7 ----------------
    Mutant(
        name="init_xavier_scaling",
        question="q7",
        description="init_two_layer uses Glorot/Xavier scaling sqrt(2 / (fan_in + fan_out)) instead of variance 1 / fan_in",
        kind="formula",
        target="init_two_layer",
        edits=(
            (
                "/ math.sqrt(in_features)",
                "* math.sqrt(2.0 / (in_features + hidden_features))",
            ),
            (
                "/ math.sqrt(hidden_features)",
                "* math.sqrt(2.0 / (hidden_features + out_features))",
            ),
        ),
        rerun=(XOR,),
    ),
    Mutant(
        name="xor_init_args_swapped",
        question="q7",
        description="train_xor calls init_two_layer(2, 2, hidden_features): 2 hidden units and hidden_features output logits",
        kind="loop",
        target="train_xor",
        edits=(
            (
                "init_two_layer(2, hidden_features, 2, seed=seed)",
                "init_two_layer(2, 2, hidden_features, seed=seed)",
            ),
        ),
        rerun=(XOR,),
    ),
    Mutant(
        name="init_biases_row_vectors",
        question="q7",
        description="init_two_layer creates the biases as (1, H) row vectors: shapes (1, hidden) / (1, out) instead of (hidden,) / (out,)",
        kind="formula",
        target="init_two_layer",
        edits=(
            (
                "torch.zeros(hidden_features, dtype",
                "torch.zeros(1, hidden_features, dtype",
            ),
            ("torch.zeros(out_features, dtype", "torch.zeros(1, out_features, dtype"),
        ),
        rerun=(XOR,),
    ),
    # ---------------- q8 ----------------
    Mutant(
        name="train_lr_hardcoded",
        question="q8",
        description="train_model builds SGD with a literal lr=0.1: the lr argument is ignored",
        kind="loop",
        target="train_model",
        edits=(("lr=lr", "lr=0.1"),),
        rerun=(DIGITS, DIAB, BASE),
    ),
    Mutant(
        name="train_epochs_off_by_one",
        question="q8",
        description="train_model loops over range(1, n_epochs): one epoch too few, history has n_epochs - 1 entries",
        kind="loop",
        target="train_model",
        edits=(("for _ in range(n_epochs):", "for _ in range(1, n_epochs):"),),
        rerun=(DIGITS, DIAB, BASE),
    ),
    Mutant(
        name="train_history_per_batch",
        question="q8",
        description="train_model appends every batch loss to the history (length n_epochs * n_batches) instead of one mean per epoch",
        kind="loop",
        target="train_model",
        edits=(
            ("batch_losses.append(loss.item())", "history.append(loss.item())"),
            ("        history.append(sum(batch_losses) / len(batch_losses))\n", ""),
        ),
        rerun=(DIGITS, DIAB, BASE),
    ),
    Mutant(
        name="train_generator_not_seeded",
        question="q8",
        description="train_model creates torch.Generator() without manual_seed(seed): fixed default seed, the seed argument has no effect",
        kind="loop",
        target="train_model",
        edits=(("gen = torch.Generator().manual_seed(seed)", "gen = torch.Generator()"),),
        rerun=(DIGITS, DIAB, BASE),
    ),
    Mutant(
        name="compute_loss_rmse",
        question="q8",
        description="compute_loss's mse branch returns the root of the mean squared error (RMSE) instead of the MSE",
        kind="formula",
        target="compute_loss",
        edits=(
            (
                "return F.mse_loss(outputs.reshape(targets.shape), targets)",
                "return torch.sqrt(F.mse_loss(outputs.reshape(targets.shape), targets))",
            ),
        ),
        rerun=(DIAB,),
    ),
    # ---------------- q9 ----------------
    Mutant(
        name="digits_heavy_weight_decay",
        question="q9",
        description="digits model trained with weight_decay=0.1 ('regularisation helps with noise'): underfits",
        kind="outcome",
        target=DIGITS,
        edits=(("batch_size=32, seed=0,", "batch_size=32, weight_decay=0.1, seed=0,"),),
        rerun=(),
    ),
    Mutant(
        name="digits_lr_too_large",
        question="q9",
        description="digits model trained with lr=2.0 ('faster convergence'): SGD diverges and the network dies",
        kind="outcome",
        target=DIGITS,
        edits=(("lr=0.2", "lr=2.0"),),
        rerun=(),
    ),
    # ---------------- q10 ----------------
    Mutant(
        name="diab_trained_on_val_split",
        question="q10",
        description="diabetes net trained on the validation features/target (train statistics for scaling): validation R^2 looks great, held-out is worse",
        kind="outcome",
        target=DIAB,
        edits=(
            ("_y_scaled = (diab_y_train - ", "_y_scaled = (diab_y_val - "),
            (
                "diabetes_model.net, diab_X_train, _y_scaled",
                "diabetes_model.net, diab_X_val, _y_scaled",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="diab_wide_deep_net",
        question="q10",
        description="DiabetesRegressor uses a large MLP 10 -> 256 -> 256 -> 1 on 282 samples: overfits",
        kind="outcome",
        target="DiabetesRegressor",
        edits=(("make_mlp([10, 16, 1], seed=0)", "make_mlp([10, 256, 256, 1], seed=0)"),),
        rerun=(DIAB,),
    ),
    Mutant(
        name="diab_target_centered_not_scaled",
        question="q10",
        description="target only centred (mean subtracted), std buffer left at 1: raw-scale target makes SGD diverge",
        kind="outcome",
        target=DIAB,
        edits=(("diabetes_model.target_std.fill_(diab_y_train.std().item())\n", ""),),
        rerun=(),
    ),
    # ---------------- q11 ----------------
    Mutant(
        name="dropout_multiplies_by_keep_prob",
        question="q11",
        description="kept activations multiplied by (1 - p) instead of divided by it: expected output (1-p)^2 * x",
        kind="formula",
        target="MyDropout",
        edits=(("return x * keep / (1.0 - self.p)", "return x * keep * (1.0 - self.p)"),),
        rerun=(REG,),
    ),
    Mutant(
        name="dropout_default_p_changed",
        question="q11",
        description="MyDropout's default probability changed to p=0.2 (a common value) instead of the required p=0.5",
        kind="formula",
        target="MyDropout",
        edits=(("def __init__(self, p=0.5):", "def __init__(self, p=0.2):"),),
        rerun=(),
    ),
    # ---------------- q12 ----------------
    Mutant(
        name="bn_var_via_second_moment",
        question="q12",
        description="batch variance computed as E[x^2] - E[x]^2: cancellation for features with a large mean (can go negative -> nan)",
        kind="tolerance",
        target="MyBatchNorm1d",
        edits=(
            (
                "var = x.var(dim=0, correction=0)",
                "var = (x * x).mean(dim=0) - mean * mean",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bn_running_mean_never_updated",
        question="q12",
        description="only running_var is updated in training: running_mean stays zero, eval normalises with mean 0",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            (
                "                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)\n",
                "",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bn_unbiased_factor_inverted",
        question="q12",
        description="running_var updated with var * (N-1)/N instead of var * N/(N-1) (correction factor inverted)",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(("var * n / (n - 1)", "var * (n - 1) / n"),),
        rerun=(),
    ),
    Mutant(
        name="bn_weight_bias_init_swapped",
        question="q12",
        description="weight initialised with zeros and bias with ones (swapped): initial output is the constant 1",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            (
                "self.weight = nn.Parameter(torch.ones(num_features))",
                "self.weight = nn.Parameter(torch.zeros(num_features))",
            ),
            (
                "self.bias = nn.Parameter(torch.zeros(num_features))",
                "self.bias = nn.Parameter(torch.ones(num_features))",
            ),
        ),
        rerun=(),
    ),
    # ---------------- q13 ----------------
    Mutant(
        name="l2_penalty_square_of_sum",
        question="q13",
        description="l2_penalty squares the sum of each weight matrix (p.sum() ** 2) instead of summing the squares",
        kind="formula",
        target="l2_penalty",
        edits=(("(p**2).sum()", "p.sum() ** 2"),),
        rerun=(),
    ),
    Mutant(
        name="es_reuses_train_model_per_epoch",
        question="q13",
        description="each epoch calls train_model(..., n_epochs=1, seed=seed): a new generator per epoch, so every epoch uses the same permutation",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            (
                "        model.train()\n"
                "        order = torch.randperm(n, generator=gen)\n"
                "        batch_losses = []\n"
                "        for start in range(0, n, batch_size):\n"
                "            idx = order[start : start + batch_size]\n"
                "            optimizer.zero_grad()\n"
                "            loss = compute_loss(model(X_train[idx]), y_train[idx], loss_name)\n"
                "            loss.backward()\n"
                "            optimizer.step()\n"
                "            batch_losses.append(loss.item())\n",
                "        batch_losses = train_model(\n"
                "            model, X_train, y_train, loss_name, 1, lr, batch_size,\n"
                "            weight_decay=weight_decay, seed=seed,\n"
                "        )\n",
            ),
        ),
        rerun=(REG,),
    ),
    Mutant(
        name="es_weight_decay_as_l2_penalty",
        question="q13",
        description="fit_early_stopping drops SGD weight_decay and adds weight_decay * l2_penalty to the loss (gradient 2*lambda*W, biases undecayed, train loss includes the penalty)",
        kind="formula",
        target="fit_early_stopping",
        edits=(
            ("lr=lr, weight_decay=weight_decay)", "lr=lr)"),
            (
                "loss = compute_loss(model(X_train[idx]), y_train[idx], loss_name)",
                "loss = compute_loss(model(X_train[idx]), y_train[idx], loss_name) + weight_decay * l2_penalty(model)",
            ),
        ),
        rerun=(REG,),
    ),
    # ---------------- q14 ----------------
    Mutant(
        name="reg_make_mlp_builtin_batchnorm",
        question="q14",
        description="regularized_model built with make_mlp(..., batchnorm=True): built-in nn.BatchNorm1d (forbidden) and no MyDropout",
        kind="outcome",
        target=REG,
        edits=(
            (
                "regularized_model = nn.Sequential(\n"
                "    nn.Linear(64, 256), nn.ReLU(), MyDropout(0.5),\n"
                "    nn.Linear(256, 256), nn.ReLU(), MyDropout(0.5),\n"
                "    nn.Linear(256, 10),\n"
                ")",
                "regularized_model = make_mlp([64, 256, 256, 10], seed=0, batchnorm=True)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="reg_lr_too_small",
        question="q14",
        description="regularized model trained with lr=0.01: still improving at max_epochs, validation loss worse than the baseline",
        kind="outcome",
        target=REG,
        edits=(
            (
                "lr=0.1, batch_size=16, patience=20",
                "lr=0.01, batch_size=16, patience=20",
            ),
        ),
        rerun=(),
    ),
]
