"""hw04 blind round 3: 40 mistakes written by a new helper that read only the kit (the task,
the reference cells, the mutant format and rounds 1-2's mistakes), graded before any test
changed."""

from mutation.harness import Mutant

MUTANTS = [
    # ---------------------------------------------------------------- q1
    Mutant(
        name="reparam_ignores_eps_argument",
        question="q1",
        description="reparameterize ignores the eps argument and draws its own noise with torch.randn_like(mu) (usual VAE tutorial code)",
        kind="loop",
        target="reparameterize",
        edits=(
            ("torch.exp(0.5 * logvar) * eps", "torch.exp(0.5 * logvar) * torch.randn_like(mu)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="kl_mean_over_latent_dims",
        question="q1",
        description="KL averaged over the latent coordinates (mean(-1)) instead of summed",
        kind="formula",
        target="kl_std_normal",
        edits=((".sum(-1)", ".mean(-1)"),),
        rerun=(),
    ),
    Mutant(
        name="kl_drops_constant_term",
        question="q1",
        description="KL written without the constant -1 ('constants do not matter for the gradient'), off by L/2 per object",
        kind="formula",
        target="kl_std_normal",
        edits=(("torch.exp(logvar) - 1.0 - logvar", "torch.exp(logvar) - logvar"),),
        rerun=(),
    ),
    Mutant(
        name="bernoulli_sum_over_axis_one",
        question="q1",
        description="Bernoulli log-likelihood summed over dim=1 instead of the last axis: right for (B, D), wrong for logits with a leading sample axis",
        kind="tolerance",
        target="bernoulli_log_lik",
        edits=((".sum(-1)", ".sum(1)"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q2
    Mutant(
        name="elbo_rec_summed_over_batch",
        question="q2",
        description="reconstruction term summed over the batch as well as the pixels while KL is averaged",
        kind="formula",
        target="negative_elbo",
        edits=(
            (
                "rec = -bernoulli_log_lik(logits, x).mean()",
                "rec = -bernoulli_log_lik(logits, x).sum()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="iw_log_q_missing_logvar_term",
        question="q2",
        description="log q(z|x) omits the log-variance normaliser term (only the squared deviation and log 2pi)",
        kind="formula",
        target="log_importance_weights",
        edits=(("+ logvar + log2pi", "+ log2pi"),),
        rerun=(),
    ),
    Mutant(
        name="iw_weights_under_no_grad",
        question="q2",
        description="log importance weights computed inside torch.no_grad() ('IWAE is only for evaluation'), cutting the graph to mu, logvar and logits",
        kind="graph",
        target="log_importance_weights",
        edits=(
            (
                "    log2pi = math.log(2 * math.pi)\n"
                "    log_px_z = bernoulli_log_lik(logits, x)\n"
                "    log_pz = -0.5 * (z**2 + log2pi).sum(-1)\n"
                "    log_qz = -0.5 * ((z - mu) ** 2 / torch.exp(logvar) + logvar + log2pi).sum(-1)\n"
                "    return log_px_z + log_pz - log_qz",
                "    with torch.no_grad():\n"
                "        log2pi = math.log(2 * math.pi)\n"
                "        log_px_z = bernoulli_log_lik(logits, x)\n"
                "        log_pz = -0.5 * (z**2 + log2pi).sum(-1)\n"
                "        log_qz = -0.5 * ((z - mu) ** 2 / torch.exp(logvar) + logvar + log2pi).sum(-1)\n"
                "        return log_px_z + log_pz - log_qz",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="iwae_global_max_shift",
        question="q2",
        description="hand-written log-mean-exp shifts by one global max over all objects instead of a per-object max: underflows to inf when objects' weights differ a lot",
        kind="tolerance",
        target="iwae_nll",
        edits=(
            (
                "    return -(torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])).mean()",
                "    m = log_w.max()\n"
                "    return -(m + torch.log(torch.exp(log_w - m).mean(dim=0))).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="iwae_logsumexp_over_objects",
        question="q2",
        description="logsumexp taken over the last axis (objects) by the 'last axis' habit instead of the sample axis 0",
        kind="formula",
        target="iwae_nll",
        edits=(("torch.logsumexp(log_w, dim=0)", "torch.logsumexp(log_w, dim=-1)"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q3
    Mutant(
        name="train_vae_generator_reseeded_each_epoch",
        question="q3",
        description="train_vae creates the seeded generator inside the epoch loop, so every epoch repeats the same permutation and noise",
        kind="loop",
        target="train_vae",
        edits=(
            ("    g = torch.Generator().manual_seed(seed)\n", ""),
            (
                "        perm = torch.randperm(len(X), generator=g)",
                "        g = torch.Generator().manual_seed(seed)\n        perm = torch.randperm(len(X), generator=g)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="train_vae_lr_argument_ignored",
        question="q3",
        description="Adam created without lr=lr, so training always uses Adam's default 1e-3 (the VAE still trains reasonably)",
        kind="outcome",
        target="train_vae",
        edits=(
            ("torch.optim.Adam(model.parameters(), lr=lr)", "torch.optim.Adam(model.parameters())"),
        ),
        rerun=(),
    ),
    Mutant(
        name="vae_decoder_sigmoid_output",
        question="q3",
        description="decoder ends with nn.Sigmoid(), so decode returns probabilities that are then treated as logits",
        kind="formula",
        target="VAE",
        edits=(("nn.Linear(hidden, x_dim))", "nn.Linear(hidden, x_dim), nn.Sigmoid())"),),
        rerun=(),
    ),
    Mutant(
        name="train_vae_shuffles_data_in_place",
        question="q3",
        description="train_vae shuffles the caller's data in place each epoch (X[:] = X[perm]) and takes contiguous slices, so X is modified and later epochs see composed permutations",
        kind="in_place",
        target="train_vae",
        edits=(
            (
                "        perm = torch.randperm(len(X), generator=g)",
                "        perm = torch.randperm(len(X), generator=g)\n        X[:] = X[perm]",
            ),
            (
                "batch = X[perm[start : start + batch_size]]",
                "batch = X[start : start + batch_size]",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q4
    Mutant(
        name="vae_trains_fresh_instance",
        question="q4",
        description="train_vae is called on a new VAE() instead of vae, so the history looks fine but vae stays untrained",
        kind="loop",
        target="vae_history = train_vae",
        edits=(("train_vae(vae, X_bin)", "train_vae(VAE(), X_bin)"),),
        rerun=(),
    ),
    Mutant(
        name="vae_trained_on_gan_scaled_digits",
        question="q4",
        description="the VAE is trained on X_gan (pixels in [-1, 1]) instead of the binarised X_bin",
        kind="loop",
        target="vae_history = train_vae",
        edits=(("train_vae(vae, X_bin)", "train_vae(vae, X_gan)"),),
        rerun=(),
    ),
    Mutant(
        name="vae_full_batch_training",
        question="q4",
        description="the VAE is trained with batch_size=len(X_bin) (full batch 'for stability'), i.e. only 60 optimizer steps",
        kind="loop",
        target="vae_history = train_vae",
        edits=(("train_vae(vae, X_bin)", "train_vae(vae, X_bin, batch_size=len(X_bin))"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q5
    Mutant(
        name="d_bce_label_smoothing",
        question="q5",
        description="discriminator BCE uses one-sided label smoothing (target 0.9 for real) instead of label 1",
        kind="formula",
        target="d_loss_bce",
        edits=(("torch.ones_like(real_logits)", "torch.full_like(real_logits, 0.9)"),),
        rerun=(),
    ),
    Mutant(
        name="d_bce_negates_fake_logits_in_place",
        question="q5",
        description="fake term written as BCE(-logits, 1) using fake_logits.neg_(), negating the caller's tensor in place",
        kind="in_place",
        target="d_loss_bce",
        edits=(
            (
                "F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))",
                "F.binary_cross_entropy_with_logits(fake_logits.neg_(), torch.ones_like(fake_logits))",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="d_bce_detaches_fake_logits",
        question="q5",
        description="discriminator loss detaches the fake logits ('fakes must be detached'), so no gradient flows from the fake term",
        kind="graph",
        target="d_loss_bce",
        edits=(
            (
                "F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))",
                "F.binary_cross_entropy_with_logits(fake_logits.detach(), torch.zeros_like(fake_logits))",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="lsgan_g_square_of_mean",
        question="q5",
        description="LSGAN generator loss squares the mean output, 0.5*(E D(G(z)) - 1)^2, instead of averaging the squares",
        kind="formula",
        target="lsgan_g_loss",
        edits=(("0.5 * ((fake_out - 1) ** 2).mean()", "0.5 * (fake_out.mean() - 1) ** 2"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q6
    Mutant(
        name="gp_squared_norm",
        question="q6",
        description="gradient penalty uses the squared gradient norm (sum of squares, no sqrt) instead of the norm",
        kind="formula",
        target="gradient_penalty",
        edits=(("grad.flatten(1).norm(2, dim=1)", "grad.flatten(1).pow(2).sum(dim=1)"),),
        rerun=(),
    ),
    Mutant(
        name="gp_one_sided",
        question="q6",
        description="one-sided penalty max(0, ||grad|| - 1)^2: gradients with norm below 1 are not penalised",
        kind="formula",
        target="gradient_penalty",
        edits=(
            (
                "((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()",
                "((grad.flatten(1).norm(2, dim=1) - 1).clamp(min=0) ** 2).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="gp_draws_own_alpha",
        question="q6",
        description="gradient_penalty ignores the alpha argument and draws alpha = torch.rand(B, 1) itself (as in the paper's pseudo-code)",
        kind="loop",
        target="gradient_penalty",
        edits=(
            (
                "    mixed = alpha * real + (1 - alpha) * fake",
                "    alpha = torch.rand(len(real), 1)\n    mixed = alpha * real + (1 - alpha) * fake",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="sample_noise_uniform",
        question="q6",
        description="sample_noise uses torch.rand (uniform on [0, 1)) instead of torch.randn",
        kind="formula",
        target="sample_noise",
        edits=(("torch.randn(n, dim", "torch.rand(n, dim"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q7
    Mutant(
        name="gan_default_adam_betas",
        question="q7",
        description="both Adam optimizers created without betas=(0.5, 0.999), i.e. with the default (0.9, 0.999)",
        kind="outcome",
        target="train_gan",
        edits=((", betas=(0.5, 0.999)", ""),),
        rerun=(),
    ),
    Mutant(
        name="gan_single_optimizer_for_both",
        question="q7",
        description="one Adam over G's and D's parameters used for both steps, so the G step also moves D towards helping the generator",
        kind="loop",
        target="train_gan",
        edits=(
            (
                "    g_opt = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))\n"
                "    d_opt = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))",
                "    g_opt = d_opt = torch.optim.Adam(list(G.parameters()) + list(D.parameters()), lr=lr, betas=(0.5, 0.999))",
            ),
        ),
        rerun=("ring_history = train_gan",),
    ),
    Mutant(
        name="gan_d_eval_during_g_step",
        question="q7",
        description="train_gan switches D to eval() for the generator step and back to train() after it (differs for critics with dropout/batch norm)",
        kind="mode",
        target="train_gan",
        edits=(
            (
                "        g_loss = g_loss_fn(D(fake))",
                "        D.eval()\n        g_loss = g_loss_fn(D(fake))",
            ),
            ("        g_opt.step()\n", "        g_opt.step()\n        D.train()\n"),
        ),
        rerun=(),
    ),
    Mutant(
        name="gan_d_step_without_detach",
        question="q7",
        description="D step uses D(fake) without detach and backward(retain_graph=True) after zeroing both optimizers, so G also gets the D-loss gradient",
        kind="graph",
        target="train_gan",
        edits=(
            (
                "        d_loss = d_loss_fn(D(real), D(fake.detach()))\n"
                "        d_opt.zero_grad()\n"
                "        d_loss.backward()",
                "        d_loss = d_loss_fn(D(real), D(fake))\n"
                "        d_opt.zero_grad()\n"
                "        g_opt.zero_grad()\n"
                "        d_loss.backward(retain_graph=True)",
            ),
            (
                "        g_opt.zero_grad()\n        g_loss.backward()",
                "        g_loss.backward()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ring_gan_lr_typo",
        question="q7",
        description="ring GAN trained with lr=5e-3 (typo for 5e-4), too large a step for the 8-mode ring",
        kind="loop",
        target="ring_history = train_gan",
        edits=(("lr=5e-4", "lr=5e-3"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q8
    Mutant(
        name="digits_generator_sigmoid_output",
        question="q8",
        description="digits generator ends with nn.Sigmoid() ('pixels are in [0, 1]') while X_gan is in [-1, 1], so it can never produce the -1 background",
        kind="formula",
        target="digits_history = train_gan",
        edits=(("nn.Tanh()", "nn.Sigmoid()"),),
        rerun=(),
    ),
    Mutant(
        name="digits_gan_on_unit_interval_pixels",
        question="q8",
        description="digits GAN trained on X_train_raw / 16 (the usual [0, 1] image scaling) instead of X_gan in [-1, 1]",
        kind="loop",
        target="digits_history = train_gan",
        edits=(("X_gan, steps=3000", "X_train_raw / 16, steps=3000"),),
        rerun=(),
    ),
    Mutant(
        name="digits_linear_discriminator",
        question="q8",
        description="digits discriminator without hidden layers, make_mlp([64, 1]) ('logistic regression is enough for 64 pixels'): it only sees linear statistics, the generator collapses",
        kind="formula",
        target="digits_history = train_gan",
        edits=(("make_mlp([64, 256, 128, 1])", "make_mlp([64, 1])"),),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q9
    Mutant(
        name="stats_correlation_instead_of_covariance",
        question="q9",
        description="feature_stats returns the correlation matrix (torch.corrcoef) instead of the covariance",
        kind="formula",
        target="feature_stats",
        edits=(("torch.cov(X.T)", "torch.corrcoef(X.T)"),),
        rerun=(),
    ),
    Mutant(
        name="stats_cast_to_float32",
        question="q9",
        description="feature_stats converts its input with torch.as_tensor(X, dtype=torch.float32), losing float64 precision and dtype",
        kind="tolerance",
        target="feature_stats",
        edits=(
            (
                "    return X.mean(0), torch.cov",
                "    X = torch.as_tensor(X, dtype=torch.float32)\n    return X.mean(0), torch.cov",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fd_sqrt_eigen_floor_epsilon",
        question="q9",
        description="matrix square root floors eigenvalues at 1e-6 instead of 0 ('for stability'): wrong (even negative) distances for singular covariances",
        kind="tolerance",
        target="frechet_distance",
        edits=(("values.clamp(min=0)", "values.clamp(min=1e-6)"),),
        rerun=(),
    ),
    Mutant(
        name="fd_jitter_added_in_place",
        question="q9",
        description="frechet_distance regularises with S.diagonal().add_(1e-6), adding jitter to the caller's covariance matrices in place",
        kind="in_place",
        target="frechet_distance",
        edits=(
            (
                "    root1 = psd_sqrt(S1)",
                "    S1.diagonal().add_(1e-6)\n    S2.diagonal().add_(1e-6)\n    root1 = psd_sqrt(S1)",
            ),
        ),
        rerun=(),
    ),
    # ---------------------------------------------------------------- q10
    Mutant(
        name="knn_k_hardcoded_three",
        question="q10",
        description="radius uses a hard-coded 3rd neighbour (topk(4)[:, 3]) and ignores the k argument",
        kind="loop",
        target="knn_precision_recall",
        edits=(
            (
                ".topk(k + 1, dim=1, largest=False).values[:, k]",
                ".topk(4, dim=1, largest=False).values[:, 3]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="knn_default_k_five",
        question="q10",
        description="knn_precision_recall declared with default k=5 instead of k=3",
        kind="loop",
        target="knn_precision_recall",
        edits=(
            (
                "def knn_precision_recall(real, fake, k=3):",
                "def knn_precision_recall(real, fake, k=5):",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="knn_only_nearest_reference_ball",
        question="q10",
        description="a point is checked only against the ball of its nearest reference point, not against any reference ball",
        kind="tolerance",
        target="knn_precision_recall",
        edits=(
            (
                "        return (torch.cdist(points, centres) <= radii(centres)[None, :]).any(dim=1).double().mean()",
                "        distances = torch.cdist(points, centres)\n"
                "        nearest = distances.argmin(dim=1)\n"
                "        return (distances.min(dim=1).values <= radii(centres)[nearest]).double().mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="knn_divides_by_other_set_size",
        question="q10",
        description="covered count divided by the size of the reference set instead of the query set: wrong when real and fake sizes differ",
        kind="formula",
        target="knn_precision_recall",
        edits=(
            (
                ".any(dim=1).double().mean()",
                ".any(dim=1).double().sum() / len(centres)",
            ),
        ),
        rerun=(),
    ),
]
