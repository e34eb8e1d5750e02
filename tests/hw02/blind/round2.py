"""Blind round 2 for hw02 (issue #26): written by a helper who read only the task text, the
reference solution and the names of round 1 (tests/mutation/blind_kit.py), never the tests;
graded after round 1's strengthening (d17dc22). Figures: solutions/hw02/README.md."""

from mutation.harness import Mutant

# cells that (re)build models from `unet` / train with the edited code
SEG_TRAIN = "unet = train_segmentation(unet, train_images"
FUSE_CELL = "fused_unet = fuse_unet(unet)"
PRUNE_CELL = "pruned_unet = prune_unet(unet, keep_ratio=0.5)"
QUANT_CELL = "quantized_unet = quantize_unet(unet, train_images[:200])"
KD_CELL = "kd_student = distill(make_student(), teacher"
UNET_CHAIN = (SEG_TRAIN, FUSE_CELL, PRUNE_CELL, QUANT_CELL)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="iou_intersection_summed_over_batch",
        question="q1",
        description="intersection summed over the whole batch (dim=1 forgotten) while union stays per image",
        kind="formula",
        target="iou_per_image",
        edits=(
            ("inter = (pred & true).sum(dim=1).float()", "inter = (pred & true).sum().float()"),
        ),
    ),
    Mutant(
        name="iou_sums_last_two_axes",
        question="q1",
        description="masks not flattened; sums over the last two axes: (N, 1, H, W) input gives shape (N, 1)",
        kind="formula",
        target="iou_per_image",
        edits=(
            ("pred_mask.reshape(pred_mask.shape[0], -1).bool()", "pred_mask.bool()"),
            ("true_mask.reshape(true_mask.shape[0], -1).bool()", "true_mask.bool()"),
            ("sum(dim=1)", "sum(dim=(-2, -1))"),
        ),
    ),
    Mutant(
        name="iou_returns_float64",
        question="q1",
        description="counts converted with .double(): IoU vector returned as float64 instead of float32",
        kind="formula",
        target="iou_per_image",
        edits=((".float()", ".double()"),),
    ),
    Mutant(
        name="dice_pooled_over_batch",
        question="q1",
        description="Dice computed once from sums over the whole batch instead of per image, then averaged",
        kind="formula",
        target="dice_loss",
        edits=(
            (
                "dice = (2.0 * inter + eps) / (probs.sum(dim=1) + target.sum(dim=1) + eps)",
                "dice = (2.0 * inter.sum() + eps) / (probs.sum() + target.sum() + eps)",
            ),
        ),
    ),
    Mutant(
        name="dice_squared_denominator",
        question="q1",
        description="V-Net style denominator sum p^2 + sum t^2 instead of sum p + sum t",
        kind="formula",
        target="dice_loss",
        edits=(
            (
                "probs.sum(dim=1) + target.sum(dim=1)",
                "(probs ** 2).sum(dim=1) + (target ** 2).sum(dim=1)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="bce_sum_pixels_mean_batch",
        question="q2",
        description="BCE summed over pixels of each image and averaged over the batch, not mean over all elements",
        kind="formula",
        target="bce_with_logits",
        edits=(("return loss.mean()", "return loss.reshape(loss.shape[0], -1).sum(dim=1).mean()"),),
    ),
    Mutant(
        name="bce_logits_clamped",
        question="q2",
        description="logits clamped to [-20, 20] 'for stability': wrong value (and no gradient) at |x| >= 20",
        kind="tolerance",
        target="bce_with_logits",
        edits=(
            (
                "    loss = logits.clamp(min=0)",
                "    logits = logits.clamp(-20.0, 20.0)  # avoid overflow\n    loss = logits.clamp(min=0)",
            ),
        ),
    ),
    Mutant(
        name="focal_modulating_uses_p",
        question="q2",
        description="modulating factor (1 - p)^gamma uses p = sigmoid(x) for every pixel instead of p_t",
        kind="formula",
        target="focal_loss",
        edits=(("pt = log_pt.exp()", "pt = torch.sigmoid(logits)"),),
    ),
    Mutant(
        name="focal_modulating_factor_detached",
        question="q2",
        description="p_t detached before the modulating factor: same value, gradient misses the (1-p_t)^gamma term",
        kind="graph",
        target="focal_loss",
        edits=(("pt = log_pt.exp()", "pt = log_pt.exp().detach()"),),
    ),
    Mutant(
        name="focal_normalized_by_positives",
        question="q2",
        description="RetinaNet-style: loss summed and divided by the number of positive pixels instead of the mean",
        kind="formula",
        target="focal_loss",
        edits=(
            (
                "return (-alpha_t * (1 - pt) ** gamma * log_pt).mean()",
                "return (-alpha_t * (1 - pt) ** gamma * log_pt).sum() / target.sum().clamp(min=1.0)",
            ),
        ),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="bilinear_factor_floor",
        question="q3",
        description="f = k // 2 (floor) instead of ceil(k / 2): wrong kernel for odd kernel sizes",
        kind="tolerance",
        target="bilinear_kernel",
        edits=(("factor = (kernel_size + 1) // 2", "factor = kernel_size // 2"),),
    ),
    Mutant(
        name="bilinear_kernel_normalized",
        question="q3",
        description="1-D kernel normalised to sum 1 like a blur kernel: upsampled output darkened by factor^2",
        kind="formula",
        target="bilinear_kernel",
        edits=(
            (
                "    g = 1 - (grid - center).abs() / factor\n",
                "    g = 1 - (grid - center).abs() / factor\n    g = g / g.sum()\n",
            ),
        ),
    ),
    Mutant(
        name="upsampler_bias_left_on",
        question="q3",
        description="bias=False omitted: ConvTranspose2d keeps a random bias added to the bilinear output",
        kind="formula",
        target="make_bilinear_upsampler",
        edits=(("padding=factor // 2, bias=False", "padding=factor // 2"),),
    ),
    Mutant(
        name="convt_size_padding_once",
        question="q3",
        description="padding subtracted once instead of 2 * padding in the transposed-conv output size",
        kind="formula",
        target="conv_transpose_output_size",
        edits=(("- 2 * padding", "- padding"),),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="unet_avgpool",
        question="q4",
        description="AvgPool2d(2) used for downsampling instead of the prescribed MaxPool2d(2)",
        kind="formula",
        target="UNet",
        edits=(("self.pool = nn.MaxPool2d(2)", "self.pool = nn.AvgPool2d(2)"),),
        rerun=UNET_CHAIN,
    ),
    Mutant(
        name="unet_relu_after_upconv",
        question="q4",
        description="extra ReLU applied to the transposed-conv output before concatenation",
        kind="formula",
        target="UNet",
        edits=(
            ("torch.cat([self.up2(z), e2], dim=1)", "torch.cat([F.relu(self.up2(z)), e2], dim=1)"),
            (
                "torch.cat([self.up1(d2), e1], dim=1)",
                "torch.cat([F.relu(self.up1(d2)), e1], dim=1)",
            ),
        ),
        rerun=UNET_CHAIN,
    ),
    Mutant(
        name="unet_upconv_kernel3",
        question="q4",
        description="up-convolutions built with kernel 3, padding 1, output_padding 1 instead of kernel 2 stride 2",
        kind="formula",
        target="UNet",
        edits=(
            ("kernel_size=2, stride=2)", "kernel_size=3, stride=2, padding=1, output_padding=1)"),
        ),
        rerun=UNET_CHAIN,
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="seg_masks_not_permuted",
        question="q5",
        description="images indexed by the permutation but masks sliced in the original order: targets misaligned",
        kind="loop",
        target="train_segmentation",
        edits=(("masks[idx]", "masks[start : start + batch_size]"),),
        rerun=UNET_CHAIN,
    ),
    Mutant(
        name="seg_no_zero_grad",
        question="q5",
        description="optimizer.zero_grad() missing: gradients accumulate over all steps",
        kind="loop",
        target="train_segmentation",
        edits=(("            optimizer.zero_grad()\n", ""),),
        rerun=UNET_CHAIN,
    ),
    Mutant(
        name="seg_eval_each_epoch",
        question="q5",
        description="model.eval() at the end of every epoch (to monitor) and never back to train(): later epochs use running BN stats",
        kind="mode",
        target="train_segmentation",
        edits=(
            (
                "            optimizer.step()\n",
                "            optimizer.step()\n        model.eval()  # monitor progress\n",
            ),
        ),
        rerun=UNET_CHAIN,
    ),
    Mutant(
        name="seg_lr_hardcoded",
        question="q5",
        description="Adam learning rate hard-coded to 3e-3: the lr argument is ignored",
        kind="loop",
        target="train_segmentation",
        edits=(("lr=lr", "lr=3e-3"),),
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="fuse_bias_missing_beta",
        question="q6",
        description="fused bias forgets the BN shift beta: b' = (b - mu) * s",
        kind="formula",
        target="fuse_conv_bn_weights",
        edits=(
            (
                "bias = (conv_bias - bn_mean) * scale + bn_bias",
                "bias = (conv_bias - bn_mean) * scale",
            ),
        ),
        rerun=(FUSE_CELL,),
    ),
    Mutant(
        name="fuse_bn_eps_not_passed",
        question="q6",
        description="fuse_unet does not pass bn.eps: default 1e-5 used for BatchNorms with another eps",
        kind="tolerance",
        target="fuse_unet",
        edits=(("bn.bias.detach(), bn.eps,", "bn.bias.detach(),"),),
    ),
    Mutant(
        name="fuse_copy_not_eval",
        question="q6",
        description="deep copy not switched to eval(): fused model returned in the caller's (train) mode",
        kind="mode",
        target="fuse_unet",
        edits=(("fused = copy.deepcopy(model).eval()", "fused = copy.deepcopy(model)"),),
    ),
    Mutant(
        name="fuse_weight_scaled_in_place",
        question="q6",
        description="conv weight scaled with in-place mul_: the caller's conv_weight tensor is overwritten",
        kind="in_place",
        target="fuse_conv_bn_weights",
        edits=(
            (
                "weight = conv_weight * scale.reshape(",
                "weight = conv_weight.mul_(scale.reshape(",
            ),
            ("(conv_weight.dim() - 1)))", "(conv_weight.dim() - 1))))"),
        ),
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="select_filters_abs_of_sum",
        question="q7",
        description="filter norm |sum w| (abs after summing) instead of the L1 norm sum |w|",
        kind="formula",
        target="select_filters",
        edits=(
            (
                "norms = weight.abs().reshape(weight.shape[0], -1).sum(dim=1)",
                "norms = weight.reshape(weight.shape[0], -1).sum(dim=1).abs()",
            ),
        ),
        rerun=(PRUNE_CELL,),
    ),
    Mutant(
        name="select_filters_keeps_smallest",
        question="q7",
        description="argsort taken as descending: keeps the filters with the SMALLEST L1 norms",
        kind="outcome",
        target="select_filters",
        edits=(
            (
                "return torch.sort(torch.topk(norms, n_keep).indices).values",
                "return torch.sort(torch.argsort(norms)[:n_keep]).values",
            ),
        ),
        rerun=(PRUNE_CELL,),
    ),
    Mutant(
        name="select_filters_round_count",
        question="q7",
        description="k_keep = round(C_out * keep_ratio) instead of int() truncation",
        kind="tolerance",
        target="select_filters",
        edits=(
            (
                "max(1, int(weight.shape[0] * keep_ratio))",
                "max(1, round(weight.shape[0] * keep_ratio))",
            ),
        ),
    ),
    Mutant(
        name="prune_ranked_by_bn_gamma",
        question="q7",
        description="filters ranked by |BN gamma| (network slimming) instead of the conv filters' L1 norm",
        kind="outcome",
        target="prune_unet",
        edits=(
            (
                "keep = select_filters(weight, keep_ratio)",
                'keep = select_filters(sd[bn + ".weight"].reshape(-1, 1), keep_ratio)',
            ),
        ),
        rerun=(PRUNE_CELL,),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="quant_scale_per_tensor",
        question="q8",
        description="one max|w| over the whole tensor repeated for every channel (per-tensor, not per-channel)",
        kind="formula",
        target="quantize_per_channel_int8",
        edits=(
            (
                "max_abs = weight.abs().reshape(weight.shape[0], -1).amax(dim=1)",
                "max_abs = weight.abs().amax().repeat(weight.shape[0])",
            ),
        ),
    ),
    Mutant(
        name="quant_scale_over_128",
        question="q8",
        description="scale = max|w| / 128 (int8 range misremembered): the largest weight clips to 127, error up to a full scale",
        kind="tolerance",
        target="quantize_per_channel_int8",
        edits=(("max_abs / 127.0", "max_abs / 128.0"),),
    ),
    Mutant(
        name="quant_scale_always_float32",
        question="q8",
        description="scale cast to float32 regardless of the weight's dtype",
        kind="formula",
        target="quantize_per_channel_int8",
        edits=(("    return q, scale\n", "    return q, scale.float()\n"),),
    ),
    Mutant(
        name="dequant_assumes_4d",
        question="q8",
        description="dequantize broadcasts scale as [:, None, None, None]: only works for 4-D conv weights",
        kind="formula",
        target="dequantize_per_channel_int8",
        edits=(("scale.reshape(shape)", "scale[:, None, None, None]"),),
    ),
    Mutant(
        name="quant_convtranspose_not_excluded",
        question="q8",
        description="default x86 qconfig mapping used as is: ConvTranspose2d layers get quantized too",
        kind="outcome",
        target="quantize_unet",
        edits=((".set_object_type(nn.ConvTranspose2d, None)", ""),),
        rerun=(QUANT_CELL,),
    ),
    Mutant(
        name="quant_qnnpack_qconfig",
        question="q8",
        description="qconfig mapping for 'qnnpack' (per-tensor weight observers) instead of 'x86'",
        kind="formula",
        target="quantize_unet",
        edits=(('get_default_qconfig_mapping("x86")', 'get_default_qconfig_mapping("qnnpack")'),),
        rerun=(QUANT_CELL,),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="kd_kl_direction_reversed",
        question="q9",
        description="KL arguments swapped: KL(student || teacher) instead of KL(teacher || student)",
        kind="formula",
        target="kd_loss",
        edits=(
            (
                "F.log_softmax(student_logits / T, dim=1)",
                "F.log_softmax(teacher_logits / T, dim=1)",
            ),
            ("F.softmax(teacher_logits / T, dim=1)", "F.softmax(student_logits / T, dim=1)"),
        ),
        rerun=(KD_CELL,),
    ),
    Mutant(
        name="kd_ce_on_softened_logits",
        question="q9",
        description="hard cross-entropy computed on student_logits / T instead of the raw logits",
        kind="formula",
        target="kd_loss",
        edits=(
            (
                "F.cross_entropy(student_logits, targets)",
                "F.cross_entropy(student_logits / T, targets)",
            ),
        ),
        rerun=(KD_CELL,),
    ),
    Mutant(
        name="distill_permutation_once",
        question="q9",
        description="one permutation drawn before the epoch loop and reused every epoch",
        kind="loop",
        target="distill",
        edits=(
            (
                "    for epoch in range(epochs):\n"
                "        order = torch.randperm(len(X_transfer), generator=torch.Generator().manual_seed(seed + epoch))\n",
                "    order = torch.randperm(len(X_transfer), generator=torch.Generator().manual_seed(seed))\n"
                "    for epoch in range(epochs):\n",
            ),
        ),
        rerun=(KD_CELL,),
    ),
    Mutant(
        name="distill_T_alpha_not_forwarded",
        question="q9",
        description="kd_loss called without T and alpha: distill always uses the defaults 4.0 / 0.9",
        kind="loop",
        target="distill",
        edits=(
            (
                "kd_loss(student(xb), teacher_logits, teacher_logits.argmax(dim=1), T, alpha)",
                "kd_loss(student(xb), teacher_logits, teacher_logits.argmax(dim=1))",
            ),
        ),
    ),
    Mutant(
        name="distill_batch_size_hardcoded",
        question="q9",
        description="mini-batch size hard-coded to 64: the batch_size argument is ignored",
        kind="loop",
        target="distill",
        edits=(
            ("range(0, len(X_transfer), batch_size)", "range(0, len(X_transfer), 64)"),
            ("order[start : start + batch_size]", "order[start : start + 64]"),
        ),
    ),
]
