"""Blind round 2 for hw01 (issue #26): written by a helper who read only the task text, the
reference solution and the names of round 1 (tests/mutation/blind_kit.py), never the tests;
graded after the round-1 strengthening. Figures: solutions/hw01/README.md."""

from mutation.harness import Mutant

XOR = ("xor_params, xor_losses = train_xor()",)
TRAINED = (
    "digits_history = train_model(",
    "diabetes_history = train_model(",
    "baseline_history = train_model(",
)
DIAB = ("diabetes_history = train_model(",)
DIGITS = ("digits_history = train_model(",)
REG = ("regularized_history = fit_early_stopping(",)

MUTANTS = [
    # ---------------------------------------------------------------- q1
    Mutant(
        name="one_hot_dtype_from_labels",
        question="q1",
        description="one-hot matrix allocated with the labels' dtype (int64) instead of float32",
        kind="formula",
        target="to_one_hot",
        edits=(("dtype=torch.float32", "dtype=labels.dtype"),),
    ),
    Mutant(
        name="standardize_unbiased_std",
        question="q1",
        description="column std computed with the default unbiased estimator (N-1) instead of correction=0",
        kind="tolerance",
        target="standardize_columns",
        edits=(("X.std(dim=0, correction=0, keepdim=True)", "X.std(dim=0, keepdim=True)"),),
    ),
    Mutant(
        name="pairwise_casts_to_float32",
        question="q1",
        description="pairwise distances computed after casting inputs to float32 (float64 input loses dtype/precision)",
        kind="tolerance",
        target="pairwise_sq_distances",
        edits=(
            ("(A[:, None, :] - B[None, :, :])", "(A[:, None, :].float() - B[None, :, :].float())"),
        ),
    ),
    # ---------------------------------------------------------------- q2
    Mutant(
        name="mse_column_prediction_broadcast",
        question="q2",
        description="prediction computed as X @ w.view(-1, 1) (shape (N,1)) so subtracting y broadcasts to (N,N)",
        kind="formula",
        target="mse_and_grads",
        edits=(("X @ w + b - y", "X @ w.view(-1, 1) + b - y"),),
    ),
    Mutant(
        name="derivative_data_factor",
        question="q2",
        description="f built as x.data * sin(x): the first factor is cut from the graph, derivative = x cos x only",
        kind="graph",
        target="elementwise_derivative",
        edits=(("(x * torch.sin(x))", "(x.data * torch.sin(x))"),),
    ),
    # ---------------------------------------------------------------- q3
    Mutant(
        name="twolayer_sigmoid_hidden",
        question="q3",
        description="sigmoid used between fc1 and fc2 instead of the prescribed ReLU",
        kind="formula",
        target="TwoLayerNet",
        edits=(("torch.relu(", "torch.sigmoid("),),
    ),
    Mutant(
        name="count_params_over_modules",
        question="q3",
        description="parameters counted over model.modules() with recursive m.parameters(): nested params counted several times",
        kind="tolerance",
        target="count_parameters",
        edits=(
            (
                "sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "sum(p.numel() for m in model.modules() for p in m.parameters() if p.requires_grad)",
            ),
        ),
    ),
    # ---------------------------------------------------------------- q4
    Mutant(
        name="linear_db_keepdim",
        question="q4",
        description="db summed with keepdim=True: shape (1, D_out) instead of (D_out,) (broadcasts silently in updates)",
        kind="formula",
        target="linear_backward",
        edits=(("db = dout.sum(dim=0)", "db = dout.sum(dim=0, keepdim=True)"),),
        rerun=XOR,
    ),
    Mutant(
        name="sigmoid_backward_treats_x_as_output",
        question="q4",
        description="sigmoid_backward uses x * (1 - x) as if x were the sigmoid output, not the input",
        kind="formula",
        target="sigmoid_backward",
        edits=(("s = torch.sigmoid(x)", "s = x"),),
    ),
    Mutant(
        name="relu_forward_clamps_input",
        question="q4",
        description="relu_forward uses x.clamp_(min=0): the caller's input tensor is overwritten",
        kind="in_place",
        target="relu_forward",
        edits=(("torch.clamp(x, min=0)", "x.clamp_(min=0)"),),
    ),
    # ---------------------------------------------------------------- q5
    Mutant(
        name="ce_log_of_softmax",
        question="q5",
        description="log-probabilities computed as log(softmax(logits)): -inf / inf loss for extreme logits",
        kind="tolerance",
        target="softmax_cross_entropy",
        edits=(
            (
                "log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))",
                "log_probs = torch.log(softmax(logits))",
            ),
        ),
    ),
    Mutant(
        name="ce_loss_summed_over_batch",
        question="q5",
        description="cross-entropy loss summed over the batch instead of averaged (gradient still divided by N)",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(("-log_probs[rows, y].mean()", "-log_probs[rows, y].sum()"),),
        rerun=XOR,
    ),
    Mutant(
        name="mse_half_convention",
        question="q5",
        description="MSE with the 1/2 convention: loss = 0.5*mean(diff^2), dpred = diff/numel (consistent but not the spec)",
        kind="formula",
        target="mse_loss",
        edits=(
            (
                "return (diff**2).mean(), 2.0 * diff / diff.numel()",
                "return 0.5 * (diff**2).mean(), diff / diff.numel()",
            ),
        ),
    ),
    # ---------------------------------------------------------------- q6
    Mutant(
        name="numgrad_perturbs_caller_incrementally",
        question="q6",
        description="no clone: caller's x perturbed with += eps / -= 2eps / += eps, leaving rounding drift in x",
        kind="in_place",
        target="numerical_gradient",
        edits=(
            ("x = x.detach().clone()", "x = x.detach()"),
            ("        original = flat_x[i].item()\n", ""),
            ("flat_x[i] = original + eps", "flat_x[i] += eps"),
            ("flat_x[i] = original - eps", "flat_x[i] -= 2 * eps"),
            ("flat_x[i] = original\n", "flat_x[i] += eps\n"),
        ),
    ),
    Mutant(
        name="numgrad_dout_ignored",
        question="q6",
        description="numerical gradient of sum(f(x)) instead of sum(f(x) * dout): the dout argument is ignored",
        kind="formula",
        target="numerical_gradient",
        edits=(("(f(x) * dout).sum()", "f(x).sum()"),),
    ),
    # ---------------------------------------------------------------- q7
    Mutant(
        name="init_divides_by_fan_in",
        question="q7",
        description="weights divided by fan_in instead of sqrt(fan_in) (variance 1/fan_in^2)",
        kind="formula",
        target="init_two_layer",
        edits=(
            ("/ math.sqrt(in_features)", "/ in_features"),
            ("/ math.sqrt(hidden_features)", "/ hidden_features"),
        ),
        rerun=XOR,
    ),
    Mutant(
        name="xor_losses_are_tensors",
        question="q7",
        description="losses list stores the loss tensors instead of Python floats",
        kind="loop",
        target="train_xor",
        edits=(("losses.append(loss.item())", "losses.append(loss)"),),
        rerun=XOR,
    ),
    Mutant(
        name="xor_hidden_hardcoded",
        question="q7",
        description="train_xor always builds 8 hidden units: hidden_features argument ignored",
        kind="loop",
        target="train_xor",
        edits=(
            (
                "init_two_layer(2, hidden_features, 2, seed=seed)",
                "init_two_layer(2, 8, 2, seed=seed)",
            ),
        ),
        rerun=XOR,
    ),
    # ---------------------------------------------------------------- q8
    Mutant(
        name="compute_loss_mse_no_reshape",
        question="q8",
        description="MSE computed between (B,1) outputs and (B,) targets: broadcasts to (B,B)",
        kind="formula",
        target="compute_loss",
        edits=(
            ("F.mse_loss(outputs.reshape(targets.shape), targets)", "F.mse_loss(outputs, targets)"),
        ),
        rerun=DIAB,
    ),
    Mutant(
        name="train_drops_last_partial_batch",
        question="q8",
        description="batches taken only while a full batch fits: the last shorter batch is skipped each epoch",
        kind="loop",
        target="train_model",
        edits=(("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)"),),
        rerun=TRAINED,
    ),
    Mutant(
        name="train_randperm_without_generator",
        question="q8",
        description="permutation drawn from the global RNG: the seed argument / generator is not used",
        kind="loop",
        target="train_model",
        edits=(("torch.randperm(n, generator=gen)", "torch.randperm(n)"),),
        rerun=TRAINED,
    ),
    Mutant(
        name="train_history_keeps_graph",
        question="q8",
        description="batch losses stored as tensors (no .item()): history holds graph-attached tensors",
        kind="graph",
        target="train_model",
        edits=(("batch_losses.append(loss.item())", "batch_losses.append(loss)"),),
        rerun=TRAINED,
    ),
    # ---------------------------------------------------------------- q9
    Mutant(
        name="digits_linear_model",
        question="q9",
        description="DigitsClassifier is a single Linear layer (no hidden layer)",
        kind="outcome",
        target="DigitsClassifier",
        edits=(
            (
                "nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))",
                "nn.Sequential(nn.Linear(64, 10))",
            ),
        ),
        rerun=DIGITS,
    ),
    Mutant(
        name="digits_rescales_input_again",
        question="q9",
        description="forward divides the already-scaled pixels by 16 again",
        kind="outcome",
        target="DigitsClassifier",
        edits=(("return self.net(x)", "return self.net(x / 16.0)"),),
        rerun=DIGITS,
    ),
    # ---------------------------------------------------------------- q10
    Mutant(
        name="diab_forward_no_denorm",
        question="q10",
        description="model trained on the normalised target but forward never maps back to original units",
        kind="formula",
        target="DiabetesRegressor",
        edits=(("return self.net(x) * self.target_std + self.target_mean", "return self.net(x)"),),
        rerun=DIAB,
    ),
    Mutant(
        name="diab_denorm_order_swapped",
        question="q10",
        description="inverse transform applied in the wrong order: (net(x) + mean) * std",
        kind="formula",
        target="DiabetesRegressor",
        edits=(
            (
                "return self.net(x) * self.target_std + self.target_mean",
                "return (self.net(x) + self.target_mean) * self.target_std",
            ),
        ),
        rerun=DIAB,
    ),
    # ---------------------------------------------------------------- q11
    Mutant(
        name="dropout_no_rescale",
        question="q11",
        description="kept activations not multiplied by 1/(1-p) (non-inverted dropout, no eval compensation)",
        kind="formula",
        target="MyDropout",
        edits=(("return x * keep / (1.0 - self.p)", "return x * keep"),),
        rerun=REG,
    ),
    Mutant(
        name="dropout_reseeds_each_call",
        question="q11",
        description="torch.manual_seed(0) inside forward 'for reproducibility': same mask every call, global RNG reset",
        kind="loop",
        target="MyDropout",
        edits=(
            (
                "keep = (torch.rand_like(x) >= self.p)",
                "torch.manual_seed(0)\n        keep = (torch.rand_like(x) >= self.p)",
            ),
        ),
        rerun=REG,
    ),
    Mutant(
        name="dropout_eval_scales_output",
        question="q11",
        description="inverted dropout in training but eval still multiplies by (1-p)",
        kind="mode",
        target="MyDropout",
        edits=(
            (
                "if not self.training or self.p == 0.0:\n            return x",
                "if not self.training:\n            return x * (1.0 - self.p)\n        if self.p == 0.0:\n            return x",
            ),
        ),
        rerun=REG,
    ),
    # ---------------------------------------------------------------- q12
    Mutant(
        name="bn_normalises_with_unbiased_var",
        question="q12",
        description="batch normalised with the unbiased variance (N-1) instead of the biased one",
        kind="tolerance",
        target="MyBatchNorm1d",
        edits=(
            ("var = x.var(dim=0, correction=0)", "var = x.var(dim=0)"),
            ("self.momentum * var * n / (n - 1)", "self.momentum * var"),
        ),
    ),
    Mutant(
        name="bn_momentum_convention_reversed",
        question="q12",
        description="running stats updated with Keras convention: momentum*running + (1-momentum)*batch",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            (
                "self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)",
                "self.running_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)",
            ),
            (
                "self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))",
                "self.running_var.mul_(self.momentum).add_((1 - self.momentum) * var * n / (n - 1))",
            ),
        ),
    ),
    Mutant(
        name="bn_updates_running_in_eval",
        question="q12",
        description="running statistics updated on every call, also in eval mode (before being used)",
        kind="mode",
        target="MyBatchNorm1d",
        edits=(
            (
                "        if self.training:\n"
                "            mean = x.mean(dim=0)\n"
                "            var = x.var(dim=0, correction=0)\n"
                "            with torch.no_grad():\n"
                "                n = x.shape[0]\n"
                "                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)\n"
                "                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))\n"
                "        else:\n"
                "            mean, var = self.running_mean, self.running_var\n",
                "        mean = x.mean(dim=0)\n"
                "        var = x.var(dim=0, correction=0)\n"
                "        with torch.no_grad():\n"
                "            n = x.shape[0]\n"
                "            self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)\n"
                "            self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))\n"
                "        if not self.training:\n"
                "            mean, var = self.running_mean, self.running_var\n",
            ),
        ),
    ),
    # ---------------------------------------------------------------- q13
    Mutant(
        name="l2_penalises_biases",
        question="q13",
        description="l2_penalty sums squares of all parameters, biases included",
        kind="formula",
        target="l2_penalty",
        edits=((" if p.ndim >= 2)", ")"),),
    ),
    Mutant(
        name="es_non_strict_improvement",
        question="q13",
        description="improvement tested with <=: ties reset patience and move best_epoch forward",
        kind="tolerance",
        target="fit_early_stopping",
        edits=(("if val_loss < best_val:", "if val_loss <= best_val:"),),
        rerun=REG,
    ),
    Mutant(
        name="es_best_weights_not_restored",
        question="q13",
        description="best state is saved but never loaded back: model keeps the last epoch's weights",
        kind="loop",
        target="fit_early_stopping",
        edits=(("    model.load_state_dict(best_state)\n", ""),),
        rerun=REG,
    ),
    Mutant(
        name="es_monitors_train_loss",
        question="q13",
        description="early stopping / best epoch decided on the epoch's train loss instead of validation loss",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            ("if val_loss < best_val:", 'if history["train_loss"][-1] < best_val:'),
            ("best_val, waited = val_loss, 0", 'best_val, waited = history["train_loss"][-1], 0'),
        ),
        rerun=REG,
    ),
    Mutant(
        name="es_counter_not_reset",
        question="q13",
        description="patience counter not reset on improvement: counts all non-improving epochs in total",
        kind="loop",
        target="fit_early_stopping",
        edits=(("best_val, waited = val_loss, 0", "best_val = val_loss"),),
        rerun=REG,
    ),
    # ---------------------------------------------------------------- q14
    Mutant(
        name="reg_no_weight_decay",
        question="q14",
        description="regularized model trained with weight_decay=0 (only dropout + early stopping)",
        kind="outcome",
        target="regularized_model = nn.Sequential(",
        edits=(("weight_decay=1e-3", "weight_decay=0.0"),),
    ),
    Mutant(
        name="reg_early_stopping_on_train_split",
        question="q14",
        description="early stopping monitored on the 150 training samples instead of digits validation",
        kind="loop",
        target="regularized_model = nn.Sequential(",
        edits=(
            (
                "small_X_train, small_y_train, digits_X_val, digits_y_val",
                "small_X_train, small_y_train, small_X_train, small_y_train",
            ),
        ),
    ),
    Mutant(
        name="reg_dropout_first_hidden_only",
        question="q14",
        description="MyDropout placed only after the first hidden layer, not after the second",
        kind="formula",
        target="regularized_model = nn.Sequential(",
        edits=(
            ("nn.Linear(256, 256), nn.ReLU(), MyDropout(0.5),", "nn.Linear(256, 256), nn.ReLU(),"),
        ),
    ),
]
