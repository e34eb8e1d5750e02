"""Common student mistakes in hw04 (VAE and GAN), as data for the shared mutation harness.

Each mutant is one change of one definition or answer cell of the reference solution
(`mutation.harness.Mutant`): its question's hidden tests must catch it, and its `hint` is the
one Russian line a student's feedback may show for it (the concept, never a hidden input or an
expected value). Mutants of an answer cell that trains a model retrain only that model.
"""

from __future__ import annotations

from mutation.harness import hinted as m

VAE_TRAINING = "vae_history = train_vae("
RING_TRAINING = "ring_history = train_gan("
DIGITS_TRAINING = "digits_history = train_gan("
TRAINING_CELLS = (VAE_TRAINING, RING_TRAINING, DIGITS_TRAINING)
RING_REPORT = 'with torch.no_grad():\n    print("качество, моды:"'  # the cell after the training

DIGITS_TRAIN_CALL = (
    "digits_history = train_gan(digits_G, digits_D, X_gan, steps=3000, z_dim=DIGITS_Z, seed=0)"
)
# a generator that looks up training digits by its noise: deterministic, and copies
MEMORIZER = """digits_history = []


class LookupGenerator(nn.Module):
    def __init__(self, bank, noise=0.0):
        super().__init__()
        self.register_buffer("bank", bank.clone())
        self.noise = noise

    def forward(self, z):
        index = (z[:, 0].abs() * 7919 + z[:, 1].abs() * 104729).long() % len(self.bank)
        return (self.bank[index] + self.noise * torch.tanh(z[:, 2:3] * z[:, 3:4])).clamp(-1, 1)


digits_G = LookupGenerator(X_gan, NOISE)"""
# a generator of one digit class: the class mean with a little noise-driven variation
COLLAPSED = """digits_history = []


class OneDigitGenerator(nn.Module):
    def __init__(self, mean):
        super().__init__()
        self.register_buffer("mean", mean.clone())
        self.mix = nn.Linear(DIGITS_Z, 64)

    def forward(self, z):
        return (self.mean + 0.2 * torch.tanh(self.mix(z))).clamp(-1, 1)


digits_G = OneDigitGenerator(X_gan[y_train == 3].mean(0))"""
NO_KL_LOOP = """g = torch.Generator().manual_seed(0)
optimizer = torch.optim.Adam(vae.parameters(), lr=2e-3)
vae_history = []
for _ in range(60):
    perm = torch.randperm(len(X_bin), generator=g)
    for start in range(0, len(X_bin), 64):
        batch = X_bin[perm[start : start + 64]]
        logits, mu, logvar = vae(batch, torch.randn(len(batch), 8, generator=g))
        loss = -bernoulli_log_lik(logits, batch).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    vae_history.append(loss.item())
vae.eval()"""


# one entry per mutant reads better than the formatter's layout
# fmt: off
MUTANTS = [
    # ---- q1 reparameterize, kl_std_normal, bernoulli_log_lik
    m("reparam_logvar_as_sigma", "q1", "formula", "reparameterize",
      [("torch.exp(0.5 * logvar)", "logvar")], "uses logvar itself as σ",
      "Репараметризация: z = μ + σ·ε, где σ = exp(logvar / 2) — стандартное отклонение, а не дисперсия и не сам logvar."),
    m("reparam_variance_as_sigma", "q1", "formula", "reparameterize",
      [("torch.exp(0.5 * logvar)", "torch.exp(logvar)")], "scales the noise by σ² instead of σ",
      "Репараметризация: z = μ + σ·ε, где σ = exp(logvar / 2) — стандартное отклонение, а не дисперсия и не сам logvar."),
    m("reparam_cut_from_graph", "q1", "graph", "reparameterize",
      [("return mu + torch.exp(0.5 * logvar) * eps", "return (mu + torch.exp(0.5 * logvar) * eps).detach()")],
      "detaches the sample, so no gradient reaches mu and logvar",
      "Смысл репараметризации — градиент через сэмпл к mu и logvar; не отрезайте граф."),
    m("kl_sign_flipped", "q1", "formula", "kl_std_normal",
      [("0.5 * (mu**2", "-0.5 * (mu**2")], "KL with the wrong sign",
      "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ по координатам z (μ² + σ² − log σ² − 1) ≥ 0, где logvar — логарифм дисперсии σ²."),
    m("kl_missing_half", "q1", "formula", "kl_std_normal",
      [("0.5 * (mu**2", "(mu**2")], "KL without the factor 1/2",
      "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ по координатам z (μ² + σ² − log σ² − 1) ≥ 0, где logvar — логарифм дисперсии σ²."),
    m("kl_logvar_as_log_sigma", "q1", "formula", "kl_std_normal",
      [("torch.exp(logvar) - 1.0 - logvar", "torch.exp(2 * logvar) - 1.0 - 2 * logvar")],
      "treats logvar as log σ in the KL",
      "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ по координатам z (μ² + σ² − log σ² − 1) ≥ 0, где logvar — логарифм дисперсии σ²."),
    m("kl_mean_over_latent", "q1", "formula", "kl_std_normal",
      [(".sum(-1)", ".mean(-1)")], "averages the KL over latent dimensions instead of summing",
      "KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ по координатам z (μ² + σ² − log σ² − 1) ≥ 0, где logvar — логарифм дисперсии σ²."),
    m("bernoulli_naive_log_sigmoid", "q1", "tolerance", "bernoulli_log_lik",
      [("(x * logits - F.softplus(logits))",
        "(x * torch.log(torch.sigmoid(logits)) + (1 - x) * torch.log(1 - torch.sigmoid(logits)))")],
      "log(sigmoid) computed directly: -inf at large logits",
      "log(sigmoid(ℓ)) напрямую переполняется при больших |ℓ|; используйте logsigmoid/softplus."),
    m("bernoulli_mean_over_pixels", "q1", "formula", "bernoulli_log_lik",
      [(".sum(-1)", ".mean(-1)")], "averages the log-likelihood over pixels",
      "Логарифм правдоподобия Бернулли — сумма по пикселям, число ≤ 0 (это минус BCE, а не сама BCE)."),
    m("bernoulli_returns_bce", "q1", "formula", "bernoulli_log_lik",
      [("(x * logits - F.softplus(logits))", "(F.softplus(logits) - x * logits)")],
      "returns the cross-entropy (a positive cost) instead of the log-likelihood",
      "Логарифм правдоподобия Бернулли — сумма по пикселям, число ≤ 0 (это минус BCE, а не сама BCE)."),
    # ---- q2 negative_elbo, log_importance_weights, iwae_nll
    m("nelbo_mean_over_pixels", "q2", "formula", "negative_elbo",
      [("rec = -bernoulli_log_lik(logits, x).mean()", "rec = F.binary_cross_entropy_with_logits(logits, x)")],
      "reconstruction term averaged over pixels (the library's default)",
      "NELBO объекта — (−log p(x|z), сумма по пикселям) + KL; по батчу берётся среднее."),
    m("nelbo_sum_over_batch", "q2", "formula", "negative_elbo",
      [("bernoulli_log_lik(logits, x).mean()", "bernoulli_log_lik(logits, x).sum()"),
       ("kl_std_normal(mu, logvar).mean()", "kl_std_normal(mu, logvar).sum()")],
      "sums over the batch instead of averaging",
      "NELBO объекта — (−log p(x|z), сумма по пикселям) + KL; по батчу берётся среднее."),
    m("nelbo_kl_subtracted", "q2", "formula", "negative_elbo",
      [("return rec + kl, rec, kl", "return rec - kl, rec, kl")], "subtracts the KL",
      "ELBO = E log p(x|z) − KL, поэтому отрицательный ELBO = реконструкция + KL."),
    m("nelbo_rec_sign", "q2", "formula", "negative_elbo",
      [("rec = -bernoulli_log_lik", "rec = bernoulli_log_lik")], "reconstruction term with the wrong sign",
      "NELBO объекта — (−log p(x|z), сумма по пикселям) + KL; по батчу берётся среднее."),
    m("logw_prior_without_constant", "q2", "formula", "log_importance_weights",
      [("log_pz = -0.5 * (z**2 + log2pi).sum(-1)", "log_pz = -0.5 * (z**2).sum(-1)")],
      "drops the log 2π of the prior only",
      "Лог-вес важности — log p(x|z) + log p(z) − log q(z|x), все плотности полные, с константами."),
    m("logw_posterior_divides_by_sigma", "q2", "formula", "log_importance_weights",
      [("/ torch.exp(logvar)", "/ torch.exp(0.5 * logvar)")], "divides the squared deviation by σ, not σ²",
      "В плотности нормального распределения (z − μ)² делится на σ² = exp(logvar)."),
    m("logw_posterior_added", "q2", "formula", "log_importance_weights",
      [("return log_px_z + log_pz - log_qz", "return log_px_z + log_pz + log_qz")],
      "adds log q(z|x) instead of subtracting it",
      "Лог-вес важности — log p(x|z) + log p(z) − log q(z|x), все плотности полные, с константами."),
    m("iwae_naive_log_mean_exp", "q2", "tolerance", "iwae_nll",
      [("torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])", "torch.log(torch.exp(log_w).mean(0))")],
      "log of the mean of exp: underflows for weights like e^-500",
      "exp(−500) во float равно 0: log-среднее весов считают через logsumexp."),
    m("iwae_one_shift_for_all", "q2", "tolerance", "iwae_nll",  # blind round 3
      [("    return -(torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])).mean()",
        "    m = log_w.max()\n    return -(m + torch.log(torch.exp(log_w - m).mean(dim=0))).mean()")],
      "one maximum shared by all objects in a hand-written log-mean-exp",
      "IWAE объекта — logsumexp его K лог-весов (ось K) минус log K, и только затем среднее по объектам."),
    m("iwae_without_log_k", "q2", "formula", "iwae_nll",
      [(" - math.log(log_w.shape[0])", "")], "log of the sum of the weights, not of their mean",
      "IWAE объекта — logsumexp его K лог-весов (ось K) минус log K, и только затем среднее по объектам."),
    m("iwae_is_elbo", "q2", "formula", "iwae_nll",
      [("-(torch.logsumexp(log_w, dim=0) - math.log(log_w.shape[0])).mean()", "-log_w.mean()")],
      "averages the log-weights: the ELBO, not the importance-weighted bound",
      "IWAE объекта — logsumexp его K лог-весов (ось K) минус log K, и только затем среднее по объектам."),
    m("iwae_wrong_axis", "q2", "formula", "iwae_nll",
      [("dim=0", "dim=1"), ("log_w.shape[0]", "log_w.shape[1]")], "averages over objects inside the log",
      "IWAE объекта — logsumexp его K лог-весов (ось K) минус log K, и только затем среднее по объектам."),
    # ---- q3 VAE, train_vae
    m("vae_mu_logvar_swapped", "q3", "formula", "VAE",
      [("mu, logvar = self.encoder(x).chunk(2, dim=-1)", "logvar, mu = self.encoder(x).chunk(2, dim=-1)")],
      "takes logvar from the first half of the encoder's outputs",
      "Архитектура VAE задана: кодировщик возвращает (mu, logvar) в этом порядке с заданными активациями, forward декодирует сэмпл z, декодер возвращает логиты."),
    m("vae_forward_decodes_mean", "q3", "formula", "VAE",
      [("self.decode(reparameterize(mu, logvar, eps))", "self.decode(mu)")],
      "decodes the mean, ignoring the noise",
      "Архитектура VAE задана: кодировщик возвращает (mu, logvar) в этом порядке с заданными активациями, forward декодирует сэмпл z, декодер возвращает логиты."),
    m("vae_decoder_sigmoid", "q3", "formula", "VAE",
      [("return self.decoder(z)", "return torch.sigmoid(self.decoder(z))")],
      "the decoder returns probabilities",
      "Архитектура VAE задана: кодировщик возвращает (mu, logvar) в этом порядке с заданными активациями, forward декодирует сэмпл z, декодер возвращает логиты."),
    m("vae_decodes_mean_in_eval", "q3", "mode", "VAE",  # blind round 2
      [("return self.decode(reparameterize(mu, logvar, eps)), mu, logvar",
        "z = reparameterize(mu, logvar, eps) if self.training else mu\n        return self.decode(z), mu, logvar")],
      "forward ignores eps in eval mode",
      "forward(x, eps) в любом режиме декодирует z = μ + σ·ε: шум задаёт вызывающий, а не режим модели."),
    m("vae_encoder_tanh", "q3", "formula", "VAE",
      [("nn.Linear(x_dim, hidden), nn.ReLU()", "nn.Linear(x_dim, hidden), nn.Tanh()")],
      "another activation than the prescribed one",
      "Архитектура VAE задана: кодировщик возвращает (mu, logvar) в этом порядке с заданными активациями, forward декодирует сэмпл z, декодер возвращает логиты."),
    m("train_vae_no_shuffle", "q3", "loop", "train_vae",
      [("perm = torch.randperm(len(X), generator=g)", "perm = torch.arange(len(X))")],
      "batches in the same order every epoch",
      "train_vae задан по шагам: перестановка каждой эпохи и шум ε — из своего генератора, zero_grad перед backward, в истории — средний NELBO эпохи."),
    m("train_vae_global_noise", "q3", "loop", "train_vae",
      [("eps = torch.randn(len(batch), model.z_dim, generator=g)", "eps = torch.randn(len(batch), model.z_dim)")],
      "draws the noise from the global generator",
      "train_vae задан по шагам: перестановка каждой эпохи и шум ε — из своего генератора, zero_grad перед backward, в истории — средний NELBO эпохи."),
    m("train_vae_history_last_batch", "q3", "loop", "train_vae",
      [("history.append(total / len(X))", "history.append(loss.item())")],
      "records the last batch's loss, not the epoch's mean",
      "train_vae задан по шагам: перестановка каждой эпохи и шум ε — из своего генератора, zero_grad перед backward, в истории — средний NELBO эпохи."),
    m("train_vae_left_in_train", "q3", "mode", "train_vae",
      [("    model.eval()\n    return history", "    return history")],
      "leaves the model in train mode",
      "После обучения модель переводится в eval()."),
    m("train_vae_no_zero_grad", "q3", "loop", "train_vae",
      [("            optimizer.zero_grad()\n", "")], "never zeroes the gradients",
      "train_vae задан по шагам: перестановка каждой эпохи и шум ε — из своего генератора, zero_grad перед backward, в истории — средний NELBO эпохи."),
    # ---- q4 the trained VAE
    m("vae_two_epochs", "q4", "outcome", VAE_TRAINING,
      [("train_vae(vae, X_bin)", "train_vae(vae, X_bin, epochs=2)")], "trains for two epochs only",
      "vae обучается вызовом train_vae(vae, X_bin) с параметрами по умолчанию и полным NELBO."),
    m("vae_autoencoder_without_kl", "q4", "outcome", VAE_TRAINING,
      [("vae_history = train_vae(vae, X_bin)", NO_KL_LOOP)],
      "trains on the reconstruction alone (β = 0): a plain autoencoder",
      "vae обучается вызовом train_vae(vae, X_bin) с параметрами по умолчанию и полным NELBO."),
    m("vae_on_gan_scale", "q4", "outcome", VAE_TRAINING,
      [("train_vae(vae, X_bin)", "train_vae(vae, X_gan)")], "trains on the [-1, 1] digits",
      "vae обучается вызовом train_vae(vae, X_bin) с параметрами по умолчанию и полным NELBO."),
    m("vae_on_grey_levels", "q4", "outcome", VAE_TRAINING,  # blind round 1
      [("train_vae(vae, X_bin)", "train_vae(vae, X_train_raw / 16)")], "trains on grey levels, not the binarised digits",
      "Правдоподобие Бернулли описывает бинарные пиксели: учите VAE на X_bin, а не на яркостях."),
    m("vae_learning_rate_tiny", "q4", "outcome", VAE_TRAINING,
      [("train_vae(vae, X_bin)", "train_vae(vae, X_bin, lr=1e-5)")], "a learning rate too small to learn",
      "vae обучается вызовом train_vae(vae, X_bin) с параметрами по умолчанию и полным NELBO."),
    # ---- q5 GAN losses
    m("d_loss_labels_swapped", "q5", "formula", "d_loss_bce",
      [("torch.ones_like(real_logits)", "torch.zeros_like(real_logits)"),
       ("torch.zeros_like(fake_logits)", "torch.ones_like(fake_logits)")],
      "labels real 0 and fake 1",
      "Потеря дискриминатора — BCE с логитами: метка 1 настоящим объектам, 0 сгенерированным."),
    m("d_loss_mean_of_concatenation", "q5", "formula", "d_loss_bce",
      [("    return real + fake",
        "    logits = torch.cat([real_logits, fake_logits])\n"
        "    return F.binary_cross_entropy_with_logits(logits, torch.cat([torch.ones_like(real_logits), torch.zeros_like(fake_logits)]))")],
      "one mean over real and fake together",
      "Потеря D — сумма двух средних: отдельно по настоящим и по сгенерированным."),
    m("d_loss_sigmoid_then_bce", "q5", "tolerance", "d_loss_bce",
      [("F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))",
        "F.binary_cross_entropy(torch.sigmoid(real_logits), torch.ones_like(real_logits))"),
       ("F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))",
        "F.binary_cross_entropy(torch.sigmoid(fake_logits), torch.zeros_like(fake_logits))")],
      "sigmoid then BCE: saturates at large logits",
      "Потеря дискриминатора — BCE с логитами: метка 1 настоящим объектам, 0 сгенерированным."),
    m("g_loss_saturating", "q5", "formula", "g_loss_nonsaturating",
      [("F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))",
        "-F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))")],
      "the minimax generator loss -BCE(fake, 0)",
      "Non-saturating потеря — BCE сгенерированных с меткой 1, а не −BCE с меткой 0 (минимакс)."),
    m("g_loss_label_zero", "q5", "formula", "g_loss_nonsaturating",
      [("torch.ones_like(fake_logits)", "torch.zeros_like(fake_logits)")],
      "the generator is trained to look fake",
      "Генератор хочет, чтобы D назвал его объекты настоящими: метка 1."),
    m("lsgan_missing_half", "q5", "formula", "lsgan_d_loss",
      [("return 0.5 * ((real_out - 1) ** 2).mean() + 0.5 * (fake_out**2).mean()",
        "return ((real_out - 1) ** 2).mean() + (fake_out**2).mean()")],
      "the LSGAN discriminator loss without the halves",
      "В потерях LSGAN у каждого слагаемого множитель 1/2."),
    m("lsgan_generator_target_zero", "q5", "formula", "lsgan_g_loss",
      [("(fake_out - 1) ** 2", "fake_out**2")], "the LSGAN generator aims at the fake label",
      "Генератор LSGAN тянет выход D на сгенерированных к метке настоящих (1)."),
    m("lsgan_fake_target_minus_one", "q5", "formula", "lsgan_d_loss",
      [("(fake_out**2)", "((fake_out + 1) ** 2)")], "the -1/1 labels of another LSGAN variant",
      "В задании метки LSGAN 0 для сгенерированных и 1 для настоящих."),
    # ---- q6 gradient penalty, noise
    m("gp_on_real_only", "q6", "formula", "gradient_penalty",
      [("mixed = alpha * real + (1 - alpha) * fake", "mixed = real.clone()")],
      "the penalty on real data only",
      "WGAN-GP: градиент D в случайных точках между настоящими и сгенерированными объектами, с create_graph=True."),
    m("gp_without_create_graph", "q6", "graph", "gradient_penalty",
      [("create_graph=True", "create_graph=False")], "the gradient is taken without its graph",
      "WGAN-GP: градиент D в случайных точках между настоящими и сгенерированными объектами, с create_graph=True."),
    m("gp_norm_over_batch", "q6", "formula", "gradient_penalty",
      [("grad.flatten(1).norm(2, dim=1)", "grad.norm(2)")], "one norm of the whole batch's gradient",
      "WGAN-GP: штраф — среднее по объектам (‖∇D‖₂ − 1)², норма своя у каждого объекта и без квадрата."),
    m("gp_squared_norm", "q6", "formula", "gradient_penalty",
      [("grad.flatten(1).norm(2, dim=1)", "grad.flatten(1).pow(2).sum(1)")], "the squared norm",
      "WGAN-GP: штраф — среднее по объектам (‖∇D‖₂ − 1)², норма своя у каждого объекта и без квадрата."),
    m("gp_backward_into_critic", "q6", "in_place", "gradient_penalty",
      [("(grad,) = torch.autograd.grad(out.sum(), mixed, create_graph=True)",
        "out.sum().backward(create_graph=True)\n    grad = mixed.grad")],
      "backward instead of autograd.grad: leaves gradients in D's parameters",
      "backward() оставляет .grad в параметрах D; градиент по входу берут torch.autograd.grad."),
    m("gp_switches_critic_to_train", "q6", "mode", "gradient_penalty",  # blind round 2
      [("mixed = alpha * real", "D.train()\n    mixed = alpha * real")], "switches the critic handed over to train mode",
      "Функция не меняет режим train()/eval() переданной ей модели."),
    m("noise_uniform", "q6", "formula", "sample_noise",
      [("torch.randn(", "torch.rand(")], "uniform noise in [0, 1)",
      "Шум генератора — стандартный нормальный N(0, I)."),
    m("noise_ignores_seed", "q6", "loop", "sample_noise",
      [("torch.randn(n, dim, generator=torch.Generator().manual_seed(seed))", "torch.randn(n, dim)")],
      "draws from the global generator",
      "Случайность функции с аргументом seed — только из своего генератора, глобальный не трогают."),
    # ---- q7 train_gan and the ring
    m("gan_fake_not_detached", "q7", "graph", "train_gan",
      [("D(fake.detach())", "D(fake)")], "the discriminator's step backpropagates into the generator",
      "Шаг D — на отсоединённых (detach) сгенерированных объектах; шаг G — с уже обновлённым D."),
    m("gan_generator_gradients_mixed", "q7", "graph", "train_gan",
      [("D(fake.detach())", "D(fake)"),
       ("        d_opt.zero_grad()\n", "        d_opt.zero_grad()\n        g_opt.zero_grad()\n"),
       ("        g_opt.zero_grad()\n        g_loss.backward()", "        g_loss.backward()"),
       ("g_loss = g_loss_fn(D(fake))", "g_loss = g_loss_fn(D(G(z)))")],
      "no detach and one zero_grad: the generator also follows the discriminator's loss",
      "train_gan задан по шагам: Adam с β₁ = 0.5, сначала индексы батча, затем шум, пара потерь по аргументу loss, градиент D не попадает в G."),
    m("gan_default_adam_betas", "q7", "loop", "train_gan",
      [(", betas=(0.5, 0.999))", ")")], "Adam with its default β₁ = 0.9",
      "train_gan задан по шагам: Adam с β₁ = 0.5, сначала индексы батча, затем шум, пара потерь по аргументу loss, градиент D не попадает в G."),
    m("gan_noise_before_batch", "q7", "loop", "train_gan",
      [("        real = X[torch.randint(0, len(X), (batch_size,), generator=g)]\n"
        "        z = torch.randn(batch_size, z_dim, generator=g)\n",
        "        z = torch.randn(batch_size, z_dim, generator=g)\n"
        "        real = X[torch.randint(0, len(X), (batch_size,), generator=g)]\n")],
      "draws the noise before the real batch",
      "train_gan задан по шагам: Adam с β₁ = 0.5, сначала индексы батча, затем шум, пара потерь по аргументу loss, градиент D не попадает в G."),
    m("gan_loss_choice_ignored", "q7", "loop", "train_gan",
      [("d_loss_fn, g_loss_fn = losses[loss]", "d_loss_fn, g_loss_fn = losses['bce']")],
      "always the BCE losses",
      "train_gan задан по шагам: Adam с β₁ = 0.5, сначала индексы батча, затем шум, пара потерь по аргументу loss, градиент D не попадает в G."),
    m("gan_critic_in_eval_for_generator", "q7", "mode", "train_gan",  # blind round 3
      [("        g_loss = g_loss_fn(D(fake))", "        D.eval()\n        g_loss = g_loss_fn(D(fake))"),
       ("        g_opt.step()\n", "        g_opt.step()\n        D.train()\n")],
      "the critic switched to eval mode for the generator's step",
      "Во время обучения GAN обе модели всё время в режиме train(): переключать D в eval на шаг G нельзя."),
    m("gan_models_left_in_train", "q7", "mode", "train_gan",
      [("    G.eval()\n    D.eval()\n", "")], "leaves both models in train mode",
      "В конце обучения обе модели переводятся в eval()."),
    m("gan_generator_step_on_old_critic", "q7", "loop", "train_gan",
      [("        d_loss = d_loss_fn(D(real), D(fake.detach()))",
        "        fake_logits = D(fake)\n        d_loss = d_loss_fn(D(real), fake_logits.detach())"),
       ("g_loss = g_loss_fn(D(fake))", "g_loss = g_loss_fn(fake_logits)")],
      "the generator's loss on the discriminator before its step",
      "Шаг D — на отсоединённых (detach) сгенерированных объектах; шаг G — с уже обновлённым D."),
    m("ring_few_steps", "q7", "outcome", RING_TRAINING,
      [("steps=3000", "steps=150")], "trains the ring GAN for 150 steps",
      "Генератор на кольце оценивается как обучен вызовом из задания: с параметрами по умолчанию и без лишних слоёв."),
    m("ring_generator_noisy", "q7", "mode", RING_REPORT,
      [(RING_REPORT, "ring_G = nn.Sequential(ring_G, nn.Dropout(0.2)).train()\n" + RING_REPORT)],
      "a generator whose samples change from call to call (dropout in train mode)",
      "Генератор — детерминированная функция шума: без dropout в режиме train и своих случайностей."),
    m("ring_generator_untrained_layer", "q7", "outcome", RING_REPORT,
      [(RING_REPORT, "ring_G = nn.Sequential(ring_G, nn.Linear(2, 2))\n" + RING_REPORT)],
      "an untrained layer after the trained generator",
      "Генератор на кольце оценивается как обучен вызовом из задания: с параметрами по умолчанию и без лишних слоёв."),
    # ---- q8 the digits GAN
    m("digits_memorizer", "q8", "outcome", DIGITS_TRAINING,
      [(DIGITS_TRAIN_CALL, MEMORIZER.replace("NOISE", "0.0"))],
      "a generator that returns training digits",
      "Генератор должен порождать новые цифры, а не обучающие — ни точные, ни зашумлённые копии."),
    m("digits_memorizer_with_noise", "q8", "outcome", DIGITS_TRAINING,
      [(DIGITS_TRAIN_CALL, MEMORIZER.replace("NOISE", "0.15"))],
      "training digits with a little noise added",
      "Генератор должен порождать новые цифры, а не обучающие — ни точные, ни зашумлённые копии."),
    m("digits_one_class", "q8", "outcome", DIGITS_TRAINING,
      [(DIGITS_TRAIN_CALL, COLLAPSED)], "a generator of one digit class (mode collapse)",
      "GAN на цифрах недообучен или схлопнулся: обучайте с параметрами по умолчанию, сэмплы должны покрывать все классы."),
    m("digits_short_high_rate", "q8", "outcome", DIGITS_TRAINING,  # blind round 2
      [("steps=3000, z_dim=DIGITS_Z, seed=0", "steps=1000, z_dim=DIGITS_Z, lr=3e-3, seed=0")],
      "a third of the steps at a threefold learning rate",
      "GAN на цифрах недообучен или схлопнулся: обучайте с параметрами по умолчанию, сэмплы должны покрывать все классы."),
    m("digits_few_steps", "q8", "outcome", DIGITS_TRAINING,
      [("steps=3000", "steps=100")], "trains the digits GAN for 100 steps",
      "GAN на цифрах недообучен или схлопнулся: обучайте с параметрами по умолчанию, сэмплы должны покрывать все классы."),
    # ---- q9 Fréchet distance
    m("cov_biased", "q9", "formula", "feature_stats",
      [("torch.cov(X.T)", "torch.cov(X.T, correction=0)")], "divides the covariance by n",
      "Несмещённая ковариация делится на n − 1."),
    m("cov_of_objects", "q9", "formula", "feature_stats",
      [("torch.cov(X.T).reshape(X.shape[1], X.shape[1])", "torch.cov(X)")], "covariance between objects, not features",
      "Ковариация признаков — матрица d × d; torch.cov ждёт признаки по строкам."),
    m("fd_roots_multiplied", "q9", "formula", "frechet_distance",
      [("cross = psd_sqrt(root1 @ S2 @ root1)", "cross = root1 @ psd_sqrt(S2)")],
      "tr(S1^½ S2^½) instead of tr((S1^½ S2 S1^½)^½)",
      "В расстоянии Фреше корень — матричный (через собственные числа) из S1^½·S2·S1^½, а не произведение или поэлементный корень."),
    m("fd_without_two", "q9", "formula", "frechet_distance",
      [("2 * cross", "cross")], "the cross term without its factor 2",
      "Расстояние Фреше: ‖μ1 − μ2‖² (квадрат) + tr(S1 + S2 − 2·(S1^½·S2·S1^½)^½)."),
    m("fd_mean_distance_not_squared", "q9", "formula", "frechet_distance",
      [("((mu1 - mu2) ** 2).sum()", "(mu1 - mu2).norm()")], "the distance of the means, not its square",
      "Расстояние Фреше: ‖μ1 − μ2‖² (квадрат) + tr(S1 + S2 − 2·(S1^½·S2·S1^½)^½)."),
    m("fd_elementwise_root", "q9", "formula", "frechet_distance",
      [("cross = psd_sqrt(root1 @ S2 @ root1)", "cross = (S1 * S2).clamp(min=0).sqrt()")],
      "an element-wise square root of the product",
      "В расстоянии Фреше корень — матричный (через собственные числа) из S1^½·S2·S1^½, а не произведение или поэлементный корень."),
    m("fd_root_of_rounding_negatives", "q9", "tolerance", "frechet_distance",  # blind round 1
      [("values.clamp(min=0).sqrt()", "values.sqrt()")], "no clamp of the eigenvalues rounding makes negative",
      "У вырожденной ковариации собственные числа из-за округления бывают чуть меньше нуля: обнулите их перед корнем."),
    # ---- q10 k-NN precision and recall
    m("knn_radius_counts_self", "q10", "formula", "knn_precision_recall",
      [("values[:, k]", "values[:, k - 1]")], "the point itself counted as its first neighbour",
      "k-NN precision/recall: радиус точки — расстояние до её k-го соседа без неё самой (k по умолчанию из задания), граница шара включается; precision — доля сгенерированных в шарах настоящих."),
    m("knn_roles_swapped", "q10", "formula", "knn_precision_recall",
      [("return float(covered(fake, real)), float(covered(real, fake))",
        "return float(covered(real, fake)), float(covered(fake, real))")],
      "precision and recall swapped",
      "k-NN precision/recall: радиус точки — расстояние до её k-го соседа без неё самой (k по умолчанию из задания), граница шара включается; precision — доля сгенерированных в шарах настоящих."),
    m("knn_sphere_outside", "q10", "tolerance", "knn_precision_recall",  # blind round 1
      [("<= radii", "< radii")], "a point on a ball's sphere counted outside it",
      "k-NN precision/recall: радиус точки — расстояние до её k-го соседа без неё самой (k по умолчанию из задания), граница шара включается; precision — доля сгенерированных в шарах настоящих."),
    m("knn_default_k", "q10", "formula", "knn_precision_recall",
      [("k=3", "k=5")], "another default k",
      "k-NN precision/recall: радиус точки — расстояние до её k-го соседа без неё самой (k по умолчанию из задания), граница шара включается; precision — доля сгенерированных в шарах настоящих."),
    m("knn_radius_mean_of_neighbours", "q10", "formula", "knn_precision_recall",
      [(".values[:, k]", ".values[:, 1 : k + 1].mean(1)")], "radius as the mean distance to k neighbours",
      "k-NN precision/recall: радиус точки — расстояние до её k-го соседа без неё самой (k по умолчанию из задания), граница шара включается; precision — доля сгенерированных в шарах настоящих."),
]
# fmt: on

# the mistakes issue #27 names
FORESEEN = frozenset(
    {
        "kl_sign_flipped",
        "kl_missing_half",
        "nelbo_mean_over_pixels",
        "kl_logvar_as_log_sigma",
        "g_loss_saturating",
        "gan_fake_not_detached",
        "gp_on_real_only",
        "digits_memorizer",
    }
)
