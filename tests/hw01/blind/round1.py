"""Blind round 1 for hw01 (issue #26): mistakes written by a helper who read only the task
text and the reference solution (tests/mutation/blind_kit.py), never the tests; graded
by tests/mutation/blind_grade.py before any test changed. Figures: solutions/hw01/README.md."""

from mutation.harness import Mutant

R_DIGITS = "digits_model = DigitsClassifier()"
R_DIAB = "diabetes_model = DiabetesRegressor()"
R_BASE = "baseline_model = make_mlp("
R_REG = "regularized_history = fit_early_stopping("

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="one_hot_width_from_max_label",
        question="q1",
        description="num_classes argument ignored; width taken as labels.max() + 1",
        kind="tolerance",
        target="to_one_hot",
        edits=(
            (
                "torch.zeros(labels.shape[0], num_classes,",
                "torch.zeros(labels.shape[0], int(labels.max()) + 1,",
            ),
        ),
    ),
    Mutant(
        name="standardize_in_place",
        question="q1",
        description="standardize_columns normalises the caller's matrix in place and returns it",
        kind="in_place",
        target="standardize_columns",
        edits=(
            (
                "    return (X - mean) / (std + eps)",
                "    X -= mean\n    X /= std + eps\n    return X",
            ),
        ),
    ),
    Mutant(
        name="pairwise_expansion_formula",
        question="q1",
        description="squared distances via |a|^2 + |b|^2 - 2ab (cancellation, can go negative)",
        kind="tolerance",
        target="pairwise_sq_distances",
        edits=(
            (
                "return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=-1)",
                "return (A**2).sum(dim=1)[:, None] + (B**2).sum(dim=1)[None, :] - 2 * A @ B.T",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="mse_loss_keeps_graph",
        question="q2",
        description="mse_and_grads returns the loss still attached to the graph (no .detach())",
        kind="graph",
        target="mse_and_grads",
        edits=(("return loss.detach(), w.grad, b.grad", "return loss, w.grad, b.grad"),),
    ),
    Mutant(
        name="mse_grads_on_caller_w",
        question="q2",
        description="requires_grad set on the caller's w itself (no clone): grads accumulate across calls",
        kind="in_place",
        target="mse_and_grads",
        edits=(("w = w.detach().clone().requires_grad_(True)", "w = w.requires_grad_(True)"),),
    ),
    Mutant(
        name="derivative_on_caller_x",
        question="q2",
        description="elementwise_derivative marks the caller's x as requiring grad and reads its .grad",
        kind="in_place",
        target="elementwise_derivative",
        edits=(("x = x.detach().clone().requires_grad_(True)", "x.requires_grad_(True)"),),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="count_params_ignores_frozen",
        question="q3",
        description="count_parameters counts frozen parameters too (no requires_grad filter)",
        kind="tolerance",
        target="count_parameters",
        edits=((" if p.requires_grad)", ")"),),
    ),
    Mutant(
        name="two_layer_relu_on_logits",
        question="q3",
        description="ReLU also applied after fc2, so logits are non-negative",
        kind="formula",
        target="TwoLayerNet",
        edits=(
            (
                "return self.fc2(torch.relu(self.fc1(x)))",
                "return torch.relu(self.fc2(torch.relu(self.fc1(x))))",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="relu_backward_one_at_zero",
        question="q4",
        description="ReLU derivative at exactly 0 taken as 1 (x >= 0)",
        kind="tolerance",
        target="relu_backward",
        edits=(("(x > 0)", "(x >= 0)"),),
    ),
    Mutant(
        name="relu_backward_in_place",
        question="q4",
        description="relu_backward zeroes the caller's dout in place and returns it",
        kind="in_place",
        target="relu_backward",
        edits=(
            ("    return dout * (x > 0).to(dout.dtype)", "    dout[x <= 0] = 0\n    return dout"),
        ),
    ),
    Mutant(
        name="sigmoid_naive_exp_ratio",
        question="q4",
        description="sigmoid as exp(x) / (1 + exp(x)): nan for large positive inputs",
        kind="tolerance",
        target="sigmoid_forward",
        edits=(("return torch.sigmoid(x)", "return torch.exp(x) / (1 + torch.exp(x))"),),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="softmax_global_max",
        question="q5",
        description="softmax subtracts the global max instead of the row max (rows can underflow)",
        kind="tolerance",
        target="softmax",
        edits=(("logits.max(dim=1, keepdim=True).values", "logits.max()"),),
    ),
    Mutant(
        name="ce_shifts_caller_logits",
        question="q5",
        description="row max subtracted from the caller's logits in place",
        kind="in_place",
        target="softmax_cross_entropy",
        edits=(
            (
                "    shifted = logits - logits.max(dim=1, keepdim=True).values",
                "    logits -= logits.max(dim=1, keepdim=True).values\n    shifted = logits",
            ),
        ),
    ),
    Mutant(
        name="mse_grad_divided_by_batch",
        question="q5",
        description="dpred divided by the batch size N instead of the number of elements",
        kind="formula",
        target="mse_loss",
        edits=(("2.0 * diff / diff.numel()", "2.0 * diff / diff.shape[0]"),),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="relative_error_no_floor",
        question="q6",
        description="denominator without the 1e-12 floor: nan for two zero tensors",
        kind="tolerance",
        target="relative_error",
        edits=(("max((a.norm() + b.norm()).item(), 1e-12)", "(a.norm() + b.norm()).item()"),),
    ),
    Mutant(
        name="numgrad_forward_difference",
        question="q6",
        description="one-sided (forward) differences instead of central differences",
        kind="formula",
        target="numerical_gradient",
        edits=(("flat_x[i] = original - eps", "flat_x[i] = original"), ("(2 * eps)", "eps")),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="init_global_rng",
        question="q7",
        description="generator created but randn draws from the global RNG: seed ignored",
        kind="loop",
        target="init_two_layer",
        edits=((", generator=gen", ""),),
    ),
    Mutant(
        name="xor_tanh_backward_on_output",
        question="q7",
        description="tanh_backward given the activation h1 instead of the pre-activation a1",
        kind="formula",
        target="two_layer_loss_and_grads",
        edits=(("tanh_backward(dh1, a1)", "tanh_backward(dh1, h1)"),),
        rerun=("xor_params, xor_losses = train_xor()",),
    ),
    Mutant(
        name="train_xor_seed_ignored",
        question="q7",
        description="train_xor always initialises with seed 0",
        kind="loop",
        target="train_xor",
        edits=(("seed=seed)", "seed=0)"),),
        rerun=("xor_params, xor_losses = train_xor()",),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="train_same_order_every_epoch",
        question="q8",
        description="generator re-seeded each epoch, so every epoch uses the same permutation",
        kind="loop",
        target="train_model",
        edits=(
            (
                "torch.randperm(n, generator=gen)",
                "torch.randperm(n, generator=torch.Generator().manual_seed(seed))",
            ),
        ),
        rerun=(R_DIGITS, R_DIAB, R_BASE),
    ),
    Mutant(
        name="train_no_train_mode",
        question="q8",
        description="model.train() never called: a model left in eval mode trains in eval mode",
        kind="mode",
        target="train_model",
        edits=(("        model.train()\n", ""),),
        rerun=(R_DIGITS, R_DIAB, R_BASE),
    ),
    Mutant(
        name="train_history_last_batch",
        question="q8",
        description="history records the last batch's loss instead of the epoch mean",
        kind="loop",
        target="train_model",
        edits=(
            (
                "history.append(sum(batch_losses) / len(batch_losses))",
                "history.append(batch_losses[-1])",
            ),
        ),
        rerun=(R_DIGITS, R_DIAB, R_BASE),
    ),
    Mutant(
        name="train_weight_decay_ignored",
        question="q8",
        description="weight_decay argument not passed to SGD",
        kind="loop",
        target="train_model",
        edits=(("lr=lr, weight_decay=weight_decay)", "lr=lr)"),),
        rerun=(R_DIGITS, R_DIAB, R_BASE),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="digits_softmax_output",
        question="q9",
        description="DigitsClassifier returns softmax probabilities, fed to cross_entropy as logits",
        kind="formula",
        target="DigitsClassifier",
        edits=(("return self.net(x)", "return torch.softmax(self.net(x), dim=1)"),),
        rerun=(R_DIGITS,),
    ),
    Mutant(
        name="digits_train_on_train_plus_val",
        question="q9",
        description="digits model trained on train + validation data",
        kind="outcome",
        target="digits_history = train_model(",
        edits=(
            (
                "digits_model, digits_X_train, digits_y_train,",
                "digits_model, torch.cat([digits_X_train, digits_X_val]),"
                " torch.cat([digits_y_train, digits_y_val]),",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="diab_target_stats_from_val",
        question="q10",
        description="target mean/std for the output buffers computed on the validation split",
        kind="outcome",
        target="_y_scaled = ",
        edits=(
            ("fill_(diab_y_train.mean().item())", "fill_(diab_y_val.mean().item())"),
            ("fill_(diab_y_train.std().item())", "fill_(diab_y_val.std().item())"),
        ),
    ),
    Mutant(
        name="diab_plain_attributes_not_buffers",
        question="q10",
        description="target mean/std stored as plain tensor attributes, not registered buffers",
        kind="formula",
        target="DiabetesRegressor",
        edits=(
            (
                'self.register_buffer("target_mean", torch.tensor(0.0))',
                "self.target_mean = torch.tensor(0.0)",
            ),
            (
                'self.register_buffer("target_std", torch.tensor(1.0))',
                "self.target_std = torch.tensor(1.0)",
            ),
        ),
        rerun=(R_DIAB,),
    ),
    # ------------------------------------------------------------------ q11
    Mutant(
        name="dropout_keep_prob_swapped",
        question="q11",
        description="mask keeps an element with probability p instead of 1 - p",
        kind="tolerance",
        target="MyDropout",
        edits=(("torch.rand_like(x) >= self.p", "torch.rand_like(x) < self.p"),),
        rerun=(R_REG,),
    ),
    Mutant(
        name="dropout_mask_shared_across_batch",
        question="q11",
        description="one mask per feature shared by all rows of the batch (not independent)",
        kind="formula",
        target="MyDropout",
        edits=(("torch.rand_like(x)", "torch.rand_like(x[0])"),),
        rerun=(R_REG,),
    ),
    Mutant(
        name="dropout_in_place",
        question="q11",
        description="dropout zeroes and rescales the input tensor in place",
        kind="in_place",
        target="MyDropout",
        edits=(
            (
                "        return x * keep / (1.0 - self.p)",
                "        x *= keep\n        x /= 1.0 - self.p\n        return x",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q12
    Mutant(
        name="bn_running_var_biased",
        question="q12",
        description="running_var updated with the biased batch variance (no N/(N-1))",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(("self.momentum * var * n / (n - 1)", "self.momentum * var"),),
    ),
    Mutant(
        name="bn_running_stats_keep_graph",
        question="q12",
        description="running stats reassigned from graph-attached batch stats (no no_grad/detach)",
        kind="graph",
        target="MyBatchNorm1d",
        edits=(
            (
                "            with torch.no_grad():\n"
                "                n = x.shape[0]\n"
                "                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)\n"
                "                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))\n",
                "            n = x.shape[0]\n"
                "            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * mean\n"
                "            self.running_var = (1 - self.momentum) * self.running_var + self.momentum * var * n / (n - 1)\n",
            ),
        ),
    ),
    Mutant(
        name="bn_eval_uses_batch_stats",
        question="q12",
        description="batch statistics used for normalisation in eval mode too (running stats only tracked)",
        kind="mode",
        target="MyBatchNorm1d",
        edits=(
            (
                "        if self.training:\n"
                "            mean = x.mean(dim=0)\n"
                "            var = x.var(dim=0, correction=0)\n",
                "        mean = x.mean(dim=0)\n"
                "        var = x.var(dim=0, correction=0)\n"
                "        if self.training:\n",
            ),
            (
                "        else:\n            mean, var = self.running_mean, self.running_var\n",
                "",
            ),
        ),
    ),
    Mutant(
        name="bn_running_stats_as_parameters",
        question="q12",
        description="running stats stored as frozen nn.Parameter instead of buffers",
        kind="formula",
        target="MyBatchNorm1d",
        edits=(
            (
                'self.register_buffer("running_mean", torch.zeros(num_features))',
                "self.running_mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)",
            ),
            (
                'self.register_buffer("running_var", torch.ones(num_features))',
                "self.running_var = nn.Parameter(torch.ones(num_features), requires_grad=False)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q13
    Mutant(
        name="l2_penalty_via_data",
        question="q13",
        description="penalty computed from p.data: a tensor with no gradient path to parameters",
        kind="graph",
        target="l2_penalty",
        edits=(("(p**2).sum()", "(p.data**2).sum()"),),
    ),
    Mutant(
        name="es_state_not_copied",
        question="q13",
        description="best weights saved as model.state_dict() without deepcopy (aliases live tensors)",
        kind="loop",
        target="fit_early_stopping",
        edits=(
            ("best_state = copy.deepcopy(model.state_dict())", "best_state = model.state_dict()"),
        ),
        rerun=(R_REG,),
    ),
    Mutant(
        name="es_patience_off_by_one",
        question="q13",
        description="stops only when the counter exceeds patience (waits one epoch too many)",
        kind="tolerance",
        target="fit_early_stopping",
        edits=(("if waited >= patience:", "if waited > patience:"),),
        rerun=(R_REG,),
    ),
    Mutant(
        name="es_val_in_train_mode",
        question="q13",
        description="validation loss computed without model.eval() (dropout active)",
        kind="mode",
        target="fit_early_stopping",
        edits=(("        model.eval()\n", ""),),
        rerun=(R_REG,),
    ),
    # ------------------------------------------------------------------ q14
    Mutant(
        name="reg_dropout_on_logits",
        question="q14",
        description="MyDropout also placed after the output layer (logits dropped)",
        kind="formula",
        target="regularized_model = nn.Sequential(",
        edits=(("    nn.Linear(256, 10),\n", "    nn.Linear(256, 10), MyDropout(0.5),\n"),),
    ),
    Mutant(
        name="reg_trained_on_full_train",
        question="q14",
        description="regularized model trained on the full digits train set instead of the 150 samples",
        kind="outcome",
        target="regularized_model = nn.Sequential(",
        edits=(
            (
                "regularized_model, small_X_train, small_y_train,",
                "regularized_model, digits_X_train, digits_y_train,",
            ),
        ),
    ),
]
