"""hw01's mutants: plausible student mistakes, each one change of one definition or answer
cell of the reference solution, each to be caught by the hidden tests of its question.

The first block re-expresses the sixteen mistakes the suite started with; the rest cover the
blind spots found by grading a set of realistic wrong solutions (issue #11): loop behaviour,
train/eval modes, tolerances and degenerate inputs, outcome-only checks, graph hygiene and
effects on the caller's data. `kind` names the blind spot (tests/mutation/harness.py KINDS).
Each mistake's student hint is in tests/hw01/hints.py.
"""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

from hints import CONCEPTS, HINTS
from mutation.harness import Mutant

# answer cells that train a model with the student's code
DIGITS = "digits_model = DigitsClassifier()"
DIABETES = "diabetes_model = DiabetesRegressor()"
REGULARIZED = "regularized_model = nn.Sequential("
TRAINING_CELLS = (DIGITS, DIABETES, REGULARIZED)
# a mutant retrains only the models its own question's tests reach: the many training-loop
# mistakes of q8 would otherwise retrain every model of the notebook (mutation.plans.narrowed)
NARROW_RETRAINING = True

MAX_SHIFT = "shifted = logits - logits.max(dim=1, keepdim=True).values"


def m(name, question, kind, target, edits, description, rerun=()):
    return Mutant(name, question, description, kind, target, tuple(edits), tuple(rerun))


# one entry per mutant reads better than the formatter's layout
# fmt: off
ORIGINAL = [
    m("standardize_wrong_axis", "q1", "formula", "standardize_columns",
      [("dim=0", "dim=1")], "statistics over rows instead of columns"),
    m("softmax_wrong_axis", "q5", "formula", "softmax",
      [("dim=1", "dim=0")], "softmax normalised over the batch axis"),
    m("bias_grad_not_summed", "q4", "formula", "linear_backward",
      [("db = dout.sum(dim=0)", "db = dout.mean(dim=0)")], "db averaged over the batch instead of summed"),
    m("softmax_without_max_subtraction", "q5", "tolerance", "softmax",
      [(MAX_SHIFT, "shifted = logits")], "softmax without subtracting the row maximum (overflows)"),
    m("cross_entropy_without_max_subtraction", "q5", "tolerance", "softmax_cross_entropy",
      [(MAX_SHIFT, "shifted = logits")], "log-sum-exp without subtracting the row maximum"),
    m("mse_sum_instead_of_mean", "q5", "formula", "mse_loss",
      [("return (diff**2).mean(), 2.0 * diff / diff.numel()", "return (diff**2).sum(), 2.0 * diff")],
      "MSE summed instead of averaged"),
    m("cross_entropy_sum_reduction", "q8", "formula", "compute_loss",
      [("F.cross_entropy(outputs, targets)", 'F.cross_entropy(outputs, targets, reduction="sum")')],
      "training cross-entropy with reduction='sum'"),
    m("train_loop_sums_over_batch", "q8", "loop", "train_model",
      [("loss = compute_loss(model(X[idx]), y[idx], loss_name)",
        "loss = compute_loss(model(X[idx]), y[idx], loss_name) * len(idx)")],
      "loss multiplied by the batch size before backward"),
    m("missing_zero_grad", "q8", "loop", "train_model",
      [("optimizer.zero_grad()", "pass")], "gradients never zeroed between steps"),
    m("mse_broadcasts_to_matrix", "q8", "formula", "compute_loss",
      [("F.mse_loss(outputs.reshape(targets.shape), targets)", "((outputs - targets) ** 2).mean()")],
      "MSE of (B, 1) against (B,) broadcast to (B, B)"),
    m("dropout_without_scaling", "q11", "formula", "MyDropout",
      [("return x * keep / (1.0 - self.p)", "return x * keep")], "kept elements not scaled by 1/(1-p)"),
    m("dropout_active_at_eval", "q11", "mode", "MyDropout",
      [("if not self.training or self.p == 0.0:", "if self.p == 0.0:")], "dropout also active in eval mode"),
    m("batchnorm_batch_stats_at_eval", "q12", "mode", "MyBatchNorm1d",
      [("mean, var = self.running_mean, self.running_var",
        "mean, var = x.mean(dim=0), x.var(dim=0, correction=0)")],
      "batch statistics used in eval mode"),
    m("batchnorm_biased_running_var", "q12", "formula", "MyBatchNorm1d",
      [("self.momentum * var * n / (n - 1)", "self.momentum * var")], "running_var from the biased variance"),
    m("batchnorm_normalizes_with_unbiased_var", "q12", "formula", "MyBatchNorm1d",
      [("var = x.var(dim=0, correction=0)", "var = x.var(dim=0, correction=1)"),
       ("self.momentum * var * n / (n - 1)", "self.momentum * var")],
      "normalising with the unbiased variance"),
    m("early_stopping_keeps_last_weights", "q13", "loop", "fit_early_stopping",
      [("model.load_state_dict(best_state)", "pass")], "the best weights are never loaded back"),
    m("early_stopping_saves_state_without_copy", "q13", "loop", "fit_early_stopping",
      [("best_state = copy.deepcopy(model.state_dict())", "best_state = model.state_dict()")],
      "the saved state_dict holds the live tensors (no copy)"),
]

NEW = [
    # q1: tensors
    m("one_hot_int64", "q1", "formula", "to_one_hot",
      [("dtype=torch.float32", "dtype=torch.int64")], "one-hot matrix left as int64"),
    m("standardize_unbiased_std", "q1", "formula", "standardize_columns",
      [("correction=0", "correction=1")], "unbiased std where the biased one is asked for"),
    m("standardize_eps_inside_sqrt", "q1", "tolerance", "standardize_columns",
      [("std = X.std(dim=0, correction=0, keepdim=True)",
        "std = torch.sqrt(X.var(dim=0, correction=0, keepdim=True) + eps)"),
       ("(X - mean) / (std + eps)", "(X - mean) / std")],
      "eps added to the variance under the root (visible only for a tiny variance)"),
    m("standardize_without_eps", "q1", "tolerance", "standardize_columns",
      [("(X - mean) / (std + eps)", "(X - mean) / std")], "eps dropped: a constant column gives nan"),
    m("standardize_in_place", "q1", "in_place", "standardize_columns",
      [("return (X - mean) / (std + eps)", "X -= mean\n    X /= std + eps\n    return X")],
      "the input matrix standardised in place"),
    m("pairwise_not_squared", "q1", "formula", "pairwise_sq_distances",
      [(".sum(dim=-1)", ".sum(dim=-1).sqrt()")], "distances instead of squared distances"),
    m("pick_max_score", "q1", "formula", "pick_class_scores",
      [("return scores[torch.arange(scores.shape[0]), labels]", "return scores.max(dim=1).values")],
      "the highest score picked instead of the labelled one"),
    # q2: autograd
    m("mse_grads_sum", "q2", "formula", "mse_and_grads",
      [("** 2).mean()", "** 2).sum()")], "loss summed over samples instead of averaged"),
    m("mse_loss_keeps_graph", "q2", "graph", "mse_and_grads",
      [("return loss.detach(), w.grad, b.grad", "return loss, w.grad, b.grad")],
      "loss returned with its autograd graph"),
    m("mse_grads_on_caller_tensors", "q2", "in_place", "mse_and_grads",
      [("w = w.detach().clone().requires_grad_(True)", "w = w.requires_grad_(True)"),
       ("b = b.detach().clone().requires_grad_(True)", "b = b.requires_grad_(True)")],
      "requires_grad and .grad set on the caller's w and b"),
    m("derivative_forward_difference", "q2", "tolerance", "elementwise_derivative",
      [("(x * torch.sin(x)).sum().backward()\n    return x.grad",
        "h = 1e-5\n    return ((x + h) * torch.sin(x + h) - x * torch.sin(x)).detach() / h")],
      "a finite difference instead of autograd"),
    m("derivative_on_caller_tensor", "q2", "in_place", "elementwise_derivative",
      [("x = x.detach().clone().requires_grad_(True)", "x.requires_grad_(True)")],
      "the gradient accumulated on the caller's x"),
    # q3: nn.Module
    m("count_ignores_requires_grad", "q3", "formula", "count_parameters",
      [(" if p.requires_grad", "")], "frozen parameters counted too"),
    m("count_tensors_not_elements", "q3", "formula", "count_parameters",
      [("p.numel()", "1")], "number of parameter tensors instead of scalars"),
    m("forward_without_relu", "q3", "formula", "TwoLayerNet",
      [("self.fc2(torch.relu(self.fc1(x)))", "self.fc2(self.fc1(x))")], "no activation between the layers"),
    m("forward_sigmoid", "q3", "formula", "TwoLayerNet",
      [("torch.relu(", "torch.sigmoid(")], "sigmoid instead of ReLU"),
    # q4: layers by hand
    m("relu_backward_at_zero", "q4", "tolerance", "relu_backward",
      [("(x > 0)", "(x >= 0)")], "ReLU derivative 1 at zero (only a zero input shows it)"),
    m("relu_backward_in_place", "q4", "in_place", "relu_backward",
      [("return dout * (x > 0).to(dout.dtype)", "dout[x <= 0] = 0\n    return dout")],
      "the upstream gradient zeroed in place"),
    m("sigmoid_exp_ratio", "q4", "tolerance", "sigmoid_forward",
      [("return torch.sigmoid(x)", "return torch.exp(x) / (1 + torch.exp(x))")],
      "sigmoid as exp(x)/(1+exp(x)): nan for large x"),
    m("sigmoid_backward_of_output", "q4", "formula", "sigmoid_backward",
      [("s = torch.sigmoid(x)", "s = x")], "derivative formula applied to the input as if it were the output"),
    m("tanh_backward_of_input", "q4", "formula", "tanh_backward",
      [("(1 - t * t)", "(1 - x * x)")], "1 - x^2 instead of 1 - tanh(x)^2"),
    m("tanh_exp_formula", "q4", "tolerance", "tanh_forward",
      [("return torch.tanh(x)",
        "return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))")],
      "tanh from exponentials: nan for large |x|"),
    m("linear_dW_transposed", "q4", "formula", "linear_backward",
      [("dW = X.T @ dout", "dW = dout.T @ X")], "dW computed with the transposed shape"),
    # q5: losses by hand
    m("cross_entropy_log_of_softmax", "q5", "tolerance", "softmax_cross_entropy",
      [("log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))",
        "log_probs = torch.log(torch.exp(shifted) / torch.exp(shifted).sum(dim=1, keepdim=True))")],
      "log(softmax) instead of log-sum-exp: -inf for large logits"),
    m("cross_entropy_grad_not_divided", "q5", "formula", "softmax_cross_entropy",
      [("return loss, dlogits / n", "return loss, dlogits")], "dlogits not divided by the batch size"),
    m("cross_entropy_summed", "q5", "formula", "softmax_cross_entropy",
      [("-log_probs[rows, y].mean()", "-log_probs[rows, y].sum()")], "loss summed over the batch"),
    m("softmax_global_max", "q5", "tolerance", "softmax",
      [("logits.max(dim=1, keepdim=True).values", "logits.max()")],
      "one maximum for the whole batch: rows far below it underflow"),
    m("mse_grad_by_batch_size", "q5", "formula", "mse_loss",
      [("diff.numel()", "diff.shape[0]")], "gradient divided by N instead of by every element"),
    m("softmax_shifts_caller_logits", "q5", "in_place", "softmax_cross_entropy",
      [(MAX_SHIFT, "logits -= logits.max(dim=1, keepdim=True).values\n    shifted = logits")],
      "the caller's logits shifted in place"),
    # q6: gradient check
    m("numerical_gradient_forward_difference", "q6", "tolerance", "numerical_gradient",
      [("flat_x[i] = original - eps", "flat_x[i] = original"),
       ("(plus - minus) / (2 * eps)", "(plus - minus) / eps")],
      "forward instead of central differences"),
    m("numerical_gradient_on_caller_x", "q6", "in_place", "numerical_gradient",
      [("x = x.detach().clone()", "x = x.detach()"), ("        flat_x[i] = original\n", "")],
      "perturbs the caller's x and never restores it"),
    m("numerical_gradient_ignores_eps", "q6", "loop", "numerical_gradient",
      [("original + eps", "original + 1e-6"), ("original - eps", "original - 1e-6"),
       ("(2 * eps)", "(2 * 1e-6)")],
      "the eps argument accepted but ignored"),
    m("relative_error_zero_division", "q6", "tolerance", "relative_error",
      [("max((a.norm() + b.norm()).item(), 1e-12)", "(a.norm() + b.norm()).item()")],
      "no guard: relative_error(0, 0) is nan"),
    m("relative_error_returns_tensor", "q6", "formula", "relative_error",
      [("1e-12)).item()", "1e-12))")], "a 0-d tensor returned instead of a float"),
    # q7: XOR by hand
    m("init_ignores_seed", "q7", "loop", "init_two_layer",
      [("manual_seed(seed)", "manual_seed(0)")], "the seed argument changes nothing"),
    m("init_scaled_by_fan_out", "q7", "formula", "init_two_layer",
      [("/ math.sqrt(hidden_features),", "/ math.sqrt(out_features),"),
       ("/ math.sqrt(in_features),", "/ math.sqrt(hidden_features),")],
      "variance 1/fan_out instead of 1/fan_in"),
    m("two_layer_tanh_backward_of_output", "q7", "formula", "two_layer_loss_and_grads",
      [("da1 = tanh_backward(dh1, a1)", "da1 = tanh_backward(dh1, h1)")],
      "tanh backward fed the activation instead of its input"),
    m("train_xor_ignores_lr", "q7", "loop", "train_xor",
      [("value - lr * grads[key]", "value - 1.0 * grads[key]")], "the lr argument accepted but ignored"),
    m("train_xor_ignores_seed", "q7", "loop", "train_xor",
      [("seed=seed)", "seed=0)")], "the seed argument not passed to the initialisation"),
    m("train_xor_ignores_hidden_size", "q7", "loop", "train_xor",
      [("init_two_layer(2, hidden_features, 2", "init_two_layer(2, 8, 2")],
      "hidden_features accepted but ignored"),
    m("train_xor_loss_after_step", "q7", "loop", "train_xor",
      [("losses.append(loss.item())",
        "losses.append(two_layer_loss_and_grads(XOR_X, XOR_Y, params)[0].item())")],
      "each epoch records the loss after the update"),
    # q8: the training loop
    m("last_batch_dropped", "q8", "loop", "train_model",
      [("range(0, n, batch_size)", "range(0, n - batch_size + 1, batch_size)")],
      "a last batch shorter than batch_size is skipped"),
    m("shuffled_once", "q8", "loop", "train_model",
      [("        order = torch.randperm(n, generator=gen)\n", ""),
       ("    history = []\n", "    history = []\n    order = torch.randperm(n, generator=gen)\n")],
      "one permutation for all epochs instead of a new one each epoch"),
    m("generator_reset_each_epoch", "q8", "loop", "train_model",
      [("order = torch.randperm(n, generator=gen)",
        "order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))")],
      "the generator re-seeded every epoch: the same order each epoch"),
    m("weight_decay_ignored", "q8", "loop", "train_model",
      [("lr=lr, weight_decay=weight_decay)", "lr=lr)")], "weight_decay accepted but ignored"),
    m("epoch_loss_is_last_batch", "q8", "loop", "train_model",
      [("history.append(sum(batch_losses) / len(batch_losses))", "history.append(batch_losses[-1])")],
      "the epoch's loss is the last batch's loss"),
    m("seed_ignored", "q8", "loop", "train_model",
      [("manual_seed(seed)", "manual_seed(0)")], "the seed argument changes nothing"),
    m("train_mode_never_set", "q8", "mode", "train_model",
      [("        model.train()\n", "")], "model.train() never called (a model handed over in eval mode stays there)"),
    m("train_model_reseeds_global_rng", "q8", "loop", "train_model",
      [("    gen = torch.Generator().manual_seed(seed)\n",
        "    torch.manual_seed(seed)\n    gen = torch.Generator().manual_seed(seed)\n")],
      "torch.manual_seed(seed) inside the loop: the caller's global generator is reset"),
    # q9: digits classifier
    m("digits_softmax_outputs", "q9", "outcome", "DigitsClassifier",
      [("return self.net(x)", "return torch.softmax(self.net(x), dim=1)")],
      "probabilities returned and fed to a loss that expects logits", rerun=(DIGITS,)),
    m("digits_dropout_always_on", "q9", "mode", "DigitsClassifier",
      [("return self.net(x)", "return F.dropout(self.net(x), p=0.2)")],
      "F.dropout without training=self.training: random outputs in eval", rerun=(DIGITS,)),
    m("digits_trained_on_validation", "q9", "outcome", DIGITS,
      [("digits_model, digits_X_train, digits_y_train,",
        "digits_model, torch.cat([digits_X_train, digits_X_val]), "
        "torch.cat([digits_y_train, digits_y_val]),")],
      "trained on train + validation"),
    m("digits_undertrained", "q9", "outcome", DIGITS,
      [("n_epochs=60", "n_epochs=1")], "one epoch of training"),
    # q10: diabetes regressor
    m("diabetes_no_inverse_transform", "q10", "formula", "DiabetesRegressor",
      [("return self.net(x) * self.target_std + self.target_mean", "return self.net(x)")],
      "predictions left in standardised units", rerun=(DIABETES,)),
    m("diabetes_target_stats_not_set", "q10", "formula", DIABETES,
      [("diabetes_model.target_mean.fill_(diab_y_train.mean().item())\n", ""),
       ("diabetes_model.target_std.fill_(diab_y_train.std().item())\n", "")],
      "the target's mean and std never stored in the model"),
    m("diabetes_relu_on_output", "q10", "formula", "DiabetesRegressor",
      [("return self.net(x) * self.target_std", "return torch.relu(self.net(x)) * self.target_std")],
      "a ReLU after the output layer: no prediction below the mean", rerun=(DIABETES,)),
    m("diabetes_trained_on_raw_target", "q10", "outcome", DIABETES,
      [("diabetes_model.net, diab_X_train, _y_scaled,", "diabetes_model.net, diab_X_train, diab_y_train,")],
      "trained on the raw target although the model de-standardises its output"),
    # q11: dropout
    m("dropout_scaled_by_p", "q11", "formula", "MyDropout",
      [("/ (1.0 - self.p)", "/ self.p")], "kept elements divided by p instead of 1 - p"),
    m("dropout_keeps_with_probability_p", "q11", "formula", "MyDropout",
      [(">= self.p)", "< self.p)")], "elements kept with probability p (p = 0.5 hides it)"),
    m("dropout_fixed_mask", "q11", "formula", "MyDropout",
      [("torch.rand_like(x)", "torch.rand(x.shape, generator=torch.Generator().manual_seed(0))")],
      "the same mask on every call"),
    m("dropout_mask_shared_by_rows", "q11", "formula", "MyDropout",
      [("torch.rand_like(x)", "torch.rand_like(x[:1])")], "one mask row shared by the whole batch"),
    m("dropout_in_place", "q11", "in_place", "MyDropout",
      [("return x * keep / (1.0 - self.p)", "return x.mul_(keep).div_(1.0 - self.p)")],
      "the input zeroed in place (also breaks backward of a preceding ReLU)"),
    # q12: batch norm
    m("batchnorm_eps_outside_sqrt", "q12", "tolerance", "MyBatchNorm1d",
      [("torch.sqrt(var + self.eps)", "(torch.sqrt(var) + self.eps)")],
      "eps added to the std (visible only for a tiny variance)"),
    m("batchnorm_running_stats_keep_graph", "q12", "graph", "MyBatchNorm1d",
      [("with torch.no_grad():", "if True:")], "running statistics updated with the autograd graph attached"),
    m("batchnorm_momentum_inverted", "q12", "formula", "MyBatchNorm1d",
      [("self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)",
        "self.running_mean.mul_(self.momentum).add_((1 - self.momentum) * mean)"),
       ("self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))",
        "self.running_var.mul_(self.momentum).add_((1 - self.momentum) * var * n / (n - 1))")],
      "momentum weighting the old statistic (Keras convention)"),
    m("batchnorm_weight_not_parameter", "q12", "formula", "MyBatchNorm1d",
      [("self.weight = nn.Parameter(torch.ones(num_features))", "self.weight = torch.ones(num_features)"),
       ("self.bias = nn.Parameter(torch.zeros(num_features))", "self.bias = torch.zeros(num_features)")],
      "weight and bias as plain tensors: never trained"),
    m("batchnorm_running_stats_as_parameters", "q12", "formula", "MyBatchNorm1d",
      [('self.register_buffer("running_mean", torch.zeros(num_features))',
        "self.running_mean = nn.Parameter(torch.zeros(num_features), requires_grad=False)"),
       ('self.register_buffer("running_var", torch.ones(num_features))',
        "self.running_var = nn.Parameter(torch.ones(num_features), requires_grad=False)")],
      "running statistics registered as parameters instead of buffers"),
    # q13: L2 and early stopping
    m("l2_includes_biases", "q13", "formula", "l2_penalty",
      [(" if p.ndim >= 2", "")], "biases penalised as well"),
    m("l2_returns_float", "q13", "graph", "l2_penalty",
      [("(p**2).sum()", "(p**2).sum().item()")], "a float returned: no gradient reaches the weights"),
    m("l2_halved", "q13", "formula", "l2_penalty",
      [("(p**2).sum()", "0.5 * (p**2).sum()")], "the lambda/2 factor folded into the penalty"),
    m("patience_off_by_one", "q13", "loop", "fit_early_stopping",
      [("if waited >= patience:", "if waited > patience:")], "stops one epoch late"),
    m("best_epoch_one_based", "q13", "loop", "fit_early_stopping",
      [('history["best_epoch"] = epoch', 'history["best_epoch"] = epoch + 1')], "epochs counted from 1"),
    m("validates_in_train_mode", "q13", "mode", "fit_early_stopping",
      [("        model.eval()\n", "")], "validation loss computed in train mode"),
    m("train_mode_set_once", "q13", "mode", "fit_early_stopping",
      [("    for epoch in range(max_epochs):\n        model.train()\n",
        "    model.train()\n    for epoch in range(max_epochs):\n")],
      "model.train() only before the first epoch: later epochs train in eval mode"),
    m("train_history_last_batch", "q13", "loop", "fit_early_stopping",
      [('history["train_loss"].append(sum(batch_losses) / len(batch_losses))',
        'history["train_loss"].append(batch_losses[-1])')],
      "train loss of an epoch is its last batch's loss"),
    # q14: regularisation against overfitting
    m("regularized_without_dropout", "q14", "outcome", REGULARIZED,
      [("nn.ReLU(), MyDropout(0.5),", "nn.ReLU(),")], "no dropout at all: weight decay and early stopping only"),
    m("regularized_dropout_on_output", "q14", "outcome", REGULARIZED,
      [("    nn.Linear(256, 10),\n", "    nn.Linear(256, 10), MyDropout(0.2),\n")],
      "dropout applied to the logits"),
    m("regularized_softmax_output", "q14", "outcome", REGULARIZED,
      [("    nn.Linear(256, 10),\n", "    nn.Linear(256, 10), nn.Softmax(dim=1),\n")],
      "probabilities fed to cross-entropy"),
    m("regularized_wrong_size", "q14", "outcome", REGULARIZED,
      [("nn.Linear(64, 256)", "nn.Linear(64, 128)"), ("nn.Linear(256, 256)", "nn.Linear(128, 256)")],
      "a smaller first hidden layer than asked"),
]
# fmt: on

# Blind rounds (issue #26, tests/hw01/blind/): written without the tests. All of them join the
# catalogue except the choices the task leaves to the student (its hints are not rules) and
# the one no test sees yet (solutions/hw01/README.md, *Blind rounds*).
ALLOWED_BY_THE_TASK = {
    "round1": {"diab_plain_attributes_not_buffers", "diab_target_stats_from_val"},
    "round2": {"digits_linear_model"},
    "round5": {"digits_narrow_hidden_layer", "dropout_numpy_mask"},
    "round6": {"diab_buffers_not_persistent"},
    "round8": {"tanh_forward_via_sigmoid"},
}
NOT_CAUGHT = {
    "round2": {"reg_no_weight_decay"},
    "round7": {
        "diab_buffers_int_dtype",
        "diab_trained_on_train_plus_val",
        "l2_penalty_only_2d",
    },
    "round8": {"dropout_wraps_F_dropout"},
}


def _blind_round(name: str) -> list[Mutant]:
    path = Path(__file__).resolve().parent / "blind" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"hw01_blind_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    left_out = ALLOWED_BY_THE_TASK.get(name, set()) | NOT_CAUGHT.get(name, set())
    # named by their round, so that they never clash with a catalogue name
    return [
        dataclasses.replace(m, name=f"{name}_{m.name}")
        for m in module.MUTANTS
        if m.name not in left_out
    ]


ROUNDS = sorted(
    (p.stem for p in (Path(__file__).resolve().parent / "blind").glob("round*.py")),
    key=lambda stem: int(stem.removeprefix("round")),
)
BLIND = [m for r in ROUNDS for m in _blind_round(r)]
MUTANTS = [dataclasses.replace(m, hint=CONCEPTS[HINTS[m.name]]) for m in ORIGINAL + NEW + BLIND]
