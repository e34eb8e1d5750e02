"""Common student mistakes in hw01, as a submission would contain them.

Each mistake is a small edit of one or two solution definitions (every occurrence of `old`
inside the named definition becomes `new`). `caught_by` are the test cases aimed at the
mistake; `downstream` are test cases that fail as well because the submission builds other
results from the broken piece (a model trained by a broken loop, a function calling a broken
one). `rerun` names the notebook cells (by a snippet) that compute such results. Every test
case outside caught_by | downstream must still pass.
"""

from __future__ import annotations

from dataclasses import dataclass

Edit = tuple[str, str]

# notebook cells that train a model with the student's functions
DIGITS = "digits_model = DigitsClassifier()"
DIABETES = "diabetes_model = DiabetesRegressor()"
BASELINE = "baseline_model = make_mlp("
REGULARIZED = "regularized_model = nn.Sequential("
ALL_TRAINING = (DIGITS, DIABETES, BASELINE, REGULARIZED)


@dataclass(frozen=True)
class Mistake:
    id: str
    edits: dict[str, tuple[Edit, ...]]  # definition name -> (old, new) snippets
    caught_by: frozenset[str]
    downstream: frozenset[str] = frozenset()
    rerun: tuple[str, ...] = ()
    why: str = ""

    @property
    def failing(self) -> frozenset[str]:
        return self.caught_by | self.downstream


MAX_SHIFT = "shifted = logits - logits.max(dim=1, keepdim=True).values"

MISTAKES = [
    Mistake(
        id="standardize_wrong_axis",
        edits={"standardize_columns": (("dim=0", "dim=1"),)},
        caught_by=frozenset({"test_q1_public", "test_q1_standardize_hidden"}),
    ),
    Mistake(
        id="softmax_wrong_axis",
        edits={"softmax": (("dim=1", "dim=0"),)},
        caught_by=frozenset(
            {"test_q5_public", "test_q5_cross_entropy_hidden", "test_q5_large_logits_hidden"}
        ),
    ),
    Mistake(
        id="bias_grad_not_summed",
        edits={"linear_backward": (("db = dout.sum(dim=0)", "db = dout.mean(dim=0)"),)},
        caught_by=frozenset({"test_q4_bias_grad_hidden"}),
        downstream=frozenset({"test_q7_grads_hidden"}),
        why="the q7 network is built from linear_backward",
    ),
    Mistake(
        id="softmax_without_max_subtraction",
        edits={
            "softmax": ((MAX_SHIFT, "shifted = logits"),),
            "softmax_cross_entropy": ((MAX_SHIFT, "shifted = logits"),),
        },
        caught_by=frozenset({"test_q5_large_logits_hidden"}),
    ),
    Mistake(
        id="mse_sum_instead_of_mean",
        edits={
            "mse_loss": (
                (
                    "return (diff**2).mean(), 2.0 * diff / diff.numel()",
                    "return (diff**2).sum(), 2.0 * diff",
                ),
            )
        },
        caught_by=frozenset({"test_q5_public", "test_q5_mse_hidden"}),
    ),
    Mistake(
        id="cross_entropy_sum_reduction",
        edits={
            "compute_loss": (
                (
                    "F.cross_entropy(outputs, targets)",
                    'F.cross_entropy(outputs, targets, reduction="sum")',
                ),
            )
        },
        caught_by=frozenset({"test_q8_public", "test_q8_one_step_hidden"}),
        downstream=frozenset(
            {
                "test_q9_public",
                "test_q9_heldout_hidden",
                "test_q9_noisy_hidden",
                "test_q13_stopping_epoch_hidden",
                "test_q13_best_weights_hidden",
                "test_q14_heldout_hidden",
            }
        ),
        rerun=ALL_TRAINING,
        why="a 32x larger step ruins the digits models; fit_early_stopping uses compute_loss",
    ),
    Mistake(
        id="train_loop_sums_over_batch",
        edits={
            "train_model": (
                (
                    "loss = compute_loss(model(X[idx]), y[idx], loss_name)",
                    "loss = compute_loss(model(X[idx]), y[idx], loss_name) * len(idx)",
                ),
            )
        },
        caught_by=frozenset({"test_q8_one_step_hidden", "test_q8_mse_shapes_hidden"}),
        downstream=frozenset(
            {
                "test_q9_public",
                "test_q9_heldout_hidden",
                "test_q9_noisy_hidden",
                "test_q10_public",
                "test_q10_heldout_r2_hidden",
                "test_q10_heldout_mae_hidden",
                "test_q14_heldout_hidden",
            }
        ),
        rerun=ALL_TRAINING,
        why="the models of q9, q10 and the q14 baseline are trained by train_model",
    ),
    Mistake(
        id="missing_zero_grad",
        edits={"train_model": (("optimizer.zero_grad()", "pass"),)},
        caught_by=frozenset({"test_q8_several_steps_hidden"}),
        downstream=frozenset(
            {
                "test_q9_public",
                "test_q9_heldout_hidden",
                "test_q9_noisy_hidden",
                "test_q10_public",
                "test_q10_heldout_r2_hidden",
                "test_q10_heldout_mae_hidden",
                "test_q14_heldout_hidden",
            }
        ),
        rerun=ALL_TRAINING,
        why="the models of q9, q10 and the q14 baseline are trained by train_model",
    ),
    Mistake(
        id="mse_broadcasts_to_matrix",
        edits={
            "compute_loss": (
                (
                    "F.mse_loss(outputs.reshape(targets.shape), targets)",
                    "((outputs - targets) ** 2).mean()",
                ),
            )
        },
        caught_by=frozenset({"test_q8_public", "test_q8_mse_shapes_hidden"}),
        downstream=frozenset(
            {"test_q10_public", "test_q10_heldout_r2_hidden", "test_q10_heldout_mae_hidden"}
        ),
        rerun=ALL_TRAINING,
        why="the diabetes regressor is trained with the broken loss",
    ),
    Mistake(
        id="dropout_without_scaling",
        edits={"MyDropout": (("return x * keep / (1.0 - self.p)", "return x * keep"),)},
        caught_by=frozenset({"test_q11_train_scaling_hidden"}),
        downstream=frozenset({"test_q14_public", "test_q14_heldout_hidden"}),
        rerun=(REGULARIZED,),
        why="the regularized model of q14 is built from MyDropout",
    ),
    Mistake(
        id="dropout_active_at_eval",
        edits={"MyDropout": (("if not self.training or self.p == 0.0:", "if self.p == 0.0:"),)},
        caught_by=frozenset({"test_q11_eval_identity_hidden"}),
        downstream=frozenset({"test_q14_public", "test_q14_heldout_hidden"}),
        rerun=(REGULARIZED,),
        why="the regularized model of q14 is built from MyDropout",
    ),
    Mistake(
        id="batchnorm_batch_stats_at_eval",
        edits={
            "MyBatchNorm1d": (
                (
                    "mean, var = self.running_mean, self.running_var",
                    "mean, var = x.mean(dim=0), x.var(dim=0, correction=0)",
                ),
            )
        },
        caught_by=frozenset({"test_q12_eval_hidden"}),
    ),
    Mistake(
        id="batchnorm_biased_running_var",
        edits={"MyBatchNorm1d": (("self.momentum * var * n / (n - 1)", "self.momentum * var"),)},
        caught_by=frozenset({"test_q12_running_stats_hidden"}),
    ),
    Mistake(
        id="batchnorm_normalizes_with_unbiased_var",
        edits={
            "MyBatchNorm1d": (
                ("var = x.var(dim=0, correction=0)", "var = x.var(dim=0, correction=1)"),
                ("self.momentum * var * n / (n - 1)", "self.momentum * var"),
            )
        },
        caught_by=frozenset({"test_q12_public", "test_q12_train_output_hidden"}),
    ),
    Mistake(
        id="early_stopping_keeps_last_weights",
        edits={"fit_early_stopping": (("model.load_state_dict(best_state)", "pass"),)},
        caught_by=frozenset({"test_q13_best_weights_hidden"}),
        rerun=(REGULARIZED,),
    ),
    Mistake(
        id="early_stopping_saves_state_without_copy",
        edits={
            "fit_early_stopping": (
                (
                    "best_state = copy.deepcopy(model.state_dict())",
                    "best_state = model.state_dict()",
                ),
            )
        },
        caught_by=frozenset({"test_q13_best_weights_hidden"}),
        why="the saved dict holds the live tensors, so it ends up equal to the last weights",
        rerun=(REGULARIZED,),
    ),
]
