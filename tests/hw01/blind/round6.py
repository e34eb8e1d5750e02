"""Blind round 6 for hw01 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-5 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

_DIGITS = "digits_history = train_model("
_DIAB = "diabetes_history = train_model("
_BASELINE = "baseline_history = train_model("
_REG = "regularized_history = fit_early_stopping("
_TRAINING_CELLS = (_DIGITS, _DIAB, _BASELINE, _REG)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="pick_scores_one_hot_mask_sum",
        question="q1",
        description="pick_class_scores as (scores * one_hot).sum(1): an inf/-inf score elsewhere in the row gives nan, int scores become float",
        kind="tolerance",
        target="pick_class_scores",
        edits=(
            (
                "return scores[torch.arange(scores.shape[0]), labels]",
                "return (scores * to_one_hot(labels, scores.shape[1])).sum(dim=1)",
            ),
        ),
    ),
    Mutant(
        name="pairwise_axes_swapped",
        question="q1",
        description="new axes put on the wrong operand: A[None] - B[:, None] gives the (M, N) transpose of the distance matrix",
        kind="formula",
        target="pairwise_sq_distances",
        edits=(("A[:, None, :] - B[None, :, :]", "A[None, :, :] - B[:, None, :]"),),
    ),
    Mutant(
        name="standardize_eps_argument_ignored",
        question="q1",
        description="standardize_columns adds the literal 1e-8 to the std: the eps argument passed by the caller is ignored",
        kind="tolerance",
        target="standardize_columns",
        edits=(("(std + eps)", "(std + 1e-8)"),),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="derivative_jacobian_diagonal",
        question="q2",
        description="elementwise_derivative takes jacobian(f, x).diagonal(): right only for 1-D x, wrong shape/values for 2-D x",
        kind="formula",
        target="elementwise_derivative",
        edits=(
            (
                "x = x.detach().clone().requires_grad_(True)\n"
                "    (x * torch.sin(x)).sum().backward()\n"
                "    return x.grad",
                "x = x.detach().clone()\n"
                "    jac = torch.autograd.functional.jacobian(lambda t: t * torch.sin(t), x)\n"
                "    return jac.diagonal()",
            ),
        ),
    ),
    Mutant(
        name="mse_grad_b_shape_one",
        question="q2",
        description="b copied as a 1-element vector (reshape(1)) 'for broadcasting': grad_b has shape (1,) instead of ()",
        kind="formula",
        target="mse_and_grads",
        edits=(
            (
                "b = b.detach().clone().requires_grad_(True)",
                "b = b.detach().clone().reshape(1).requires_grad_(True)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="twolayer_hidden_hardcoded",
        question="q3",
        description="TwoLayerNet always builds 64 hidden units: the hidden_features argument is ignored",
        kind="formula",
        target="TwoLayerNet",
        edits=(
            ("nn.Linear(in_features, hidden_features)", "nn.Linear(in_features, 64)"),
            ("nn.Linear(hidden_features, out_features)", "nn.Linear(64, out_features)"),
        ),
    ),
    Mutant(
        name="count_params_children_only",
        question="q3",
        description="count_parameters iterates model.children(): parameters owned directly by the model (e.g. a bare nn.Linear) are not counted",
        kind="formula",
        target="count_parameters",
        edits=(
            (
                "sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "sum(p.numel() for child in model.children() for p in child.parameters() if p.requires_grad)",
            ),
        ),
    ),
    Mutant(
        name="twolayer_no_bias",
        question="q3",
        description="TwoLayerNet's layers built with bias=False: no biases (fewer parameters, affine map through the origin)",
        kind="formula",
        target="TwoLayerNet",
        edits=(
            (
                "nn.Linear(in_features, hidden_features)",
                "nn.Linear(in_features, hidden_features, bias=False)",
            ),
            (
                "nn.Linear(hidden_features, out_features)",
                "nn.Linear(hidden_features, out_features, bias=False)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="linear_db_not_reduced",
        question="q4",
        description="linear_backward returns db = dout (N, D_out) without summing over the batch: broadcasts silently in updates",
        kind="formula",
        target="linear_backward",
        edits=(("db = dout.sum(dim=0)", "db = dout"),),
    ),
    Mutant(
        name="tanh_backward_square_misplaced",
        question="q4",
        description="tanh derivative written as (1 - tanh(x))^2 instead of 1 - tanh(x)^2",
        kind="formula",
        target="tanh_backward",
        edits=(("dout * (1 - t * t)", "dout * (1 - t) ** 2"),),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="softmax_shift_by_column_max",
        question="q5",
        description="softmax subtracts the per-column max (dim=0) instead of the row max: not a per-row constant, so the result is wrong",
        kind="formula",
        target="softmax",
        edits=(("logits.max(dim=1, keepdim=True)", "logits.max(dim=0, keepdim=True)"),),
    ),
    Mutant(
        name="softmax_upcasts_float64",
        question="q5",
        description="softmax exponentiates shifted.double() 'for precision': float32 logits give a float64 result",
        kind="formula",
        target="softmax",
        edits=(("exp = torch.exp(shifted)", "exp = torch.exp(shifted.double())"),),
    ),
    Mutant(
        name="ce_loss_mean_over_all_entries",
        question="q5",
        description="loss = -(onehot * log_probs).mean(): averaged over N*C entries instead of N (loss divided by C)",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(
            (
                "loss = -log_probs[rows, y].mean()",
                "loss = -(to_one_hot(y, logits.shape[1]).to(logits.dtype) * log_probs).mean()",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="relative_error_float32_cast",
        question="q6",
        description="relative_error converts both tensors to float32: float64 differences below ~1e-7 are rounded away",
        kind="tolerance",
        target="relative_error",
        edits=(("dtype=torch.float64", "dtype=torch.float32"),),
    ),
    Mutant(
        name="relative_error_elementwise_max",
        question="q6",
        description="relative_error copied from CS231n: max over elements of |a-b| / (|a|+|b|) instead of the Frobenius-norm ratio",
        kind="formula",
        target="relative_error",
        edits=(
            (
                "return ((a - b).norm() / max((a.norm() + b.norm()).item(), 1e-12)).item()",
                "return ((a - b).abs() / (a.abs() + b.abs()).clamp(min=1e-12)).max().item()",
            ),
        ),
    ),
    Mutant(
        name="numgrad_skips_last_element",
        question="q6",
        description="numerical_gradient loops over range(numel - 1): the last element's gradient stays 0",
        kind="loop",
        target="numerical_gradient",
        edits=(("range(flat_x.numel())", "range(flat_x.numel() - 1)"),),
    ),
    Mutant(
        name="numgrad_original_is_view",
        question="q6",
        description="original = flat_x[i] (a view, no .item()): it follows the perturbation, so the minus point is x itself and the gradient is halved",
        kind="formula",
        target="numerical_gradient",
        edits=(("original = flat_x[i].item()", "original = flat_x[i]"),),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="init_random_biases",
        question="q7",
        description="init_two_layer draws the biases from the normal too instead of zeros",
        kind="formula",
        target="init_two_layer",
        edits=(
            (
                '"b1": torch.zeros(hidden_features, dtype=torch.float64)',
                '"b1": torch.randn(hidden_features, generator=gen, dtype=torch.float64)',
            ),
            (
                '"b2": torch.zeros(out_features, dtype=torch.float64)',
                '"b2": torch.randn(out_features, generator=gen, dtype=torch.float64)',
            ),
        ),
        rerun=("xor_params, xor_losses = train_xor()",),
    ),
    Mutant(
        name="init_fan_out_scaling",
        question="q7",
        description="weights scaled by 1/sqrt(fan_out) (columns of the layer) instead of 1/sqrt(fan_in)",
        kind="formula",
        target="init_two_layer",
        edits=(
            (
                '/ math.sqrt(hidden_features),\n        "b2"',
                '/ math.sqrt(out_features),\n        "b2"',
            ),
            (
                '/ math.sqrt(in_features),\n        "b1"',
                '/ math.sqrt(hidden_features),\n        "b1"',
            ),
        ),
        rerun=("xor_params, xor_losses = train_xor()",),
    ),
    Mutant(
        name="xor_n_epochs_ignored",
        question="q7",
        description="train_xor loops over range(1000): the n_epochs argument is ignored (default hides it)",
        kind="loop",
        target="train_xor",
        edits=(("for _ in range(n_epochs):", "for _ in range(1000):"),),
    ),
    Mutant(
        name="two_layer_grads_via_autograd",
        question="q7",
        description="two_layer_loss_and_grads uses autograd (forbidden in part B): the returned loss carries a graph",
        kind="graph",
        target="two_layer_loss_and_grads",
        edits=(
            (
                '    a1 = linear_forward(X, params["W1"], params["b1"])\n'
                "    h1 = tanh_forward(a1)\n"
                '    z = linear_forward(h1, params["W2"], params["b2"])\n'
                "    loss, dz = softmax_cross_entropy(z, y)\n"
                '    dh1, dW2, db2 = linear_backward(dz, h1, params["W2"])\n'
                "    da1 = tanh_backward(dh1, a1)\n"
                '    _, dW1, db1 = linear_backward(da1, X, params["W1"])\n'
                '    return loss, {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}',
                "    p = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}\n"
                '    h1 = tanh_forward(linear_forward(X, p["W1"], p["b1"]))\n'
                '    z = linear_forward(h1, p["W2"], p["b2"])\n'
                "    loss, _ = softmax_cross_entropy(z, y)\n"
                "    loss.backward()\n"
                "    return loss, {k: v.grad for k, v in p.items()}",
            ),
        ),
        rerun=("xor_params, xor_losses = train_xor()",),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="compute_loss_log_softmax_dim0",
        question="q8",
        description="cross_entropy branch as nll_loss(log_softmax(outputs, dim=0)): normalised over the batch axis",
        kind="formula",
        target="compute_loss",
        edits=(
            (
                "return F.cross_entropy(outputs, targets)",
                "return F.nll_loss(F.log_softmax(outputs, dim=0), targets)",
            ),
        ),
        rerun=_TRAINING_CELLS,
    ),
    Mutant(
        name="train_targets_not_permuted",
        question="q8",
        description="inputs taken by the permutation but targets sliced in the original order: y[start:start+bs] misaligned with X[idx]",
        kind="loop",
        target="train_model",
        edits=(
            (
                "compute_loss(model(X[idx]), y[idx], loss_name)",
                "compute_loss(model(X[idx]), y[start : start + batch_size], loss_name)",
            ),
        ),
        rerun=(_DIGITS, _DIAB, _BASELINE),
    ),
    Mutant(
        name="train_range_empty_last_batch",
        question="q8",
        description="batches over range(0, n + 1, batch_size): when batch_size divides N an empty batch gives a nan loss in the history",
        kind="loop",
        target="train_model",
        edits=(
            ("for start in range(0, n, batch_size):", "for start in range(0, n + 1, batch_size):"),
        ),
        rerun=(_DIGITS, _DIAB, _BASELINE),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="digits_trains_fresh_instance",
        question="q9",
        description="train_model given a new DigitsClassifier() instance: digits_model itself is never trained",
        kind="outcome",
        target=_DIGITS,
        edits=(
            (
                "digits_model, digits_X_train, digits_y_train",
                "DigitsClassifier(), digits_X_train, digits_y_train",
            ),
        ),
    ),
    Mutant(
        name="digits_full_batch_gd",
        question="q9",
        description="digits model trained with batch_size = the whole train set: 60 full-batch steps only, undertrained",
        kind="outcome",
        target=_DIGITS,
        edits=(("batch_size=32", "batch_size=len(digits_X_train)"),),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="diab_relu_on_output",
        question="q10",
        description="DiabetesRegressor applies ReLU to the net output ('the target is positive'): normalised predictions below the mean are clipped",
        kind="outcome",
        target="DiabetesRegressor",
        edits=(
            (
                "return self.net(x) * self.target_std + self.target_mean",
                "return torch.relu(self.net(x)) * self.target_std + self.target_mean",
            ),
        ),
        rerun=(_DIAB,),
    ),
    Mutant(
        name="diab_buffers_not_persistent",
        question="q10",
        description="target mean/std registered with persistent=False: not in state_dict, a reloaded model predicts in normalised units",
        kind="formula",
        target="DiabetesRegressor",
        edits=(
            (
                'self.register_buffer("target_mean", torch.tensor(0.0))',
                'self.register_buffer("target_mean", torch.tensor(0.0), persistent=False)',
            ),
            (
                'self.register_buffer("target_std", torch.tensor(1.0))',
                'self.register_buffer("target_std", torch.tensor(1.0), persistent=False)',
            ),
        ),
        rerun=(_DIAB,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="dropout_eval_returns_detached",
        question="q11",
        description="MyDropout returns x.detach() in eval mode ('no gradients at inference'): the identity blocks the gradient",
        kind="graph",
        target="MyDropout",
        edits=(
            (
                "if not self.training or self.p == 0.0:\n            return x",
                "if not self.training:\n            return x.detach()\n        if self.p == 0.0:\n            return x",
            ),
        ),
    ),
    Mutant(
        name="dropout_fixed_count_mask",
        question="q11",
        description="MyDropout zeroes exactly int(p * numel) random elements: not independent, and tiny inputs are never dropped",
        kind="formula",
        target="MyDropout",
        edits=(
            (
                "keep = (torch.rand_like(x) >= self.p).to(x.dtype)",
                "keep = torch.ones(x.numel(), dtype=x.dtype)\n"
                "        keep[torch.randperm(x.numel())[: int(self.p * x.numel())]] = 0\n"
                "        keep = keep.view_as(x)",
            ),
        ),
    ),
    Mutant(
        name="dropout_mask_cached_per_shape",
        question="q11",
        description="MyDropout draws the mask once per input shape and reuses it: the same elements are dropped on every call",
        kind="loop",
        target="MyDropout",
        edits=(
            (
                "keep = (torch.rand_like(x) >= self.p).to(x.dtype)",
                'if getattr(self, "_mask", None) is None or self._mask.shape != x.shape:\n'
                "            self._mask = (torch.rand_like(x) >= self.p).to(x.dtype)\n"
                "        keep = self._mask",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q12
    Mutant(
        name="bn_eps_argument_ignored",
        question="q12",
        description="MyBatchNorm1d normalises with the literal 1e-5: the eps argument is ignored",
        kind="tolerance",
        target="MyBatchNorm1d",
        edits=(("torch.sqrt(var + self.eps)", "torch.sqrt(var + 1e-5)"),),
    ),
    Mutant(
        name="bn_params_shape_row",
        question="q12",
        description="weight and bias created with shape (1, C) instead of (C,): broadcasting hides it, state_dict differs from nn.BatchNorm1d",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            ("nn.Parameter(torch.ones(num_features))", "nn.Parameter(torch.ones(1, num_features))"),
            (
                "nn.Parameter(torch.zeros(num_features))",
                "nn.Parameter(torch.zeros(1, num_features))",
            ),
        ),
    ),
    Mutant(
        name="bn_eval_sqrt_in_place",
        question="q12",
        description="std computed as var.add_(eps).sqrt_() to save memory: in eval this overwrites running_var on every call",
        kind="in_place",
        target="MyBatchNorm1d",
        edits=(("torch.sqrt(var + self.eps)", "var.add_(self.eps).sqrt_()"),),
    ),
    Mutant(
        name="bn_mode_from_batch_size",
        question="q12",
        description="batch statistics used whenever N > 1 (instead of self.training): eval with a batch uses and updates batch stats",
        kind="mode",
        target="MyBatchNorm1d",
        edits=(("if self.training:", "if x.shape[0] > 1:"),),
    ),
    # ------------------------------------------------------------------ q13
    Mutant(
        name="l2_penalty_selects_by_name",
        question="q13",
        description="l2_penalty selects parameters named 'weight' instead of ndim >= 2: 1-D norm-layer weights are penalised",
        kind="formula",
        target="l2_penalty",
        edits=(
            (
                "sum((p**2).sum() for p in model.parameters() if p.ndim >= 2)",
                'sum((p**2).sum() for name, p in model.named_parameters() if "weight" in name)',
            ),
        ),
    ),
    Mutant(
        name="es_compares_with_previous_epoch",
        question="q13",
        description="improvement tested against the previous epoch's val loss, not the best so far: patience resets on any decrease",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            (
                "        if val_loss < best_val:\n            best_val, waited = val_loss, 0",
                "        improved = val_loss < best_val\n        best_val = val_loss\n"
                "        if improved:\n            best_val, waited = val_loss, 0",
            ),
        ),
        rerun=(_REG,),
    ),
    Mutant(
        name="es_zero_grad_per_epoch",
        question="q13",
        description="fit_early_stopping zeroes gradients once per epoch: gradients accumulate across the epoch's batches",
        kind="in_place",
        target="fit_early_stopping",
        edits=(
            ("            optimizer.zero_grad()\n", ""),
            ("        model.train()\n", "        model.train()\n        optimizer.zero_grad()\n"),
        ),
        rerun=(_REG,),
    ),
    # ------------------------------------------------------------------ q14
    Mutant(
        name="reg_narrower_hidden_layers",
        question="q14",
        description="regularized MLP built 64 -> 128 -> 128 -> 10 instead of the required 64 -> 256 -> 256 -> 10",
        kind="outcome",
        target=_REG,
        edits=(("256", "128"),),
    ),
    Mutant(
        name="reg_dropout_on_input_not_hidden",
        question="q14",
        description="MyDropout(0.2) put on the input pixels instead of after the hidden layers",
        kind="outcome",
        target=_REG,
        edits=(
            (
                "    nn.Linear(64, 256), nn.ReLU(), MyDropout(0.5),\n"
                "    nn.Linear(256, 256), nn.ReLU(), MyDropout(0.5),\n",
                "    MyDropout(0.2), nn.Linear(64, 256), nn.ReLU(),\n"
                "    nn.Linear(256, 256), nn.ReLU(),\n",
            ),
        ),
    ),
]
