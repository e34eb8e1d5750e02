"""Mutants of the hw02 reference: common student mistakes, as plain data.

A mutant names the question it targets, says in one line what is wrong, and replaces
snippets inside the solution functions it breaks (`edits`: function or class name ->
(old, new) pairs; every occurrence of `old` in that definition becomes `new`). A mutant
that changes a trained model also names the computation cells to re-run (`rerun`: (old,
new) snippets locating each cell, the snippet replaced; old == new re-runs it unchanged).
`downstream` lists the test cases of OTHER questions that fail as well because they judge
an artefact built from the broken one. The test: at least one case of
`question` fails, and every other failing case outside it is in `downstream`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Edit = tuple[str, str]

# test cases of parts C and D that judge an artefact against `unet` (the reference's fused,
# pruned and quantized models are reused, so they no longer match a re-trained `unet`)
AGAINST_UNET = frozenset({"test_q6_fused_model_hidden", "test_q8_quantized_agreement_hidden"})
NOT_A_UNET = AGAINST_UNET | {"test_q7_pruned_model_hidden", "test_q8_quantized_structure_hidden"}

# the loss a training procedure uses: q5's procedure check trains with the notebook's losses
TRAINS_WITH_IT = frozenset({"test_q5_procedure_hidden"})

# computation cells, located by a snippet
TRAIN_UNET = "unet = train_segmentation(unet, train_images, train_masks, epochs=SEG_EPOCHS, seed=0)"
BUILD_UNET = "unet = UNet(in_channels=1, out_channels=1, base=8)"
PRUNE = "pruned_unet = prune_unet(unet, keep_ratio=0.5)"
QUANTIZE = "quantized_unet = quantize_unet(unet, train_images[:200])"
DISTIL = "kd_student = distill(make_student(), teacher, X_dev, epochs=KD_EPOCHS, T=4.0, alpha=0.9)"


@dataclass(frozen=True)
class Mutant:
    name: str
    description: str
    question: str
    edits: dict[str, tuple[Edit, ...]] = field(default_factory=dict)
    rerun: tuple[Edit, ...] = ()
    downstream: frozenset[str] = frozenset()


IOU_RETURN = "return torch.where(union > 0, inter / union.clamp(min=1.0), torch.ones_like(union))"
DICE_RATIO = "(2.0 * inter + eps) / (probs.sum(dim=1) + target.sum(dim=1) + eps)"
BCE_STABLE = "loss = logits.clamp(min=0) - logits * target + torch.log1p(torch.exp(-logits.abs()))"
FOCAL_LOG = "log_pt = target * F.logsigmoid(logits) + (1 - target) * F.logsigmoid(-logits)"
SIZE_FORMULA = (
    "return (size - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1"
)

MUTANTS_ABC = [
    # q1: IoU and Dice
    Mutant(
        "iou_averaged_before_division",
        "IoU of the whole batch (intersections and unions summed first) given to every image",
        "q1",
        {"iou_per_image": ((IOU_RETURN, "return (inter.sum() / union.sum()).expand_as(union)"),)},
    ),
    Mutant(
        "iou_empty_union_is_zero",
        "an image with empty prediction and empty mask scores 0 instead of 1",
        "q1",
        {"iou_per_image": (("torch.ones_like(union)", "torch.zeros_like(union)"),)},
    ),
    Mutant(
        "iou_union_is_sum_of_areas",
        "union taken as |P| + |T| (the intersection counted twice)",
        "q1",
        {
            "iou_per_image": (
                (
                    "union = (pred | true).sum(dim=1).float()",
                    "union = (pred.sum(dim=1) + true.sum(dim=1)).float()",
                ),
            )
        },
    ),
    Mutant(
        "dice_without_eps",
        "Dice without the smoothing term: 0/0 on empty masks",
        "q1",
        {"dice_loss": ((DICE_RATIO, "(2.0 * inter) / (probs.sum(dim=1) + target.sum(dim=1))"),)},
        downstream=TRAINS_WITH_IT,
    ),
    Mutant(
        "dice_over_whole_batch",
        "one Dice over all pixels of the batch instead of the mean of per-image Dice",
        "q1",
        {
            "dice_loss": (
                ("reshape(logits.shape[0], -1)", "reshape(1, -1)"),
                ("reshape(target.shape[0], -1)", "reshape(1, -1)"),
            )
        },  # fmt: skip
        downstream=TRAINS_WITH_IT,
    ),
    Mutant(
        "dice_on_logits",
        "Dice computed on the logits, without the sigmoid",
        "q1",
        {"dice_loss": (("probs = torch.sigmoid(logits)", "probs = (logits)"),)},
        downstream=TRAINS_WITH_IT,
    ),
    # q2: BCE and focal loss
    Mutant(
        "bce_naive_log_sigmoid",
        "BCE as -y log(sigmoid(x)) - (1-y) log(1-sigmoid(x)): infinite for large logits",
        "q2",
        {
            "bce_with_logits": (
                (
                    BCE_STABLE,
                    "loss = -(target * torch.log(torch.sigmoid(logits))"
                    " + (1 - target) * torch.log(1 - torch.sigmoid(logits)))",
                ),
            )
        },
    ),
    Mutant(
        "bce_overflowing_exp",
        "BCE as log(1 + exp(x)) - x y: right on paper, overflows for large logits",
        "q2",
        {
            "bce_with_logits": (
                (BCE_STABLE, "loss = torch.log1p(torch.exp(logits)) - logits * target"),
            )
        },
    ),
    Mutant(
        "bce_without_max_term",
        "the max(x, 0) term of the stable form forgotten",
        "q2",
        {"bce_with_logits": (("logits.clamp(min=0) - logits * target", "-logits * target"),)},
        downstream=TRAINS_WITH_IT,
    ),
    Mutant(
        "focal_alpha_for_both_classes",
        "alpha weights negatives as well instead of 1 - alpha",
        "q2",
        {
            "focal_loss": (
                ("alpha_t = alpha * target + (1 - alpha) * (1 - target)", "alpha_t = alpha"),
            )
        },
    ),
    Mutant(
        "focal_modulates_by_pt",
        "the modulating factor p_t^gamma instead of (1 - p_t)^gamma",
        "q2",
        {"focal_loss": (("(1 - pt) ** gamma", "pt**gamma"),)},
    ),
    Mutant(
        "focal_log_of_sigmoid",
        "log p_t as log(sigmoid(x)): -inf and nan for confident logits",
        "q2",
        {
            "focal_loss": (
                (
                    FOCAL_LOG,
                    "log_pt = target * torch.log(torch.sigmoid(logits))"
                    " + (1 - target) * torch.log(1 - torch.sigmoid(logits))",
                ),
            )
        },
    ),
    Mutant(
        "focal_sum_not_mean",
        "focal loss summed over the elements instead of averaged",
        "q2",
        {"focal_loss": ((".mean()", ".sum()"),)},
    ),
    # q3: bilinear upsampling and the output size
    Mutant(
        "kernel_off_centre",
        "bilinear kernel centred at f - 1 for even sizes too (shifted by half a pixel)",
        "q3",
        {
            "bilinear_kernel": (
                (
                    "center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5",
                    "center = factor - 1",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "kernel_mixes_channels",
        "the kernel put into every (i, j) channel pair, not only the diagonal",
        "q3",
        {"bilinear_kernel": (("weight[range(channels), range(channels)]", "weight[:, :]"),)},
    ),
    Mutant(
        "kernel_wrong_slope",
        "the 1-D kernel falls off over k instead of f = ceil(k / 2)",
        "q3",
        {
            "bilinear_kernel": (
                ("(grid - center).abs() / factor", "(grid - center).abs() / kernel_size"),
            )
        },
    ),
    Mutant(
        "upsampler_full_padding",
        "padding = factor instead of factor // 2: the output is too small",
        "q3",
        {"make_bilinear_upsampler": (("padding=factor // 2", "padding=factor"),)},
    ),
    Mutant(
        "upsampler_keeps_random_weights",
        "the bilinear kernel is never copied into the layer",
        "q3",
        {
            "make_bilinear_upsampler": (
                ("up.weight.copy_(bilinear_kernel(channels, 2 * factor))", "up.weight.mul_(1.0)"),
            )
        },  # fmt: skip
    ),
    Mutant(
        "size_without_output_padding",
        "output_padding left out of the output-size formula",
        "q3",
        {"conv_transpose_output_size": (("+ output_padding + 1", "+ 1"),)},
    ),
    Mutant(
        "size_without_dilation",
        "dilation left out of the output-size formula",
        "q3",
        {"conv_transpose_output_size": (("dilation * (kernel_size - 1)", "(kernel_size - 1)"),)},
    ),
    Mutant(
        "size_of_an_ordinary_convolution",
        "the output size of Conv2d used for ConvTranspose2d",
        "q3",
        {
            "conv_transpose_output_size": (
                (
                    SIZE_FORMULA,
                    "return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1",
                ),
            )
        },  # fmt: skip
    ),
    # q4: the U-Net architecture
    Mutant(
        "unet_sigmoid_output",
        "forward returns probabilities instead of logits",
        "q4",
        {"UNet": (("return self.head(d1)", "return torch.sigmoid(self.head(d1))"),)},
    ),
    Mutant(
        "unet_average_pooling",
        "average pooling instead of max pooling",
        "q4",
        {"UNet": (("self.pool = nn.MaxPool2d(2)", "self.pool = nn.AvgPool2d(2)"),)},
    ),
    Mutant(
        "unet_skip_before_upsampled",
        "skip features concatenated before the upsampled ones",
        "q4",
        {
            "UNet": (
                ("torch.cat([self.up2(z), e2], dim=1)", "torch.cat([e2, self.up2(z)], dim=1)"),
                ("torch.cat([self.up1(d2), e1], dim=1)", "torch.cat([e1, self.up1(d2)], dim=1)"),
            )
        },
    ),
    Mutant(
        "unet_without_skip_connections",
        "an encoder-decoder without skip connections (the decoder sees only upsampled features)",
        "q4",
        {
            "UNet": (
                ("conv_block(4 * base, 2 * base)", "conv_block(2 * base, 2 * base)"),
                ("self.dec1 = conv_block(2 * base, base)", "self.dec1 = conv_block(base, base)"),
                ("torch.cat([self.up2(z), e2], dim=1)", "self.up2(z)"),
                ("torch.cat([self.up1(d2), e1], dim=1)", "self.up1(d2)"),
            )
        },
        downstream=frozenset({"test_q7_prune_unet_hidden"}),  # prune_unet builds the table's UNet
    ),
    Mutant(
        "unet_head_3x3",
        "a 3x3 output convolution instead of the 1x1 head",
        "q4",
        {
            "UNet": (
                (
                    "nn.Conv2d(base, out_channels, kernel_size=1)",
                    "nn.Conv2d(base, out_channels, kernel_size=3, padding=1)",
                ),
            )
        },  # fmt: skip
    ),
    # q5: the trained U-Net (cells re-run: the model is trained again)
    Mutant(
        "seg_reseeds_global_rng",
        "torch.manual_seed(seed) inside train_segmentation: the caller's generator is reset",
        "q5",
        {
            "train_segmentation": (
                (
                    "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                    "    torch.manual_seed(seed)\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "seg_one_epoch",
        "the U-Net trained for one epoch only",
        "q5",
        rerun=((TRAIN_UNET, TRAIN_UNET.replace("epochs=SEG_EPOCHS", "epochs=1")),),
        downstream=AGAINST_UNET,
    ),
    Mutant(
        "seg_tiny_training_set",
        "trained on the first 64 images only",
        "q5",
        rerun=(
            (
                TRAIN_UNET,
                TRAIN_UNET.replace(
                    "train_images, train_masks", "train_images[:64], train_masks[:64]"
                ),
            ),
        ),
        downstream=AGAINST_UNET,
    ),
    Mutant(
        "seg_intensity_threshold",
        "a per-pixel intensity threshold (a trained 1x1 convolution) instead of a U-Net",
        "q5",
        rerun=((BUILD_UNET, "unet = nn.Conv2d(1, 1, 1)"), (TRAIN_UNET, TRAIN_UNET)),
        downstream=NOT_A_UNET,
    ),
    Mutant(
        "seg_local_cnn_without_downsampling",
        "the best wrong method: three 3x3 convolutions at full resolution (receptive field 7)",
        "q5",
        rerun=(
            (
                BUILD_UNET,
                "unet = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),"
                " nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 1, 3, padding=1))",
            ),
            (TRAIN_UNET, TRAIN_UNET),
        ),
        downstream=NOT_A_UNET,
    ),
]

FUSED_BIAS = "bias = (conv_bias - bn_mean) * scale + bn_bias"
MAX_ABS = "max_abs = weight.abs().reshape(weight.shape[0], -1).amax(dim=1)"
SOFT_KD = "F.softmax(teacher_logits / T, dim=1)"

MUTANTS_D = [
    # q6: Conv + BN fusion
    Mutant(
        "fusion_forgets_running_mean",
        "the fused bias ignores running_mean",
        "q6",
        {"fuse_conv_bn_weights": ((FUSED_BIAS, "bias = conv_bias * scale + bn_bias"),)},
    ),
    Mutant(
        "fusion_divides_by_variance",
        "weights divided by var + eps instead of its square root",
        "q6",
        {"fuse_conv_bn_weights": (("torch.sqrt(bn_var + eps)", "(bn_var + eps)"),)},
    ),
    Mutant(
        "fusion_without_eps",
        "eps left out of the denominator",
        "q6",
        {"fuse_conv_bn_weights": (("torch.sqrt(bn_var + eps)", "torch.sqrt(bn_var)"),)},
    ),
    Mutant(
        "fusion_bias_not_scaled",
        "the bias shifted by the mean but not multiplied by gamma / std",
        "q6",
        {"fuse_conv_bn_weights": ((FUSED_BIAS, "bias = conv_bias - bn_mean + bn_bias"),)},
    ),
    Mutant(
        "fuse_unet_keeps_batchnorm",
        "convolutions replaced by the fused ones but the BatchNorm left in place",
        "q6",
        {"fuse_unet": (("block[i + 1] = nn.Identity()", "pass"),)},
    ),
    Mutant(
        "fuse_unet_changes_the_original",
        "the model fused in place instead of on a copy",
        "q6",
        {"fuse_unet": (("fused = copy.deepcopy(model).eval()", "fused = model.eval()"),)},
    ),
    # q7: structured pruning
    Mutant(
        "pruning_keeps_smallest_filters",
        "the filters with the smallest L1 norm kept",
        "q7",
        {
            "select_filters": (
                ("torch.topk(norms, n_keep)", "torch.topk(norms, n_keep, largest=False)"),
            )
        },
    ),
    Mutant(
        "pruning_by_l2_norm",
        "filters ranked by the L2 norm instead of the L1 norm",
        "q7",
        {"select_filters": (("weight.abs()", "weight.pow(2)"),)},
    ),
    Mutant(
        "pruning_norm_over_input_channels",
        "norms taken over input channels (axis 1) instead of output filters",
        "q7",
        {
            "select_filters": (
                (
                    "n_keep = max(1, int(weight.shape[0] * keep_ratio))",
                    "n_keep = max(1, int(weight.shape[1] * keep_ratio))",
                ),
                (
                    "weight.abs().reshape(weight.shape[0], -1).sum(dim=1)",
                    "weight.abs().transpose(0, 1).reshape(weight.shape[1], -1).sum(dim=1)",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "pruning_indices_unsorted",
        "kept indices returned in the order of their norms, not sorted",
        "q7",
        {
            "select_filters": (
                (
                    "torch.sort(torch.topk(norms, n_keep).indices).values",
                    "torch.topk(norms, n_keep).indices",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "pruning_keeps_next_input_channels",
        "filters removed but the next layer keeps all its input channels",
        "q7",
        {"prune_unet": (("weight[keep][:, keep_in]", "weight[keep]"),)},
    ),
    Mutant(
        "pruning_skip_indices_without_offset",
        "skip-connection channels indexed as if they came first in the concatenation",
        "q7",
        {"prune_unet": (("2 * base + k2", "k2"), ("base + k1", "k1"))},
    ),
    Mutant(
        "pruning_batchnorm_first_channels",
        "BatchNorm keeps its first channels instead of the kept filters' ones",
        "q7",
        {"prune_unet": (('sd[f"{bn}.{key}"][keep]', 'sd[f"{bn}.{key}"][: len(keep)]'),)},
    ),
    Mutant(
        "pruning_masks_only",
        "the artefact is the full network fine-tuned again: nothing physically removed",
        "q7",
        rerun=((PRUNE, "pruned_unet = copy.deepcopy(unet)"),),
    ),
    # q8: int8 quantization
    Mutant(
        "int8_per_tensor_scale",
        "one scale for the whole tensor instead of one per output channel",
        "q8",
        {
            "quantize_per_channel_int8": (
                (MAX_ABS, "max_abs = weight.abs().amax().expand(weight.shape[0])"),
            )
        },
    ),
    Mutant(
        "int8_scale_over_128",
        "scale = max|w| / 128: the largest weight no longer fits and is clipped",
        "q8",
        {"quantize_per_channel_int8": (("max_abs / 127.0", "max_abs / 128.0"),)},
    ),
    Mutant(
        "int8_floor_instead_of_round",
        "values truncated (floor) instead of rounded: errors up to a whole scale",
        "q8",
        {"quantize_per_channel_int8": (("torch.round(", "torch.floor("),)},
    ),
    Mutant(
        "int8_zero_channel_nan",
        "no guard for an all-zero channel: scale 0 and nan values",
        "q8",
        {
            "quantize_per_channel_int8": (
                (
                    "torch.where(max_abs > 0, max_abs / 127.0, torch.ones_like(max_abs))",
                    "max_abs / 127.0",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "int8_dequantize_without_scale",
        "dequantize returns the integers as floats, without the scale",
        "q8",
        {
            "dequantize_per_channel_int8": (
                ("q.to(scale.dtype) * scale.reshape(shape)", "q.to(scale.dtype)"),
            )
        },
    ),
    Mutant(
        "ptq_dynamic_instead_of_static",
        "dynamic quantization, which leaves every convolution in float",
        "q8",
        rerun=(
            (
                QUANTIZE,
                "quantized_unet = torch.ao.quantization.quantize_dynamic(copy.deepcopy(unet))",
            ),
        ),
    ),
    Mutant(
        "ptq_returns_the_float_model",
        "quantize_unet hands back a copy of the float model, passed off as quantized",
        "q8",
        rerun=((QUANTIZE, "quantized_unet = copy.deepcopy(unet).eval()"),),
    ),
    Mutant(
        "ptq_without_calibration",
        "convert_fx right after prepare_fx: the observers never saw an image",
        "q8",
        {"quantize_unet": (("prepared(calibration_images[start : start + batch_size])", "pass"),)},
        rerun=((QUANTIZE, QUANTIZE),),
    ),
    Mutant(
        "ptq_quantizes_transposed_convolutions",
        "ConvTranspose2d quantized too: torch 2.13's x86 kernel gets it wrong",
        "q8",
        {"quantize_unet": ((".set_object_type(nn.ConvTranspose2d, None)", ""),)},
        rerun=((QUANTIZE, QUANTIZE),),
    ),
    Mutant(
        "ptq_of_an_untrained_model",
        "a freshly initialised U-Net quantized instead of the trained one",
        "q8",
        rerun=((QUANTIZE, "quantized_unet = quantize_unet(UNet(), train_images[:200])"),),
    ),
    # q9: distillation
    Mutant(
        "kd_without_t_squared",
        "the soft term not multiplied by T^2",
        "q9",
        {"kd_loss": (("alpha * soft * T * T", "alpha * soft"),)},
    ),
    Mutant(
        "kd_mean_reduction",
        "KL with reduction='mean' (divided by the number of classes too)",
        "q9",
        {"kd_loss": (('reduction="batchmean"', 'reduction="mean"'),)},
    ),
    Mutant(
        "kd_reversed_kl",
        "KL(student || teacher) instead of KL(teacher || student)",
        "q9",
        {
            "kd_loss": (
                (
                    "F.log_softmax(student_logits / T, dim=1),\n        F.softmax(teacher_logits / T, dim=1),",
                    "F.log_softmax(teacher_logits / T, dim=1),\n        F.softmax(student_logits / T, dim=1),",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "kd_teacher_without_temperature",
        "the teacher's softmax taken at T = 1",
        "q9",
        {"kd_loss": ((SOFT_KD, "F.softmax(teacher_logits, dim=1)"),)},
    ),
    Mutant(
        "kd_alpha_swapped",
        "alpha weights the hard term and 1 - alpha the soft one",
        "q9",
        {
            "kd_loss": (
                (
                    "alpha * soft * T * T + (1 - alpha) * hard",
                    "(1 - alpha) * soft * T * T + alpha * hard",
                ),
            )
        },  # fmt: skip
    ),
    Mutant(
        "distill_student_left_in_its_mode",
        "student.train() never called: a student handed over in eval mode learns in eval mode",
        "q9",
        {"distill": (("    student.train()\n", ""),)},
    ),
    Mutant(
        "kd_student_from_labels_only",
        "the student trained on the 100 labelled digits, without the teacher",
        "q9",
        rerun=(
            (
                DISTIL,
                "kd_student = train_classifier(make_student(), X_dev[:100], y_dev[:100], epochs=KD_EPOCHS)",
            ),
        ),  # fmt: skip
    ),
]

MUTANTS = MUTANTS_ABC + MUTANTS_D
