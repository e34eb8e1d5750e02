"""Blind round 3 for hw01 (issue #26): written by a helper who read only the task text, the
reference solution and the names of rounds 1-2 (tests/mutation/blind_kit.py), never the
tests; graded after round 2's strengthening (838fe16). Figures: solutions/hw01/README.md."""

from mutation.harness import Mutant

DIGITS = "digits_model = DigitsClassifier()"
DIAB = "diabetes_model = DiabetesRegressor()"
BASE = "baseline_model = make_mlp("
REG = "regularized_model = nn.Sequential("
XOR = "xor_params, xor_losses = train_xor()"

MUTANTS = [
    # ---------------- q1 ----------------
    Mutant(
        name="one_hot_column_assign",
        question="q1",
        description="one-hot filled with out[:, labels] = 1: every row gets a 1 in every label's column",
        kind="formula",
        target="to_one_hot",
        edits=(("out[torch.arange(labels.shape[0]), labels] = 1.0", "out[:, labels] = 1.0"),),
    ),
    Mutant(
        name="pick_scores_gather_squeeze",
        question="q1",
        description="pick_class_scores via gather(...).squeeze(): a batch of one returns shape () instead of (1,)",
        kind="tolerance",
        target="pick_class_scores",
        edits=(
            (
                "return scores[torch.arange(scores.shape[0]), labels]",
                "return scores.gather(1, labels.view(-1, 1)).squeeze()",
            ),
        ),
    ),
    Mutant(
        name="pairwise_not_squared",
        question="q1",
        description="pairwise distances returned as Euclidean norms (sqrt) instead of squared distances",
        kind="formula",
        target="pairwise_sq_distances",
        edits=(
            (
                "return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=-1)",
                "return (A[:, None, :] - B[None, :, :]).norm(dim=-1)",
            ),
        ),
    ),
    # ---------------- q2 ----------------
    Mutant(
        name="mse_sum_not_mean",
        question="q2",
        description="mse_and_grads sums the squared errors instead of averaging over N",
        kind="formula",
        target="mse_and_grads",
        edits=(("loss = ((X @ w + b - y) ** 2).mean()", "loss = ((X @ w + b - y) ** 2).sum()"),),
    ),
    Mutant(
        name="derivative_clone_without_detach",
        question="q2",
        description="elementwise_derivative uses x.clone() without detach: for an x that requires grad the clone is a non-leaf (grad None) and the caller's x.grad accumulates",
        kind="graph",
        target="elementwise_derivative",
        edits=(
            ("x = x.detach().clone().requires_grad_(True)", "x = x.clone().requires_grad_(True)"),
        ),
    ),
    # ---------------- q3 ----------------
    Mutant(
        name="count_params_counts_tensors",
        question="q3",
        description="count_parameters counts parameter tensors (len) instead of scalar elements (numel)",
        kind="formula",
        target="count_parameters",
        edits=(
            (
                "return sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "return len([p for p in model.parameters() if p.requires_grad])",
            ),
        ),
    ),
    Mutant(
        name="twolayer_squeezes_output",
        question="q3",
        description="TwoLayerNet.forward squeezes its output: out_features=1 or a batch of one loses the (N, out) shape",
        kind="tolerance",
        target="TwoLayerNet",
        edits=(
            (
                "return self.fc2(torch.relu(self.fc1(x)))",
                "return self.fc2(torch.relu(self.fc1(x))).squeeze()",
            ),
        ),
    ),
    # ---------------- q4 ----------------
    Mutant(
        name="linear_db_mean",
        question="q4",
        description="bias gradient averaged over the batch (dout.mean) instead of summed",
        kind="formula",
        target="linear_backward",
        edits=(("db = dout.sum(dim=0)", "db = dout.mean(dim=0)"),),
    ),
    Mutant(
        name="sigmoid_backward_ignores_dout",
        question="q4",
        description="sigmoid_backward returns the local derivative s(1-s) without multiplying by dout",
        kind="formula",
        target="sigmoid_backward",
        edits=(("return dout * s * (1 - s)", "return s * (1 - s)"),),
    ),
    Mutant(
        name="tanh_backward_sigmoid_formula",
        question="q4",
        description="tanh_backward copy-pasted from sigmoid: dout * t * (1 - t) instead of dout * (1 - t^2)",
        kind="formula",
        target="tanh_backward",
        edits=(("return dout * (1 - t * t)", "return dout * t * (1 - t)"),),
    ),
    # ---------------- q5 ----------------
    Mutant(
        name="ce_grad_not_divided_by_n",
        question="q5",
        description="dlogits = softmax - onehot without the 1/N factor although the loss is a batch mean",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(("return loss, dlogits / n", "return loss, dlogits"),),
    ),
    Mutant(
        name="ce_lse_missing_max",
        question="q5",
        description="log-probs computed as logits - logsumexp(shifted): the subtracted max is never added back",
        kind="tolerance",
        target="softmax_cross_entropy",
        edits=(("log_probs = shifted - torch.log(", "log_probs = logits - torch.log("),),
    ),
    Mutant(
        name="mse_grad_sign_flipped",
        question="q5",
        description="mse_loss uses diff = target - pred: loss unchanged but dpred has the wrong sign",
        kind="formula",
        target="mse_loss",
        edits=(("diff = pred - target", "diff = target - pred"),),
    ),
    # ---------------- q6 ----------------
    Mutant(
        name="relative_error_norm_of_sum",
        question="q6",
        description="relative_error denominator is ||a + b|| instead of ||a|| + ||b||",
        kind="formula",
        target="relative_error",
        edits=(("max((a.norm() + b.norm()).item(), 1e-12)", "max((a + b).norm().item(), 1e-12)"),),
    ),
    Mutant(
        name="numgrad_divides_by_eps",
        question="q6",
        description="central difference divided by eps instead of 2*eps: gradient doubled",
        kind="formula",
        target="numerical_gradient",
        edits=(
            ("flat_grad[i] = (plus - minus) / (2 * eps)", "flat_grad[i] = (plus - minus) / eps"),
        ),
    ),
    Mutant(
        name="numgrad_grad_buffer_float32",
        question="q6",
        description="gradient buffer created with torch.zeros(x.shape): float32 result for float64 input (precision lost)",
        kind="tolerance",
        target="numerical_gradient",
        edits=(("grad = torch.zeros_like(x)", "grad = torch.zeros(x.shape)"),),
    ),
    # ---------------- q7 ----------------
    Mutant(
        name="init_w2_uses_input_fan_in",
        question="q7",
        description="W2 scaled by 1/sqrt(in_features) (copy-paste) instead of 1/sqrt(hidden_features)",
        kind="formula",
        target="init_two_layer",
        edits=(("/ math.sqrt(hidden_features)", "/ math.sqrt(in_features)"),),
        rerun=(XOR,),
    ),
    Mutant(
        name="xor_dW2_from_preactivation",
        question="q7",
        description="second layer's backward given the pre-activation a1 instead of h1: dW2 = a1^T dz",
        kind="formula",
        target="two_layer_loss_and_grads",
        edits=(('linear_backward(dz, h1, params["W2"])', 'linear_backward(dz, a1, params["W2"])'),),
        rerun=(XOR,),
    ),
    Mutant(
        name="xor_biases_not_updated",
        question="q7",
        description="train_xor only updates W1 and W2: the biases stay at zero",
        kind="loop",
        target="train_xor",
        edits=(
            (
                "params = {key: value - lr * grads[key] for key, value in params.items()}",
                'params = {key: (value - lr * grads[key] if key.startswith("W") else value) for key, value in params.items()}',
            ),
        ),
        rerun=(XOR,),
    ),
    # ---------------- q8 ----------------
    Mutant(
        name="compute_loss_squeezes_outputs_in_place",
        question="q8",
        description="MSE branch uses outputs.squeeze_(): the caller's output tensor is reshaped in place (and a batch of one becomes 0-d)",
        kind="in_place",
        target="compute_loss",
        edits=(
            (
                "return F.mse_loss(outputs.reshape(targets.shape), targets)",
                "return F.mse_loss(outputs.squeeze_(), targets)",
            ),
        ),
    ),
    Mutant(
        name="train_no_zero_grad",
        question="q8",
        description="optimizer.zero_grad() never called: gradients accumulate across batches and epochs",
        kind="in_place",
        target="train_model",
        edits=(("            optimizer.zero_grad()\n", ""),),
        rerun=(DIGITS, DIAB, BASE),
    ),
    Mutant(
        name="train_ignores_permutation",
        question="q8",
        description="permutation drawn but batches taken as consecutive slices of the original order",
        kind="loop",
        target="train_model",
        edits=(
            (
                "idx = order[start : start + batch_size]",
                "idx = torch.arange(start, min(start + batch_size, n))",
            ),
        ),
        rerun=(DIGITS, DIAB, BASE),
    ),
    Mutant(
        name="train_history_sample_weighted",
        question="q8",
        description="epoch loss weighted by batch size (sum loss*len / N) instead of the plain mean over batches",
        kind="loop",
        target="train_model",
        edits=(
            ("batch_losses.append(loss.item())", "batch_losses.append(loss.item() * len(idx))"),
            (
                "history.append(sum(batch_losses) / len(batch_losses))",
                "history.append(sum(batch_losses) / n)",
            ),
        ),
        rerun=(DIGITS, DIAB, BASE),
    ),
    # ---------------- q9 ----------------
    Mutant(
        name="digits_undertrained",
        question="q9",
        description="digits model trained for only 5 epochs (debug value left in)",
        kind="outcome",
        target=DIGITS,
        edits=(("n_epochs=60", "n_epochs=5"),),
    ),
    Mutant(
        name="digits_trained_on_standardized_inputs",
        question="q9",
        description="digits model trained on column-standardized pixels, but evaluated on the raw /16 inputs",
        kind="outcome",
        target=DIGITS,
        edits=(
            (
                "digits_model, digits_X_train, digits_y_train,",
                "digits_model, standardize_columns(digits_X_train), digits_y_train,",
            ),
        ),
    ),
    # ---------------- q10 ----------------
    Mutant(
        name="diab_target_scaled_by_variance",
        question="q10",
        description="target normalised with the variance instead of the standard deviation (std buffer filled with var())",
        kind="outcome",
        target=DIAB,
        edits=(
            (
                "diabetes_model.target_std.fill_(diab_y_train.std().item())",
                "diabetes_model.target_std.fill_(diab_y_train.var().item())",
            ),
        ),
    ),
    Mutant(
        name="diab_forward_restandardizes_batch",
        question="q10",
        description="forward standardizes the (already standardized) input again with the batch's own mean/std: batch-dependent output, nan for one sample",
        kind="tolerance",
        target="DiabetesRegressor",
        edits=(
            (
                "return self.net(x) * self.target_std + self.target_mean",
                "x = (x - x.mean(dim=0)) / x.std(dim=0)\n        return self.net(x) * self.target_std + self.target_mean",
            ),
        ),
        rerun=(DIAB,),
    ),
    # ---------------- q11 ----------------
    Mutant(
        name="dropout_scale_by_inv_p",
        question="q11",
        description="kept activations scaled by 1/p instead of 1/(1-p) (identical only for p = 0.5)",
        kind="formula",
        target="MyDropout",
        edits=(("return x * keep / (1.0 - self.p)", "return x * keep / self.p"),),
        rerun=(REG,),
    ),
    Mutant(
        name="dropout_mode_from_grad_enabled",
        question="q11",
        description="dropout active whenever grad mode is on (torch.is_grad_enabled) instead of following self.training",
        kind="mode",
        target="MyDropout",
        edits=(
            (
                "if not self.training or self.p == 0.0:",
                "if not torch.is_grad_enabled() or self.p == 0.0:",
            ),
        ),
        rerun=(REG,),
    ),
    Mutant(
        name="dropout_rescale_by_empirical_keep_rate",
        question="q11",
        description="kept activations divided by the mask's empirical mean instead of (1-p)",
        kind="formula",
        target="MyDropout",
        edits=(("return x * keep / (1.0 - self.p)", "return x * keep / keep.mean()"),),
        rerun=(REG,),
    ),
    # ---------------- q12 ----------------
    Mutant(
        name="bn_batch_stats_under_no_grad",
        question="q12",
        description="batch mean/var computed inside torch.no_grad(): forward correct but no gradient flows through the statistics",
        kind="graph",
        target="MyBatchNorm1d",
        edits=(
            (
                "            mean = x.mean(dim=0)\n"
                "            var = x.var(dim=0, correction=0)\n"
                "            with torch.no_grad():\n",
                "            with torch.no_grad():\n"
                "                mean = x.mean(dim=0)\n"
                "                var = x.var(dim=0, correction=0)\n",
            ),
        ),
    ),
    Mutant(
        name="bn_eps_outside_sqrt",
        question="q12",
        description="eps added after the square root: (x - mu) / (sqrt(var) + eps)",
        kind="tolerance",
        target="MyBatchNorm1d",
        edits=(
            (
                "x_hat = (x - mean) / torch.sqrt(var + self.eps)",
                "x_hat = (x - mean) / (torch.sqrt(var) + self.eps)",
            ),
        ),
    ),
    Mutant(
        name="bn_affine_plain_tensors",
        question="q12",
        description="weight and bias created as plain tensors with requires_grad instead of nn.Parameter (not in parameters())",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            (
                "nn.Parameter(torch.ones(num_features))",
                "torch.ones(num_features, requires_grad=True)",
            ),
            (
                "nn.Parameter(torch.zeros(num_features))",
                "torch.zeros(num_features, requires_grad=True)",
            ),
        ),
    ),
    # ---------------- q13 ----------------
    Mutant(
        name="l2_penalty_norm_not_squared",
        question="q13",
        description="l2_penalty sums Frobenius norms of the weight matrices instead of their squared entries",
        kind="formula",
        target="l2_penalty",
        edits=(("(p**2).sum()", "p.norm()"),),
    ),
    Mutant(
        name="es_epochs_counted_from_one",
        question="q13",
        description="epochs enumerated from 1: best_epoch is one-based",
        kind="loop",
        target="fit_early_stopping",
        edits=(("for epoch in range(max_epochs):", "for epoch in range(1, max_epochs + 1):"),),
    ),
    Mutant(
        name="es_train_mode_set_once",
        question="q13",
        description="model.train() called once before the loop: after the first validation the model trains in eval mode",
        kind="mode",
        target="fit_early_stopping",
        edits=(
            (
                "    for epoch in range(max_epochs):\n        model.train()\n",
                "    model.train()\n    for epoch in range(max_epochs):\n",
            ),
        ),
        rerun=(REG,),
    ),
    Mutant(
        name="es_history_skips_stopping_epoch",
        question="q13",
        description="losses appended at the end of the epoch body, so the epoch that triggers the stop is missing from the history",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            (
                '        history["train_loss"].append(sum(batch_losses) / len(batch_losses))\n'
                '        history["val_loss"].append(val_loss)\n',
                "",
            ),
            (
                "                break\n",
                "                break\n"
                '        history["train_loss"].append(sum(batch_losses) / len(batch_losses))\n'
                '        history["val_loss"].append(val_loss)\n',
            ),
        ),
        rerun=(REG,),
    ),
    # ---------------- q14 ----------------
    Mutant(
        name="reg_single_hidden_layer",
        question="q14",
        description="regularized MLP built with one hidden layer (64 -> 256 -> 10) instead of 64 -> 256 -> 256 -> 10",
        kind="formula",
        target=REG,
        edits=(("    nn.Linear(256, 256), nn.ReLU(), MyDropout(0.5),\n", ""),),
    ),
    Mutant(
        name="reg_uses_nn_dropout",
        question="q14",
        description="regularized model uses the forbidden built-in nn.Dropout instead of MyDropout",
        kind="formula",
        target=REG,
        edits=(("MyDropout(0.5)", "nn.Dropout(0.5)"),),
    ),
    Mutant(
        name="reg_trained_without_early_stopping",
        question="q14",
        description="regularized model trained with train_model for 300 epochs (no early stopping, history a list)",
        kind="outcome",
        target=REG,
        edits=(
            (
                "regularized_history = fit_early_stopping(\n"
                '    regularized_model, small_X_train, small_y_train, digits_X_val, digits_y_val, "cross_entropy",\n'
                "    max_epochs=300, lr=0.1, batch_size=16, patience=20, weight_decay=1e-3, seed=0,\n"
                ")",
                "regularized_history = train_model(\n"
                '    regularized_model, small_X_train, small_y_train, "cross_entropy",\n'
                "    n_epochs=300, lr=0.1, batch_size=16, weight_decay=1e-3, seed=0,\n"
                ")",
            ),
        ),
    ),
]
