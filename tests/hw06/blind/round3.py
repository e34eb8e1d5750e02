"""hw06 blind round 3: 40 mistakes written by a helper that read only the kit (the task,
the reference cells, the mutant format, the names of rounds 1-2), graded before any test changed."""

from mutation.harness import Mutant

EXPLICIT_TRAIN = "explicit_model, explicit_history = train_explicit_als(R_train, M_train)"
IMPLICIT_TRAIN = "implicit_X, implicit_Y, implicit_history = train_implicit_als(clicks_train)"

MUTANTS = [
    # ---------------------------------------------------------------- q1
    Mutant(
        name="precision_gather_along_users",
        question="q1",
        description="precision@k gathers along dim 0 (relevant[rec[u, j], j]) instead of dim 1",
        kind="formula",
        target="precision_at_k",
        edits=(
            ("relevant.gather(1, recommended[:, :k])", "relevant.gather(0, recommended[:, :k])"),
        ),
        rerun=(),
    ),
    Mutant(
        name="precision_isin_any_users_relevant",
        question="q1",
        description="precision@k counts a hit if the item is relevant to ANY user (torch.isin on flattened relevant indices)",
        kind="formula",
        target="precision_at_k",
        edits=(
            (
                "hits = relevant.gather(1, recommended[:, :k]).double().sum(1)",
                "hits = torch.isin(recommended[:, :k], relevant.nonzero()[:, 1]).double().sum(1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="recall_over_users_with_hits",
        question="q1",
        description="recall@k averaged only over users with at least one hit in the list (users = hits > 0)",
        kind="formula",
        target="recall_at_k",
        edits=(("users = relevant.any(1)", "users = hits > 0"),),
        rerun=(),
    ),
    Mutant(
        name="hit_rate_mean_hit_count",
        question="q1",
        description="hit rate copied from precision without /k: averages the number of hits instead of the indicator hits > 0",
        kind="formula",
        target="hit_rate_at_k",
        edits=(("recommended[:, :k]).any(1)", "recommended[:, :k]).sum(1)"),),
        rerun=(),
    ),
    Mutant(
        name="top_k_unseen_torch_topk",
        question="q1",
        description="top_k_unseen uses torch.topk, whose tie order is not 'smaller index first'",
        kind="tolerance",
        target="top_k_unseen",
        edits=(
            (
                "return torch.sort(masked, dim=1, descending=True, stable=True).indices[:, :k]",
                "return torch.topk(masked, k, dim=1).indices",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q2
    Mutant(
        name="map_cumsum_over_users",
        question="q2",
        description="running hit count for precision@j accumulated along the user axis (cumsum(0)) instead of positions",
        kind="formula",
        target="map_at_k",
        edits=(("hits.cumsum(1)", "hits.cumsum(0)"),),
        rerun=(),
    ),
    Mutant(
        name="map_mean_over_positions",
        question="q2",
        description="AP computed as mean over the k positions (divides by k) instead of dividing by min(k, |rel|)",
        kind="formula",
        target="map_at_k",
        edits=(
            (
                "((precision * hits).sum(1) / ideal_length).mean()",
                "(precision * hits).mean(1).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="map_positions_copied_from_ndcg",
        question="q2",
        description="precision@j denominator uses arange(2, k + 2) copied from the NDCG discount, i.e. divides by j + 1",
        kind="formula",
        target="map_at_k",
        edits=(
            (
                "torch.arange(1, k + 1, dtype=torch.float64)",
                "torch.arange(2, k + 2, dtype=torch.float64)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ndcg_multiplies_by_log",
        question="q2",
        description="NDCG discount forgot the reciprocal: gains multiplied by log2(j + 1) instead of divided",
        kind="formula",
        target="ndcg_at_k",
        edits=(("discount = 1.0 / torch.log2(", "discount = torch.log2("),),
        rerun=(),
    ),
    Mutant(
        name="ndcg_idcg_last_term_only",
        question="q2",
        description="IDCG taken as the single discount at position min(k, |rel|) instead of the sum of the first min(k, |rel|) discounts",
        kind="formula",
        target="ndcg_at_k",
        edits=(
            ("idcg = discount.cumsum(0)[ideal_length - 1]", "idcg = discount[ideal_length - 1]"),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q3
    Mutant(
        name="explicit_rhs_unmasked",
        question="q3",
        description="right-hand side of the ridge system not masked: missing ratings enter as targets -mu - c_i",
        kind="formula",
        target="explicit_step",
        edits=(
            (
                "b = (W * (R - mu - other_bias[None, :])) @ Ya",
                "b = (R - mu - other_bias[None, :]) @ Ya",
            ),
        ),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_target_forgets_mu",
        question="q3",
        description="ridge target r - c_i: the global mean mu is not subtracted (left for the biases to absorb)",
        kind="formula",
        target="explicit_step",
        edits=(("R - mu - other_bias[None, :]", "R - other_bias[None, :]"),),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_lambda_added_to_all_entries",
        question="q3",
        description="regulariser added as scalar '+ lam' (broadcast to every entry of the normal matrix) instead of lam * I",
        kind="formula",
        target="explicit_step",
        edits=(("+ lam * torch.eye(Ya.shape[1], dtype=Y.dtype)", "+ lam"),),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_objective_clipped_prediction",
        question="q3",
        description="objective computed from predictions clipped to [1, 5] (reusing the predict logic) instead of raw r-hat",
        kind="formula",
        target="explicit_objective",
        edits=(
            (
                'prediction = model["mu"] + bu[:, None] + bi[None, :] + P @ Q.T',
                'prediction = (model["mu"] + bu[:, None] + bi[None, :] + P @ Q.T).clamp(1, 5)',
            ),
        ),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_step_centres_input_in_place",
        question="q3",
        description="explicit_step centres the ratings with R -= mu + bias, modifying the caller's matrix (and R via the R.T view)",
        kind="in_place",
        target="explicit_step",
        edits=(
            (
                "    b = (W * (R - mu - other_bias[None, :])) @ Ya",
                "    R -= mu + other_bias[None, :]\n    b = (W * R) @ Ya",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q4
    Mutant(
        name="explicit_iterations_off_by_one",
        question="q4",
        description="training loop range(1, iterations): one iteration fewer, history has 2 * (iterations - 1) values",
        kind="loop",
        target="train_explicit_als",
        edits=(("for _ in range(iterations):", "for _ in range(1, iterations):"),),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_init_p_without_generator",
        question="q4",
        description="P drawn without generator=g (global RNG), so Q takes the generator's first numbers",
        kind="loop",
        target="train_explicit_als",
        edits=(
            (
                '"P": 0.1 * torch.randn(users, factors, generator=g, dtype=torch.float64)',
                '"P": 0.1 * torch.randn(users, factors, dtype=torch.float64)',
            ),
        ),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_biases_random_init",
        question="q4",
        description="user and item biases initialised with small random numbers from g instead of zeros",
        kind="loop",
        target="train_explicit_als",
        edits=(
            (
                '"user_bias": torch.zeros(users, dtype=torch.float64)',
                '"user_bias": 0.1 * torch.randn(users, generator=g, dtype=torch.float64)',
            ),
            (
                '"item_bias": torch.zeros(items, dtype=torch.float64)',
                '"item_bias": 0.1 * torch.randn(items, generator=g, dtype=torch.float64)',
            ),
        ),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="explicit_mu_left_as_tensor",
        question="q4",
        description="model['mu'] stored as a 0-d tensor (R[M].mean()) instead of a Python float",
        kind="formula",
        target="train_explicit_als",
        edits=(('"mu": float(R[M].mean())', '"mu": R[M].mean()'),),
        rerun=(EXPLICIT_TRAIN,),
    ),
    Mutant(
        name="predict_explicit_einsum_wrong_labels",
        question="q4",
        description="factor term via einsum('uf,if->u'): sums p_u . q_i over all requested items instead of the paired one",
        kind="formula",
        target="predict_explicit",
        edits=(
            (
                '(model["P"][users] * model["Q"][items]).sum(1)',
                'torch.einsum("uf,if->u", model["P"][users], model["Q"][items])',
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q5
    Mutant(
        name="implicit_rhs_uses_c_minus_i",
        question="q5",
        description="right-hand side reuses extra = C - I: Y^T (C_u - I) p_u instead of Y^T C_u p_u",
        kind="formula",
        target="implicit_step",
        edits=(("b = ((1 + extra) * preference) @ Y", "b = (extra * preference) @ Y"),),
        rerun=(IMPLICIT_TRAIN,),
    ),
    Mutant(
        name="implicit_rhs_confidence_without_preference",
        question="q5",
        description="right-hand side Y^T c_u: preference vector dropped, zeros contribute with confidence 1",
        kind="formula",
        target="implicit_step",
        edits=(("b = ((1 + extra) * preference) @ Y", "b = (1 + extra) @ Y"),),
        rerun=(IMPLICIT_TRAIN,),
    ),
    Mutant(
        name="implicit_step_alpha_hardcoded",
        question="q5",
        description="implicit_step uses alpha = 2.0 hard-coded, ignoring its alpha argument",
        kind="loop",
        target="implicit_step",
        edits=(("extra = alpha * R.to(Y.dtype)", "extra = 2.0 * R.to(Y.dtype)"),),
        rerun=(),
    ),
    Mutant(
        name="implicit_objective_missing_y_penalty",
        question="q5",
        description="implicit objective penalises only the user factors X, not Y",
        kind="formula",
        target="implicit_objective",
        edits=(("lam * (X.pow(2).sum() + Y.pow(2).sum())", "lam * X.pow(2).sum()"),),
        rerun=(IMPLICIT_TRAIN,),
    ),
    Mutant(
        name="implicit_step_stability_jitter",
        question="q5",
        description="adds a 1e-3 'stability' jitter to lambda in the normal matrix",
        kind="tolerance",
        target="implicit_step",
        edits=(
            (
                "lam * torch.eye(Y.shape[1], dtype=Y.dtype)",
                "(lam + 1e-3) * torch.eye(Y.shape[1], dtype=Y.dtype)",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q6
    Mutant(
        name="implicit_init_uniform",
        question="q6",
        description="initial factors drawn with torch.rand (uniform [0, 1)) instead of torch.randn",
        kind="loop",
        target="train_implicit_als",
        edits=(("torch.randn(", "torch.rand("),),
        rerun=(IMPLICIT_TRAIN,),
    ),
    Mutant(
        name="implicit_init_float32",
        question="q6",
        description="initial factors drawn without dtype=float64, so the whole training runs and returns float32",
        kind="formula",
        target="train_implicit_als",
        edits=((", dtype=torch.float64)", ")"),),
        rerun=(IMPLICIT_TRAIN,),
    ),
    Mutant(
        name="implicit_early_stopping",
        question="q6",
        description="adds an early stop when the objective improves by < 0.1% per iteration: history shorter than 2 * iterations",
        kind="loop",
        target="train_implicit_als",
        edits=(
            (
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n    return X, Y, history",
                "        history.append(implicit_objective(R, X, Y, lam, alpha))\n"
                "        if len(history) > 2 and history[-3] - history[-1] < 1e-3 * abs(history[-1]):\n"
                "            break\n"
                "    return X, Y, history",
            ),
        ),
        rerun=(IMPLICIT_TRAIN,),
    ),
    Mutant(
        name="implicit_history_hardcoded_hyperparams",
        question="q6",
        description="history logs implicit_objective with lam=1.0, alpha=2.0 hard-coded instead of the arguments",
        kind="loop",
        target="train_implicit_als",
        edits=(
            ("implicit_objective(R, X, Y, lam, alpha)", "implicit_objective(R, X, Y, 1.0, 2.0)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="implicit_model_trained_on_max_scaled_counts",
        question="q6",
        description="answer cell trains on counts scaled to [0, 1] by the global maximum (feature-scaling habit), weakening confidence",
        kind="outcome",
        target=IMPLICIT_TRAIN,
        edits=(
            (
                "train_implicit_als(clicks_train)",
                "train_implicit_als(clicks_train / clicks_train.max())",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q7
    Mutant(
        name="popularity_counts_per_user_axis",
        question="q7",
        description="popularity sums over the item axis (sum(1)): number of items per user instead of users per item",
        kind="formula",
        target="popularity",
        edits=(("(R > 0).sum(0)", "(R > 0).sum(1)"),),
        rerun=(),
    ),
    Mutant(
        name="popularity_plus_one_smoothing",
        question="q7",
        description="popularity adds 1 to every count (Laplace smoothing 'to avoid zeros')",
        kind="formula",
        target="popularity",
        edits=(
            (
                "return (R > 0).sum(0).to(torch.float64)",
                "return (R > 0).sum(0).to(torch.float64) + 1",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="popularity_keepdim_shape",
        question="q7",
        description="popularity returned with keepdim=True: shape (1, I) instead of (I,)",
        kind="formula",
        target="popularity",
        edits=(("(R > 0).sum(0)", "(R > 0).sum(0, keepdim=True)"),),
        rerun=(),
    ),
    Mutant(
        name="popularity_bincount_without_minlength",
        question="q7",
        description="popularity via torch.bincount of interacted item ids without minlength: trailing never-seen items are dropped",
        kind="tolerance",
        target="popularity",
        edits=(
            (
                "return (R > 0).sum(0).to(torch.float64)",
                "return torch.bincount(R.nonzero()[:, 1]).to(torch.float64)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="recommend_popular_unstable_argsort",
        question="q7",
        description="recommend_popular re-implements the ranking with argsort(descending=True) without stable=True: tie order arbitrary",
        kind="tolerance",
        target="recommend_popular",
        edits=(
            (
                "return top_k_unseen(scores, R > 0, k)",
                'return torch.argsort(scores.masked_fill(R > 0, float("-inf")), dim=1, descending=True)[:, :k]',
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q8
    Mutant(
        name="recommend_drops_first_as_self",
        question="q8",
        description="recommend takes k + 1 items and drops the first one (as if it were the user/item itself)",
        kind="formula",
        target="recommend",
        edits=(
            (
                "return top_k_unseen(X @ Y.T, seen, k)",
                "return top_k_unseen(X @ Y.T, seen, k + 1)[:, 1:]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fold_in_passes_confidence_matrix",
        question="q8",
        description="fold_in passes the confidence matrix 1 + alpha * R_new to implicit_step instead of the raw counts",
        kind="formula",
        target="fold_in",
        edits=(
            (
                "return implicit_step(R_new, Y, lam, alpha)",
                "return implicit_step(1 + alpha * R_new, Y, lam, alpha)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fold_in_caches_gram_globally",
        question="q8",
        description="fold_in caches Y^T Y in a global on the first call and reuses it for later calls with a different Y",
        kind="loop",
        target="fold_in",
        edits=(
            (
                "    return implicit_step(R_new, Y, lam, alpha)",
                "    global _fold_in_gram\n"
                '    if "_fold_in_gram" not in globals():  # Y^T Y is shared by all new users: compute it once\n'
                "        _fold_in_gram = Y.T @ Y\n"
                "    preference = (R_new > 0).to(Y.dtype)\n"
                "    extra = alpha * R_new.to(Y.dtype)\n"
                '    A = _fold_in_gram + torch.einsum("ui,if,ig->ufg", extra, Y, Y) + lam * torch.eye(Y.shape[1], dtype=Y.dtype)\n'
                "    return torch.linalg.solve(A, ((1 + extra) * preference) @ Y)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fold_in_row_normalised_counts",
        question="q8",
        description="fold_in divides each new user's counts by the row total (so heavy users don't dominate) before the step",
        kind="formula",
        target="fold_in",
        edits=(
            (
                "return implicit_step(R_new, Y, lam, alpha)",
                "return implicit_step(R_new / R_new.sum(1, keepdim=True).clamp(min=1), Y, lam, alpha)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fold_in_unit_norm_factors",
        question="q8",
        description="fold_in L2-normalises the folded-in user factors (F.normalize) before returning them",
        kind="formula",
        target="fold_in",
        edits=(
            (
                "return implicit_step(R_new, Y, lam, alpha)",
                "return torch.nn.functional.normalize(implicit_step(R_new, Y, lam, alpha), dim=1)",
            ),
        ),
        rerun=(),
    ),
]
