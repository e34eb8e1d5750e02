"""Blind round 8 for hw01 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-7 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

XOR_CELL = "xor_params, xor_losses = train_xor()"
DIGITS_CELL = "digits_model = DigitsClassifier()"
DIAB_CELL = "diabetes_model = DiabetesRegressor()"
BASELINE_CELL = "baseline_model = make_mlp("
REG_CELL = "regularized_history = fit_early_stopping("

MUTANTS = [
    # ---------------------------------------------------------------- q1
    Mutant(
        name="one_hot_scatter_unsqueezes_labels_in_place",
        question="q1",
        description="to_one_hot uses out.scatter_(1, labels.unsqueeze_(1), 1): the caller's labels become shape (N, 1)",
        kind="in_place",
        target="to_one_hot",
        edits=(
            (
                "    out[torch.arange(labels.shape[0]), labels] = 1.0\n",
                "    out.scatter_(1, labels.unsqueeze_(1), 1.0)\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="standardize_divides_by_variance",
        question="q1",
        description="standardize_columns divides the centred columns by the (biased) variance instead of the standard deviation",
        kind="formula",
        target="standardize_columns",
        edits=(
            (
                "std = X.std(dim=0, correction=0, keepdim=True)",
                "std = X.var(dim=0, correction=0, keepdim=True)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pick_scores_torch_take_flat",
        question="q1",
        description="pick_class_scores uses torch.take(scores, labels): flat indices, so every entry comes from the first row",
        kind="formula",
        target="pick_class_scores",
        edits=(
            (
                "return scores[torch.arange(scores.shape[0]), labels]",
                "return torch.take(scores, labels)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="pairwise_sum_over_middle_axis",
        question="q1",
        description="pairwise_sq_distances sums the (N, M, D) squared differences over dim=1 (the B axis) instead of the feature axis",
        kind="formula",
        target="pairwise_sq_distances",
        edits=((".sum(dim=-1)", ".sum(dim=1)"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q2
    Mutant(
        name="mse_square_of_mean_residual",
        question="q2",
        description="mse_and_grads squares the mean residual ((Xw + b - y).mean())**2 instead of averaging the squared residuals",
        kind="formula",
        target="mse_and_grads",
        edits=(
            (
                "loss = ((X @ w + b - y) ** 2).mean()",
                "loss = (X @ w + b - y).mean() ** 2",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="derivative_upcasts_float64",
        question="q2",
        description="elementwise_derivative copies x as float64 'for precision': a float32 input gets a float64 derivative",
        kind="formula",
        target="elementwise_derivative",
        edits=(
            (
                "x = x.detach().clone().requires_grad_(True)",
                "x = x.detach().clone().double().requires_grad_(True)",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q3
    Mutant(
        name="count_params_filters_by_grad",
        question="q3",
        description="count_parameters keeps parameters whose .grad is not None instead of requires_grad: a fresh model counts 0",
        kind="formula",
        target="count_parameters",
        edits=(("if p.requires_grad", "if p.grad is not None"),),
        rerun=(),
    ),
    Mutant(
        name="count_params_set_dedup",
        question="q3",
        description="count_parameters sums a set comprehension {p.numel() ...}: parameters of equal size are counted only once",
        kind="tolerance",
        target="count_parameters",
        edits=(
            (
                "return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "return sum({p.numel() for p in model.parameters() if p.requires_grad})",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q4
    Mutant(
        name="linear_db_sum_over_features",
        question="q4",
        description="linear_backward sums dout over dim=1 (features) instead of the batch axis: db has shape (N,)",
        kind="formula",
        target="linear_backward",
        edits=(("db = dout.sum(dim=0)", "db = dout.sum(dim=1)"),),
        rerun=(),
    ),
    Mutant(
        name="linear_dW_torch_layout",
        question="q4",
        description="dW computed as dout.T @ X (nn.Linear's (out, in) weight layout) instead of X.T @ dout: shape (D_out, D_in)",
        kind="formula",
        target="linear_backward",
        edits=(("dW = X.T @ dout", "dW = dout.T @ X"),),
        rerun=(),
    ),
    Mutant(
        name="tanh_forward_via_sigmoid",
        question="q4",
        description="tanh_forward as 2*sigmoid(2x) - 1: cancellation near 0 loses the relative precision of small outputs",
        kind="tolerance",
        target="tanh_forward",
        edits=(("return torch.tanh(x)", "return 2 * torch.sigmoid(2 * x) - 1"),),
        rerun=(XOR_CELL,),
    ),
    # ---------------------------------------------------------------- q5
    Mutant(
        name="ce_loss_missing_minus_sign",
        question="q5",
        description="cross-entropy loss returned without the minus sign (mean log-probability, negative); dlogits still correct",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(
            (
                "loss = -log_probs[rows, y].mean()",
                "loss = log_probs[rows, y].mean()",
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="ce_log_of_clamped_softmax",
        question="q5",
        description="log-probs as log(softmax(logits).clamp_min(1e-12)): finite, but the loss saturates at ~27.6 for extreme logits",
        kind="tolerance",
        target="softmax_cross_entropy",
        edits=(
            (
                "log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))",
                "log_probs = torch.log(softmax(logits).clamp_min(1e-12))",
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="mse_grad_missing_factor_two",
        question="q5",
        description="mse_loss gradient dpred = diff / numel: the factor 2 from the square is forgotten (loss unchanged)",
        kind="formula",
        target="mse_loss",
        edits=(("2.0 * diff / diff.numel()", "diff / diff.numel()"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q6
    Mutant(
        name="relative_error_max_of_norms",
        question="q6",
        description="relative_error denominator max(||a||, ||b||, 1e-12) instead of max(||a|| + ||b||, 1e-12)",
        kind="formula",
        target="relative_error",
        edits=(
            (
                "max((a.norm() + b.norm()).item(), 1e-12)",
                "max(a.norm().item(), b.norm().item(), 1e-12)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="numgrad_difference_sign_swapped",
        question="q6",
        description="central difference written as (L(x - eps) - L(x + eps)) / (2 eps): the numerical gradient has the wrong sign",
        kind="formula",
        target="numerical_gradient",
        edits=(("(plus - minus) / (2 * eps)", "(minus - plus) / (2 * eps)"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q7
    Mutant(
        name="two_layer_db1_skips_tanh_derivative",
        question="q7",
        description="db1 taken as dh1.sum(0) (before the tanh derivative) instead of from da1; dW1 is still correct",
        kind="formula",
        target="two_layer_loss_and_grads",
        edits=(
            (
                '    _, dW1, db1 = linear_backward(da1, X, params["W1"])\n',
                '    _, dW1, _ = linear_backward(da1, X, params["W1"])\n    db1 = dh1.sum(dim=0)\n',
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="init_reseeds_global_rng",
        question="q7",
        description="init_two_layer uses gen = torch.manual_seed(seed): same draws, but the global RNG is reseeded and consumed",
        kind="loop",
        target="init_two_layer",
        edits=(
            (
                "gen = torch.Generator().manual_seed(seed)",
                "gen = torch.manual_seed(seed)",
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="xor_per_sample_updates",
        question="q7",
        description="train_xor updates after every single XOR point (SGD with batch 1) instead of full-batch gradient descent; loss of the last point recorded",
        kind="loop",
        target="train_xor",
        edits=(
            (
                "        loss, grads = two_layer_loss_and_grads(XOR_X, XOR_Y, params)\n"
                "        params = {key: value - lr * grads[key] for key, value in params.items()}\n",
                "        for i in range(XOR_X.shape[0]):\n"
                "            loss, grads = two_layer_loss_and_grads(XOR_X[i : i + 1], XOR_Y[i : i + 1], params)\n"
                "            params = {key: value - lr * grads[key] for key, value in params.items()}\n",
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    # ---------------------------------------------------------------- q8
    Mutant(
        name="compute_loss_mse_sum_reduction",
        question="q8",
        description='MSE branch uses reduction="sum" instead of the batch mean: loss and gradients scale with the batch size',
        kind="formula",
        target="compute_loss",
        edits=(
            (
                "F.mse_loss(outputs.reshape(targets.shape), targets)",
                'F.mse_loss(outputs.reshape(targets.shape), targets, reduction="sum")',
            ),
        ),
        rerun=(DIAB_CELL,),
    ),
    Mutant(
        name="compute_loss_ce_label_smoothing",
        question="q8",
        description="cross_entropy branch copied from a tutorial with label_smoothing=0.1: not the plain F.cross_entropy",
        kind="formula",
        target="compute_loss",
        edits=(
            (
                "F.cross_entropy(outputs, targets)",
                "F.cross_entropy(outputs, targets, label_smoothing=0.1)",
            ),
        ),
        rerun=(DIGITS_CELL, BASELINE_CELL, REG_CELL),
    ),
    Mutant(
        name="train_step_before_backward",
        question="q8",
        description="optimizer.step() called before loss.backward(): gradients are zeroed before they are ever used, the model never learns",
        kind="loop",
        target="train_model",
        edits=(
            (
                "            loss.backward()\n            optimizer.step()\n",
                "            optimizer.step()\n            loss.backward()\n",
            ),
        ),
        rerun=(DIGITS_CELL, DIAB_CELL, BASELINE_CELL),
    ),
    # ---------------------------------------------------------------- q9
    Mutant(
        name="digits_lr_too_small",
        question="q9",
        description="digits model trained with lr=0.001 (an Adam habit) with plain SGD: undertrained after 60 epochs",
        kind="outcome",
        target=DIGITS_CELL,
        edits=(("lr=0.2", "lr=0.001"),),
        rerun=(),
    ),
    Mutant(
        name="digits_noise_augment_in_place",
        question="q9",
        description="noise augmentation done with digits_X_train.add_(...).clamp_(): the global train set (and its view small_X_train) is overwritten",
        kind="in_place",
        target=DIGITS_CELL,
        edits=(
            (
                "digits_history = train_model(",
                "digits_X_train.add_(0.1 * torch.randn_like(digits_X_train)).clamp_(0.0, 1.0)\n"
                "digits_history = train_model(",
            ),
        ),
        rerun=(BASELINE_CELL, REG_CELL),
    ),
    # ---------------------------------------------------------------- q10
    Mutant(
        name="diab_denorm_divides_by_std",
        question="q10",
        description="DiabetesRegressor.forward inverts the scaling as net(x) / std + mean instead of net(x) * std + mean",
        kind="formula",
        target="DiabetesRegressor",
        edits=(("self.net(x) * self.target_std", "self.net(x) / self.target_std"),),
        rerun=(DIAB_CELL,),
    ),
    Mutant(
        name="diab_buffers_never_filled",
        question="q10",
        description="target mean/std computed in local variables to scale the target, but the model's buffers keep 0 and 1: predictions stay in normalised units",
        kind="formula",
        target=DIAB_CELL,
        edits=(
            (
                "diabetes_model.target_mean.fill_(diab_y_train.mean().item())\n"
                "diabetes_model.target_std.fill_(diab_y_train.std().item())\n"
                "_y_scaled = (diab_y_train - diabetes_model.target_mean) / diabetes_model.target_std\n",
                "_t_mean, _t_std = diab_y_train.mean(), diab_y_train.std()\n"
                "_y_scaled = (diab_y_train - _t_mean) / _t_std\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="diab_trained_on_raw_features",
        question="q10",
        description="diabetes net trained on the unstandardised features torch.from_numpy(_X_tr) but used on standardised inputs",
        kind="outcome",
        target=DIAB_CELL,
        edits=(
            (
                "diabetes_model.net, diab_X_train, _y_scaled",
                "diabetes_model.net, torch.from_numpy(_X_tr), _y_scaled",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q11
    Mutant(
        name="dropout_rejects_p_zero",
        question="q11",
        description="MyDropout validates 0 < p < 1: the allowed p = 0 (identity dropout) raises ValueError",
        kind="tolerance",
        target="MyDropout",
        edits=(("if not 0.0 <= p < 1.0:", "if not 0.0 < p < 1.0:"),),
        rerun=(),
    ),
    Mutant(
        name="dropout_wraps_F_dropout",
        question="q11",
        description="MyDropout.forward delegates to the forbidden F.dropout(x, p, training) instead of building its own mask",
        kind="formula",
        target="MyDropout",
        edits=(
            (
                "        keep = (torch.rand_like(x) >= self.p).to(x.dtype)\n"
                "        return x * keep / (1.0 - self.p)\n",
                "        return F.dropout(x, p=self.p, training=self.training)\n",
            ),
        ),
        rerun=(REG_CELL,),
    ),
    # ---------------------------------------------------------------- q12
    Mutant(
        name="bn_running_mean_unbiased_factor",
        question="q12",
        description="the N/(N-1) correction meant for running_var is also applied to the running_mean update (copy-paste)",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(("self.momentum * mean)", "self.momentum * mean * n / (n - 1))"),),
        rerun=(),
    ),
    Mutant(
        name="bn_update_missing_momentum_on_batch",
        question="q12",
        description="running stats updated as (1 - momentum) * running + batch_stat: the momentum factor on the batch term is forgotten",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            ("add_(self.momentum * mean)", "add_(mean)"),
            ("add_(self.momentum * var * n / (n - 1))", "add_(var * n / (n - 1))"),
        ),
        rerun=(),
    ),
    Mutant(
        name="bn_eval_without_eps",
        question="q12",
        description="eval branch written separately as (x - running_mean) / sqrt(running_var): eps forgotten at inference",
        kind="tolerance",
        target="MyBatchNorm1d",
        edits=(
            (
                "            mean, var = self.running_mean, self.running_var\n",
                "            return self.weight * (x - self.running_mean) / torch.sqrt(self.running_var) + self.bias\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bn_batch_mean_scaled_in_place",
        question="q12",
        description="running_mean update uses mean.mul_(momentum) 'to save memory': the batch mean used for normalising is scaled in place (wrong output and gradient)",
        kind="graph",
        target="MyBatchNorm1d",
        edits=(
            (
                "add_(self.momentum * mean)",
                "add_(mean.mul_(self.momentum))",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q13
    Mutant(
        name="l2_penalty_abs_sum",
        question="q13",
        description="l2_penalty sums absolute values of the weight matrices (an L1 penalty) instead of their squares",
        kind="formula",
        target="l2_penalty",
        edits=(("(p**2).sum()", "p.abs().sum()"),),
        rerun=(),
    ),
    Mutant(
        name="es_patience_stops_one_early",
        question="q13",
        description="fit_early_stopping stops when the counter reaches patience - 1: one non-improving epoch too few",
        kind="loop",
        target="fit_early_stopping",
        edits=(("if waited >= patience:", "if waited >= patience - 1:"),),
        rerun=(REG_CELL,),
    ),
    Mutant(
        name="es_weight_decay_ignored",
        question="q13",
        description="fit_early_stopping builds SGD without the weight_decay argument",
        kind="loop",
        target="fit_early_stopping",
        edits=(("lr=lr, weight_decay=weight_decay)", "lr=lr)"),),
        rerun=(REG_CELL,),
    ),
    Mutant(
        name="es_train_loss_full_pass_eval",
        question="q13",
        description="train_loss recorded as the loss on the whole train set after the epoch, in eval mode, instead of the mean of the batch losses",
        kind="mode",
        target="fit_early_stopping",
        edits=(
            (
                'history["train_loss"].append(sum(batch_losses) / len(batch_losses))',
                'history["train_loss"].append(compute_loss(model(X_train), y_train, loss_name).item())',
            ),
        ),
        rerun=(REG_CELL,),
    ),
    Mutant(
        name="es_best_epoch_dedented",
        question="q13",
        description="best_epoch assignment dedented out of the improvement branch: it records the last epoch that did not stop, not the best one",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            ('            history["best_epoch"] = epoch\n', ""),
            (
                "                break\n",
                '                break\n        history["best_epoch"] = epoch\n',
            ),
        ),
        rerun=(REG_CELL,),
    ),
    # ---------------------------------------------------------------- q14
    Mutant(
        name="reg_fits_baseline_model",
        question="q14",
        description="copy-paste: fit_early_stopping is given baseline_model, so regularized_model stays untrained and the baseline is changed",
        kind="outcome",
        target=REG_CELL,
        edits=(
            (
                "    regularized_model, small_X_train",
                "    baseline_model, small_X_train",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="reg_dropout_p_high",
        question="q14",
        description="regularized MLP uses MyDropout(0.9) ('more regularisation is better'): 90% of hidden units dropped, underfits",
        kind="outcome",
        target=REG_CELL,
        edits=(("MyDropout(0.5)", "MyDropout(0.9)"),),
        rerun=(),
    ),
]
