"""Mutants of the hw02 reference: common student mistakes, as plain data.

A mutant names the question it targets, says in one line what is wrong, and replaces
snippets inside the solution functions it breaks (`edits`: function or class name ->
(old, new) pairs; every occurrence of `old` in that definition becomes `new`). A mutant
that changes a trained model also names the computation cells to re-run (`rerun`: (old,
new) snippets locating each cell, the snippet replaced; old == new re-runs it unchanged).
`downstream` lists the test cases of OTHER questions that fail as well because they judge
an artefact built from the broken one. The test: at least one case of `question` fails,
and every failing case outside it is in `downstream`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Edit = tuple[str, str]

# computation cells, located by a snippet
TRAIN_UNET = "unet = train_segmentation(unet, train_images, train_masks, epochs=SEG_EPOCHS, seed=0)"
BUILD_UNET = "unet = UNet(in_channels=1, out_channels=1, base=8)"


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
BCE_STABLE = (
    "loss = logits.clamp(min=0) - logits * target + torch.log1p(torch.exp(-logits.abs()))"
)
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
    ),
    Mutant(
        "dice_over_whole_batch",
        "one Dice over all pixels of the batch instead of the mean of per-image Dice",
        "q1",
        {"dice_loss": (("reshape(logits.shape[0], -1)", "reshape(1, -1)"),
                       ("reshape(target.shape[0], -1)", "reshape(1, -1)"))},  # fmt: skip
    ),
    Mutant(
        "dice_on_logits",
        "Dice computed on the logits, without the sigmoid",
        "q1",
        {"dice_loss": (("probs = torch.sigmoid(logits)", "probs = (logits)"),)},
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
                ("center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5",
                 "center = factor - 1"),
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
        {"bilinear_kernel": (("(grid - center).abs() / factor", "(grid - center).abs() / kernel_size"),)},
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
        {"make_bilinear_upsampler": (("up.weight.copy_(bilinear_kernel(channels, 2 * factor))",
                                      "up.weight.mul_(1.0)"),)},  # fmt: skip
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
                (SIZE_FORMULA,
                 "return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1"),
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
    ),
    Mutant(
        "unet_head_3x3",
        "a 3x3 output convolution instead of the 1x1 head",
        "q4",
        {
            "UNet": (
                ("nn.Conv2d(base, out_channels, kernel_size=1)",
                 "nn.Conv2d(base, out_channels, kernel_size=3, padding=1)"),
            )
        },  # fmt: skip
    ),
    # q5: the trained U-Net (cells re-run: the model is trained again)
    Mutant(
        "seg_one_epoch",
        "the U-Net trained for one epoch only",
        "q5",
        rerun=((TRAIN_UNET, TRAIN_UNET.replace("epochs=SEG_EPOCHS", "epochs=1")),),
    ),
    Mutant(
        "seg_tiny_training_set",
        "trained on the first 64 images only",
        "q5",
        rerun=(
            (
                TRAIN_UNET,
                TRAIN_UNET.replace("train_images, train_masks", "train_images[:64], train_masks[:64]"),
            ),
        ),
    ),
    Mutant(
        "seg_intensity_threshold",
        "a per-pixel intensity threshold (a trained 1x1 convolution) instead of a U-Net",
        "q5",
        rerun=((BUILD_UNET, "unet = nn.Conv2d(1, 1, 1)"), (TRAIN_UNET, TRAIN_UNET)),
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
    ),
]

MUTANTS = MUTANTS_ABC
