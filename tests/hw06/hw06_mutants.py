"""Common student mistakes in hw06 (recommender systems), as data for the shared mutation
harness.

Each mutant is one change of one definition or answer cell of the reference solution
(`mutation.harness.Mutant`): its question's hidden tests must catch it, and its `hint` is the
one Russian line a student's feedback may show for it (the concept, never a hidden input or an
expected value). Mutants of an answer cell that trains a model retrain only that model.
"""

from __future__ import annotations

from mutation.harness import hinted as m

EXPLICIT_TRAINING = "explicit_model, explicit_history = train_explicit_als("
IMPLICIT_TRAINING = "implicit_X, implicit_Y, implicit_history = train_implicit_als("
TRAINING_CELLS = (EXPLICIT_TRAINING, IMPLICIT_TRAINING)

EXPLICIT_CALL = "train_explicit_als(R_train, M_train)"
IMPLICIT_CALL = "train_implicit_als(clicks_train)"
EXPLICIT_EYE = "+ lam * torch.eye(Ya.shape[1], dtype=Y.dtype)"
IMPLICIT_GRAM = 'A = Y.T @ Y + torch.einsum("ui,if,ig->ufg", extra, Y, Y)'
IMPLICIT_RHS = "b = ((1 + extra) * preference) @ Y"
STALE_BIAS_STEP = """    W = M.to(Y.dtype)
    A = torch.einsum("ui,if,ig->ufg", W, Y, Y) + lam * torch.eye(Y.shape[1], dtype=Y.dtype)
    bias = (W * (R - mu - other_bias[None, :])).sum(1) / (W.sum(1) + lam)
    b = (W * (R - mu - other_bias[None, :] - bias[:, None])) @ Y
    return torch.linalg.solve(A, b), bias"""
EXPLICIT_STEP_BODY = """    Ya = torch.cat([Y, torch.ones(len(Y), 1, dtype=Y.dtype)], dim=1)
    W = M.to(Y.dtype)
    A = torch.einsum("ui,if,ig->ufg", W, Ya, Ya) + lam * torch.eye(Ya.shape[1], dtype=Y.dtype)
    b = (W * (R - mu - other_bias[None, :])) @ Ya
    x = torch.linalg.solve(A, b)
    return x[:, :-1], x[:, -1]"""
IMPLICIT_LOOP = """        X = implicit_step(R, Y, lam, alpha)
        history.append(implicit_objective(R, X, Y, lam, alpha))
        Y = implicit_step(R.T, X, lam, alpha)"""
SIMULTANEOUS_LOOP = """        X_next = implicit_step(R, Y, lam, alpha)
        history.append(implicit_objective(R, X_next, Y, lam, alpha))
        Y = implicit_step(R.T, X, lam, alpha)
        X = X_next"""
EXPLICIT_LOOP = """        model["P"], model["user_bias"] = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)
        history.append(explicit_objective(R, M, model, lam))
        model["Q"], model["item_bias"] = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)"""
ITEMS_FIRST_LOOP = """        model["Q"], model["item_bias"] = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)
        history.append(explicit_objective(R, M, model, lam))
        model["P"], model["user_bias"] = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)"""
STALE_FACTORS_LOOP = """        P, user_bias = explicit_step(R, M, model["Q"], model["item_bias"], model["mu"], lam)
        history.append(explicit_objective(R, M, {**model, "P": P, "user_bias": user_bias}, lam))
        model["Q"], model["item_bias"] = explicit_step(R.T, M.T, model["P"], model["user_bias"], model["mu"], lam)
        model["P"], model["user_bias"] = P, user_bias"""
P_INIT = '"P": 0.1 * torch.randn(users, factors, generator=g, dtype=torch.float64),'
Q_INIT = '"Q": 0.1 * torch.randn(items, factors, generator=g, dtype=torch.float64),'
NORMALISE = "torch.nn.functional.normalize"


# one entry per mutant reads better than the formatter's layout
# fmt: off
MUTANTS = [
    # ---- q1 precision, recall, hit rate, top_k_unseen
    m("precision_over_list_length", "q1", "formula", "precision_at_k",
      [("(hits[users] / k)", "(hits[users] / recommended.shape[1])")], "divides by the list's length, not by k",
      "precision@k: попадания среди первых k делятся на k, а среднее берётся только по пользователям, у которых есть релевантные предметы."),
    m("precision_over_all_users", "q1", "formula", "precision_at_k",
      [("(hits[users] / k).mean()", "(hits / k).mean()")], "averages over users with nothing relevant too",
      "precision@k: попадания среди первых k делятся на k, а среднее берётся только по пользователям, у которых есть релевантные предметы."),
    m("recall_normalised_by_k", "q1", "formula", "recall_at_k",
      [("(hits[users] / relevant[users].sum(1))", "(hits[users] / k)")], "recall divided by k",
      "recall@k: считайте попадания только среди первых k рекомендаций и делите их на число всех релевантных предметов пользователя."),
    m("recall_min_k_denominator", "q1", "formula", "recall_at_k",
      [("relevant[users].sum(1)", "relevant[users].sum(1).clamp(max=k)")], "denominator min(k, |rel|)",
      "В этом задании знаменатель recall — все релевантные предметы, даже если их больше k."),
    m("recall_whole_list", "q1", "formula", "recall_at_k",
      [("recommended[:, :k]", "recommended")], "counts hits over the whole list",
      "recall@k: считайте попадания только среди первых k рекомендаций и делите их на число всех релевантных предметов пользователя."),
    m("hit_rate_over_all_users", "q1", "formula", "hit_rate_at_k",
      [("hits[users].double().mean()", "hits.double().mean()")], "averages over every user",
      "Hit rate усредняется по пользователям с релевантными предметами."),
    m("hit_rate_counts_hits", "q1", "formula", "hit_rate_at_k",
      [(".any(1)\n    users", ".sum(1)\n    users")], "the mean number of hits, not the share of users with one",
      "Hit rate — доля пользователей хотя бы с одним попаданием, а не среднее число попаданий."),
    m("top_k_keeps_seen", "q1", "formula", "top_k_unseen",
      [('masked = scores.masked_fill(seen, float("-inf"))', "masked = scores")], "recommends seen items",
      "top_k_unseen: просмотренные исключаются совсем (−∞), порядок — по убыванию оценки в её собственном типе, при равенстве раньше меньший номер (устойчивая сортировка)."),
    m("top_k_seen_scored_zero", "q1", "formula", "top_k_unseen",
      [('float("-inf")', "0.0")], "gives seen items a score of 0 instead of excluding them",
      "top_k_unseen: просмотренные исключаются совсем (−∞), порядок — по убыванию оценки в её собственном типе, при равенстве раньше меньший номер (устойчивая сортировка)."),
    m("top_k_unstable_ties", "q1", "formula", "top_k_unseen",
      [("torch.sort(masked, dim=1, descending=True, stable=True).indices[:, :k]", "masked.topk(k, dim=1).indices")],
      "topk: ties in no defined order",
      "top_k_unseen: просмотренные исключаются совсем (−∞), порядок — по убыванию оценки в её собственном типе, при равенстве раньше меньший номер (устойчивая сортировка)."),
    m("top_k_seen_scored_minimum", "q1", "formula", "top_k_unseen",  # blind round 2
      [('float("-inf")', "float(scores.min())")], "seen items scored at the minimum, tying with the worst unseen",
      "top_k_unseen: просмотренные исключаются совсем (−∞), порядок — по убыванию оценки в её собственном типе, при равенстве раньше меньший номер (устойчивая сортировка)."),
    m("top_k_sorted_in_float32", "q1", "tolerance", "top_k_unseen",  # blind round 2
      [("torch.sort(masked, dim=1", "torch.sort(masked.float(), dim=1")], "sorts the scores in float32",
      "top_k_unseen: просмотренные исключаются совсем (−∞), порядок — по убыванию оценки в её собственном типе, при равенстве раньше меньший номер (устойчивая сортировка)."),
    # ---- q2 NDCG, MAP
    m("ndcg_natural_log", "q2", "formula", "ndcg_at_k",
      [("dcg = (hits * discount).sum(1)", "dcg = (hits / torch.log(torch.arange(2, k + 2, dtype=torch.float64))).sum(1)")],
      "DCG discounted with the natural log, IDCG with log2",
      "NDCG@k: скидка позиции j — 1 / log2(j + 1) (первая позиция без штрафа), а IDCG — сумма тех же скидок по min(k, |rel|) первым позициям."),
    m("ndcg_ideal_of_k", "q2", "formula", "ndcg_at_k",
      [("idcg = discount.cumsum(0)[ideal_length - 1]", "idcg = discount.sum()")], "IDCG as if k items were relevant",
      "NDCG@k: скидка позиции j — 1 / log2(j + 1) (первая позиция без штрафа), а IDCG — сумма тех же скидок по min(k, |rel|) первым позициям."),
    m("ndcg_positions_from_one", "q2", "formula", "ndcg_at_k",
      [("torch.arange(2, k + 2", "torch.arange(3, k + 3")], "the first position discounted by log2(3)",
      "NDCG@k: скидка позиции j — 1 / log2(j + 1) (первая позиция без штрафа), а IDCG — сумма тех же скидок по min(k, |rel|) первым позициям."),
    m("ndcg_ratio_of_means", "q2", "formula", "ndcg_at_k",
      [("float((dcg / idcg).mean())", "float(dcg.mean() / idcg.mean())")], "mean DCG over mean IDCG",
      "NDCG нормируется для каждого пользователя, затем усредняется."),
    m("map_over_relevant_count", "q2", "formula", "map_at_k",
      [("/ ideal_length", "/ relevant[users].sum(1)")], "AP divided by |rel|, not min(k, |rel|)",
      "AP@k: сумма precision@j по позициям попаданий делится на min(k, |rel|) — не на |rel| и не на число попаданий."),
    m("map_over_hits", "q2", "formula", "map_at_k",
      [("/ ideal_length", "/ hits.sum(1).clamp(min=1)")], "AP divided by the number of hits",
      "AP@k: сумма precision@j по позициям попаданий делится на min(k, |rel|) — не на |rel| и не на число попаданий."),
    m("map_over_k", "q2", "formula", "map_at_k",
      [("/ ideal_length", "/ k")], "AP divided by k", "AP@k: суммируйте precision@j только на позициях с релевантным предметом и делите на min(k, |rel|), а не на k."),
    m("map_precision_everywhere", "q2", "formula", "map_at_k",
      [("(precision * hits).sum(1)", "precision.sum(1)")], "sums precision at every position, hits or not",
      "AP@k: суммируйте precision@j только на позициях с релевантным предметом и делите на min(k, |rel|), а не на k."),
    # ---- q3 explicit_step, explicit_objective
    m("explicit_no_lambda", "q3", "formula", "explicit_step",
      [(EXPLICIT_EYE, "+ 1e-8 * torch.eye(Ya.shape[1], dtype=Y.dtype)")], "λ missing from the normal equations",
      "explicit_step: система строки — (Σ q̃q̃ᵀ по её известным оценкам + λI)x = Σ q̃·(r − μ − смещение столбца), где q̃ = (q, 1)."),
    m("explicit_lambda_not_on_bias", "q3", "formula", "explicit_step",
      [(EXPLICIT_EYE, "+ lam * torch.diag(torch.cat([torch.ones(Y.shape[1]), torch.zeros(1)])).to(Y.dtype)")],
      "does not regularise the bias", "λ штрафует и смещения: λI на всю систему размера f + 1."),
    m("explicit_target_without_other_bias", "q3", "formula", "explicit_step",
      [("(R - mu - other_bias[None, :])", "(R - mu)")], "target without the other side's bias",
      "explicit_step: система строки — (Σ q̃q̃ᵀ по её известным оценкам + λI)x = Σ q̃·(r − μ − смещение столбца), где q̃ = (q, 1)."),
    m("explicit_target_unmasked", "q3", "formula", "explicit_step",
      [("b = (W * (R - mu - other_bias[None, :])) @ Ya", "b = (R - mu - other_bias[None, :]) @ Ya")],
      "missing ratings enter the right-hand side as zeros",
      "explicit_step: система строки — (Σ q̃q̃ᵀ по её известным оценкам + λI)x = Σ q̃·(r − μ − смещение столбца), где q̃ = (q, 1)."),
    m("explicit_gram_unmasked", "q3", "formula", "explicit_step",
      [('torch.einsum("ui,if,ig->ufg", W, Ya, Ya)', "(Ya.T @ Ya).expand(len(R), -1, -1)")],
      "the Gram matrix over every column, not the rated ones",
      "explicit_step: система строки — (Σ q̃q̃ᵀ по её известным оценкам + λI)x = Σ q̃·(r − μ − смещение столбца), где q̃ = (q, 1)."),
    m("explicit_stale_bias", "q3", "formula", "explicit_step",
      [(EXPLICIT_STEP_BODY, STALE_BIAS_STEP)], "the bias from residuals before the factors, not solved jointly",
      "explicit_step: факторы и смещение — одна система со столбцом единиц; решайте её точно и в типе входов (float64)."),
    m("explicit_step_in_float32", "q3", "tolerance", "explicit_step",
      [("x = torch.linalg.solve(A, b)", "x = torch.linalg.solve(A.float(), b.float()).to(A.dtype)")],
      "solves in float32", "explicit_step: факторы и смещение — одна система со столбцом единиц; решайте её точно и в типе входов (float64)."),
    m("explicit_centres_ratings_in_place", "q3", "in_place", "explicit_step",
      [("b = (W * (R - mu - other_bias[None, :])) @ Ya", "R -= mu\n    b = (W * (R - other_bias[None, :])) @ Ya")],
      "subtracts the mean from the caller's ratings in place",
      "Функция не меняет переданные тензоры: R -= mu портит матрицу оценок вызывающего кода."),
    m("explicit_objective_all_entries", "q3", "formula", "explicit_objective",
      [("((R - prediction) ** 2 * M).sum()", "((R - prediction) ** 2).sum()")], "the error over missing entries too",
      "L — сумма (не среднее) квадратов ошибок только по известным оценкам плюс λ·(‖P‖² + ‖Q‖² + ‖b‖² + ‖c‖²)."),
    m("explicit_objective_no_bias_penalty", "q3", "formula", "explicit_objective",
      [(" + bu.pow(2).sum() + bi.pow(2).sum()", "")], "no penalty on the biases",
      "L — сумма (не среднее) квадратов ошибок только по известным оценкам плюс λ·(‖P‖² + ‖Q‖² + ‖b‖² + ‖c‖²)."),
    m("explicit_objective_mean_error", "q3", "formula", "explicit_objective",
      [("float(error + lam * penalty)", "float(error / M.sum() + lam * penalty)")], "the mean error, not the sum",
      "L — сумма (не среднее) квадратов ошибок только по известным оценкам плюс λ·(‖P‖² + ‖Q‖² + ‖b‖² + ‖c‖²)."),
    # ---- q4 train_explicit_als, predict_explicit, the trained explicit_model
    m("explicit_items_first", "q4", "loop", "train_explicit_als",
      [(EXPLICIT_LOOP, ITEMS_FIRST_LOOP)], "the item step before the user step",
      "train_explicit_als: μ — среднее известных оценок; начальные P, затем Q из своего генератора; в итерации сначала шаг по пользователям, затем по предметам."),
    m("explicit_stale_factors", "q4", "loop", "train_explicit_als",
      [(EXPLICIT_LOOP, STALE_FACTORS_LOOP)], "the item step uses the users' factors from before their step",
      "Шаг по предметам использует уже обновлённые факторы и смещения пользователей."),
    m("explicit_history_per_iteration", "q4", "loop", "train_explicit_als",
      [("        history.append(explicit_objective(R, M, model, lam))\n        model[\"Q\"]", "        model[\"Q\"]")],
      "records L once per iteration", "history — значение L после каждого из двух шагов итерации."),
    m("explicit_mu_over_all_entries", "q4", "formula", "train_explicit_als",
      [('"mu": float(R[M].mean())', '"mu": float(R.mean())')], "mu averaged with the zeros of missing entries",
      "train_explicit_als: μ — среднее известных оценок; начальные P, затем Q из своего генератора; в итерации сначала шаг по пользователям, затем по предметам."),
    m("explicit_init_order", "q4", "loop", "train_explicit_als",
      [(P_INIT + "\n        " + Q_INIT, Q_INIT + "\n        " + P_INIT)], "draws Q before P",
      "train_explicit_als: μ — среднее известных оценок; начальные P, затем Q из своего генератора; в итерации сначала шаг по пользователям, затем по предметам."),
    m("explicit_global_seed", "q4", "loop", "train_explicit_als",
      [("g = torch.Generator().manual_seed(seed)", "torch.manual_seed(seed)\n    g = None")],
      "seeds torch's global generator",
      "Случайность берите из своего генератора с заданным сидом, а глобальный генератор не трогайте."),
    m("predict_without_clamp", "q4", "formula", "predict_explicit",
      [("return score.clamp(1, 5)", "return score")], "predictions not clipped to [1, 5]",
      "Оценки лежат в [1, 5]: обрежьте предсказание."),
    m("predict_without_mu", "q4", "formula", "predict_explicit",
      [('score = model["mu"] + model["user_bias"][users]', 'score = model["user_bias"][users]')],
      "forgets the global mean", "Предсказание — μ + b_u + c_i + p_uᵀq_i: не забудьте μ."),
    m("predict_rounded", "q4", "formula", "predict_explicit",
      [("return score.clamp(1, 5)", "return score.round().clamp(1, 5)")], "rounds predictions to whole stars",
      "Предсказание не округляется: округление только увеличивает ошибку."),
    m("explicit_model_biases_only", "q4", "outcome", EXPLICIT_TRAINING,
      [(EXPLICIT_CALL, "train_explicit_als(R_train, M_train, factors=0)")], "no factors, biases only",
      "Одних смещений мало: модель должна учить и факторы (параметры по умолчанию)."),
    m("explicit_model_unregularised", "q4", "outcome", EXPLICIT_TRAINING,
      [(EXPLICIT_CALL, "train_explicit_als(R_train, M_train, factors=20, lam=0.01)")], "20 factors, almost no λ",
      "Без регуляризации ALS переобучается: RMSE на новых оценках растёт."),
    m("explicit_model_on_validation", "q4", "outcome", EXPLICIT_TRAINING,
      [(EXPLICIT_CALL, "train_explicit_als(R_val, M_val)")], "trains on the validation ratings",
      "Модель учится на обучающих оценках (R_train, M_train)."),
    # ---- q5 implicit_step, implicit_objective
    m("implicit_zeros_missing", "q5", "formula", "implicit_step",
      [(IMPLICIT_GRAM, 'A = torch.einsum("ui,if,ig->ufg", (1 + extra) * preference, Y, Y)')],
      "zeros treated as missing: only the user's items enter the Gram matrix",
      "implicit_step: матрица YᵀCᵤY = YᵀY + Yᵀ(Cᵤ − I)Y охватывает все предметы (нули — не пропуски), правая часть — YᵀCᵤpᵤ с уверенностью 1 + α·r."),
    m("implicit_confidence_alpha_r", "q5", "formula", "implicit_step",
      [("extra = alpha * R.to(Y.dtype)", "extra = alpha * R.to(Y.dtype) - 1")], "confidence c = α·r",
      "Уверенность по статье — c = 1 + α·r (у нулей 1), а не α·r, как в библиотеке implicit."),
    m("implicit_no_lambda", "q5", "formula", "implicit_step",
      [(" + lam * torch.eye(Y.shape[1], dtype=Y.dtype)", "")], "λ missing from the normal equations",
      "implicit_step: к матрице системы добавляется λI, а в правой части стоит предпочтение p = [r > 0], взвешенное уверенностью, а не счётчик."),
    m("implicit_rhs_without_confidence", "q5", "formula", "implicit_step",
      [(IMPLICIT_RHS, "b = preference @ Y")], "right-hand side Yᵀp without the confidence",
      "implicit_step: матрица YᵀCᵤY = YᵀY + Yᵀ(Cᵤ − I)Y охватывает все предметы (нули — не пропуски), правая часть — YᵀCᵤpᵤ с уверенностью 1 + α·r."),
    m("implicit_rhs_counts", "q5", "formula", "implicit_step",
      [(IMPLICIT_RHS, "b = ((1 + extra) * R) @ Y")], "fits the counts instead of the preference",
      "implicit_step: к матрице системы добавляется λI, а в правой части стоит предпочтение p = [r > 0], взвешенное уверенностью, а не счётчик."),
    m("implicit_confidence_counted_twice", "q5", "formula", "implicit_step",
      [(IMPLICIT_GRAM, 'A = Y.T @ Y + torch.einsum("ui,if,ig->ufg", (1 + extra) * preference, Y, Y)')],
      "adds Yᵀ Cᵤ Y over the user's items, not Yᵀ (Cᵤ − I) Y",
      "implicit_step: матрица YᵀCᵤY = YᵀY + Yᵀ(Cᵤ − I)Y охватывает все предметы (нули — не пропуски), правая часть — YᵀCᵤpᵤ с уверенностью 1 + α·r."),
    m("implicit_objective_observed_only", "q5", "formula", "implicit_objective",
      [("(confidence * (preference - X @ Y.T) ** 2).sum()", "(confidence * (preference - X @ Y.T) ** 2 * preference).sum()")],
      "the objective over the interactions only", "L implicit ALS: сумма по всем парам, включая нули, c·(p − xᵀy)² с p = [r > 0], плюс λ(‖X‖² + ‖Y‖²)."),
    m("implicit_objective_counts_target", "q5", "formula", "implicit_objective",
      [("(preference - X @ Y.T)", "(R - X @ Y.T)")], "counts instead of preferences in the error",
      "L implicit ALS: сумма по всем парам, включая нули, c·(p − xᵀy)² с p = [r > 0], плюс λ(‖X‖² + ‖Y‖²)."),
    m("implicit_objective_no_penalty", "q5", "formula", "implicit_objective",
      [("float(error + lam * (X.pow(2).sum() + Y.pow(2).sum()))", "float(error)")], "no regularisation term",
      "L implicit ALS: сумма по всем парам, включая нули, c·(p − xᵀy)² с p = [r > 0], плюс λ(‖X‖² + ‖Y‖²)."),
    # ---- q6 train_implicit_als, the trained implicit_X, implicit_Y
    m("implicit_simultaneous_update", "q6", "loop", "train_implicit_als",
      [(IMPLICIT_LOOP, SIMULTANEOUS_LOOP)], "the item step uses the users' factors from before their step",
      "Шаги чередуются: шаг по предметам использует только что обновлённые X."),
    m("implicit_history_per_iteration", "q6", "loop", "train_implicit_als",
      [("        history.append(implicit_objective(R, X, Y, lam, alpha))\n        Y =", "        Y =")],
      "records L once per iteration", "history — значение L после каждого из двух шагов итерации."),
    m("implicit_trains_on_binary", "q6", "formula", "train_implicit_als",
      [("implicit_step(R, Y, lam, alpha)", "implicit_step((R > 0).double(), Y, lam, alpha)"),
       ("implicit_step(R.T, X, lam, alpha)", "implicit_step((R.T > 0).double(), X, lam, alpha)")],
      "steps on the binarised matrix: counts lost from the confidence",
      "train_implicit_als: начальные факторы — 0.01 · randn из своего генератора, а шаги получают исходную матрицу счётчиков R."),
    m("implicit_init_scale", "q6", "formula", "train_implicit_als",
      [("0.01 * torch.randn", "0.1 * torch.randn")], "initial factors ten times larger",
      "train_implicit_als: начальные факторы — 0.01 · randn из своего генератора, а шаги получают исходную матрицу счётчиков R."),
    m("implicit_default_lambda", "q6", "formula", "train_implicit_als",  # blind round 1
      [("def train_implicit_als(R, factors=8, lam=1.0,", "def train_implicit_als(R, factors=8, lam=0.1,")],
      "a default λ other than the task's", "Значения по умолчанию заданы в задании: λ = 1."),
    m("implicit_model_on_binary_clicks", "q6", "outcome", IMPLICIT_TRAINING,  # blind round 1
      [(IMPLICIT_CALL, "train_implicit_als((clicks_train > 0).double())")], "trains on binarised clicks",
      "Факторы implicit_X, implicit_Y получаются вызовом train_implicit_als(clicks_train): обучающие клики со счётчиками."),
    m("implicit_model_on_validation", "q6", "outcome", IMPLICIT_TRAINING,
      [(IMPLICIT_CALL, "train_implicit_als(clicks_val)")], "trains on the validation clicks",
      "Факторы implicit_X, implicit_Y получаются вызовом train_implicit_als(clicks_train): обучающие клики со счётчиками."),
    m("implicit_model_one_factor", "q6", "outcome", IMPLICIT_TRAINING,
      [(IMPLICIT_CALL, "train_implicit_als(clicks_train, factors=1)")], "a single factor",
      "Модель implicit ALS обучается с параметрами по умолчанию: меньше факторов или сильная регуляризация сводят её к популярному."),
    m("implicit_model_heavy_lambda", "q6", "outcome", IMPLICIT_TRAINING,
      [(IMPLICIT_CALL, "train_implicit_als(clicks_train, lam=500.0)")], "λ = 500",
      "Модель implicit ALS обучается с параметрами по умолчанию: меньше факторов или сильная регуляризация сводят её к популярному."),
    # ---- q7 popularity, recommend_popular
    m("popularity_sums_counts", "q7", "formula", "popularity",
      [("(R > 0).sum(0)", "R.sum(0)")], "sums the interaction counts",
      "Популярность предмета — число пользователей с r > 0: не сумма счётчиков и не доля пользователей."),
    m("popularity_share", "q7", "formula", "popularity",
      [("(R > 0).sum(0).to(torch.float64)", "(R > 0).to(torch.float64).mean(0)")], "the share of users, not their number",
      "Популярность предмета — число пользователей с r > 0: не сумма счётчиков и не доля пользователей."),
    m("popularity_binarises_in_place", "q7", "in_place", "popularity",
      [("(R > 0).sum(0)", "R.clamp_(max=1).sum(0)")], "binarises the caller's counts in place",
      "Функция не меняет переданную матрицу: clamp_ перезаписывает счётчики вызывающего кода."),
    m("popular_keeps_seen", "q7", "formula", "recommend_popular",
      [("top_k_unseen(scores, R > 0, k)", "scores.topk(k, dim=1).indices")], "recommends what the user has seen",
      "recommend_popular: исключайте всё просмотренное — любой предмет с r > 0 у этого пользователя."),
    m("popular_single_click_unseen", "q7", "formula", "recommend_popular",
      [("top_k_unseen(scores, R > 0, k)", "top_k_unseen(scores, R > 1, k)")], "a single interaction does not count as seen",
      "recommend_popular: исключайте всё просмотренное — любой предмет с r > 0 у этого пользователя."),
    # ---- q8 fold_in, recommend
    m("fold_in_no_lambda", "q8", "formula", "fold_in",
      [("implicit_step(R_new, Y, lam, alpha)", "implicit_step(R_new, Y, 0.0, alpha)")], "drops λ",
      "fold_in — тот же шаг implicit ALS по строке нового пользователя: уверенность 1 + α·r из его счётчиков и тот же λ."),
    m("fold_in_default_alpha", "q8", "formula", "fold_in",
      [("def fold_in(R_new, Y, lam=1.0, alpha=2.0)", "def fold_in(R_new, Y, lam=1.0, alpha=10.0)")],
      "a default α other than the model's", "Параметры по умолчанию fold_in — те же, что у обучения (λ = 1, α = 2)."),
    m("fold_in_binarised", "q8", "formula", "fold_in",
      [("implicit_step(R_new, Y, lam, alpha)", "implicit_step((R_new > 0).double(), Y, lam, alpha)")],
      "binarises the new user's counts", "fold_in — тот же шаг implicit ALS по строке нового пользователя: уверенность 1 + α·r из его счётчиков и тот же λ."),
    m("fold_in_unweighted_least_squares", "q8", "formula", "fold_in",
      [("return implicit_step(R_new, Y, lam, alpha)", "return torch.linalg.lstsq(Y, (R_new > 0).to(Y.dtype).T).solution.T")],
      "plain least squares, no confidence and no λ",
      "fold_in — тот же шаг implicit ALS по строке нового пользователя: уверенность 1 + α·r из его счётчиков и тот же λ."),
    m("recommend_keeps_seen", "q8", "formula", "recommend",
      [("top_k_unseen(X @ Y.T, seen, k)", "(X @ Y.T).topk(k, dim=1).indices")], "recommends seen items",
      "Рекомендации — только из непросмотренного."),
    m("recommend_cosine", "q8", "formula", "recommend",
      [("X @ Y.T", f"{NORMALISE}(X, dim=1) @ {NORMALISE}(Y, dim=1).T")], "cosine similarity instead of xᵀy",
      "Оценка предмета в ALS — скалярное произведение xᵀy, без нормировки."),
]
# fmt: on

# the mistakes issue #29 names
FORESEEN = frozenset(
    {
        "explicit_no_lambda",
        "implicit_no_lambda",
        "implicit_zeros_missing",
        "implicit_confidence_alpha_r",
        "recall_normalised_by_k",
        "ndcg_natural_log",
        "top_k_keeps_seen",
        "recommend_keeps_seen",
        "explicit_stale_bias",
    }
)
