"""Blind round 4 for hw01 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-3 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

XOR_CELL = "xor_params, xor_losses = train_xor()"
DIGITS_CELL = "digits_history = train_model("
DIABETES_CELL = "diabetes_history = train_model("
BASELINE_CELL = "baseline_history = train_model("
REGULARIZED_CELL = "regularized_history = fit_early_stopping("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="standardize_std_over_rows",
        question="q1",
        description="standardize_columns takes the mean per column but the std per row (dim=1)",
        kind="formula",
        target="standardize_columns",
        edits=(
            (
                "std = X.std(dim=0, correction=0, keepdim=True)",
                "std = X.std(dim=1, correction=0, keepdim=True)",
            ),
        ),
    ),
    Mutant(
        name="standardize_eps_inside_sqrt",
        question="q1",
        description="denominator sqrt(var + eps) instead of std + eps: wrong for columns with a tiny scale",
        kind="tolerance",
        target="standardize_columns",
        edits=(
            (
                "std = X.std(dim=0, correction=0, keepdim=True)",
                "var = X.var(dim=0, correction=0, keepdim=True)",
            ),
            ("(std + eps)", "torch.sqrt(var + eps)"),
        ),
    ),
    Mutant(
        name="pairwise_unsqueeze_in_place",
        question="q1",
        description="pairwise_sq_distances uses A.unsqueeze_(1): the caller's A is reshaped to (N, 1, D) in place",
        kind="in_place",
        target="pairwise_sq_distances",
        edits=(("A[:, None, :]", "A.unsqueeze_(1)"),),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="mse_loss_returned_as_float",
        question="q2",
        description="mse_and_grads returns loss.item() (a Python float) instead of a detached scalar tensor",
        kind="formula",
        target="mse_and_grads",
        edits=(("return loss.detach(), w.grad, b.grad", "return loss.item(), w.grad, b.grad"),),
    ),
    Mutant(
        name="derivative_create_graph",
        question="q2",
        description="elementwise_derivative uses autograd.grad(..., create_graph=True): the result carries a graph",
        kind="graph",
        target="elementwise_derivative",
        edits=(
            (
                "(x * torch.sin(x)).sum().backward()\n    return x.grad",
                "(grad,) = torch.autograd.grad((x * torch.sin(x)).sum(), x, create_graph=True)\n"
                "    return grad",
            ),
        ),
    ),
    Mutant(
        name="derivative_computed_in_float32",
        question="q2",
        description="elementwise_derivative casts x to float32 first: float64 input gives a float32, less precise result",
        kind="tolerance",
        target="elementwise_derivative",
        edits=(
            (
                "x = x.detach().clone().requires_grad_(True)",
                "x = x.detach().float().requires_grad_(True)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="count_params_first_dim_only",
        question="q3",
        description="count_parameters sums len(p) (size of the first dimension) instead of p.numel()",
        kind="formula",
        target="count_parameters",
        edits=(("p.numel()", "len(p)"),),
    ),
    Mutant(
        name="twolayer_relu_on_input",
        question="q3",
        description="TwoLayerNet applies ReLU to the input before fc1 instead of between fc1 and fc2",
        kind="formula",
        target="TwoLayerNet",
        edits=(("self.fc2(torch.relu(self.fc1(x)))", "self.fc2(self.fc1(torch.relu(x)))"),),
    ),
    Mutant(
        name="count_params_from_state_dict",
        question="q3",
        description="count_parameters sums numel over state_dict(): buffers (BatchNorm stats) and frozen weights counted",
        kind="tolerance",
        target="count_parameters",
        edits=(
            (
                "for p in model.parameters() if p.requires_grad",
                "for p in model.state_dict().values()",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="relu_backward_mask_from_dout",
        question="q4",
        description="relu_backward masks by the sign of the upstream gradient (dout > 0) instead of the input x",
        kind="formula",
        target="relu_backward",
        edits=(("(x > 0)", "(dout > 0)"),),
    ),
    Mutant(
        name="sigmoid_backward_exp_quotient",
        question="q4",
        description="sigmoid_backward as dout * e^-x / (1 + e^-x)^2: inf/inf = nan for large negative x",
        kind="tolerance",
        target="sigmoid_backward",
        edits=(
            ("s = torch.sigmoid(x)", "e = torch.exp(-x)"),
            ("dout * s * (1 - s)", "dout * e / (1 + e) ** 2"),
        ),
    ),
    Mutant(
        name="tanh_forward_exp_formula",
        question="q4",
        description="tanh_forward written as (e^x - e^-x) / (e^x + e^-x): nan for |x| ~ 100 in float32",
        kind="tolerance",
        target="tanh_forward",
        edits=(
            (
                "return torch.tanh(x)",
                "return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))",
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="ce_loss_column_indexing",
        question="q5",
        description="loss picks log_probs[:, y] (an (N, N) block) and averages it, instead of log_probs[rows, y]",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(("loss = -log_probs[rows, y].mean()", "loss = -log_probs[:, y].mean()"),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="ce_grad_from_unshifted_exp",
        question="q5",
        description="dlogits built from exp(logits) / sum exp(logits) without the max shift: nan for large logits",
        kind="tolerance",
        target="softmax_cross_entropy",
        edits=(
            (
                "dlogits = torch.exp(log_probs)",
                "dlogits = torch.exp(logits) / torch.exp(logits).sum(dim=1, keepdim=True)",
            ),
        ),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="softmax_shift_by_row_mean",
        question="q5",
        description="softmax subtracts the row mean instead of the row max: still overflows for widely spread logits",
        kind="tolerance",
        target="softmax",
        edits=(("logits.max(dim=1, keepdim=True).values", "logits.mean(dim=1, keepdim=True)"),),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="relative_error_returns_tensor",
        question="q6",
        description="relative_error returns a 0-d float64 tensor instead of a Python float (no final .item())",
        kind="formula",
        target="relative_error",
        edits=(("1e-12)).item()", "1e-12))"),),
    ),
    Mutant(
        name="numgrad_position_not_restored",
        question="q6",
        description="numerical_gradient never resets x_i after the minus step: later elements see earlier ones at x - eps",
        kind="tolerance",
        target="numerical_gradient",
        edits=(("        flat_x[i] = original\n        flat_grad", "        flat_grad"),),
    ),
    Mutant(
        name="relative_error_subtracts_in_place",
        question="q6",
        description="relative_error computes a -= b to save memory: a float64 tensor argument of the caller is overwritten",
        kind="in_place",
        target="relative_error",
        edits=(
            (
                "return ((a - b).norm() / max((a.norm() + b.norm()).item(), 1e-12)).item()",
                "denom = max((a.norm() + b.norm()).item(), 1e-12)\n"
                "    a -= b\n"
                "    return (a.norm() / denom).item()",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="init_he_scaling",
        question="q7",
        description="init_two_layer uses He scaling sqrt(2 / fan_in): weight variance 2/fan_in instead of 1/fan_in",
        kind="formula",
        target="init_two_layer",
        edits=(
            ("/ math.sqrt(in_features)", "* math.sqrt(2.0 / in_features)"),
            ("/ math.sqrt(hidden_features)", "* math.sqrt(2.0 / hidden_features)"),
        ),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="xor_lr_ignored",
        question="q7",
        description="train_xor updates params with value - grads[key]: the lr argument is ignored (default 1.0 hides it)",
        kind="loop",
        target="train_xor",
        edits=(("value - lr * grads[key]", "value - grads[key]"),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="two_layer_relu_hidden",
        question="q7",
        description="two_layer_loss_and_grads uses ReLU as the hidden activation instead of the prescribed tanh",
        kind="outcome",
        target="two_layer_loss_and_grads",
        edits=(
            ("tanh_forward(a1)", "relu_forward(a1)"),
            ("tanh_backward(dh1, a1)", "relu_backward(dh1, a1)"),
        ),
        rerun=(XOR_CELL,),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="compute_loss_nll_on_logits",
        question="q8",
        description="cross_entropy branch uses F.nll_loss on raw logits (log_softmax forgotten)",
        kind="formula",
        target="compute_loss",
        edits=(("F.cross_entropy(outputs, targets)", "F.nll_loss(outputs, targets)"),),
        rerun=(DIGITS_CELL, BASELINE_CELL, REGULARIZED_CELL),
    ),
    Mutant(
        name="train_batch_losses_not_reset",
        question="q8",
        description="batch_losses created once before the epoch loop: history holds running means over all epochs so far",
        kind="loop",
        target="train_model",
        edits=(
            ("        batch_losses = []\n", ""),
            ("    history = []\n", "    history = []\n    batch_losses = []\n"),
        ),
        rerun=(DIGITS_CELL, DIABETES_CELL, BASELINE_CELL),
    ),
    Mutant(
        name="train_shuffles_data_in_place",
        question="q8",
        description="each epoch X[:] = X[order] and y[:] = y[order]: the caller's tensors are permuted in place",
        kind="in_place",
        target="train_model",
        edits=(
            (
                "        order = torch.randperm(n, generator=gen)\n",
                "        order = torch.randperm(n, generator=gen)\n"
                "        X[:] = X[order]\n"
                "        y[:] = y[order]\n"
                "        order = torch.arange(n)\n",
            ),
        ),
        rerun=(DIGITS_CELL, DIABETES_CELL, BASELINE_CELL, REGULARIZED_CELL),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="digits_functional_dropout_always_on",
        question="q9",
        description="DigitsClassifier applies F.dropout(h, p=0.2) without training=self.training: dropout also in eval",
        kind="mode",
        target="DigitsClassifier",
        edits=(
            (
                "return self.net(x)",
                "return self.net[2](F.dropout(self.net[1](self.net[0](x)), p=0.2))",
            ),
        ),
        rerun=(DIGITS_CELL,),
    ),
    Mutant(
        name="digits_trained_on_val_split",
        question="q9",
        description="digits_model trained on the validation split (digits_X_val, digits_y_val) instead of train",
        kind="outcome",
        target=DIGITS_CELL,
        edits=(("digits_X_train, digits_y_train", "digits_X_val, digits_y_val"),),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="diab_trains_full_model_on_scaled_target",
        question="q10",
        description="train_model given the whole diabetes_model (with de-normalisation) but the normalised target",
        kind="loop",
        target=DIABETES_CELL,
        edits=(
            (
                "diabetes_model.net, diab_X_train, _y_scaled",
                "diabetes_model, diab_X_train, _y_scaled",
            ),
        ),
    ),
    Mutant(
        name="diab_forward_forgets_mean",
        question="q10",
        description="DiabetesRegressor.forward multiplies by target_std but never adds target_mean back",
        kind="formula",
        target="DiabetesRegressor",
        edits=(
            ("self.net(x) * self.target_std + self.target_mean", "self.net(x) * self.target_std"),
        ),
        rerun=(DIABETES_CELL,),
    ),
    Mutant(
        name="diab_target_scaled_in_place",
        question="q10",
        description="target normalised with diab_y_train.sub_(...).div_(...): the global diab_y_train is overwritten",
        kind="in_place",
        target=DIABETES_CELL,
        edits=(
            (
                "_y_scaled = (diab_y_train - diabetes_model.target_mean) / diabetes_model.target_std",
                "_y_scaled = diab_y_train.sub_(diabetes_model.target_mean).div_(diabetes_model.target_std)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="dropout_randn_mask",
        question="q11",
        description="mask built from torch.randn_like (normal) instead of rand_like: keep rate is P(Z >= p), not 1 - p",
        kind="formula",
        target="MyDropout",
        edits=(("torch.rand_like(x)", "torch.randn_like(x)"),),
        rerun=(REGULARIZED_CELL,),
    ),
    Mutant(
        name="dropout_checks_train_method",
        question="q11",
        description="tests `not self.train` (the bound method, always truthy) instead of self.training: dropout also in eval",
        kind="mode",
        target="MyDropout",
        edits=(("if not self.training or", "if not self.train or"),),
        rerun=(REGULARIZED_CELL,),
    ),
    Mutant(
        name="dropout_uses_x_data",
        question="q11",
        description="output computed from x.data: no gradient flows back through the dropout layer",
        kind="graph",
        target="MyDropout",
        edits=(("return x * keep / (1.0 - self.p)", "return x.data * keep / (1.0 - self.p)"),),
        rerun=(REGULARIZED_CELL,),
    ),
    # ------------------------------------------------------------------ q12
    Mutant(
        name="bn_momentum_hardcoded",
        question="q12",
        description="running stats updated with a hard-coded 0.9 / 0.1: the momentum argument is ignored",
        kind="loop",
        target="MyBatchNorm1d",
        edits=(
            ("mul_(1 - self.momentum).add_(self.momentum * mean)", "mul_(0.9).add_(0.1 * mean)"),
            ("mul_(1 - self.momentum).add_(self.momentum * var", "mul_(0.9).add_(0.1 * var"),
        ),
    ),
    Mutant(
        name="bn_unbiased_factor_uses_num_features",
        question="q12",
        description="unbiased correction for running_var uses n = x.shape[-1] (features) instead of the batch size",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(("n = x.shape[0]", "n = x.shape[-1]"),),
    ),
    Mutant(
        name="bn_train_normalises_with_running_stats",
        question="q12",
        description="in training the batch is normalised with the (just updated) running stats instead of batch stats",
        kind="mode",
        target="MyBatchNorm1d",
        edits=(
            (
                "x_hat = (x - mean) / torch.sqrt(var + self.eps)",
                "x_hat = (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q13
    Mutant(
        name="l2_penalty_half_factor",
        question="q13",
        description="l2_penalty returns 0.5 * sum of squares (the lambda/2 convention from the text) instead of the sum",
        kind="formula",
        target="l2_penalty",
        edits=(("return sum(", "return 0.5 * sum("),),
    ),
    Mutant(
        name="es_min_delta_threshold",
        question="q13",
        description="improvement requires val_loss < best_val - 1e-4 (a Keras-style min_delta) instead of strictly less",
        kind="tolerance",
        target="fit_early_stopping",
        edits=(("if val_loss < best_val:", "if val_loss < best_val - 1e-4:"),),
        rerun=(REGULARIZED_CELL,),
    ),
    Mutant(
        name="es_double_l2_penalty",
        question="q13",
        description="fit_early_stopping adds weight_decay * l2_penalty to the loss on top of SGD weight_decay",
        kind="outcome",
        target="fit_early_stopping",
        edits=(
            (
                "loss = compute_loss(model(X_train[idx]), y_train[idx], loss_name)",
                "loss = compute_loss(model(X_train[idx]), y_train[idx], loss_name)"
                " + weight_decay * l2_penalty(model)",
            ),
        ),
        rerun=(REGULARIZED_CELL,),
    ),
    # ------------------------------------------------------------------ q14
    Mutant(
        name="reg_shares_baseline_layers",
        question="q14",
        description="regularized_model reuses baseline_model's Linear layers: training it also changes baseline_model",
        kind="in_place",
        target=REGULARIZED_CELL,
        edits=(
            (
                "    nn.Linear(64, 256), nn.ReLU(), MyDropout(0.5),\n"
                "    nn.Linear(256, 256), nn.ReLU(), MyDropout(0.5),\n"
                "    nn.Linear(256, 10),",
                "    baseline_model[0], nn.ReLU(), MyDropout(0.5),\n"
                "    baseline_model[2], nn.ReLU(), MyDropout(0.5),\n"
                "    baseline_model[4],",
            ),
        ),
    ),
    Mutant(
        name="reg_patience_two",
        question="q14",
        description="early stopping with patience=2: noisy validation loss stops training far too early",
        kind="outcome",
        target=REGULARIZED_CELL,
        edits=(("patience=20", "patience=2"),),
    ),
]
