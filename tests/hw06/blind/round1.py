"""hw06 blind round 1: 40 mistakes written by a helper that read only the kit (the task,
the reference cells, the mutant format), graded before any test changed."""

from mutation.harness import Mutant

EXPLICIT_RERUN = ("explicit_model, explicit_history = train_explicit_als",)
IMPLICIT_RERUN = ("implicit_X, implicit_Y, implicit_history = train_implicit_als",)

MUTANTS = [
    # ---------------- q1: precision / recall / hit rate / top_k_unseen ----------------
    Mutant(
        name="precision_divides_by_list_length",
        question="q1",
        description="precision@k divides hits by the full list length K instead of k",
        kind="formula",
        target="precision_at_k",
        edits=(("hits[users] / k", "hits[users] / recommended.shape[1]"),),
        rerun=(),
    ),
    Mutant(
        name="recall_denominator_capped_at_k",
        question="q1",
        description="recall@k divides by min(k, |rel|) instead of all relevant items",
        kind="formula",
        target="recall_at_k",
        edits=(("relevant[users].sum(1)", "relevant[users].sum(1).clamp(max=k)"),),
        rerun=(),
    ),
    Mutant(
        name="hit_rate_over_all_users",
        question="q1",
        description="hit rate averaged over every user, including users without relevant items",
        kind="formula",
        target="hit_rate_at_k",
        edits=(("hits[users].double().mean()", "hits.double().mean()"),),
        rerun=(),
    ),
    Mutant(
        name="top_k_ascending_sort_flipped_ties",
        question="q1",
        description="top-k via ascending stable sort then reversed tail: ties put the larger item index first",
        kind="tolerance",
        target="top_k_unseen",
        edits=(
            (
                "torch.sort(masked, dim=1, descending=True, stable=True).indices[:, :k]",
                "torch.sort(masked, dim=1, stable=True).indices[:, -k:].flip(1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="top_k_seen_filled_with_zero",
        question="q1",
        description="seen items masked with score 0 instead of -inf, so they beat negative scores",
        kind="formula",
        target="top_k_unseen",
        edits=(('masked_fill(seen, float("-inf"))', "masked_fill(seen, 0.0)"),),
        rerun=(),
    ),
    # ---------------- q2: NDCG / MAP ----------------
    Mutant(
        name="ndcg_original_jarvelin_discount",
        question="q2",
        description="NDCG discount 1/max(1, log2 j) (first two positions undiscounted) instead of 1/log2(j+1)",
        kind="formula",
        target="ndcg_at_k",
        edits=(
            (
                "torch.log2(torch.arange(2, k + 2, dtype=torch.float64))",
                "torch.log2(torch.arange(1, k + 1, dtype=torch.float64).clamp(min=2))",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ndcg_idcg_assumes_k_relevant",
        question="q2",
        description="IDCG always sums k discounts, ignoring users with fewer than k relevant items",
        kind="formula",
        target="ndcg_at_k",
        edits=(("discount.cumsum(0)[ideal_length - 1]", "discount.sum()"),),
        rerun=(),
    ),
    Mutant(
        name="ndcg_idcg_from_recommended_list",
        question="q2",
        description="IDCG computed by re-sorting the recommended list's hits instead of from |rel|",
        kind="formula",
        target="ndcg_at_k",
        edits=(
            (
                "idcg = discount.cumsum(0)[ideal_length - 1]",
                "idcg = (hits.sort(1, descending=True).values * discount).sum(1).clamp(min=1e-12)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="map_denominator_all_relevant",
        question="q2",
        description="AP divided by |rel| rather than min(k, |rel|)",
        kind="formula",
        target="map_at_k",
        edits=(("relevant[users].sum(1).clamp(max=k)", "relevant[users].sum(1)"),),
        rerun=(),
    ),
    Mutant(
        name="map_sums_precision_at_every_position",
        question="q2",
        description="AP sums precision@j at every position, not only at relevant positions",
        kind="formula",
        target="map_at_k",
        edits=(("(precision * hits).sum(1)", "precision.sum(1)"),),
        rerun=(),
    ),
    # ---------------- q3: explicit step / objective ----------------
    Mutant(
        name="explicit_target_ignores_other_bias",
        question="q3",
        description="ridge target r - mu, forgetting to subtract the fixed side's biases",
        kind="formula",
        target="explicit_step",
        edits=(("R - mu - other_bias[None, :]", "R - mu"),),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_gram_ignores_mask",
        question="q3",
        description="normal matrix built from all columns (Ya^T Ya, shared by every row) instead of only rated ones",
        kind="formula",
        target="explicit_step",
        edits=(
            ('torch.einsum("ui,if,ig->ufg", W, Ya, Ya)', "Ya.T @ Ya"),
            ("torch.linalg.solve(A, b)", "torch.linalg.solve(A, b.T).T"),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_weighted_lambda_als_wr",
        question="q3",
        description="regulariser scaled by the row's number of ratings (ALS-WR) instead of plain lambda",
        kind="formula",
        target="explicit_step",
        edits=(
            (
                "lam * torch.eye(Ya.shape[1], dtype=Y.dtype)",
                "lam * W.sum(1)[:, None, None] * torch.eye(Ya.shape[1], dtype=Y.dtype)",
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_objective_no_bias_penalty",
        question="q3",
        description="objective penalises only P and Q, not the biases",
        kind="formula",
        target="explicit_objective",
        edits=((" + bu.pow(2).sum() + bi.pow(2).sum()", ""),),
        rerun=(),
    ),
    Mutant(
        name="explicit_objective_unmasked_error",
        question="q3",
        description="squared error summed over all cells, treating missing ratings as zeros",
        kind="formula",
        target="explicit_objective",
        edits=(("((R - prediction) ** 2 * M).sum()", "((R - prediction) ** 2).sum()"),),
        rerun=EXPLICIT_RERUN,
    ),
    # ---------------- q4: explicit training / prediction ----------------
    Mutant(
        name="explicit_mu_over_all_cells",
        question="q4",
        description="mu computed as mean of the whole matrix including the zeros of missing ratings",
        kind="formula",
        target="train_explicit_als",
        edits=(("float(R[M].mean())", "float(R.mean())"),),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_init_q_before_p",
        question="q4",
        description="Q drawn from the generator before P",
        kind="loop",
        target="train_explicit_als",
        edits=(
            (
                '"P": 0.1 * torch.randn(users, factors, generator=g, dtype=torch.float64),\n'
                '        "Q": 0.1 * torch.randn(items, factors, generator=g, dtype=torch.float64),',
                '"Q": 0.1 * torch.randn(items, factors, generator=g, dtype=torch.float64),\n'
                '        "P": 0.1 * torch.randn(users, factors, generator=g, dtype=torch.float64),',
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="explicit_simultaneous_update_stale_factors",
        question="q4",
        description="item step computed from the old P and user biases (Jacobi instead of alternating)",
        kind="loop",
        target="train_explicit_als",
        edits=(
            (
                '        model["P"], model["user_bias"] = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)\n'
                "        history.append(explicit_objective(R, M, model, lam))\n"
                '        model["Q"], model["item_bias"] = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)\n',
                '        P_new, bu_new = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)\n'
                '        Q_new, bi_new = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)\n'
                '        model["P"], model["user_bias"] = P_new, bu_new\n'
                "        history.append(explicit_objective(R, M, model, lam))\n"
                '        model["Q"], model["item_bias"] = Q_new, bi_new\n',
            ),
        ),
        rerun=EXPLICIT_RERUN,
    ),
    Mutant(
        name="predict_explicit_not_clipped",
        question="q4",
        description="predictions not clipped to the rating range [1, 5]",
        kind="formula",
        target="predict_explicit",
        edits=(("return score.clamp(1, 5)", "return score"),),
        rerun=(),
    ),
    Mutant(
        name="explicit_model_trained_with_small_lambda",
        question="q4",
        description="answer cell trains explicit ALS with lam=0.1 instead of the default 5.0",
        kind="outcome",
        target="explicit_model, explicit_history = train_explicit_als(R_train, M_train)",
        edits=(
            (
                "train_explicit_als(R_train, M_train)",
                "train_explicit_als(R_train, M_train, lam=0.1)",
            ),
        ),
        rerun=(),
    ),
    # ---------------- q5: implicit step / objective ----------------
    Mutant(
        name="implicit_step_confidence_alpha_r",
        question="q5",
        description="confidence alpha*r (implicit-library style) instead of 1 + alpha*r in the step",
        kind="formula",
        target="implicit_step",
        edits=(
            ("Y.T @ Y + torch.einsum", "torch.einsum"),
            ("(1 + extra) * preference", "extra * preference"),
        ),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_step_missing_gram_term",
        question="q5",
        description="forgot the shared Y^T Y term: only interacted items enter the normal matrix",
        kind="formula",
        target="implicit_step",
        edits=(("Y.T @ Y + ", ""),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_step_target_counts_not_preference",
        question="q5",
        description="right-hand side uses raw counts r instead of preference p = [r > 0]",
        kind="formula",
        target="implicit_step",
        edits=(("((1 + extra) * preference) @ Y", "((1 + extra) * R) @ Y"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_step_scales_input_in_place",
        question="q5",
        description="extra = R.to(dtype); extra *= alpha -- .to is a no-op for float64 so R is scaled in place",
        kind="in_place",
        target="implicit_step",
        edits=(
            (
                "extra = alpha * R.to(Y.dtype)  # C - I",
                "extra = R.to(Y.dtype)\n    extra *= alpha  # C - I",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="implicit_objective_only_observed_pairs",
        question="q5",
        description="implicit loss summed only over interacted pairs, dropping the zeros",
        kind="formula",
        target="implicit_objective",
        edits=(
            (
                "(confidence * (preference - X @ Y.T) ** 2).sum()",
                "(preference * confidence * (preference - X @ Y.T) ** 2).sum()",
            ),
        ),
        rerun=(),
    ),
    # ---------------- q6: implicit training ----------------
    Mutant(
        name="implicit_item_step_uses_stale_x",
        question="q6",
        description="item step computed from X of the previous iteration (new X assigned afterwards)",
        kind="loop",
        target="train_implicit_als",
        edits=(
            (
                "        X = implicit_step(R, Y, lam, alpha)\n"
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n"
                "        Y = implicit_step(R.T, X, lam, alpha)\n",
                "        X_new = implicit_step(R, Y, lam, alpha)\n"
                "        history.append(implicit_objective(R, X_new, Y, lam, alpha))\n"
                "        Y = implicit_step(R.T, X, lam, alpha)\n"
                "        X = X_new\n",
            ),
        ),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_item_step_swapped_lam_alpha",
        question="q6",
        description="item step called as implicit_step(R.T, X, alpha, lam): lambda and alpha swapped",
        kind="loop",
        target="train_implicit_als",
        edits=(("implicit_step(R.T, X, lam, alpha)", "implicit_step(R.T, X, alpha, lam)"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_default_lambda_0_1",
        question="q6",
        description="train_implicit_als default lam=0.1 instead of 1.0",
        kind="loop",
        target="train_implicit_als",
        edits=(("lam=1.0, alpha=2.0, iterations=10", "lam=0.1, alpha=2.0, iterations=10"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_seeds_global_generator",
        question="q6",
        description="g = torch.manual_seed(seed): same numbers but reseeds/advances the global RNG",
        kind="loop",
        target="train_implicit_als",
        edits=(("g = torch.Generator().manual_seed(seed)", "g = torch.manual_seed(seed)"),),
        rerun=IMPLICIT_RERUN,
    ),
    Mutant(
        name="implicit_model_trained_on_binary_clicks",
        question="q6",
        description="answer cell trains implicit ALS on binarised clicks, losing the confidence from counts",
        kind="outcome",
        target="implicit_X, implicit_Y, implicit_history = train_implicit_als(clicks_train)",
        edits=(
            ("train_implicit_als(clicks_train)", "train_implicit_als((clicks_train > 0).double())"),
        ),
        rerun=(),
    ),
    # ---------------- q7: popularity ----------------
    Mutant(
        name="popularity_sums_counts",
        question="q7",
        description="popularity sums interaction counts instead of counting users",
        kind="formula",
        target="popularity",
        edits=(("(R > 0).sum(0)", "R.sum(0)"),),
        rerun=(),
    ),
    Mutant(
        name="popularity_float32",
        question="q7",
        description="popularity returned as float32 via .float()",
        kind="formula",
        target="popularity",
        edits=((".to(torch.float64)", ".float()"),),
        rerun=(),
    ),
    Mutant(
        name="popularity_as_user_fraction",
        question="q7",
        description="popularity is the fraction of users (mean) rather than the number of users",
        kind="formula",
        target="popularity",
        edits=(("(R > 0).sum(0).to(torch.float64)", "(R > 0).to(torch.float64).mean(0)"),),
        rerun=(),
    ),
    Mutant(
        name="recommend_popular_not_filtering_seen",
        question="q7",
        description="recommend_popular returns the global top-k without removing seen items",
        kind="formula",
        target="recommend_popular",
        edits=(
            (
                "top_k_unseen(scores, R > 0, k)",
                "torch.sort(scores, dim=1, descending=True, stable=True).indices[:, :k]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="recommend_popular_ties_larger_index_first",
        question="q7",
        description="argsort ascending then flip: equally popular items come larger index first",
        kind="tolerance",
        target="recommend_popular",
        edits=(
            (
                "top_k_unseen(scores, R > 0, k)",
                'torch.argsort(scores.masked_fill(R > 0, float("-inf")), dim=1, stable=True).flip(1)[:, :k]',
            ),
        ),
        rerun=(),
    ),
    # ---------------- q8: fold-in / recommend ----------------
    Mutant(
        name="fold_in_default_alpha_40",
        question="q8",
        description="fold_in default alpha=40 (paper value) instead of the training alpha=2",
        kind="formula",
        target="fold_in",
        edits=(("alpha=2.0", "alpha=40.0"),),
        rerun=(),
    ),
    Mutant(
        name="fold_in_binarised_interactions",
        question="q8",
        description="fold_in binarises the new user's row, losing the count-based confidence",
        kind="formula",
        target="fold_in",
        edits=(
            (
                "implicit_step(R_new, Y, lam, alpha)",
                "implicit_step((R_new > 0).to(Y.dtype), Y, lam, alpha)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fold_in_plain_ridge_projection",
        question="q8",
        description="fold-in as plain ridge projection of the preference row (confidence ignored)",
        kind="formula",
        target="fold_in",
        edits=(
            (
                "return implicit_step(R_new, Y, lam, alpha)",
                "return torch.linalg.solve(Y.T @ Y + lam * torch.eye(Y.shape[1], dtype=Y.dtype), "
                "((R_new > 0).to(Y.dtype) @ Y).T).T",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="recommend_not_filtering_seen",
        question="q8",
        description="recommend ranks all items, including already seen ones",
        kind="formula",
        target="recommend",
        edits=(
            (
                "top_k_unseen(X @ Y.T, seen, k)",
                "torch.sort(X @ Y.T, dim=1, descending=True, stable=True).indices[:, :k]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="recommend_cosine_normalised_items",
        question="q8",
        description="recommend scores with item vectors normalised to unit length (cosine) instead of x^T y",
        kind="formula",
        target="recommend",
        edits=(("X @ Y.T", "X @ (Y / Y.norm(dim=1, keepdim=True)).T"),),
        rerun=(),
    ),
]
