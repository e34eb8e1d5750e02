"""Common student mistakes in hw02 (segmentation, U-Net, fusion, pruning, int8, distillation),
as data for the shared mutation harness.

Each mutant is one change of one definition or answer cell of the reference solution
(`mutation.harness.Mutant`): its question's hidden tests must catch it, and its `hint` is the
one Russian line a student's feedback may show for it (the concept, never a hidden input or an
expected value). A mutant of an answer cell that builds or trains a model names the cells to
run again after it (`rerun`); the reference's fused, pruned and quantized models are reused,
so the tests that judge them against `unet` see a re-trained `unet` as a mistake too.
"""

from __future__ import annotations

from mutation.harness import hinted as m

# computation cells, located by a snippet
TRAIN_UNET = "unet = train_segmentation(unet, train_images, train_masks, epochs=SEG_EPOCHS, seed=0)"
BUILD_UNET = "unet = UNet(in_channels=1, out_channels=1, base=8)"
PRUNE = "pruned_unet = prune_unet(unet, keep_ratio=0.5)"
QUANTIZE = "quantized_unet = quantize_unet(unet, train_images[:200])"
DISTIL = "kd_student = distill(make_student(), teacher, X_dev, epochs=KD_EPOCHS, T=4.0, alpha=0.9)"
TEACHER = "teacher = train_classifier("
TRAINING_CELLS = (TRAIN_UNET, PRUNE, QUANTIZE, TEACHER, DISTIL)
# the test case that times the quantized network: for a wrong network its ratio depends on
# the machine, so mutants are graded without it (and their signatures never hold it)
TIMED_CASES = frozenset({"test_q8_quantized_speed_hidden"})


IOU_RETURN = "return torch.where(union > 0, inter / union.clamp(min=1.0), torch.ones_like(union))"
DICE_RATIO = "(2.0 * inter + eps) / (probs.sum(dim=1) + target.sum(dim=1) + eps)"
BCE_STABLE = "loss = logits.clamp(min=0) - logits * target + torch.log1p(torch.exp(-logits.abs()))"
FOCAL_LOG = "log_pt = target * F.logsigmoid(logits) + (1 - target) * F.logsigmoid(-logits)"
SIZE_FORMULA = (
    "return (size - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1"
)

# one entry per mutant reads better than the formatter's layout
# fmt: off
MUTANTS_ABC = [
    # q1: IoU and Dice
    m("iou_averaged_before_division", "q1", 'formula', "iou_per_image",
      [(IOU_RETURN, "return (inter.sum() / union.sum()).expand_as(union)")],
      "IoU of the whole batch (intersections and unions summed first) given to every image",
      "Похоже, ошибка в нормировке IoU: пересечение и объединение считайте по каждому изображению отдельно, объединение не должно считать пересечение дважды (это не |P| + |T|), а если предсказание и разметка изображения пусты, его IoU = 1."),
    m("iou_empty_union_is_zero", "q1", 'tolerance', "iou_per_image",
      [("torch.ones_like(union)", "torch.zeros_like(union)")],
      "an image with empty prediction and empty mask scores 0 instead of 1",
      "Похоже, ошибка в нормировке IoU: пересечение и объединение считайте по каждому изображению отдельно, объединение не должно считать пересечение дважды (это не |P| + |T|), а если предсказание и разметка изображения пусты, его IoU = 1."),
    m("iou_union_is_sum_of_areas", "q1", 'formula', "iou_per_image",
      [(
                    "union = (pred | true).sum(dim=1).float()",
                    "union = (pred.sum(dim=1) + true.sum(dim=1)).float()",
                )],
      "union taken as |P| + |T| (the intersection counted twice)",
      "Похоже, ошибка в нормировке IoU: пересечение и объединение считайте по каждому изображению отдельно, объединение не должно считать пересечение дважды (это не |P| + |T|), а если предсказание и разметка изображения пусты, его IoU = 1."),
    m("dice_without_eps", "q1", 'formula', "dice_loss",
      [(DICE_RATIO, "(2.0 * inter) / (probs.sum(dim=1) + target.sum(dim=1))")],
      "Dice without the smoothing term: 0/0 on empty masks",
      "Проверьте dice_loss по формуле задания: логиты сначала переводятся в вероятности сигмоидой, а сглаживание ε входит и в числитель, и в знаменатель (иначе на пустых масках получается 0/0)."),
    m("dice_over_whole_batch", "q1", 'formula', "dice_loss",
      [("reshape(logits.shape[0], -1)", "reshape(1, -1)"),
       ("reshape(target.shape[0], -1)", "reshape(1, -1)")],
      "one Dice over all pixels of the batch instead of the mean of per-image Dice",
      'Dice считается для каждого изображения отдельно (суммы по его пикселям), затем усредняется по батчу; один Dice по всем пикселям батча — другая величина.'),
    m("dice_on_logits", "q1", 'formula', "dice_loss",
      [("probs = torch.sigmoid(logits)", "probs = (logits)")],
      "Dice computed on the logits, without the sigmoid",
      "Проверьте dice_loss по формуле задания: логиты сначала переводятся в вероятности сигмоидой, а сглаживание ε входит и в числитель, и в знаменатель (иначе на пустых масках получается 0/0)."),
    # q2: BCE and focal loss
    m("bce_naive_log_sigmoid", "q2", 'tolerance', "bce_with_logits",
      [(
                    BCE_STABLE,
                    "loss = -(target * torch.log(torch.sigmoid(logits))"
                    " + (1 - target) * torch.log(1 - torch.sigmoid(logits)))",
                )],
      "BCE as -y log(sigmoid(x)) - (1-y) log(1-sigmoid(x)): infinite for large logits",
      'Похоже, BCE теряет устойчивость при больших по модулю логитах: sigmoid насыщается до 0 или 1, а exp(x) переполняется. Пользуйтесь устойчивой формой из условия, где экспонента берётся только от −|x|.'),
    m("bce_overflowing_exp", "q2", 'tolerance', "bce_with_logits",
      [(BCE_STABLE, "loss = torch.log1p(torch.exp(logits)) - logits * target")],
      "BCE as log(1 + exp(x)) - x y: right on paper, overflows for large logits",
      'Похоже, BCE теряет устойчивость при больших по модулю логитах: sigmoid насыщается до 0 или 1, а exp(x) переполняется. Пользуйтесь устойчивой формой из условия, где экспонента берётся только от −|x|.'),
    m("bce_without_max_term", "q2", 'formula', "bce_with_logits",
      [("logits.clamp(min=0) - logits * target", "-logits * target")],
      "the max(x, 0) term of the stable form forgotten",
      'Проверьте устойчивую формулу BCE: слагаемое max(x, 0) нельзя пропускать, без него потеря неверна при положительных логитах.'),
    m("focal_alpha_for_both_classes", "q2", 'formula', "focal_loss",
      [("alpha_t = alpha * target + (1 - alpha) * (1 - target)", "alpha_t = alpha")],
      "alpha weights negatives as well instead of 1 - alpha",
      "Проверьте веса в focal loss: α_t зависит от класса (α для пикселей с y = 1, 1 − α для y = 0), а модулирующий множитель — (1 − p_t)^γ: он уменьшает вклад уже уверенно верных пикселей."),
    m("focal_modulates_by_pt", "q2", 'formula', "focal_loss",
      [("(1 - pt) ** gamma", "pt**gamma")],
      "the modulating factor p_t^gamma instead of (1 - p_t)^gamma",
      "Проверьте веса в focal loss: α_t зависит от класса (α для пикселей с y = 1, 1 − α для y = 0), а модулирующий множитель — (1 − p_t)^γ: он уменьшает вклад уже уверенно верных пикселей."),
    m("focal_log_of_sigmoid", "q2", 'tolerance', "focal_loss",
      [(
                    FOCAL_LOG,
                    "log_pt = target * torch.log(torch.sigmoid(logits))"
                    " + (1 - target) * torch.log(1 - torch.sigmoid(logits))",
                )],
      "log p_t as log(sigmoid(x)): -inf and nan for confident logits",
      'log p_t считайте устойчиво через F.logsigmoid (от x для y = 1 и от −x для y = 0): log(sigmoid(x)) при уверенных логитах даёт −inf и nan.'),
    m("focal_sum_not_mean", "q2", 'formula', "focal_loss",
      [(".mean()", ".sum()")],
      "focal loss summed over the elements instead of averaged",
      'focal_loss — среднее по всем элементам, а не сумма: проверьте редукцию в конце.'),
    # q3: bilinear upsampling and the output size
    m("kernel_off_centre", "q3", 'formula', "bilinear_kernel",
      [(
                    "center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5",
                    "center = factor - 1",
                )],
      "bilinear kernel centred at f - 1 for even sizes too (shifted by half a pixel)",
      'Проверьте одномерное билинейное ядро: f = ⌈k/2⌉, центр c = f − 1 при нечётном k и f − 0.5 при чётном, спад 1 − |i − c| / f делится на f, а не на k.'),
    m("kernel_mixes_channels", "q3", 'formula', "bilinear_kernel",
      [("weight[range(channels), range(channels)]", "weight[:, :]")],
      "the kernel put into every (i, j) channel pair, not only the diagonal",
      'Билинейное ядро не смешивает каналы: ядро ставится только в пары weight[i, i], все остальные weight[i, j] остаются нулями.'),
    m("kernel_wrong_slope", "q3", 'formula', "bilinear_kernel",
      [("(grid - center).abs() / factor", "(grid - center).abs() / kernel_size")],
      "the 1-D kernel falls off over k instead of f = ceil(k / 2)",
      'Проверьте одномерное билинейное ядро: f = ⌈k/2⌉, центр c = f − 1 при нечётном k и f − 0.5 при чётном, спад 1 − |i − c| / f делится на f, а не на k.'),
    m("upsampler_full_padding", "q3", 'formula', "make_bilinear_upsampler",
      [("padding=factor // 2", "padding=factor")],
      "padding = factor instead of factor // 2: the output is too small",
      'Проверьте параметры ConvTranspose2d в make_bilinear_upsampler: при padding из условия (factor // 2) выход ровно в factor раз больше входа.'),
    m("upsampler_keeps_random_weights", "q3", 'formula', "make_bilinear_upsampler",
      [("up.weight.copy_(bilinear_kernel(channels, 2 * factor))", "up.weight.mul_(1.0)")],
      "the bilinear kernel is never copied into the layer",
      'Похоже, веса слоя остаются случайными: скопируйте билинейное ядро в веса ConvTranspose2d (внутри torch.no_grad()).'),
    m("size_without_output_padding", "q3", 'formula', "conv_transpose_output_size",
      [("+ output_padding + 1", "+ 1")],
      "output_padding left out of the output-size formula",
      'Похоже, формула размера выхода ConvTranspose2d неполна или взята от обычной Conv2d: транспонированная свёртка увеличивает размер, и в ответ входят stride, padding, dilation и output_padding.'),
    m("size_without_dilation", "q3", 'formula', "conv_transpose_output_size",
      [("dilation * (kernel_size - 1)", "(kernel_size - 1)")],
      "dilation left out of the output-size formula",
      'Похоже, формула размера выхода ConvTranspose2d неполна или взята от обычной Conv2d: транспонированная свёртка увеличивает размер, и в ответ входят stride, padding, dilation и output_padding.'),
    m("size_of_an_ordinary_convolution", "q3", 'formula', "conv_transpose_output_size",
      [(
                    SIZE_FORMULA,
                    "return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1",
                )],
      "the output size of Conv2d used for ConvTranspose2d",
      'Похоже, формула размера выхода ConvTranspose2d неполна или взята от обычной Conv2d: транспонированная свёртка увеличивает размер, и в ответ входят stride, padding, dilation и output_padding.'),
    # q4: the U-Net architecture
    m("unet_sigmoid_output", "q4", 'formula', "UNet",
      [("return self.head(d1)", "return torch.sigmoid(self.head(d1))")],
      "forward returns probabilities instead of logits",
      "Сверьте U-Net с таблицей архитектуры: понижение разрешения — max-пулинг (не усреднение); в dec2 и dec1 по каналам склеиваются сначала повышенный выход, потом skip кодировщика; forward возвращает логиты без сигмоиды."),
    m("unet_average_pooling", "q4", 'formula', "UNet",
      [("self.pool = nn.MaxPool2d(2)", "self.pool = nn.AvgPool2d(2)")],
      "average pooling instead of max pooling",
      "Сверьте U-Net с таблицей архитектуры: понижение разрешения — max-пулинг (не усреднение); в dec2 и dec1 по каналам склеиваются сначала повышенный выход, потом skip кодировщика; forward возвращает логиты без сигмоиды."),
    m("unet_skip_before_upsampled", "q4", 'formula', "UNet",
      [("torch.cat([self.up2(z), e2], dim=1)", "torch.cat([e2, self.up2(z)], dim=1)"),
       ("torch.cat([self.up1(d2), e1], dim=1)", "torch.cat([e1, self.up1(d2)], dim=1)")],
      "skip features concatenated before the upsampled ones",
      "Сверьте U-Net с таблицей архитектуры: понижение разрешения — max-пулинг (не усреднение); в dec2 и dec1 по каналам склеиваются сначала повышенный выход, потом skip кодировщика; forward возвращает логиты без сигмоиды."),
    m("unet_without_skip_connections", "q4", 'formula', "UNet",
      [("conv_block(4 * base, 2 * base)", "conv_block(2 * base, 2 * base)"),
       ("self.dec1 = conv_block(2 * base, base)", "self.dec1 = conv_block(base, base)"),
       ("torch.cat([self.up2(z), e2], dim=1)", "self.up2(z)"),
       ("torch.cat([self.up1(d2), e1], dim=1)", "self.up1(d2)")],
      "an encoder-decoder without skip connections (the decoder sees only upsampled features)",
      "Сверьте U-Net с таблицей: dec2 и dec1 получают склейку повышенного выхода и выхода кодировщика того же уровня (skip-соединения обязательны), а выходной слой head — свёртка 1x1, смешивающая только каналы пикселя."),
    m("unet_head_3x3", "q4", 'formula', "UNet",
      [(
                    "nn.Conv2d(base, out_channels, kernel_size=1)",
                    "nn.Conv2d(base, out_channels, kernel_size=3, padding=1)",
                )],
      "a 3x3 output convolution instead of the 1x1 head",
      "Сверьте U-Net с таблицей: dec2 и dec1 получают склейку повышенного выхода и выхода кодировщика того же уровня (skip-соединения обязательны), а выходной слой head — свёртка 1x1, смешивающая только каналы пикселя."),
    # q5: the trained U-Net (cells re-run: the model is trained again)
    m("seg_reseeds_global_rng", "q5", 'loop', "train_segmentation",
      [(
                    "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                    "    torch.manual_seed(seed)\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                )],
      "torch.manual_seed(seed) inside train_segmentation: the caller's generator is reset",
      'Не вызывайте torch.manual_seed внутри train_segmentation: порядок примеров берите из своего генератора с сидом seed + epoch, глобальный генератор вызывающего трогать нельзя.'),
    m("seg_one_epoch", "q5", 'outcome', TRAIN_UNET,
      [(TRAIN_UNET, TRAIN_UNET.replace("epochs=SEG_EPOCHS", "epochs=1"))],
      "the U-Net trained for one epoch only",
      'Проверьте ячейку обучения unet: она готовая — UNet(base=8), все обучающие изображения и SEG_EPOCHS эпох; меньше данных или эпох не дотягивает до нужного IoU.'),
    m("seg_tiny_training_set", "q5", 'outcome', TRAIN_UNET,
      [(TRAIN_UNET, TRAIN_UNET.replace(
                    "train_images, train_masks", "train_images[:64], train_masks[:64]"
                ))],
      "trained on the first 64 images only",
      'Проверьте ячейку обучения unet: она готовая — UNet(base=8), все обучающие изображения и SEG_EPOCHS эпох; меньше данных или эпох не дотягивает до нужного IoU.'),
    m("seg_intensity_threshold", "q5", 'outcome', BUILD_UNET,
      [(BUILD_UNET, "unet = nn.Conv2d(1, 1, 1)")],
      "a per-pixel intensity threshold (a trained 1x1 convolution) instead of a U-Net",
      'Объект отличается от фона только текстурой: нужен широкий контекст, поэтому обучайте U-Net с понижением разрешения и skip-соединениями, а не порог по яркости или мелкую сеть без пулинга.',
      rerun=(TRAIN_UNET,)),
    m("seg_local_cnn_without_downsampling", "q5", 'outcome', BUILD_UNET,
      [(BUILD_UNET, "unet = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),"
                " nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 1, 3, padding=1))")],
      "the best wrong method: three 3x3 convolutions at full resolution (receptive field 7)",
      'Объект отличается от фона только текстурой: нужен широкий контекст, поэтому обучайте U-Net с понижением разрешения и skip-соединениями, а не порог по яркости или мелкую сеть без пулинга.',
      rerun=(TRAIN_UNET,)),
]
# fmt: on

FUSED_BIAS = "bias = (conv_bias - bn_mean) * scale + bn_bias"
MAX_ABS = "max_abs = weight.abs().reshape(weight.shape[0], -1).amax(dim=1)"
SOFT_KD = "F.softmax(teacher_logits / T, dim=1)"

# fmt: off
MUTANTS_D = [
    # q6: Conv + BN fusion
    m("fusion_forgets_running_mean", "q6", 'formula', "fuse_conv_bn_weights",
      [(FUSED_BIAS, "bias = conv_bias * scale + bn_bias")],
      "the fused bias ignores running_mean",
      'Проверьте смещение слитой свёртки: из смещения свёртки вычитается running_mean, разность умножается на тот же масштаб γ / √(σ² + ε), затем прибавляется β.'),
    m("fusion_divides_by_variance", "q6", 'formula', "fuse_conv_bn_weights",
      [("torch.sqrt(bn_var + eps)", "(bn_var + eps)")],
      "weights divided by var + eps instead of its square root",
      'Масштаб канала при слиянии — γ / √(σ² + ε): делите на корень из дисперсии с добавленным eps, а не на саму дисперсию и не без eps.'),
    m("fusion_without_eps", "q6", 'tolerance', "fuse_conv_bn_weights",
      [("torch.sqrt(bn_var + eps)", "torch.sqrt(bn_var)")],
      "eps left out of the denominator",
      'Масштаб канала при слиянии — γ / √(σ² + ε): делите на корень из дисперсии с добавленным eps, а не на саму дисперсию и не без eps.'),
    m("fusion_bias_not_scaled", "q6", 'formula', "fuse_conv_bn_weights",
      [(FUSED_BIAS, "bias = conv_bias - bn_mean + bn_bias")],
      "the bias shifted by the mean but not multiplied by gamma / std",
      'Проверьте смещение слитой свёртки: из смещения свёртки вычитается running_mean, разность умножается на тот же масштаб γ / √(σ² + ε), затем прибавляется β.'),
    m("fuse_unet_keeps_batchnorm", "q6", 'formula', "fuse_unet",
      [("block[i + 1] = nn.Identity()", "pass")],
      "convolutions replaced by the fused ones but the BatchNorm left in place",
      'После слияния BatchNorm заменяется на nn.Identity(): иначе нормировка применяется второй раз, и в модели остаются модули BatchNorm2d.'),
    m("fuse_unet_changes_the_original", "q6", 'in_place', "fuse_unet",
      [("fused = copy.deepcopy(model).eval()", "fused = model.eval()")],
      "the model fused in place instead of on a copy",
      'fuse_unet должна работать с копией модели (copy.deepcopy): исходная сеть не должна измениться — ни её модули, ни режим train()/eval().'),
    # q7: structured pruning
    m("pruning_keeps_smallest_filters", "q7", 'formula', "select_filters",
      [("torch.topk(norms, n_keep)", "torch.topk(norms, n_keep, largest=False)")],
      "the filters with the smallest L1 norm kept",
      "Проверьте select_filters: фильтр — срез по оси 0 (выходной канал), его L1-норма берётся по всем его элементам, число оставляемых считается от C_out, и оставляются фильтры с наибольшей нормой, а не с наименьшей."),
    m("pruning_by_l2_norm", "q7", 'formula', "select_filters",
      [("weight.abs()", "weight.pow(2)")],
      "filters ranked by the L2 norm instead of the L1 norm",
      "Проверьте select_filters: фильтры ранжируются по L1-норме (сумма модулей всех весов фильтра, не L2), оставляются фильтры с наибольшей нормой, а индексы возвращаются отсортированными по возрастанию, а не в порядке нормы."),
    m("pruning_norm_over_input_channels", "q7", 'formula', "select_filters",
      [(
                    "n_keep = max(1, int(weight.shape[0] * keep_ratio))",
                    "n_keep = max(1, int(weight.shape[1] * keep_ratio))",
                ),
       (
                    "weight.abs().reshape(weight.shape[0], -1).sum(dim=1)",
                    "weight.abs().transpose(0, 1).reshape(weight.shape[1], -1).sum(dim=1)",
                )],
      "norms taken over input channels (axis 1) instead of output filters",
      "Проверьте select_filters: фильтр — срез по оси 0 (выходной канал), его L1-норма берётся по всем его элементам, число оставляемых считается от C_out, и оставляются фильтры с наибольшей нормой, а не с наименьшей."),
    m("pruning_indices_unsorted", "q7", 'formula', "select_filters",
      [(
                    "torch.sort(torch.topk(norms, n_keep).indices).values",
                    "torch.topk(norms, n_keep).indices",
                )],
      "kept indices returned in the order of their norms, not sorted",
      "Проверьте select_filters: фильтры ранжируются по L1-норме (сумма модулей всех весов фильтра, не L2), оставляются фильтры с наибольшей нормой, а индексы возвращаются отсортированными по возрастанию, а не в порядке нормы."),
    m("pruning_keeps_next_input_channels", "q7", 'formula', "prune_unet",
      [("weight[keep][:, keep_in]", "weight[keep]")],
      "filters removed but the next layer keeps all its input channels",
      'После удаления фильтров у следующего слоя оставьте только входные каналы, которые соответствуют оставленным фильтрам предыдущего слоя.'),
    m("pruning_skip_indices_without_offset", "q7", 'formula', "prune_unet",
      [("2 * base + k2", "k2"),
       ("base + k1", "k1")],
      "skip-connection channels indexed as if they came first in the concatenation",
      "Проверьте индексы каналов при прунинге: у BatchNorm оставьте каналы с теми же индексами, что у оставленных фильтров (не первые), а во входе dec2/dec1 — склейке [повышенный выход, skip] — индексы skip-каналов сдвиньте на число повышенных каналов."),
    m("pruning_batchnorm_first_channels", "q7", 'formula', "prune_unet",
      [('sd[f"{bn}.{key}"][keep]', 'sd[f"{bn}.{key}"][: len(keep)]')],
      "BatchNorm keeps its first channels instead of the kept filters' ones",
      "Проверьте индексы каналов при прунинге: у BatchNorm оставьте каналы с теми же индексами, что у оставленных фильтров (не первые), а во входе dec2/dec1 — склейке [повышенный выход, skip] — индексы skip-каналов сдвиньте на число повышенных каналов."),
    m("pruning_masks_only", "q7", 'outcome', PRUNE,
      [(PRUNE, "pruned_unet = copy.deepcopy(unet)")],
      "the artefact is the full network fine-tuned again: nothing physically removed",
      'pruned_unet должен быть физически тоньше: это результат prune_unet с дообучением, а не копия исходной сети — MAC считаются по формам весов.'),
    # q8: int8 quantization
    m("int8_per_tensor_scale", "q8", 'formula', "quantize_per_channel_int8",
      [(MAX_ABS, "max_abs = weight.abs().amax().expand(weight.shape[0])")],
      "one scale for the whole tensor instead of one per output channel",
      "Проверьте шкалу квантизации: она своя для каждого выходного канала (максимум модуля по элементам канала, не по всему тензору) и делится на 127 — диапазон от −127 до 127, иначе крайние веса обрезаются."),
    m("int8_scale_over_128", "q8", 'formula', "quantize_per_channel_int8",
      [("max_abs / 127.0", "max_abs / 128.0")],
      "scale = max|w| / 128: the largest weight no longer fits and is clipped",
      "Проверьте шкалу квантизации: она своя для каждого выходного канала (максимум модуля по элементам канала, не по всему тензору) и делится на 127 — диапазон от −127 до 127, иначе крайние веса обрезаются."),
    m("int8_floor_instead_of_round", "q8", 'formula', "quantize_per_channel_int8",
      [("torch.round(", "torch.floor(")],
      "values truncated (floor) instead of rounded: errors up to a whole scale",
      'Проверьте округление при квантизации: нужно округление к ближайшему целому, а не отбрасывание дробной части — тогда ошибка не больше половины шкалы.'),
    m("int8_zero_channel_nan", "q8", 'tolerance', "quantize_per_channel_int8",
      [(
                    "torch.where(max_abs > 0, max_abs / 127.0, torch.ones_like(max_abs))",
                    "max_abs / 127.0",
                )],
      "no guard for an all-zero channel: scale 0 and nan values",
      'Канал из одних нулей даёт нулевую шкалу и деление 0/0: для такого канала шкала по условию равна 1.'),
    m("int8_dequantize_without_scale", "q8", 'formula', "dequantize_per_channel_int8",
      [("q.to(scale.dtype) * scale.reshape(shape)", "q.to(scale.dtype)")],
      "dequantize returns the integers as floats, without the scale",
      'dequantize_per_channel_int8 умножает целые значения на шкалу своего канала (шкала растягивается по оси 0).'),
    m("ptq_dynamic_instead_of_static", "q8", 'outcome', QUANTIZE,
      [(QUANTIZE, "quantized_unet = torch.ao.quantization.quantize_dynamic(copy.deepcopy(unet))")],
      "dynamic quantization, which leaves every convolution in float",
      'quantized_unet должна быть статически квантованной: prepare_fx, калибровка, convert_fx — все обычные Conv2d становятся int8-модулями; динамическая квантизация или вещественная копия не подходят.'),
    m("ptq_returns_the_float_model", "q8", 'outcome', QUANTIZE,
      [(QUANTIZE, "quantized_unet = copy.deepcopy(unet).eval()")],
      "quantize_unet hands back a copy of the float model, passed off as quantized",
      'quantized_unet должна быть статически квантованной: prepare_fx, калибровка, convert_fx — все обычные Conv2d становятся int8-модулями; динамическая квантизация или вещественная копия не подходят.'),
    m("ptq_without_calibration", "q8", 'loop', "quantize_unet",
      [("prepared(calibration_images[start : start + batch_size])", "pass")],
      "convert_fx right after prepare_fx: the observers never saw an image",
      'После prepare_fx прогоните калибровочные изображения через подготовленную модель батчами (без градиентов): без этого наблюдатели не знают диапазонов активаций.',
      rerun=(QUANTIZE,)),
    m("ptq_quantizes_transposed_convolutions", "q8", 'formula', "quantize_unet",
      [(".set_object_type(nn.ConvTranspose2d, None)", "")],
      "ConvTranspose2d quantized too: torch 2.13's x86 kernel gets it wrong",
      'Транспонированные свёртки up2 и up1 оставьте вещественными: в qconfig_mapping задайте для nn.ConvTranspose2d значение None, как в условии.',
      rerun=(QUANTIZE,)),
    m("ptq_of_an_untrained_model", "q8", 'outcome', QUANTIZE,
      [(QUANTIZE, "quantized_unet = quantize_unet(UNet(), train_images[:200])")],
      "a freshly initialised U-Net quantized instead of the trained one",
      'Квантуйте обученную unet: quantized_unet — её квантованная копия, а не квантованная новая сеть.'),
    # q9: distillation
    m("kd_without_t_squared", "q9", 'formula', "kd_loss",
      [("alpha * soft * T * T", "alpha * soft")],
      "the soft term not multiplied by T^2",
      "Проверьте мягкую часть kd_loss: вероятности и учителя, и ученика считаются из логитов, делённых на T, а сама мягкая часть умножается на α и на T² (жёсткая кросс-энтропия — на 1 − α)."),
    m("kd_mean_reduction", "q9", 'formula', "kd_loss",
      [('reduction="batchmean"', 'reduction="mean"')],
      "KL with reduction='mean' (divided by the number of classes too)",
      "Проверьте мягкую часть kd_loss: F.kl_div получает первым лог-вероятности ученика, вторым — вероятности учителя (не наоборот), а reduction=\"batchmean\" — \"mean\" делит ещё и на число классов."),
    m("kd_reversed_kl", "q9", 'formula', "kd_loss",
      [(
                    "F.log_softmax(student_logits / T, dim=1),\n        F.softmax(teacher_logits / T, dim=1),",
                    "F.log_softmax(teacher_logits / T, dim=1),\n        F.softmax(student_logits / T, dim=1),",
                )],
      "KL(student || teacher) instead of KL(teacher || student)",
      "Проверьте мягкую часть kd_loss: F.kl_div получает первым лог-вероятности ученика, вторым — вероятности учителя (не наоборот), а reduction=\"batchmean\" — \"mean\" делит ещё и на число классов."),
    m("kd_teacher_without_temperature", "q9", 'formula', "kd_loss",
      [(SOFT_KD, "F.softmax(teacher_logits, dim=1)")],
      "the teacher's softmax taken at T = 1",
      "Проверьте мягкую часть kd_loss: вероятности и учителя, и ученика считаются из логитов, делённых на T, а сама мягкая часть умножается на α и на T² (жёсткая кросс-энтропия — на 1 − α)."),
    m("kd_alpha_swapped", "q9", 'formula', "kd_loss",
      [(
                    "alpha * soft * T * T + (1 - alpha) * hard",
                    "(1 - alpha) * soft * T * T + alpha * hard",
                )],
      "alpha weights the hard term and 1 - alpha the soft one",
      'Проверьте веса слагаемых kd_loss: мягкая часть умножается на α и на T², жёсткая кросс-энтропия — на (1 − α).'),
    m("distill_student_left_in_its_mode", "q9", 'mode', "distill",
      [("    student.train()\n", "")],
      "student.train() never called: a student handed over in eval mode learns in eval mode",
      'В distill переведите ученика в train() перед обучением (учитель — в eval()), а в конце верните ученика в режиме eval().'),
    m("kd_student_from_labels_only", "q9", 'outcome', DISTIL,
      [(DISTIL, "kd_student = train_classifier(make_student(), X_dev[:100], y_dev[:100], epochs=KD_EPOCHS)")],
      "the student trained on the 100 labelled digits, without the teacher",
      'kd_student учится дистилляцией: distill на всём X_dev как transfer set по ответам учителя, а не только на размеченных примерах.'),
]
# fmt: on

MUTANTS = MUTANTS_ABC + MUTANTS_D
