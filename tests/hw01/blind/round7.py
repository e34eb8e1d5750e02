"""Blind round 7 for hw01 (issue #26): written by a helper who read only the task text, the reference solution and the names of rounds 1-6 (tests/mutation/blind_kit.py), never the tests."""

from mutation.harness import Mutant

XOR = "xor_params, xor_losses = train_xor()"
DIGITS = "digits_history = train_model("
DIAB = "diabetes_history = train_model("
BASELINE = "baseline_history = train_model("
REG = "max_epochs=300, lr=0.1, batch_size=16, patience=20"

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="standardize_eps_operator_precedence",
        question="q1",
        description="standardize_columns written as (X - mean) / std + eps: eps added after the division "
        "(constant columns give nan, every entry shifted by eps)",
        kind="tolerance",
        target="standardize_columns",
        edits=(("(X - mean) / (std + eps)", "(X - mean) / std + eps"),),
    ),
    Mutant(
        name="pick_scores_gather_keeps_column",
        question="q1",
        description="pick_class_scores via scores.gather(1, labels[:, None]) without squeezing: shape (N, 1) "
        "instead of (N,)",
        kind="formula",
        target="pick_class_scores",
        edits=(
            ("scores[torch.arange(scores.shape[0]), labels]", "scores.gather(1, labels[:, None])"),
        ),
    ),
    Mutant(
        name="one_hot_numpy_eye_float64",
        question="q1",
        description="to_one_hot built as torch.from_numpy(np.eye(C)[labels]): numpy's float64 result instead of "
        "the required float32",
        kind="formula",
        target="to_one_hot",
        edits=(
            (
                "    out = torch.zeros(labels.shape[0], num_classes, dtype=torch.float32)\n"
                "    out[torch.arange(labels.shape[0]), labels] = 1.0\n"
                "    return out\n",
                "    return torch.from_numpy(np.eye(num_classes)[labels.numpy()])\n",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="mse_and_grads_returns_rmse",
        question="q2",
        description="mse_and_grads takes the square root of the mean squared error (RMSE): loss and both "
        "gradients are those of the RMSE",
        kind="formula",
        target="mse_and_grads",
        edits=(
            ("loss = ((X @ w + b - y) ** 2).mean()", "loss = ((X @ w + b - y) ** 2).mean().sqrt()"),
        ),
    ),
    Mutant(
        name="mse_loss_uses_original_b",
        question="q2",
        description="b copied into a fresh leaf b_leaf, but the loss is built from the caller's b: grad_b is "
        "None (and a caller's b that requires grad accumulates .grad)",
        kind="graph",
        target="mse_and_grads",
        edits=(
            (
                "b = b.detach().clone().requires_grad_(True)",
                "b_leaf = b.detach().clone().requires_grad_(True)",
            ),
            ("b.grad", "b_leaf.grad"),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="twolayer_sequential_without_fc_attrs",
        question="q3",
        description="TwoLayerNet keeps its layers in self.layers = nn.Sequential(...): no fc1 / fc2 attributes "
        "(parameter names layers.0.* / layers.2.*)",
        kind="formula",
        target="TwoLayerNet",
        edits=(
            (
                "self.fc1 = nn.Linear(in_features, hidden_features)\n"
                "        self.fc2 = nn.Linear(hidden_features, out_features)",
                "self.layers = nn.Sequential(\n"
                "            nn.Linear(in_features, hidden_features), nn.ReLU(),\n"
                "            nn.Linear(hidden_features, out_features),\n"
                "        )",
            ),
            ("return self.fc2(torch.relu(self.fc1(x)))", "return self.layers(x)"),
        ),
    ),
    Mutant(
        name="twolayer_reseeds_in_init",
        question="q3",
        description="TwoLayerNet.__init__ calls torch.manual_seed(0) 'for reproducibility': every net has the "
        "same weights whatever the caller's seed, and the global RNG is reset",
        kind="loop",
        target="TwoLayerNet",
        edits=(
            (
                "self.fc1 = nn.Linear(in_features, hidden_features)",
                "torch.manual_seed(0)\n        self.fc1 = nn.Linear(in_features, hidden_features)",
            ),
        ),
    ),
    Mutant(
        name="count_params_linear_layers_only",
        question="q3",
        description="count_parameters only counts parameters of nn.Linear submodules: trainable parameters of "
        "other layers (BatchNorm, Conv, Embedding, bare nn.Parameter) are missed",
        kind="formula",
        target="count_parameters",
        edits=(
            (
                "sum(p.numel() for p in model.parameters() if p.requires_grad)",
                "sum(\n"
                "        p.numel()\n"
                "        for m in model.modules()\n"
                "        if isinstance(m, nn.Linear)\n"
                "        for p in m.parameters()\n"
                "        if p.requires_grad\n"
                "    )",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="relu_forward_mask_multiply",
        question="q4",
        description="relu_forward as x * (x > 0): -inf inputs give nan (-inf * 0) instead of 0",
        kind="tolerance",
        target="relu_forward",
        edits=(("torch.clamp(x, min=0)", "x * (x > 0)"),),
    ),
    Mutant(
        name="relu_forward_zeros_buffer_float32",
        question="q4",
        description="relu_forward fills a torch.zeros(x.shape) buffer: float64 input gives a float32 output",
        kind="formula",
        target="relu_forward",
        edits=(
            (
                "return torch.clamp(x, min=0)",
                "out = torch.zeros(x.shape)\n    out[x > 0] = x[x > 0]\n    return out",
            ),
        ),
    ),
    Mutant(
        name="sigmoid_forward_clamps_input",
        question="q4",
        description="sigmoid_forward clamps x to [-10, 10] 'to avoid overflow': saturated outputs are off by "
        "up to 4.5e-5 (sigmoid(100) != 1)",
        kind="tolerance",
        target="sigmoid_forward",
        edits=(("torch.sigmoid(x)", "torch.sigmoid(x.clamp(-10, 10))"),),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="softmax_exp_of_unshifted_logits",
        question="q5",
        description="softmax computes the shifted logits but exponentiates the original ones (typo): overflow "
        "and nan for logits of a few hundred",
        kind="tolerance",
        target="softmax",
        edits=(("exp = torch.exp(shifted)", "exp = torch.exp(logits)"),),
    ),
    Mutant(
        name="ce_grad_row_indexing",
        question="q5",
        description="dlogits[y] -= 1 instead of dlogits[rows, y] -= 1: whole rows selected by the labels are "
        "decremented instead of one entry per sample",
        kind="formula",
        target="softmax_cross_entropy",
        edits=(("dlogits[rows, y] -= 1.0", "dlogits[y] -= 1.0"),),
        rerun=(XOR,),
    ),
    Mutant(
        name="mse_loss_mean_over_rows",
        question="q5",
        description="mse_loss loss = sum(diff^2) / pred.shape[0] (mean over rows only): for 2-D predictions "
        "the loss is multiplied by the number of columns (dpred still over numel)",
        kind="formula",
        target="mse_loss",
        edits=(("return (diff**2).mean(), ", "return (diff**2).sum() / diff.shape[0], "),),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="relative_error_floor_on_numerator",
        question="q6",
        description="the 1e-12 floor is applied to the numerator ||a - b|| instead of the denominator: equal "
        "tensors give 1e-12/... > 0 and two zero tensors give inf",
        kind="tolerance",
        target="relative_error",
        edits=(
            (
                "((a - b).norm() / max((a.norm() + b.norm()).item(), 1e-12)).item()",
                "((a - b).norm().clamp(min=1e-12) / (a.norm() + b.norm())).item()",
            ),
        ),
    ),
    Mutant(
        name="numgrad_loops_over_first_dim",
        question="q6",
        description="numerical_gradient loops over range(x.shape[0]) (len(x)) instead of every element: for a "
        "2-D x only the first rows' worth of flat elements get a gradient",
        kind="loop",
        target="numerical_gradient",
        edits=(("for i in range(flat_x.numel()):", "for i in range(x.shape[0]):"),),
    ),
    Mutant(
        name="numgrad_mean_instead_of_sum",
        question="q6",
        description="numerical_gradient differentiates mean(f(x) * dout) instead of sum(...): the gradient is "
        "divided by dout.numel()",
        kind="formula",
        target="numerical_gradient",
        edits=(("(f(x) * dout).sum()", "(f(x) * dout).mean()"),),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="init_biases_float32",
        question="q7",
        description="init_two_layer creates the zero biases without dtype: b1 and b2 are float32 instead of "
        "float64",
        kind="formula",
        target="init_two_layer",
        edits=(
            ("torch.zeros(hidden_features, dtype=torch.float64)", "torch.zeros(hidden_features)"),
            ("torch.zeros(out_features, dtype=torch.float64)", "torch.zeros(out_features)"),
        ),
        rerun=(XOR,),
    ),
    Mutant(
        name="init_generator_per_layer",
        question="q7",
        description="init_two_layer creates a fresh Generator().manual_seed(seed) for W2: W2 reuses the same "
        "random numbers as W1 instead of continuing one stream",
        kind="loop",
        target="init_two_layer",
        edits=(
            (
                "torch.randn(hidden_features, out_features, generator=gen,",
                "torch.randn(hidden_features, out_features, generator=torch.Generator().manual_seed(seed),",
            ),
        ),
        rerun=(XOR,),
    ),
    Mutant(
        name="two_layer_uses_global_xor_inputs",
        question="q7",
        description="two_layer_loss_and_grads uses the global XOR_X instead of its X argument (forward and dW1)",
        kind="loop",
        target="two_layer_loss_and_grads",
        edits=(
            ("linear_forward(X, params", "linear_forward(XOR_X, params"),
            ("linear_backward(da1, X, params", "linear_backward(da1, XOR_X, params"),
        ),
        rerun=(XOR,),
    ),
    Mutant(
        name="xor_losses_after_update",
        question="q7",
        description="train_xor records the loss recomputed after each update: losses[0] is not the initial "
        "loss and every entry is shifted by one step",
        kind="loop",
        target="train_xor",
        edits=(
            (
                "losses.append(loss.item())",
                "losses.append(two_layer_loss_and_grads(XOR_X, XOR_Y, params)[0].item())",
            ),
        ),
        rerun=(XOR,),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="train_batch_slice_off_by_one",
        question="q8",
        description="batches sliced as order[start : start + batch_size - 1]: every batch loses one sample "
        "(batch_size=1 gives empty batches and nan)",
        kind="loop",
        target="train_model",
        edits=(("order[start : start + batch_size]", "order[start : start + batch_size - 1]"),),
        rerun=(DIGITS, DIAB, BASELINE),
    ),
    Mutant(
        name="train_random_batches_with_replacement",
        question="q8",
        description="each batch is a fresh randperm(n)[:batch_size]: samples drawn with replacement across "
        "batches instead of walking one permutation per epoch",
        kind="loop",
        target="train_model",
        edits=(
            (
                "idx = order[start : start + batch_size]",
                "idx = torch.randperm(n, generator=gen)[:batch_size]",
            ),
        ),
        rerun=(DIGITS, DIAB, BASELINE),
    ),
    Mutant(
        name="train_history_divides_by_full_batches",
        question="q8",
        description="epoch loss = sum of batch losses / (n // batch_size): the partial last batch is summed "
        "but not counted (and n < batch_size divides by zero)",
        kind="loop",
        target="train_model",
        edits=(("sum(batch_losses) / len(batch_losses)", "sum(batch_losses) / (n // batch_size)"),),
        rerun=(DIGITS, DIAB, BASELINE),
    ),
    Mutant(
        name="train_zero_grad_after_step",
        question="q8",
        description="optimizer.zero_grad() moved after optimizer.step(): gradients already stored in the "
        "caller's model are added into the first step",
        kind="in_place",
        target="train_model",
        edits=(
            ("optimizer.zero_grad()\n            loss = compute_loss", "loss = compute_loss"),
            ("optimizer.step()\n", "optimizer.step()\n            optimizer.zero_grad()\n"),
        ),
        rerun=(DIGITS, DIAB, BASELINE),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="digits_layers_in_python_list",
        question="q9",
        description="DigitsClassifier keeps a hidden Linear in a plain Python list: it is never registered, "
        "never trained and missing from state_dict / parameters()",
        kind="outcome",
        target="DigitsClassifier",
        edits=(
            (
                "self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))",
                "self.fc_in = nn.Linear(64, 128)\n"
                "        self.hidden = [nn.Linear(128, 128)]\n"
                "        self.fc_out = nn.Linear(128, 10)",
            ),
            (
                "return self.net(x)",
                "h = torch.relu(self.fc_in(x))\n"
                "        for layer in self.hidden:\n"
                "            h = torch.relu(layer(h))\n"
                "        return self.fc_out(h)",
            ),
        ),
        rerun=(DIGITS,),
    ),
    Mutant(
        name="digits_standardize_zero_std_pixels",
        question="q9",
        description="DigitsClassifier standardizes pixels with train mean / (std + 1e-8): always-zero border "
        "pixels get a ~1e-8 scale, so noise there explodes to ~1e7",
        kind="tolerance",
        target="DigitsClassifier",
        edits=(
            (
                "self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))",
                "self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))\n"
                '        self.register_buffer("pix_mean", digits_X_train.mean(dim=0))\n'
                '        self.register_buffer("pix_std", digits_X_train.std(dim=0) + 1e-8)',
            ),
            ("return self.net(x)", "return self.net((x - self.pix_mean) / self.pix_std)"),
        ),
        rerun=(DIGITS,),
    ),
    Mutant(
        name="digits_hidden_detached",
        question="q9",
        description="forward keeps a detached copy of the hidden activations and feeds that copy to the output "
        "layer: the first Linear never receives gradients",
        kind="graph",
        target="DigitsClassifier",
        edits=(
            (
                "return self.net(x)",
                "h = self.net[1](self.net[0](x))\n"
                "        self.last_hidden = h.detach()\n"
                "        return self.net[2](self.last_hidden)",
            ),
        ),
        rerun=(DIGITS,),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="diab_buffers_int_dtype",
        question="q10",
        description="target buffers registered as torch.tensor(0) / torch.tensor(1): int64, so fill_ truncates "
        "the train mean/std to integers",
        kind="tolerance",
        target="DiabetesRegressor",
        edits=(("torch.tensor(0.0)", "torch.tensor(0)"), ("torch.tensor(1.0)", "torch.tensor(1)")),
        rerun=(DIAB,),
    ),
    Mutant(
        name="diab_trained_on_train_plus_val",
        question="q10",
        description="diabetes net trained on train + validation (torch.cat) with the normalised target: "
        "validation leaks into training",
        kind="outcome",
        target=DIAB,
        edits=(
            (
                "_y_scaled = (diab_y_train - ",
                "_y_scaled = (torch.cat([diab_y_train, diab_y_val]) - ",
            ),
            (
                "diabetes_model.net, diab_X_train, _y_scaled",
                "diabetes_model.net, torch.cat([diab_X_train, diab_X_val]), _y_scaled",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="dropout_mask_per_row",
        question="q11",
        description="mask drawn as torch.rand(x.shape[0], 1): one keep/drop decision per sample, whole rows "
        "dropped instead of independent elements",
        kind="formula",
        target="MyDropout",
        edits=(("torch.rand_like(x)", "torch.rand(x.shape[0], 1)"),),
        rerun=(REG,),
    ),
    Mutant(
        name="dropout_mask_drawn_in_eval_too",
        question="q11",
        description="the mask is drawn before the training check: in eval the output is right but every call "
        "consumes the global RNG (later masks shift)",
        kind="mode",
        target="MyDropout",
        edits=(
            (
                "        if not self.training or self.p == 0.0:\n"
                "            return x\n"
                "        keep = (torch.rand_like(x) >= self.p).to(x.dtype)\n",
                "        keep = (torch.rand_like(x) >= self.p).to(x.dtype)\n"
                "        if not self.training or self.p == 0.0:\n"
                "            return x\n",
            ),
        ),
        rerun=(REG,),
    ),
    # ------------------------------------------------------------------ q12
    Mutant(
        name="bn_running_var_init_zeros",
        question="q12",
        description="running_var buffer initialised with zeros (copied from running_mean) instead of ones",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            ('"running_var", torch.ones(num_features)', '"running_var", torch.zeros(num_features)'),
        ),
    ),
    Mutant(
        name="bn_affine_not_applied",
        question="q12",
        description="MyBatchNorm1d returns x_hat: weight and bias are created but never applied (no gradients, "
        "only right while they keep their initial values)",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(("return self.weight * x_hat + self.bias", "return x_hat"),),
    ),
    Mutant(
        name="bn_mode_from_grad_enabled",
        question="q12",
        description="batch statistics used whenever grad mode is on (torch.is_grad_enabled) instead of "
        "self.training: eval without no_grad uses/updates batch stats, train under no_grad uses running stats",
        kind="mode",
        target="MyBatchNorm1d",
        edits=(("if self.training:", "if torch.is_grad_enabled():"),),
    ),
    # ------------------------------------------------------------------ q13
    Mutant(
        name="es_val_loss_batched_mean",
        question="q13",
        description="validation loss averaged over mini-batches of batch_size instead of computed on the whole "
        "validation set: the short last batch is over-weighted",
        kind="tolerance",
        target="fit_early_stopping",
        edits=(
            (
                "val_loss = compute_loss(model(X_val), y_val, loss_name).item()",
                "val_losses = [\n"
                "                compute_loss(model(X_val[i : i + batch_size]), y_val[i : i + batch_size], "
                "loss_name).item()\n"
                "                for i in range(0, X_val.shape[0], batch_size)\n"
                "            ]\n"
                "            val_loss = sum(val_losses) / len(val_losses)",
            ),
        ),
        rerun=(REG,),
    ),
    Mutant(
        name="es_generator_seeded_per_epoch",
        question="q13",
        description="each epoch's permutation drawn from a new Generator seeded with seed + epoch instead of "
        "one generator for the whole run: epochs differ from train_model's",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            (
                "torch.randperm(n, generator=gen)",
                "torch.randperm(n, generator=torch.Generator().manual_seed(seed + epoch))",
            ),
        ),
        rerun=(REG,),
    ),
    Mutant(
        name="l2_penalty_only_2d",
        question="q13",
        description="l2_penalty keeps parameters with ndim == 2 only: conv kernels and other >2-D weights are "
        "not penalised",
        kind="formula",
        target="l2_penalty",
        edits=(("p.ndim >= 2", "p.ndim == 2"),),
    ),
    # ------------------------------------------------------------------ q14
    Mutant(
        name="reg_missing_relu",
        question="q14",
        description="regularized_model built as Linear -> MyDropout -> Linear -> MyDropout -> Linear with no "
        "ReLU: a linear model, not the required MLP",
        kind="outcome",
        target=REG,
        edits=(("nn.ReLU(), ", ""),),
    ),
    Mutant(
        name="reg_trains_on_small_plus_val",
        question="q14",
        description="regularized model trained on the 150 samples plus the digits validation set that also "
        "drives early stopping (validation leak)",
        kind="outcome",
        target=REG,
        edits=(
            (
                "regularized_model, small_X_train, small_y_train, digits_X_val",
                "regularized_model, torch.cat([small_X_train, digits_X_val]), "
                "torch.cat([small_y_train, digits_y_val]), digits_X_val",
            ),
        ),
    ),
]
