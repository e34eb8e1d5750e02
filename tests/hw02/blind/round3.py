"""Blind round 3 for hw02 (issue #26): written by a helper who read only the task text, the
reference solution and the names of rounds 1-2 (tests/mutation/blind_kit.py), never the tests;
asked for mistakes in the answers, not in the ready-made cells; graded against the tests of
634ea02. Figures: solutions/hw02/README.md."""

from mutation.harness import Mutant

# Cells re-run after mutants that change the trained U-Net (cheap downstream cells included
# so that the fused / quantized copies are built from the retrained network).
UNET_RETRAIN = (
    "SEG_EPOCHS = 10",
    "fused_unet = fuse_unet(unet)",
    "quantized_unet = quantize_unet(unet",
)
PRUNE_CELL = ("PRUNE_EPOCHS = 6",)
FUSE_CELL = ("fused_unet = fuse_unet(unet)",)
QUANT_CELL = ("quantized_unet = quantize_unet(unet",)
KD_CELL = ("KD_EPOCHS = 40",)

MUTANTS = [
    # ------------------------------------------------------------------ q1
    Mutant(
        name="iou_union_sum_of_areas",
        question="q1",
        description="union taken as |P| + |T| (intersection not subtracted): overlapping pixels counted twice",
        kind="formula",
        target="iou_per_image",
        edits=(
            (
                "union = (pred | true).sum(dim=1).float()",
                "union = (pred.sum(dim=1) + true.sum(dim=1)).float()",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="iou_smoothed_plus_one",
        question="q1",
        description="IoU smoothed like Dice, (|P&T| + 1) / (|P|T| + 1), instead of the exact ratio with the empty rule",
        kind="tolerance",
        target="iou_per_image",
        edits=(("inter / union.clamp(min=1.0)", "(inter + 1.0) / (union + 1.0)"),),
        rerun=(),
    ),
    Mutant(
        name="iou_empty_rule_checks_truth_only",
        question="q1",
        description="empty rule keyed on the ground truth only: empty truth with a non-empty prediction gets IoU 1",
        kind="tolerance",
        target="iou_per_image",
        edits=(("torch.where(union > 0,", "torch.where(true.sum(dim=1) > 0,"),),
        rerun=(),
    ),
    Mutant(
        name="dice_eps_hardcoded",
        question="q1",
        description="smoothing hard-coded to 1.0 in numerator and denominator: the eps argument is ignored",
        kind="formula",
        target="dice_loss",
        edits=(("+ eps)", "+ 1.0)"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q2
    Mutant(
        name="bce_target_binarized",
        question="q2",
        description="target turned into a bool mask in the x*y term: soft targets (0 < y < 1) treated as 1",
        kind="tolerance",
        target="bce_with_logits",
        edits=(("- logits * target", "- logits * (target > 0.5)"),),
        rerun=(),
    ),
    Mutant(
        name="focal_gamma_hardcoded",
        question="q2",
        description="modulating exponent hard-coded to 2: the gamma argument is ignored",
        kind="formula",
        target="focal_loss",
        edits=(("** gamma", "** 2"),),
        rerun=(),
    ),
    Mutant(
        name="focal_alpha_same_for_all_pixels",
        question="q2",
        description="alpha_t = alpha for every pixel: negatives are not weighted by 1 - alpha",
        kind="formula",
        target="focal_loss",
        edits=(("alpha_t = alpha * target + (1 - alpha) * (1 - target)", "alpha_t = alpha"),),
        rerun=(),
    ),
    Mutant(
        name="focal_pt_to_gamma",
        question="q2",
        description="modulating factor written p_t^gamma instead of (1 - p_t)^gamma (up-weights easy pixels)",
        kind="formula",
        target="focal_loss",
        edits=(("(1 - pt) ** gamma", "pt ** gamma"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q3
    Mutant(
        name="bilinear_kernel_one_indexed",
        question="q3",
        description="1-D kernel evaluated at i = 1..k instead of i = 0..k-1 (shifted, with a negative tap)",
        kind="formula",
        target="bilinear_kernel",
        edits=(
            (
                "torch.arange(kernel_size, dtype=torch.float32)",
                "torch.arange(1, kernel_size + 1, dtype=torch.float32)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="bilinear_kernel_float64",
        question="q3",
        description="weight tensor built in float64 (numpy-style FCN code) instead of the default float32",
        kind="formula",
        target="bilinear_kernel",
        edits=(
            ("dtype=torch.float32", "dtype=torch.float64"),
            (
                "weight = torch.zeros(channels, channels, kernel_size, kernel_size)",
                "weight = torch.zeros(channels, channels, kernel_size, kernel_size, dtype=torch.float64)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="upsampler_kernel_equals_factor",
        question="q3",
        description="transposed conv and bilinear kernel built with kernel_size = factor instead of 2 * factor",
        kind="formula",
        target="make_bilinear_upsampler",
        edits=(
            ("kernel_size=2 * factor", "kernel_size=factor"),
            ("bilinear_kernel(channels, 2 * factor)", "bilinear_kernel(channels, factor)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="convt_size_output_padding_dropped",
        question="q3",
        description="output_padding left out of the transposed-convolution output size",
        kind="formula",
        target="conv_transpose_output_size",
        edits=((" + output_padding + 1", " + 1"),),
        rerun=(),
    ),
    Mutant(
        name="convt_size_size_times_stride",
        question="q3",
        description="output size uses size * stride instead of (size - 1) * stride",
        kind="formula",
        target="conv_transpose_output_size",
        edits=(("(size - 1) * stride", "size * stride"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q4
    Mutant(
        name="unet_head_channels_hardcoded",
        question="q4",
        description="head built as Conv2d(8, out_channels, 1): width hard-coded for base=8, breaks other bases",
        kind="formula",
        target="UNet",
        edits=(
            (
                "nn.Conv2d(base, out_channels, kernel_size=1)",
                "nn.Conv2d(8, out_channels, kernel_size=1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="unet_pool_inside_encoder_blocks",
        question="q4",
        description="enc2/bottleneck built as Sequential(MaxPool, conv_block): same outputs, but module names shift (enc2.1.0...)",
        kind="formula",
        target="UNet",
        edits=(
            (
                "self.enc2 = conv_block(base, 2 * base)",
                "self.enc2 = nn.Sequential(nn.MaxPool2d(2), conv_block(base, 2 * base))",
            ),
            (
                "self.bottleneck = conv_block(2 * base, 4 * base)",
                "self.bottleneck = nn.Sequential(nn.MaxPool2d(2), conv_block(2 * base, 4 * base))",
            ),
            ("self.enc2(self.pool(e1))", "self.enc2(e1)"),
            ("self.bottleneck(self.pool(e2))", "self.bottleneck(e2)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="unet_functional_dropout_always_on",
        question="q4",
        description="F.dropout(p=0.1) added after the bottleneck without training=self.training: random outputs in eval",
        kind="mode",
        target="UNet",
        edits=(
            (
                "z = self.bottleneck(self.pool(e2))",
                "z = F.dropout(self.bottleneck(self.pool(e2)), p=0.1)",
            ),
        ),
        rerun=UNET_RETRAIN,
    ),
    Mutant(
        name="unet_relu_on_logits",
        question="q4",
        description="ReLU applied to the head output: forward returns non-negative 'logits' (mask logits > 0 still works)",
        kind="outcome",
        target="UNet",
        edits=(("return self.head(d1)", "return F.relu(self.head(d1))"),),
        rerun=UNET_RETRAIN,
    ),
    # ------------------------------------------------------------------ q5
    Mutant(
        name="seg_sets_global_seed",
        question="q5",
        description="torch.manual_seed(seed) called inside train_segmentation: global RNG state of the caller reset",
        kind="loop",
        target="train_segmentation",
        edits=(
            (
                "optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                "torch.manual_seed(seed)\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="seg_epochs_one_indexed",
        question="q5",
        description="epochs counted 1..epochs: permutation seeds are seed+1..seed+epochs instead of seed+0..",
        kind="loop",
        target="train_segmentation",
        edits=(("for epoch in range(epochs):", "for epoch in range(1, epochs + 1):"),),
        rerun=UNET_RETRAIN,
    ),
    Mutant(
        name="seg_drops_partial_batch",
        question="q5",
        description="loop over len // batch_size full batches: the last partial batch is dropped (no training if n < batch_size)",
        kind="loop",
        target="train_segmentation",
        edits=(
            (
                "for start in range(0, len(images), batch_size):",
                "for start in range(0, len(images) // batch_size * batch_size, batch_size):",
            ),
        ),
        rerun=UNET_RETRAIN,
    ),
    # ------------------------------------------------------------------ q6
    Mutant(
        name="fuse_var_not_sqrt",
        question="q6",
        description="BN scale divides by (var + eps) instead of sqrt(var + eps)",
        kind="formula",
        target="fuse_conv_bn_weights",
        edits=(("torch.sqrt(bn_var + eps)", "(bn_var + eps)"),),
        rerun=FUSE_CELL,
    ),
    Mutant(
        name="fuse_mean_not_scaled",
        question="q6",
        description="fused bias b*s - mu + beta: the running mean is not multiplied by the BN scale",
        kind="formula",
        target="fuse_conv_bn_weights",
        edits=(
            (
                "bias = (conv_bias - bn_mean) * scale + bn_bias",
                "bias = conv_bias * scale - bn_mean + bn_bias",
            ),
        ),
        rerun=FUSE_CELL,
    ),
    Mutant(
        name="fuse_conv_bias_discarded",
        question="q6",
        description="conv_bias always replaced by zeros (UNet convs have none): a given conv bias is silently dropped",
        kind="tolerance",
        target="fuse_conv_bn_weights",
        edits=(("if conv_bias is None:\n        conv_bias", "conv_bias"),),
        rerun=(),
    ),
    Mutant(
        name="fuse_weights_no_grad_decorator",
        question="q6",
        description="fuse_conv_bn_weights decorated with @torch.no_grad(): results carry no gradient to the inputs",
        kind="graph",
        target="fuse_conv_bn_weights",
        edits=(("def fuse_conv_bn_weights(", "@torch.no_grad()\ndef fuse_conv_bn_weights("),),
        rerun=(),
    ),
    Mutant(
        name="fuse_unet_step_two_misses_pairs",
        question="q6",
        description="pairs scanned with step 2 (i = 0, 2, 4): the second Conv->BN of each block is never fused",
        kind="loop",
        target="fuse_unet",
        edits=(("for i in range(len(block) - 1):", "for i in range(0, len(block) - 1, 2):"),),
        rerun=FUSE_CELL,
    ),
    # ------------------------------------------------------------------ q7
    Mutant(
        name="select_filters_l2_norm",
        question="q7",
        description="filters ranked by their L2 norm instead of the L1 norm sum |w|",
        kind="formula",
        target="select_filters",
        edits=(
            (
                "norms = weight.abs().reshape(weight.shape[0], -1).sum(dim=1)",
                "norms = weight.reshape(weight.shape[0], -1).norm(dim=1)",
            ),
        ),
        rerun=PRUNE_CELL,
    ),
    Mutant(
        name="select_filters_half_hardcoded",
        question="q7",
        description="k_keep = max(1, C_out // 2): keep_ratio ignored (only correct for 0.5)",
        kind="formula",
        target="select_filters",
        edits=(
            (
                "n_keep = max(1, int(weight.shape[0] * keep_ratio))",
                "n_keep = max(1, weight.shape[0] // 2)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="prune_sets_caller_eval",
        question="q7",
        description="model.eval() called on the caller's model before reading its weights: caller's mode changed",
        kind="mode",
        target="prune_unet",
        edits=(
            (
                "sd = {k: v.detach().clone() for k, v in model.state_dict().items()}",
                "model.eval()\n    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="prune_concat_keep_order_swapped",
        question="q7",
        description="dec2/dec1 input indices concatenated as [skip, upsampled]: kept input columns end up in the wrong slots",
        kind="formula",
        target="prune_unet",
        edits=(
            ("torch.cat([ku2, 2 * base + k2])", "torch.cat([2 * base + k2, ku2])"),
            ("torch.cat([ku1, base + k1])", "torch.cat([base + k1, ku1])"),
        ),
        rerun=PRUNE_CELL,
    ),
    Mutant(
        name="prune_input_channels_hardcoded",
        question="q7",
        description="enc1 input channels kept as torch.arange(1): breaks UNets with in_channels > 1",
        kind="formula",
        target="prune_unet",
        edits=(("torch.arange(in_channels)", "torch.arange(1)"),),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q8
    Mutant(
        name="quant_scale_signed_max",
        question="q8",
        description="scale from max(w) instead of max|w|: negative-dominated channels clip (all-negative -> scale 1)",
        kind="formula",
        target="quantize_per_channel_int8",
        edits=(
            (
                "max_abs = weight.abs().reshape(weight.shape[0], -1).amax(dim=1)",
                "max_abs = weight.reshape(weight.shape[0], -1).amax(dim=1)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="quant_q_not_cast_int8",
        question="q8",
        description="q returned as the rounded float tensor: cast to torch.int8 forgotten",
        kind="tolerance",
        target="quantize_per_channel_int8",
        edits=(
            (
                "torch.clamp(torch.round(weight / scale.reshape(shape)), -127, 127).to(torch.int8)",
                "torch.clamp(torch.round(weight / scale.reshape(shape)), -127, 127)",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="quant_convert_forgotten",
        question="q8",
        description="convert_fx forgotten: the observed (still float) prepared model is returned; accuracy fine, no int8",
        kind="outcome",
        target="quantize_unet",
        edits=(("return convert_fx(prepared)", "return prepared"),),
        rerun=QUANT_CELL,
    ),
    Mutant(
        name="quant_calibrate_drops_last_batch",
        question="q8",
        description="calibration loop range(0, n - batch_size, batch_size): last batch skipped, none if n <= batch_size",
        kind="loop",
        target="quantize_unet",
        edits=(
            (
                "range(0, len(calibration_images), batch_size)",
                "range(0, len(calibration_images) - batch_size, batch_size)",
            ),
        ),
        rerun=QUANT_CELL,
    ),
    Mutant(
        name="quant_sets_caller_eval",
        question="q8",
        description="copy.deepcopy(model.eval()): eval() applied to the caller's model before copying",
        kind="mode",
        target="quantize_unet",
        edits=(
            (
                "float_model = copy.deepcopy(model).eval()",
                "float_model = copy.deepcopy(model.eval())",
            ),
        ),
        rerun=(),
    ),
    # ------------------------------------------------------------------ q9
    Mutant(
        name="kd_ce_on_teacher_argmax",
        question="q9",
        description="hard CE computed against teacher_logits.argmax instead of the targets argument",
        kind="formula",
        target="kd_loss",
        edits=(
            (
                "F.cross_entropy(student_logits, targets)",
                "F.cross_entropy(student_logits, teacher_logits.argmax(dim=1))",
            ),
        ),
        rerun=(),
    ),
    Mutant(
        name="kd_teacher_logits_divided_in_place",
        question="q9",
        description="teacher_logits /= T in place: the caller's teacher logits tensor is overwritten",
        kind="in_place",
        target="kd_loss",
        edits=(
            ("soft = F.kl_div(", "teacher_logits /= T\n    soft = F.kl_div("),
            ("F.softmax(teacher_logits / T, dim=1)", "F.softmax(teacher_logits, dim=1)"),
        ),
        rerun=(),
    ),
    Mutant(
        name="kd_alpha_weights_swapped",
        question="q9",
        description="alpha weights the hard CE and (1 - alpha) the soft KL term",
        kind="formula",
        target="kd_loss",
        edits=(
            (
                "return alpha * soft * T * T + (1 - alpha) * hard",
                "return (1 - alpha) * soft * T * T + alpha * hard",
            ),
        ),
        rerun=KD_CELL,
    ),
    Mutant(
        name="distill_student_train_not_set",
        question="q9",
        description="student.train() never called: a student passed in eval mode is distilled with dropout/BN in eval",
        kind="mode",
        target="distill",
        edits=(("teacher.eval()\n    student.train()", "teacher.eval()"),),
        rerun=(),
    ),
    Mutant(
        name="distill_generator_created_once",
        question="q9",
        description="one Generator seeded with seed before the loop and reused: epochs >= 1 get other permutations",
        kind="loop",
        target="distill",
        edits=(
            (
                "for epoch in range(epochs):",
                "gen = torch.Generator().manual_seed(seed)\n    for epoch in range(epochs):",
            ),
            (
                "generator=torch.Generator().manual_seed(seed + epoch)",
                "generator=gen",
            ),
        ),
        rerun=KD_CELL,
    ),
]
