"""hw06 blind round 2: 40 mistakes written by a helper that read only the kit (the task,
the reference cells, the mutant format, the names of round 1), graded before any test changed."""

from mutation.harness import Mutant

EXPLICIT_RERUN = ("explicit_model, explicit_history = train_explicit_als(R_train, M_train)",)
IMPLICIT_RERUN = ("implicit_X, implicit_Y, implicit_history = train_implicit_als(clicks_train)",)

MUTANTS = [
    # ---------------- q1 ----------------
    Mutant(
        name="recall_ignores_k_slice",
        question="q1",
        description="recall@k counts hits in the whole recommended list (all K columns), not only the first k",
        kind="formula",
        target="recall_at_k",
        edits=(("recommended[:, :k]", "recommended"),),
        rerun=(),
    ),
    Mutant(
        name="recall_micro_averaged",
        question="q1",
        description="recall@k as total hits over total relevant (micro average) instead of the mean of per-user ratios",
        kind="formula",
        target="recall_at_k",
        edits=(
            (
                "return float((hits[users] / relevant[users].sum(1)).mean())",
                "return float(hits[users].sum() / relevant[users].sum())",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="hit_rate_window_k_plus_one",
        question="q1",
        description="hit rate looks at the first k+1 recommendations (off-by-one in the window)",
        kind="formula",
        target="hit_rate_at_k",
        edits=(("recommended[:, :k]", "recommended[:, :k + 1]"),),
        rerun=(),
    ),
    Mutant(
        name="top_k_unseen_masks_scores_in_place",
        question="q1",
        description="top_k_unseen uses masked_fill_ so the caller's score matrix gets -inf written into it",
        kind="in_place",
        target="top_k_unseen",
        edits=(("scores.masked_fill(seen", "scores.masked_fill_(seen"),),
        rerun=(),
    ),
    Mutant(
        name="top_k_unseen_fill_with_min_score",
        question="q1",
        description="seen items get the minimum score instead of -inf, so they tie with (and by index beat) the worst unseen items",
        kind="tolerance",
        target="top_k_unseen",
        edits=(('float("-inf")', "scores.min()"),),
        rerun=(),
    ),
    Mutant(
        name="top_k_unseen_scores_float32",
        question="q1",
        description="top_k_unseen casts scores to float32 before sorting, merging near-equal scores into index-ordered ties",
        kind="tolerance",
        target="top_k_unseen",
        edits=(("masked = scores.masked_fill(", "masked = scores.float().masked_fill("),),
        rerun=(),
    ),
    # ---------------- q2 ----------------
    Mutant(
        name="ndcg_discount_shifted_log2_j_plus_2",
        question="q2",
        description="NDCG discount 1/log2(j+2) (0-based position plus 2) instead of 1/log2(j+1)",
        kind="formula",
        target="ndcg_at_k",
        edits=(("torch.arange(2, k + 2,", "torch.arange(3, k + 3,"),),
        rerun=(),
    ),
    Mutant(
        name="ndcg_ratio_of_means",
        question="q2",
        description="NDCG as mean DCG divided by mean IDCG instead of the mean of per-user ratios",
        kind="formula",
        target="ndcg_at_k",
        edits=(("return float((dcg / idcg).mean())", "return float(dcg.mean() / idcg.mean())"),),
        rerun=(),
    ),
    Mutant(
        name="map_precision_at_j_divided_by_k",
        question="q2",
        description="precision@j inside AP divides the running hit count by k instead of by j",
        kind="formula",
        target="map_at_k",
        edits=(
            ("hits.cumsum(1) / torch.arange(1, k + 1, dtype=torch.float64)", "hits.cumsum(1) / k"),
        ),
        rerun=(),
    ),
    Mutant(
        name="map_denominator_hits_in_list",
        question="q2",
        description="AP normalised by the number of hits in the top-k list (clamped at 1) instead of min(k, |rel|)",
        kind="formula",
        target="map_at_k",
        edits=(("/ ideal_length).mean()", "/ hits.sum(1).clamp(min=1)).mean()"),),
        rerun=(),
    ),
    Mutant(
        name="map_ideal_length_capped_at_list_length",
        question="q2",
        description="AP denominator min(K, |rel|) with K the full list length instead of min(k, |rel|)",
        kind="formula",
        target="map_at_k",
        edits=(("clamp(max=k)", "clamp(max=recommended.shape[1])"),),
        rerun=(),
    ),
    # ---------------- q3 ----------------
    Mutant(
        name="explicit_step_bias_unregularised",
        question="q3",
        description="ridge term lam*I applied only to the factor block; the bias coordinate is left unregularised",
        kind="formula",
        target="explicit_step",
        edits=(
            (
                "lam * torch.eye(Ya.shape[1], dtype=Y.dtype)",
                "lam * torch.diag(torch.cat([torch.ones(Y.shape[1], dtype=Y.dtype), torch.zeros(1, dtype=Y.dtype)]))",
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_step_ones_column_first",
        question="q3",
        description="constant feature prepended as the first column but the solution still split as x[:, :-1], x[:, -1]",
        kind="formula",
        target="explicit_step",
        edits=(
            (
                "torch.cat([Y, torch.ones(len(Y), 1, dtype=Y.dtype)], dim=1)",
                "torch.cat([torch.ones(len(Y), 1, dtype=Y.dtype), Y], dim=1)",
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_step_double_lambda",
        question="q3",
        description="normal equations use 2*lam (gradient of the penalty doubled, data-term factor 2 forgotten)",
        kind="formula",
        target="explicit_step",
        edits=(("+ lam * torch.eye", "+ 2 * lam * torch.eye"),),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_objective_mean_error",
        question="q3",
        description="objective uses the mean squared error over known ratings instead of the sum",
        kind="formula",
        target="explicit_objective",
        edits=(
            (
                "error = ((R - prediction) ** 2 * M).sum()",
                "error = ((R - prediction) ** 2 * M).sum() / M.sum()",
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_objective_norm_not_squared",
        question="q3",
        description="penalty uses the Frobenius norms ||P|| etc. instead of their squares",
        kind="formula",
        target="explicit_objective",
        edits=(
            (
                "P.pow(2).sum() + Q.pow(2).sum() + bu.pow(2).sum() + bi.pow(2).sum()",
                "P.norm() + Q.norm() + bu.norm() + bi.norm()",
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    # ---------------- q4 ----------------
    Mutant(
        name="explicit_history_once_per_iteration",
        question="q4",
        description="objective logged only after the item step: history has iterations entries instead of 2*iterations",
        kind="loop",
        target="train_explicit_als",
        edits=(
            (
                'history.append(explicit_objective(R, M, model, lam))\n        model["Q"]',
                'model["Q"]',
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_item_step_first",
        question="q4",
        description="each iteration updates items first and users second",
        kind="loop",
        target="train_explicit_als",
        edits=(
            (
                '        model["P"], model["user_bias"] = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)\n'
                "        history.append(explicit_objective(R, M, model, lam))\n"
                '        model["Q"], model["item_bias"] = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)\n',
                '        model["Q"], model["item_bias"] = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)\n'
                "        history.append(explicit_objective(R, M, model, lam))\n"
                '        model["P"], model["user_bias"] = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)\n',
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_mu_mean_of_user_means",
        question="q4",
        description="mu computed as the average of per-user mean ratings instead of the mean of all known ratings",
        kind="formula",
        target="train_explicit_als",
        edits=(('"mu": float(R[M].mean())', '"mu": float((R.sum(1) / M.sum(1)).mean())'),),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="predict_explicit_rounded",
        question="q4",
        description="predictions rounded to whole stars before clipping",
        kind="formula",
        target="predict_explicit",
        edits=(("return score.clamp(1, 5)", "return score.round().clamp(1, 5)"),),
        rerun=(),
    ),
    Mutant(
        name="explicit_model_trained_on_train_and_val",
        question="q4",
        description="answer cell trains the explicit model on training plus validation ratings (leaks validation)",
        kind="outcome",
        target="explicit_model, explicit_history = train_explicit_als(R_train, M_train)",
        edits=(
            (
                "train_explicit_als(R_train, M_train)",
                "train_explicit_als(R_train + R_val, M_train | M_val)",
            ),
        ),
        rerun=(),
    ),
    # ---------------- q5 ----------------
    Mutant(
        name="implicit_step_rhs_without_confidence",
        question="q5",
        description="right-hand side Y^T p_u without the confidence weights C_u",
        kind="formula",
        target="implicit_step",
        edits=(("b = ((1 + extra) * preference) @ Y", "b = preference @ Y"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_step_gram_double_identity",
        question="q5",
        description="normal matrix Y^T Y + Y^T C_u Y: identity part of the confidence counted twice",
        kind="formula",
        target="implicit_step",
        edits=(
            (
                'torch.einsum("ui,if,ig->ufg", extra, Y, Y)',
                'torch.einsum("ui,if,ig->ufg", 1 + extra, Y, Y)',
            ),
        ),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_step_preference_ge_zero",
        question="q5",
        description="preference computed as R >= 0, so every item (including zeros) is a positive",
        kind="formula",
        target="implicit_step",
        edits=(("preference = (R > 0)", "preference = (R >= 0)"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_step_no_ridge",
        question="q5",
        description="lam*I forgotten in the normal matrix (Y^T C_u Y assumed invertible already)",
        kind="formula",
        target="implicit_step",
        edits=((" + lam * torch.eye(Y.shape[1], dtype=Y.dtype)", ""),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_objective_confidence_squared",
        question="q5",
        description="parenthesis slip: (c * (p - x^T y))^2 squares the confidence too",
        kind="formula",
        target="implicit_objective",
        edits=(
            (
                "(confidence * (preference - X @ Y.T) ** 2)",
                "((confidence * (preference - X @ Y.T)) ** 2)",
            ),
        ),
        rerun=IMPLICIT_RERUN,
    ),
    # ---------------- q6 ----------------
    Mutant(
        name="implicit_history_logged_before_step",
        question="q6",
        description="objective appended before each step, so history starts at the random init and misses the last step",
        kind="loop",
        target="train_implicit_als",
        edits=(
            (
                "        X = implicit_step(R, Y, lam, alpha)\n"
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n"
                "        Y = implicit_step(R.T, X, lam, alpha)\n"
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n",
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n"
                "        X = implicit_step(R, Y, lam, alpha)\n"
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n"
                "        Y = implicit_step(R.T, X, lam, alpha)\n",
            ),
        ),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_init_scale_0_1",
        question="q6",
        description="initial factors drawn with scale 0.1 (copied from explicit ALS) instead of 0.01",
        kind="loop",
        target="train_implicit_als",
        edits=(("0.01 * torch.randn", "0.1 * torch.randn"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_skips_unused_x_init",
        question="q6",
        description="X not drawn at init (it is overwritten by the first step), so Y takes the generator's first numbers",
        kind="loop",
        target="train_implicit_als",
        edits=(
            (
                "X = 0.01 * torch.randn(R.shape[0], factors, generator=g, dtype=torch.float64)\n    ",
                "",
            ),
        ),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_seed_argument_ignored",
        question="q6",
        description="generator always seeded with 0, ignoring the seed argument",
        kind="loop",
        target="train_implicit_als",
        edits=(("manual_seed(seed)", "manual_seed(0)"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_model_trained_on_log_counts",
        question="q6",
        description="answer cell trains on log1p(counts) (paper's log-confidence variant) instead of the raw counts",
        kind="outcome",
        target="implicit_X, implicit_Y, implicit_history = train_implicit_als(clicks_train)",
        edits=(
            ("train_implicit_als(clicks_train)", "train_implicit_als(torch.log1p(clicks_train))"),
        ),
        rerun=(),
    ),
    # ---------------- q7 ----------------
    Mutant(
        name="popularity_binarises_input_in_place",
        question="q7",
        description="popularity binarises R in place (R[R > 0] = 1) before summing, destroying the caller's counts",
        kind="in_place",
        target="popularity",
        edits=(
            (
                "return (R > 0).sum(0).to(torch.float64)",
                "R[R > 0] = 1\n    return R.sum(0).to(torch.float64)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="popularity_counts_repeat_users_only",
        question="q7",
        description="threshold r > 1: only users with repeated interactions count towards popularity",
        kind="formula",
        target="popularity",
        edits=(("(R > 0)", "(R > 1)"),),
        rerun=(),
    ),
    Mutant(
        name="recommend_popular_hardcoded_k10",
        question="q7",
        description="recommend_popular always returns 10 items (k hard-coded from the notebook call)",
        kind="formula",
        target="recommend_popular",
        edits=(("R > 0, k)", "R > 0, 10)"),),
        rerun=(),
    ),
    Mutant(
        name="recommend_popular_uses_global_clicks",
        question="q7",
        description="popularity computed from the notebook's global clicks_train instead of the argument R",
        kind="formula",
        target="recommend_popular",
        edits=(("popularity(R)", "popularity(clicks_train)"),),
        rerun=(),
    ),
    # ---------------- q8 ----------------
    Mutant(
        name="fold_in_ignores_lam_argument",
        question="q8",
        description="fold_in calls implicit_step with lam hard-coded to 1.0, ignoring its lam argument",
        kind="loop",
        target="fold_in",
        edits=(("implicit_step(R_new, Y, lam, alpha)", "implicit_step(R_new, Y, 1.0, alpha)"),),
        rerun=(),
    ),
    Mutant(
        name="fold_in_prescales_input_in_place",
        question="q8",
        description="fold_in folds alpha into the counts with R_new *= alpha, changing the caller's tensor",
        kind="in_place",
        target="fold_in",
        edits=(
            (
                "return implicit_step(R_new, Y, lam, alpha)",
                "R_new *= alpha\n    return implicit_step(R_new, Y, lam, 1.0)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fold_in_uses_global_implicit_Y",
        question="q8",
        description="fold_in solves against the notebook's trained implicit_Y instead of the Y argument",
        kind="formula",
        target="fold_in",
        edits=(("implicit_step(R_new, Y,", "implicit_step(R_new, implicit_Y,"),),
        rerun=(),
    ),
    Mutant(
        name="fold_in_squeezes_single_row",
        question="q8",
        description="fold_in squeezes the batch axis, returning shape (f,) for a single new user",
        kind="tolerance",
        target="fold_in",
        edits=(
            (
                "return implicit_step(R_new, Y, lam, alpha)",
                "return implicit_step(R_new, Y, lam, alpha).squeeze(0)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="recommend_clamps_scores_to_unit_interval",
        question="q8",
        description="recommend clamps x^T y to [0, 1] (preferences are 0/1), turning top scores into index-ordered ties",
        kind="formula",
        target="recommend",
        edits=(("top_k_unseen(X @ Y.T, seen, k)", "top_k_unseen((X @ Y.T).clamp(0, 1), seen, k)"),),
        rerun=(),
    ),
]
