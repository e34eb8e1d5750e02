"""Blind round 1 for hw02 (issue #26): mistakes written by a helper who read only the task
text and the reference solution (tests/mutation/blind_kit.py), never the tests; graded
by tests/mutation/blind_grade.py before any test changed. Figures: solutions/hw02/README.md."""

from mutation.harness import Mutant

SEG = ("SEG_EPOCHS = 10",)
PRUNE = ("PRUNE_EPOCHS = 6",)
FUSE = ("fused_unet = fuse_unet(unet)",)
QUANT = ("quantized_unet = quantize_unet(unet",)
KD = ("KD_EPOCHS = 40",)

MUTANTS = [
    # ---------------- q1: IoU and Dice loss ----------------
    Mutant(
        name="iou_empty_masks_zero",
        question="q1",
        description="IoU of an image with empty prediction and empty truth returned as 0 instead of 1",
        kind="tolerance",
        target="iou_per_image",
        edits=(("torch.ones_like(union)", "torch.zeros_like(union)"),),
    ),
    Mutant(
        name="iou_squeeze_breaks_batch_of_one",
        question="q1",
        description="masks flattened with squeeze().flatten(1): a batch of one image loses its batch axis",
        kind="tolerance",
        target="iou_per_image",
        edits=(
            ("pred_mask.reshape(pred_mask.shape[0], -1)", "pred_mask.squeeze().flatten(1)"),
            ("true_mask.reshape(true_mask.shape[0], -1)", "true_mask.squeeze().flatten(1)"),
        ),
    ),
    Mutant(
        name="dice_eps_only_in_denominator",
        question="q1",
        description="smoothing eps added only to the Dice denominator (empty masks give loss 1)",
        kind="formula",
        target="dice_loss",
        edits=(("(2.0 * inter + eps)", "(2.0 * inter)"),),
    ),
    Mutant(
        name="dice_loss_item_float",
        question="q1",
        description="dice_loss returns a Python float via .item(): detached from the autograd graph",
        kind="graph",
        target="dice_loss",
        edits=(("return 1.0 - dice.mean()", "return 1.0 - dice.mean().item()"),),
    ),
    # ---------------- q2: BCE and focal ----------------
    Mutant(
        name="bce_naive_log_sigmoid",
        question="q2",
        description="BCE computed naively as -(y log s + (1-y) log(1-s)): inf at large logits",
        kind="tolerance",
        target="bce_with_logits",
        edits=(
            (
                "loss = logits.clamp(min=0) - logits * target + torch.log1p(torch.exp(-logits.abs()))",
                "probs = torch.sigmoid(logits)\n"
                "    loss = -(target * torch.log(probs) + (1 - target) * torch.log(1 - probs))",
            ),
        ),
    ),
    Mutant(
        name="bce_abs_dropped_in_exp",
        question="q2",
        description="stable BCE written with exp(-x) instead of exp(-|x|): wrong for negative logits",
        kind="formula",
        target="bce_with_logits",
        edits=(("torch.exp(-logits.abs())", "torch.exp(-logits)"),),
    ),
    Mutant(
        name="focal_alpha_swapped",
        question="q2",
        description="alpha_t = 1 - alpha for positives and alpha for negatives",
        kind="formula",
        target="focal_loss",
        edits=(
            (
                "alpha * target + (1 - alpha) * (1 - target)",
                "(1 - alpha) * target + alpha * (1 - target)",
            ),
        ),
    ),
    Mutant(
        name="focal_log_of_sigmoid",
        question="q2",
        description="log p_t computed as log(sigmoid(x)) / log(1 - sigmoid(x)): inf/nan for saturated logits",
        kind="tolerance",
        target="focal_loss",
        edits=(
            (
                "target * F.logsigmoid(logits) + (1 - target) * F.logsigmoid(-logits)",
                "target * torch.log(torch.sigmoid(logits)) + (1 - target) * torch.log(1 - torch.sigmoid(logits))",
            ),
        ),
    ),
    # ---------------- q3: bilinear upsampling ----------------
    Mutant(
        name="bilinear_center_odd_rule_always",
        question="q3",
        description="kernel centre c = f - 1 used for even kernel sizes too (asymmetric kernel)",
        kind="formula",
        target="bilinear_kernel",
        edits=(
            (
                "center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5",
                "center = factor - 1",
            ),
        ),
    ),
    Mutant(
        name="bilinear_kernel_mixes_channels",
        question="q3",
        description="kernel written into every weight[i, j], not only the diagonal: channels mixed",
        kind="formula",
        target="bilinear_kernel",
        edits=(("weight[range(channels), range(channels)] =", "weight[:, :] ="),),
    ),
    Mutant(
        name="upsampler_padding_hardcoded_1",
        question="q3",
        description="padding hard-coded to 1 (correct only for factor 2)",
        kind="tolerance",
        target="make_bilinear_upsampler",
        edits=(("padding=factor // 2", "padding=1"),),
    ),
    Mutant(
        name="convt_size_ignores_dilation",
        question="q3",
        description="output size formula uses (kernel_size - 1) without dilation",
        kind="tolerance",
        target="conv_transpose_output_size",
        edits=(("dilation * (kernel_size - 1)", "(kernel_size - 1)"),),
    ),
    # ---------------- q4: U-Net architecture ----------------
    Mutant(
        name="unet_cat_order_swapped",
        question="q4",
        description="torch.cat puts the skip features first and the upsampled output second",
        kind="formula",
        target="UNet",
        edits=(
            ("torch.cat([self.up2(z), e2]", "torch.cat([e2, self.up2(z)]"),
            ("torch.cat([self.up1(d2), e1]", "torch.cat([e1, self.up1(d2)]"),
        ),
        rerun=SEG,
    ),
    Mutant(
        name="unet_skip_detached",
        question="q4",
        description="skip features detached before concatenation: no gradient to the encoder via skips",
        kind="graph",
        target="UNet",
        edits=(("e2], dim=1", "e2.detach()], dim=1"), ("e1], dim=1", "e1.detach()], dim=1")),
        rerun=SEG,
    ),
    Mutant(
        name="unet_in_channels_hardcoded",
        question="q4",
        description="first block built with conv_block(1, base): in_channels argument ignored",
        kind="tolerance",
        target="UNet",
        edits=(("conv_block(in_channels, base)", "conv_block(1, base)"),),
    ),
    # ---------------- q5: training ----------------
    Mutant(
        name="seg_no_shuffle",
        question="q5",
        description="examples taken in the same fixed order every epoch (no permutation)",
        kind="loop",
        target="train_segmentation",
        edits=(
            (
                "order = torch.randperm(len(images), generator=torch.Generator().manual_seed(seed + epoch))",
                "order = torch.arange(len(images))",
            ),
        ),
        rerun=SEG,
    ),
    Mutant(
        name="seg_dice_term_dropped",
        question="q5",
        description="loss is only bce_with_logits; the dice_loss term is missing",
        kind="outcome",
        target="train_segmentation",
        edits=(
            (
                "loss = bce_with_logits(logits, masks[idx]) + dice_loss(logits, masks[idx])",
                "loss = bce_with_logits(logits, masks[idx])",
            ),
        ),
        rerun=SEG,
    ),
    Mutant(
        name="seg_bce_on_sigmoid",
        question="q5",
        description="sigmoid probabilities fed to bce_with_logits (a logits loss)",
        kind="formula",
        target="train_segmentation",
        edits=(
            (
                "bce_with_logits(logits, masks[idx])",
                "bce_with_logits(torch.sigmoid(logits), masks[idx])",
            ),
        ),
        rerun=SEG,
    ),
    Mutant(
        name="seg_no_eval_after_training",
        question="q5",
        description="model returned still in train() mode",
        kind="mode",
        target="train_segmentation",
        edits=(("model.eval()\n    return model", "return model"),),
        rerun=SEG,
    ),
    Mutant(
        name="seg_train_mode_not_set",
        question="q5",
        description="model.train() never called: a model passed in eval mode trains with frozen BN statistics",
        kind="mode",
        target="train_segmentation",
        edits=(
            (
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    model.train()",
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
            ),
        ),
        rerun=PRUNE,
    ),
    Mutant(
        name="seg_seed_ignored",
        question="q5",
        description="permutation generator seeded with the epoch only; the seed argument is ignored",
        kind="loop",
        target="train_segmentation",
        edits=(("manual_seed(seed + epoch)", "manual_seed(epoch)"),),
        rerun=PRUNE,
    ),
    # ---------------- q6: Conv+BN fusion ----------------
    Mutant(
        name="fuse_eps_outside_sqrt",
        question="q6",
        description="BN scale uses sqrt(var) + eps instead of sqrt(var + eps)",
        kind="tolerance",
        target="fuse_conv_bn_weights",
        edits=(("torch.sqrt(bn_var + eps)", "(torch.sqrt(bn_var) + eps)"),),
    ),
    Mutant(
        name="fuse_conv_bias_not_scaled",
        question="q6",
        description="existing conv bias added unscaled: b' = b - mu*s + beta instead of (b - mu)*s + beta",
        kind="formula",
        target="fuse_conv_bn_weights",
        edits=(
            (
                "bias = (conv_bias - bn_mean) * scale + bn_bias",
                "bias = conv_bias - bn_mean * scale + bn_bias",
            ),
        ),
    ),
    Mutant(
        name="fuse_modifies_caller_model",
        question="q6",
        description="fusion done on the caller's model instead of a deep copy",
        kind="in_place",
        target="fuse_unet",
        edits=(("fused = copy.deepcopy(model).eval()", "fused = model.eval()"),),
        rerun=FUSE,
    ),
    Mutant(
        name="fuse_sets_caller_eval",
        question="q6",
        description="eval() called on the caller's model before copying: caller's mode changed",
        kind="mode",
        target="fuse_unet",
        edits=(("fused = copy.deepcopy(model).eval()", "fused = copy.deepcopy(model.eval())"),),
    ),
    # ---------------- q7: structured pruning ----------------
    Mutant(
        name="select_filters_unsorted",
        question="q7",
        description="indices returned in topk (descending-norm) order, not sorted ascending",
        kind="formula",
        target="select_filters",
        edits=(
            (
                "torch.sort(torch.topk(norms, n_keep).indices).values",
                "torch.topk(norms, n_keep).indices",
            ),
        ),
    ),
    Mutant(
        name="select_filters_no_min_one",
        question="q7",
        description="k_keep = int(C_out * keep_ratio) without the 'at least one' rule",
        kind="tolerance",
        target="select_filters",
        edits=(
            (
                "max(1, int(weight.shape[0] * keep_ratio))",
                "int(weight.shape[0] * keep_ratio)",
            ),
        ),
    ),
    Mutant(
        name="prune_skip_offset_pruned_width",
        question="q7",
        description="skip-channel indices in dec2/dec1 shifted by the pruned upsampled width, not the original",
        kind="outcome",
        target="prune_unet",
        edits=(
            ("torch.cat([ku2, 2 * base + k2])", "torch.cat([ku2, len(ku2) + k2])"),
            ("torch.cat([ku1, base + k1])", "torch.cat([ku1, len(ku1) + k1])"),
        ),
        rerun=PRUNE,
    ),
    Mutant(
        name="prune_bn_running_stats_not_copied",
        question="q7",
        description="only BN weight/bias transferred (strict=False); running mean/var left at init",
        kind="outcome",
        target="prune_unet",
        edits=(
            ('("weight", "bias", "running_mean", "running_var")', '("weight", "bias")'),
            ("pruned.load_state_dict(new)", "pruned.load_state_dict(new, strict=False)"),
        ),
        rerun=PRUNE,
    ),
    Mutant(
        name="prune_returns_train_mode",
        question="q7",
        description="pruned UNet returned in train mode instead of eval",
        kind="mode",
        target="prune_unet",
        edits=(("return pruned.eval()", "return pruned"),),
    ),
    # ---------------- q8: int8 quantization ----------------
    Mutant(
        name="quant_zero_channel_clamped_scale",
        question="q8",
        description="zero channel handled by clamping max|w| to 1e-8 instead of setting scale = 1",
        kind="tolerance",
        target="quantize_per_channel_int8",
        edits=(
            (
                "torch.where(max_abs > 0, max_abs / 127.0, torch.ones_like(max_abs))",
                "max_abs.clamp(min=1e-8) / 127.0",
            ),
        ),
    ),
    Mutant(
        name="quant_truncates_instead_of_round",
        question="q8",
        description="no rounding: cast to int8 truncates toward zero (error up to a full scale)",
        kind="formula",
        target="quantize_per_channel_int8",
        edits=(("torch.round(weight / scale.reshape(shape))", "(weight / scale.reshape(shape))"),),
    ),
    Mutant(
        name="quant_divides_weight_in_place",
        question="q8",
        description="weight divided/rounded with in-place ops: the caller's weight tensor is overwritten",
        kind="in_place",
        target="quantize_per_channel_int8",
        edits=(
            (
                "torch.clamp(torch.round(weight / scale.reshape(shape)), -127, 127)",
                "weight.div_(scale.reshape(shape)).round_().clamp_(-127, 127)",
            ),
        ),
    ),
    Mutant(
        name="quant_calibrate_one_batch",
        question="q8",
        description="calibration runs only the first batch of calibration images",
        kind="outcome",
        target="quantize_unet",
        edits=(
            (
                "for start in range(0, len(calibration_images), batch_size):",
                "for start in range(0, batch_size, batch_size):",
            ),
        ),
        rerun=QUANT,
    ),
    Mutant(
        name="quant_calibrate_on_noise",
        question="q8",
        description="observers calibrated on random noise of the batch's shape instead of the images",
        kind="loop",
        target="quantize_unet",
        edits=(
            (
                "prepared(calibration_images[start : start + batch_size])",
                "prepared(torch.randn_like(calibration_images[start : start + batch_size]))",
            ),
        ),
        rerun=QUANT,
    ),
    # ---------------- q9: distillation ----------------
    Mutant(
        name="kd_missing_T_squared",
        question="q9",
        description="soft KL term not multiplied by T^2",
        kind="formula",
        target="kd_loss",
        edits=(("alpha * soft * T * T", "alpha * soft"),),
        rerun=KD,
    ),
    Mutant(
        name="kd_softmax_as_kl_input",
        question="q9",
        description="F.kl_div given softmax (not log_softmax) of the student",
        kind="formula",
        target="kd_loss",
        edits=(
            ("F.log_softmax(student_logits / T, dim=1)", "F.softmax(student_logits / T, dim=1)"),
        ),
        rerun=KD,
    ),
    Mutant(
        name="kd_reduction_mean",
        question="q9",
        description="KL reduced with reduction='mean' (divides also by the number of classes)",
        kind="formula",
        target="kd_loss",
        edits=(('reduction="batchmean"', 'reduction="mean"'),),
        rerun=KD,
    ),
    Mutant(
        name="distill_teacher_with_grad",
        question="q9",
        description="teacher forward outside no_grad: gradients accumulate in the teacher's parameters",
        kind="graph",
        target="distill",
        edits=(
            (
                "with torch.no_grad():\n                teacher_logits = teacher(xb)",
                "teacher_logits = teacher(xb)",
            ),
        ),
    ),
    Mutant(
        name="distill_teacher_not_eval",
        question="q9",
        description="teacher not switched to eval(): dropout/BN in a teacher stay in train mode",
        kind="mode",
        target="distill",
        edits=(("teacher.eval()\n    student.train()", "student.train()"),),
    ),
]
