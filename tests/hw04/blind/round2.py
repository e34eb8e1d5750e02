"""hw04 blind round 2: 40 mistakes written by a new helper that read only the kit (the task,
the reference cells, the mutant format and round 1's mistakes), graded at 585650f before
any test changed."""

from mutation.harness import Mutant

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="reparam_unsqueezes_for_sample_axis",
        question="q1",
        description="reparameterize always prepends a sample axis (mu.unsqueeze(0)), so (B, L) noise gives a (1, B, L) sample",
        kind="formula",
        target="reparameterize",
        edits=(
            (
                "return mu + torch.exp(0.5 * logvar) * eps",
                "return mu.unsqueeze(0) + torch.exp(0.5 * logvar).unsqueeze(0) * eps",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="kl_treats_logvar_as_log_std",
        question="q1",
        description="KL written for log(sigma) instead of log(sigma^2): 0.5*(mu^2 + exp(2*logvar) - 1) - logvar (correct only at logvar=0)",
        kind="formula",
        target="kl_std_normal",
        edits=(
            (
                "return 0.5 * (mu**2 + torch.exp(logvar) - 1.0 - logvar).sum(-1)",
                "return (0.5 * (mu**2 + torch.exp(2 * logvar) - 1.0) - logvar).sum(-1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bernoulli_bce_without_broadcast",
        question="q1",
        description="log-likelihood via -binary_cross_entropy_with_logits(reduction='none'), which refuses x of shape (B, D) against logits (K, B, D)",
        kind="tolerance",
        target="bernoulli_log_lik",
        edits=(
            (
                "return (x * logits - F.softplus(logits)).sum(-1)",
                'return -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(-1)',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bernoulli_bce_sum_reduction",
        question="q1",
        description="log-likelihood via BCE with reduction='sum', which sums over objects too and returns one scalar instead of one value per object",
        kind="formula",
        target="bernoulli_log_lik",
        edits=(
            (
                "return (x * logits - F.softplus(logits)).sum(-1)",
                'return -F.binary_cross_entropy_with_logits(logits, x.expand_as(logits), reduction="sum")',
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="iwae_missing_log_k",
        question="q2",
        description="IWAE estimate uses logsumexp over samples without subtracting log K (log-sum instead of log-mean of weights)",
        kind="formula",
        target="iwae_nll",
        edits=(
            (
                "return -(torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])).mean()",
                "return -torch.logsumexp(log_w, dim=0).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="iwae_shifts_log_w_in_place",
        question="q2",
        description="hand-written stable log-mean-exp subtracts the per-object max with log_w -= m, overwriting the caller's log-weights",
        kind="in_place",
        target="iwae_nll",
        edits=(
            (
                "return -(torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])).mean()",
                "m = log_w.max(dim=0, keepdim=True).values\n"
                "    log_w -= m\n"
                "    return -(torch.log(torch.exp(log_w).mean(0)) + m[0]).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="iw_log_q_divides_by_std",
        question="q2",
        description="log q(z|x) divides the squared deviation by sigma = exp(logvar/2) instead of the variance",
        kind="formula",
        target="log_importance_weights",
        edits=(
            (
                "(z - mu) ** 2 / torch.exp(logvar)",
                "(z - mu) ** 2 / torch.exp(0.5 * logvar)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="elbo_rec_returned_as_log_lik",
        question="q2",
        description="negative_elbo computes nelbo = kl - loglik correctly but returns the log-likelihood (wrong sign) as rec",
        kind="formula",
        target="negative_elbo",
        edits=(
            (
                "rec = -bernoulli_log_lik(logits, x).mean()",
                "rec = bernoulli_log_lik(logits, x).mean()",
            ),
            ("return rec + kl, rec, kl", "return kl - rec, rec, kl"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="vae_encode_halves_swapped",
        question="q3",
        description="encode takes the first z_dim encoder outputs as logvar and the last as mu",
        kind="formula",
        target="VAE",
        edits=(
            (
                "mu, logvar = self.encoder(x).chunk(2, dim=-1)",
                "logvar, mu = self.encoder(x).chunk(2, dim=-1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="vae_forward_uses_mean_in_eval",
        question="q3",
        description="forward ignores eps and decodes z = mu when the model is in eval() mode (a common VAE idiom the task does not ask for)",
        kind="mode",
        target="VAE",
        edits=(
            (
                "return self.decode(reparameterize(mu, logvar, eps)), mu, logvar",
                "z = reparameterize(mu, logvar, eps) if self.training else mu\n"
                "        return self.decode(z), mu, logvar",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="train_vae_adam_recreated_each_epoch",
        question="q3",
        description="train_vae creates a new Adam optimizer at the start of every epoch, resetting its moment estimates",
        kind="loop",
        target="train_vae",
        edits=(
            ("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n", ""),
            (
                "        perm = torch.randperm(len(X), generator=g)\n",
                "        optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
                "        perm = torch.randperm(len(X), generator=g)\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="train_vae_epoch_noise_drawn_upfront",
        question="q3",
        description="train_vae draws the whole epoch's noise in one randn(len(X), z_dim) right after the permutation and slices it, instead of one draw per batch",
        kind="loop",
        target="train_vae",
        edits=(
            (
                "perm = torch.randperm(len(X), generator=g)",
                "perm = torch.randperm(len(X), generator=g)\n"
                "        noise = torch.randn(len(X), model.z_dim, generator=g)",
            ),
            (
                "eps = torch.randn(len(batch), model.z_dim, generator=g)",
                "eps = noise[start : start + batch_size]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="train_vae_history_keeps_graph",
        question="q3",
        description="epoch total accumulates loss * len(batch) without .item(), so history holds tensors that keep the autograd graphs",
        kind="graph",
        target="train_vae",
        edits=(("total += loss.item() * len(batch)", "total += loss * len(batch)"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="vae_positional_hidden_eight",
        question="q4",
        description="the VAE is built as VAE(64, 8) meaning z_dim=8, but the second positional argument is hidden, giving an 8-unit hidden layer",
        kind="formula",
        target="vae_history = train_vae(vae, X_bin)",
        edits=(("vae = VAE()", "vae = VAE(64, 8)"),),
        rerun=(),
    ),
    Mutant(
        name="vae_learning_rate_too_small",
        question="q4",
        description="the VAE is trained with lr=2e-4 instead of the default 2e-3, so 60 epochs leave it undertrained",
        kind="loop",
        target="vae_history = train_vae(vae, X_bin)",
        edits=(("train_vae(vae, X_bin)", "train_vae(vae, X_bin, lr=2e-4)"),),
        rerun=(),
    ),
    Mutant(
        name="vae_trained_with_cell_seed",
        question="q4",
        description="train_vae is called with seed=4 (the cell's manual seed) instead of the default seed=0",
        kind="outcome",
        target="vae_history = train_vae(vae, X_bin)",
        edits=(("train_vae(vae, X_bin)", "train_vae(vae, X_bin, seed=4)"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="d_bce_sigmoid_then_bce",
        question="q5",
        description="discriminator loss as F.binary_cross_entropy(sigmoid(logits)): saturates (log clamped at -100) for large fake logits in float32",
        kind="tolerance",
        target="d_loss_bce",
        edits=(
            (
                "F.binary_cross_entropy_with_logits(real_logits,",
                "F.binary_cross_entropy(torch.sigmoid(real_logits),",
            ),
            (
                "F.binary_cross_entropy_with_logits(fake_logits,",
                "F.binary_cross_entropy(torch.sigmoid(fake_logits),",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="g_nonsat_sum_over_batch",
        question="q5",
        description="non-saturating generator loss summed over the batch (reduction='sum') instead of averaged",
        kind="formula",
        target="g_loss_nonsaturating",
        edits=(
            (
                "torch.ones_like(fake_logits))",
                'torch.ones_like(fake_logits), reduction="sum")',
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="lsgan_d_elementwise_sum_then_mean",
        question="q5",
        description="LSGAN discriminator loss as 0.5*((real-1)^2 + fake^2).mean(): right only when real and fake outputs have identical shapes",
        kind="tolerance",
        target="lsgan_d_loss",
        edits=(
            (
                "return 0.5 * ((real_out - 1) ** 2).mean() + 0.5 * (fake_out**2).mean()",
                "return 0.5 * ((real_out - 1) ** 2 + fake_out**2).mean()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="lsgan_d_subtracts_target_in_place",
        question="q5",
        description="LSGAN discriminator loss does real_out -= 1 before squaring, modifying the caller's tensor",
        kind="in_place",
        target="lsgan_d_loss",
        edits=(
            (
                "return 0.5 * ((real_out - 1) ** 2).mean() + 0.5 * (fake_out**2).mean()",
                "real_out -= 1\n    return 0.5 * (real_out**2).mean() + 0.5 * (fake_out**2).mean()",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="gp_gradient_of_mean_output",
        question="q6",
        description="gradient penalty differentiates out.mean() instead of out.sum(), so per-sample gradients are scaled by 1/B",
        kind="formula",
        target="gradient_penalty",
        edits=(("torch.autograd.grad(out.sum(),", "torch.autograd.grad(out.mean(),"),),
        rerun=(),
    ),
    Mutant(
        name="gp_detached_interpolates",
        question="q6",
        description="interpolated points are detached before requires_grad_(True), so the penalty sends no gradient to real/fake (the generator)",
        kind="graph",
        target="gradient_penalty",
        edits=(
            (
                "mixed = alpha * real + (1 - alpha) * fake",
                "mixed = (alpha * real + (1 - alpha) * fake).detach()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="gp_switches_critic_to_train",
        question="q6",
        description="gradient_penalty calls D.train() before evaluating the critic, changing the mode of the model passed in",
        kind="mode",
        target="gradient_penalty",
        edits=(("mixed = alpha * real", "D.train()\n    mixed = alpha * real"),),
        rerun=(),
    ),
    Mutant(
        name="sample_noise_row_by_row",
        question="q6",
        description="sample_noise draws one randn(dim) per row from the seeded generator and stacks them instead of a single randn(n, dim) call",
        kind="loop",
        target="sample_noise",
        edits=(
            (
                "return torch.randn(n, dim, generator=torch.Generator().manual_seed(seed))",
                "g = torch.Generator().manual_seed(seed)\n"
                "    return torch.stack([torch.randn(dim, generator=g) for _ in range(n)])",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="gan_noise_drawn_before_real_batch",
        question="q7",
        description="train_gan draws z before the real-batch indices in each step, swapping the prescribed order of random draws",
        kind="loop",
        target="train_gan",
        edits=(
            (
                "        real = X[torch.randint(0, len(X), (batch_size,), generator=g)]\n"
                "        z = torch.randn(batch_size, z_dim, generator=g)\n",
                "        z = torch.randn(batch_size, z_dim, generator=g)\n"
                "        real = X[torch.randint(0, len(X), (batch_size,), generator=g)]\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="gan_loss_argument_ignored",
        question="q7",
        description="train_gan always uses the BCE losses and ignores loss='lsgan'",
        kind="loop",
        target="train_gan",
        edits=(("d_loss_fn, g_loss_fn = losses[loss]", 'd_loss_fn, g_loss_fn = losses["bce"]'),),
        rerun=(),
    ),
    Mutant(
        name="gan_fake_detached_at_creation",
        question="q7",
        description="fake = G(z).detach() once for both steps, so the generator never receives gradients and never trains",
        kind="graph",
        target="train_gan",
        edits=(("fake = G(z)\n", "fake = G(z).detach()\n"),),
        rerun=(),
    ),
    Mutant(
        name="ring_gan_on_standardised_data",
        question="q7",
        description="ring GAN trained on standardised ring_data ((x - mean) / std), so the generator's points are on the wrong scale",
        kind="outcome",
        target="ring_history = train_gan(",
        edits=(
            (
                "train_gan(ring_G, ring_D, ring_data,",
                "train_gan(ring_G, ring_D, (ring_data - ring_data.mean(0)) / ring_data.std(0),",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="ring_gan_tiny_networks",
        question="q7",
        description="ring generator and discriminator built with 16-unit hidden layers ('2-D data needs small nets')",
        kind="outcome",
        target="ring_history = train_gan(",
        edits=(
            ("make_mlp([RING_Z, 256, 256, 2])", "make_mlp([RING_Z, 16, 16, 2])"),
            ("make_mlp([2, 256, 256, 1])", "make_mlp([2, 16, 16, 1])"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="digits_generator_without_tanh",
        question="q8",
        description="digits generator has no Tanh output layer, so its pixels are not limited to [-1, 1]",
        kind="formula",
        target="digits_history = train_gan(",
        edits=(
            (
                "make_mlp([DIGITS_Z, 128, 256, 64], nn.Tanh())",
                "make_mlp([DIGITS_Z, 128, 256, 64])",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="digits_discriminator_sigmoid_output",
        question="q8",
        description="digits discriminator ends with nn.Sigmoid() although the BCE loss already works on logits",
        kind="formula",
        target="digits_history = train_gan(",
        edits=(("make_mlp([64, 256, 128, 1])", "make_mlp([64, 256, 128, 1], nn.Sigmoid())"),),
        rerun=(),
    ),
    Mutant(
        name="digits_gan_short_high_lr",
        question="q8",
        description="digits GAN trained for 1000 steps with lr=3e-3 'to compensate' for the shorter training",
        kind="outcome",
        target="digits_history = train_gan(",
        edits=(
            ("steps=3000, z_dim=DIGITS_Z, seed=0", "steps=1000, z_dim=DIGITS_Z, lr=3e-3, seed=0"),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="cov_centred_by_global_mean",
        question="q9",
        description="covariance computed by hand after subtracting the scalar mean of all entries instead of the per-feature mean",
        kind="formula",
        target="feature_stats",
        edits=(
            (
                "return X.mean(0), torch.cov(X.T).reshape(X.shape[1], X.shape[1])",
                "Xc = X - X.mean()\n    return X.mean(0), Xc.T @ Xc / (len(X) - 1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fd_computed_in_float32",
        question="q9",
        description="frechet_distance casts its inputs to float32 before the eigendecompositions",
        kind="tolerance",
        target="frechet_distance",
        edits=(
            (
                "    root1 = psd_sqrt(S1)\n",
                "    mu1, S1, mu2, S2 = mu1.float(), S1.float(), mu2.float(), S2.float()\n"
                "    root1 = psd_sqrt(S1)\n",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="fd_mean_term_not_squared",
        question="q9",
        description="Frechet mean term uses the Euclidean norm ||mu1 - mu2|| instead of its square",
        kind="formula",
        target="frechet_distance",
        edits=(("((mu1 - mu2) ** 2).sum()", "(mu1 - mu2).norm()"),),
        rerun=(),
    ),
    Mutant(
        name="fd_sqrt_eigvecs_transposed",
        question="q9",
        description="matrix square root rebuilt as V^T diag(sqrt(l)) V instead of V diag(sqrt(l)) V^T (right only when V is trivial)",
        kind="formula",
        target="frechet_distance",
        edits=(
            (
                "vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T",
                "vectors.T @ torch.diag(values.clamp(min=0).sqrt()) @ vectors",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q10
    Mutant(
        name="knn_precision_recall_swapped",
        question="q10",
        description="knn_precision_recall returns (recall, precision): the coverage of real by fake is reported as precision",
        kind="formula",
        target="knn_precision_recall",
        edits=(
            (
                "return float(covered(fake, real)), float(covered(real, fake))",
                "return float(covered(real, fake)), float(covered(fake, real))",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="knn_any_over_reference_axis",
        question="q10",
        description="coverage takes any() over the query axis (dim=0): the share of reference balls containing a query point, not of covered queries",
        kind="formula",
        target="knn_precision_recall",
        edits=((".any(dim=1)", ".any(dim=0)"),),
        rerun=(),
    ),
    Mutant(
        name="knn_self_excluded_by_zero_distance",
        question="q10",
        description="radius excludes the point itself by masking all zero distances, so duplicate points no longer count as neighbours",
        kind="tolerance",
        target="knn_precision_recall",
        edits=(
            (
                "return torch.cdist(points, points).topk(k + 1, dim=1, largest=False).values[:, k]",
                "dist = torch.cdist(points, points)\n"
                '        dist[dist == 0] = float("inf")\n'
                "        return dist.topk(k, dim=1, largest=False).values[:, k - 1]",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="knn_squared_distance_vs_radius",
        question="q10",
        description="coverage compares squared distances with (unsquared) k-NN radii, so the result depends on the data scale",
        kind="tolerance",
        target="knn_precision_recall",
        edits=(
            (
                "(torch.cdist(points, centres) <= radii(centres)[None, :])",
                "(torch.cdist(points, centres) ** 2 <= radii(centres)[None, :])",
            ),
        ),
        rerun=(),
    ),
]
