"""Blind round 5 for hw01 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-4 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

XOR_CELL = "xor_params, xor_losses = train_xor()"
DIGITS_CELL = "digits_history = train_model("
DIABETES_CELL = "diabetes_history = train_model("
BASELINE_CELL = "baseline_history = train_model("
REGULARIZED_CELL = "regularized_model = nn.Sequential("

MUTANTS = [
    # ---------------------------------------------------------------- q1
    Mutant(
        name="one_hot_hardcoded_ten_classes",
        question="q1",
        description="to_one_hot always allocates 10 columns (the digits class count): num_classes ignored",
        kind="formula",
        target="to_one_hot",
        edits=(
            (
                "torch.zeros(labels.shape[0], num_classes, dtype=torch.float32)",
                "torch.zeros(labels.shape[0], 10, dtype=torch.float32)",
            ),
        ),
    ),
    Mutant(
        name="pairwise_mean_over_features",
        question="q1",
        description="pairwise_sq_distances averages the squared differences over D instead of summing them",
        kind="formula",
        target="pairwise_sq_distances",
        edits=((".sum(dim=-1)", ".mean(dim=-1)"),),
    ),
    Mutant(
        name="standardize_global_mean",
        question="q1",
        description="standardize_columns subtracts the mean of the whole matrix (X.mean()) instead of per-column means",
        kind="formula",
        target="standardize_columns",
        edits=(("X.mean(dim=0, keepdim=True)", "X.mean()"),),
    ),
    # ---------------------------------------------------------------- q2
    Mutant(
        name="mse_divides_by_num_features",
        question="q2",
        description="mse_and_grads averages the summed squared errors over D = X.shape[1] instead of N",
        kind="formula",
        target="mse_and_grads",
        edits=(("((X @ w + b - y) ** 2).mean()", "((X @ w + b - y) ** 2).sum() / X.shape[1]"),),
    ),
    Mutant(
        name="mse_b_rebuilt_float32",
        question="q2",
        description="b rebuilt as torch.tensor(b.item(), requires_grad=True): float32 leaf, so grad_b is float32 (rounded) for float64 inputs",
        kind="tolerance",
        target="mse_and_grads",
        edits=(
            (
                "b = b.detach().clone().requires_grad_(True)",
                "b = torch.tensor(b.item(), requires_grad=True)",
            ),
        ),
    ),
    Mutant(
        name="derivative_of_mean",
        question="q2",
        description="elementwise_derivative back-propagates f(x).mean() instead of f(x).sum(): derivative divided by numel",
        kind="formula",
        target="elementwise_derivative",
        edits=(("(x * torch.sin(x)).sum().backward()", "(x * torch.sin(x)).mean().backward()"),),
    ),
    # ---------------------------------------------------------------- q3
    Mutant(
        name="twolayer_leaky_relu",
        question="q3",
        description="TwoLayerNet uses F.leaky_relu between the layers instead of the prescribed ReLU",
        kind="formula",
        target="TwoLayerNet",
        edits=(("torch.relu(self.fc1(x))", "F.leaky_relu(self.fc1(x))"),),
    ),
    Mutant(
        name="twolayer_log_softmax_output",
        question="q3",
        description="TwoLayerNet.forward returns log_softmax of the logits (NLLLoss tutorial habit) instead of raw logits",
        kind="formula",
        target="TwoLayerNet",
        edits=(
            (
                "return self.fc2(torch.relu(self.fc1(x)))",
                "return F.log_softmax(self.fc2(torch.relu(self.fc1(x))), dim=1)",
            ),
        ),
    ),
    Mutant(
        name="count_params_weights_only",
        question="q3",
        description="count_parameters only counts weight matrices (ndim >= 2): biases left out",
        kind="formula",
        target="count_parameters",
        edits=(("if p.requires_grad", "if p.requires_grad and p.ndim >= 2"),),
    ),
    # ---------------------------------------------------------------- q4
    Mutant(
        name="linear_dW_divided_by_batch",
        question="q4",
        description="linear_backward averages dW over the batch (X.T @ dout / N) although dout already holds dL/dout",
        kind="formula",
        target="linear_backward",
        edits=(("dW = X.T @ dout", "dW = X.T @ dout / X.shape[0]"),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="linear_db_summed_over_all",
        question="q4",
        description="db = dout.sum() over every axis: a scalar instead of shape (D_out,) (broadcasts silently in updates)",
        kind="formula",
        target="linear_backward",
        edits=(("db = dout.sum(dim=0)", "db = dout.sum()"),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="sigmoid_backward_autograd_on_caller_x",
        question="q4",
        description="sigmoid_backward uses autograd on the caller's x (requires_grad_ + backward(dout)): x is changed and x.grad accumulates over calls",
        kind="graph",
        target="sigmoid_backward",
        edits=(
            (
                "s = torch.sigmoid(x)\n    return dout * s * (1 - s)",
                "x.requires_grad_(True)\n    torch.sigmoid(x).backward(dout)\n    return x.grad",
            ),
        ),
    ),
    # ---------------------------------------------------------------- q5
    Mutant(
        name="softmax_normalised_over_batch_axis",
        question="q5",
        description="softmax shifts by the row max but divides by the column sums (exp.sum(dim=0))",
        kind="formula",
        target="softmax",
        edits=(("exp / exp.sum(dim=1, keepdim=True)", "exp / exp.sum(dim=0, keepdim=True)"),),
    ),
    Mutant(
        name="ce_grad_divided_by_numel",
        question="q5",
        description="dlogits divided by logits.numel() (N*C, copied from the MSE rule) instead of N",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(("return loss, dlogits / n", "return loss, dlogits / logits.numel()"),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="mse_loss_diff_in_place",
        question="q5",
        description="mse_loss computes diff = pred.sub_(target): the caller's pred is overwritten with the residual",
        kind="in_place",
        target="mse_loss",
        edits=(("diff = pred - target", "diff = pred.sub_(target)"),),
    ),
    # ---------------------------------------------------------------- q6
    Mutant(
        name="relative_error_relative_to_a",
        question="q6",
        description="relative_error divides by ||a|| only (error relative to the first argument) instead of ||a|| + ||b||",
        kind="formula",
        target="relative_error",
        edits=(("max((a.norm() + b.norm()).item(), 1e-12)", "max(a.norm().item(), 1e-12)"),),
    ),
    Mutant(
        name="numgrad_eps_argument_ignored",
        question="q6",
        description="numerical_gradient overrides eps with a local eps = 1e-6: the eps argument is ignored",
        kind="tolerance",
        target="numerical_gradient",
        edits=(
            (
                "x = x.detach().clone()",
                "x = x.detach().clone()\n    eps = 1e-6  # good step for float64",
            ),
        ),
    ),
    Mutant(
        name="numgrad_returns_flat_vector",
        question="q6",
        description="numerical_gradient returns the flat view flat_grad (shape (numel,)) instead of a tensor shaped like x",
        kind="formula",
        target="numerical_gradient",
        edits=(("return grad", "return flat_grad"),),
    ),
    # ---------------------------------------------------------------- q7
    Mutant(
        name="init_uniform_rand",
        question="q7",
        description="init_two_layer draws weights with torch.rand (uniform [0, 1)) instead of torch.randn (normal)",
        kind="formula",
        target="init_two_layer",
        edits=(("torch.randn(", "torch.rand("),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="two_layer_skips_tanh_backward",
        question="q7",
        description="first layer's backward given dh1 directly: the tanh derivative is never applied (da1 unused)",
        kind="formula",
        target="two_layer_loss_and_grads",
        edits=(("linear_backward(da1, X", "linear_backward(dh1, X"),),
        rerun=(XOR_CELL,),
    ),
    Mutant(
        name="xor_epochs_off_by_one",
        question="q7",
        description="train_xor loops over range(1, n_epochs): one epoch too few, losses has n_epochs - 1 entries",
        kind="loop",
        target="train_xor",
        edits=(("range(n_epochs)", "range(1, n_epochs)"),),
        rerun=(XOR_CELL,),
    ),
    # ---------------------------------------------------------------- q8
    Mutant(
        name="train_history_sum_not_mean",
        question="q8",
        description="history records the sum of the epoch's batch losses instead of their mean",
        kind="loop",
        target="train_model",
        edits=(
            (
                "history.append(sum(batch_losses) / len(batch_losses))",
                "history.append(sum(batch_losses))",
            ),
        ),
        rerun=(DIGITS_CELL, DIABETES_CELL, BASELINE_CELL),
    ),
    Mutant(
        name="train_batch_size_hardcoded_32",
        question="q8",
        description="train_model slices batches of 32 (the digits value) whatever batch_size is passed",
        kind="loop",
        target="train_model",
        edits=(
            ("range(0, n, batch_size)", "range(0, n, 32)"),
            ("order[start : start + batch_size]", "order[start : start + 32]"),
        ),
        rerun=(DIGITS_CELL, DIABETES_CELL, BASELINE_CELL),
    ),
    Mutant(
        name="train_sgd_with_momentum",
        question="q8",
        description="train_model's SGD built with momentum=0.9 although the task asks for plain SGD without momentum",
        kind="loop",
        target="train_model",
        edits=(
            (
                "torch.optim.SGD(model.parameters(), lr=lr, weight_decay=weight_decay)",
                "torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)",
            ),
        ),
        rerun=(DIGITS_CELL, DIABETES_CELL, BASELINE_CELL),
    ),
    # ---------------------------------------------------------------- q9
    Mutant(
        name="digits_trained_on_debug_slice",
        question="q9",
        description="digits_model trained on the first 200 training images only (a debug slice left in)",
        kind="loop",
        target=DIGITS_CELL,
        edits=(
            (
                "digits_model, digits_X_train, digits_y_train,",
                "digits_model, digits_X_train[:200], digits_y_train[:200],",
            ),
        ),
    ),
    Mutant(
        name="digits_narrow_hidden_layer",
        question="q9",
        description="DigitsClassifier's hidden layer has only 12 units (64 -> 12 -> 10)",
        kind="outcome",
        target="DigitsClassifier",
        edits=(
            (
                "nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)",
                "nn.Linear(64, 12), nn.ReLU(), nn.Linear(12, 10)",
            ),
        ),
        rerun=(DIGITS_CELL,),
    ),
    # ---------------------------------------------------------------- q10
    Mutant(
        name="diab_net_trained_on_raw_target",
        question="q10",
        description="buffers filled and _y_scaled computed, but the net is trained on the raw diab_y_train (forward still de-normalises)",
        kind="loop",
        target=DIABETES_CELL,
        edits=(('diab_X_train, _y_scaled, "mse"', 'diab_X_train, diab_y_train, "mse"'),),
    ),
    Mutant(
        name="diab_long_training_no_decay",
        question="q10",
        description="diabetes net trained 1000 epochs without weight decay (overfits the small train split)",
        kind="outcome",
        target=DIABETES_CELL,
        edits=(("n_epochs=100", "n_epochs=1000"), ("weight_decay=1e-2", "weight_decay=0.0")),
    ),
    # ---------------------------------------------------------------- q11
    Mutant(
        name="dropout_mode_inverted",
        question="q11",
        description="MyDropout tests `if self.training` instead of `if not self.training`: identity in training, dropout in eval",
        kind="mode",
        target="MyDropout",
        edits=(("if not self.training or self.p == 0.0:", "if self.training or self.p == 0.0:"),),
        rerun=(REGULARIZED_CELL,),
    ),
    Mutant(
        name="dropout_p_hardcoded_half",
        question="q11",
        description="MyDropout.forward uses the literal 0.5 for the mask and the rescale: the p argument is ignored (p=0 still special-cased)",
        kind="formula",
        target="MyDropout",
        edits=(
            ("torch.rand_like(x) >= self.p", "torch.rand_like(x) >= 0.5"),
            ("(1.0 - self.p)", "(1.0 - 0.5)"),
        ),
    ),
    Mutant(
        name="dropout_numpy_mask",
        question="q11",
        description="MyDropout mask drawn with np.random.rand: torch.manual_seed no longer controls (reproduces) the masks",
        kind="loop",
        target="MyDropout",
        edits=(
            (
                "keep = (torch.rand_like(x) >= self.p).to(x.dtype)",
                "keep = torch.from_numpy((np.random.rand(*x.shape) >= self.p).astype(np.float32))",
            ),
        ),
        rerun=(REGULARIZED_CELL,),
    ),
    # ---------------------------------------------------------------- q12
    Mutant(
        name="bn_divides_by_variance",
        question="q12",
        description="MyBatchNorm1d divides by (var + eps) instead of sqrt(var + eps)",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(("torch.sqrt(var + self.eps)", "(var + self.eps)"),),
    ),
    Mutant(
        name="bn_stats_over_all_elements",
        question="q12",
        description="batch mean/var taken over all elements (x.mean(), x.var()) instead of per feature over the batch axis",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            ("x.mean(dim=0)", "x.mean()"),
            ("x.var(dim=0, correction=0)", "x.var(correction=0)"),
        ),
    ),
    Mutant(
        name="bn_normalises_input_in_place",
        question="q12",
        description="x_hat = x.sub_(mean).div_(...): the caller's input is overwritten and backward through var breaks",
        kind="graph",
        target="MyBatchNorm1d",
        edits=(
            (
                "x_hat = (x - mean) / torch.sqrt(var + self.eps)",
                "x_hat = x.sub_(mean).div_(torch.sqrt(var + self.eps))",
            ),
        ),
    ),
    # ---------------------------------------------------------------- q13
    Mutant(
        name="l2_penalty_ndim_strict",
        question="q13",
        description="l2_penalty filters p.ndim > 2: Linear weight matrices are skipped (returns int 0 for an MLP)",
        kind="formula",
        target="l2_penalty",
        edits=(("p.ndim >= 2", "p.ndim > 2"),),
    ),
    Mutant(
        name="l2_penalty_mean_of_squares",
        question="q13",
        description="l2_penalty sums the per-matrix mean of squares instead of the sum of squares",
        kind="formula",
        target="l2_penalty",
        edits=(("(p**2).sum()", "(p**2).mean()"),),
    ),
    Mutant(
        name="es_restores_only_on_early_stop",
        question="q13",
        description="best weights loaded back only when patience triggers the break: a run reaching max_epochs keeps the last weights",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            (
                "                break\n    model.load_state_dict(best_state)\n",
                "                model.load_state_dict(best_state)\n                break\n",
            ),
        ),
        rerun=(REGULARIZED_CELL,),
    ),
    Mutant(
        name="es_leaves_model_in_train_mode",
        question="q13",
        description="fit_early_stopping calls model.train() after restoring the best weights: the returned model is in training mode",
        kind="mode",
        target="fit_early_stopping",
        edits=(
            (
                "model.load_state_dict(best_state)\n    return history",
                "model.load_state_dict(best_state)\n    model.train()\n    return history",
            ),
        ),
        rerun=(REGULARIZED_CELL,),
    ),
    # ---------------------------------------------------------------- q14
    Mutant(
        name="reg_no_dropout_layers",
        question="q14",
        description="regularized_model built without any MyDropout (weight decay and early stopping only)",
        kind="outcome",
        target=REGULARIZED_CELL,
        edits=(("nn.ReLU(), MyDropout(0.5),", "nn.ReLU(),"),),
    ),
    Mutant(
        name="reg_heavy_weight_decay",
        question="q14",
        description="regularized model trained with weight_decay=0.1 ('stronger is better'): underfits",
        kind="outcome",
        target=REGULARIZED_CELL,
        edits=(("weight_decay=1e-3", "weight_decay=0.1"),),
    ),
]
