"""Write the conditional notebooks (sources only; execute them to fill the outputs).

    python notebooks/_build_conditional.py            # all four
    python notebooks/_build_conditional.py li_ye_comparison

Notebooks: milosevic_mnist, milosevic_animal_faces, milosevic_celeba, li_ye_comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
COLAB = "https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/{name}.ipynb"
# Resuming a finished or interrupted run lets a long run started from the shell be shown here.
TRAIN_CALL = (
    "ganlib.train(preset, RUN_DIR, dataset=train_dataset, overwrite=QUICK, resume=not QUICK)"
)


def md(text):
    return new_markdown_cell(text.strip("\n"))


def code(text, **metadata):
    return new_code_cell(text.strip("\n"), metadata=metadata)


def title(name, heading, body):
    return md(
        f"""
# {heading}

[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({COLAB.format(name=name)})

{body.strip()}

Two ways to run it:
- here, cell by cell (Colab or Jupyter): the *Train* cell trains and shows Keras' progress bar;
- from a shell for long runs, `python -m ganlib train PRESET --epochs N --run-dir runs/...`, then open
  this notebook with the same parameters: the *Train* cell finds the run in `RUN_DIR` and shows it
  instead of training again.
"""
    )


SETUP = code(
    """
import sys

if "google.colab" in sys.modules:  # Colab: install ganlib first (Jupyter users run `make install`)
    %pip install -q "ganlib @ git+https://github.com/ganlib/ganlib"

from IPython.display import Markdown, display

# Generated images are photographs, not line art: JPEG figures keep the notebook small.
%config InlineBackend.figure_formats = ["jpeg"]

# How this run was made (mode, images, epochs, device, wall time): filled in by the Train cell.
run_card = display(Markdown("*Run card: written when the Train cell has run.*"), display_id=True)

import dataclasses

import numpy as np

import ganlib
from ganlib import data, metrics, plotting
from ganlib.callbacks import render_snapshot, snapshot_labels
from ganlib.models import layer_table
from ganlib.models.conditional import sample_with_labels
"""
)

PRINT_PRESET = """
print(f"mode: {'QUICK (smoke run, not a result)' if QUICK else 'full'}")
for field in FIELDS:
    print(f"{field:>17}: {getattr(preset, field)}")
"""

MILOSEVIC_FIELDS = (
    '("dataset", "image_shape", "classes", "embed_dim", "noise_dim", "l1_lambda", "batch_size",\n'
    '          "feature_maps", "epochs", "learning_rate", "beta_1", "rotation_degrees",\n'
    '          "crop_padding", "train_images", "seed")'
)


def milosevic_models_md():
    return md(
        """
## Models

Section 3.1: in the generator the label goes through an `Embedding(classes, embed_dim)` and joins the
noise as a 1×1×(noise + embed_dim) input; transposed convolutions (BatchNorm, ReLU) grow it
4×4 → 8×8 → 16×16 → 32×32 → 64×64 (tanh). In the discriminator the discriminator's own embedding
is broadcast over 64×64 as `embed_dim` extra channels of the image; strided convolutions (LeakyReLU,
BatchNorm) shrink it to 4×4 and a last 4×4 convolution gives one output.

*Reading* (EXPERIMENTS.md): "feature map dimension" f is the base channel count (8f, 4f, 2f, f in G;
f, 2f, 4f, 8f in D), as in DCGAN, which the report follows; 4×4 kernels; no BatchNorm on D's first
layer (DCGAN); BatchNorm momentum as PyTorch's (the report's code is PyTorch); D returns a logit and
the sigmoid sits inside the binary cross-entropy (the same function, computed stably); the optimizer is
not stated, so Adam lr 2e-4, β1 0.5. CI checks this cell's output against the stored one.
"""
    )


MODELS_CELL = code(
    """
# NBVAL_CHECK_OUTPUT
generator, discriminator = ganlib.build_models(preset)
print(layer_table(generator))
print()
print(layer_table(discriminator))
"""
)


def milosevic_train_md(extra=""):
    return md(
        f"""
## Train

Algorithm 1 of the report, one batch at a time: the discriminator learns on the real images with
their labels (target 1) and on G(z, y) with the same labels (target 0); then the generator learns
on the same generated images through the updated discriminator, with the loss
BCE(1, D(G(z, y), y)) + λ·L1(x, G(z, y)) (λ = `l1_lambda`; 0 leaves the term out). Every epoch writes to
`RUN_DIR` a snapshot of one fixed grid (one label per row, the same latent down each column;
`snapshots/latents.npy` and `snapshots/labels.npy`), the generator's weights and a row of
`history.csv`. {extra}
"""
    )


TRAIN_CELL = code(
    f"""
result = {TRAIN_CALL}
if result.gan is None:
    print(f"Found a finished run of this preset in {{RUN_DIR}}; showing it instead of training again.")
card = ganlib.runs.run_card(RUN_DIR)
if STAND_IN:
    card = "**STAND-IN DATA** (synthetic images, not the dataset): a smoke test only.\\n\\n" + card
run_card.update(Markdown(card))
"""
)

PICK_MD = md(
    """
## Pick the best epoch

The report picks its figures by eye from per-epoch samples ("Epoch 40 Generated images for labels
[...]"). The collage shows the same fixed grid at each epoch, so epochs compare like with like; the
labelled snapshot below titles each row with the label it was asked for.
"""
)

COLLAGE = code(
    """
epochs = ganlib.list_epochs(RUN_DIR)
plotting.epoch_collage(RUN_DIR, plotting.spread([0, *epochs], 5));
"""
)

LABELED = code(
    """
plotting.labeled_snapshot(RUN_DIR, epochs[-1], class_names=CLASS_NAMES);
"""
)

HISTORY_TABLE = code(
    """
history = ganlib.read_history(RUN_DIR)
keys = ("epoch", "d_loss", "g_loss", "d_real", "d_fake", "d_real_accuracy", "d_fake_accuracy",
        "epoch_seconds")
print("epoch   d_loss   g_loss  D(real)  D(fake)  acc(real)  acc(fake)  seconds")
for row in zip(*(history[k] for k in keys)):
    print("{:>5d}  {:7.4f}  {:7.4f}  {:7.3f}  {:7.3f}  {:9.3f}  {:9.3f}  {:7.0f}".format(*row))
"""
)

RESTORE = code(
    """
best_generator = ganlib.restore_epoch(RUN_DIR, BEST_EPOCH)
run = ganlib.Run(RUN_DIR)
same = np.array_equal(
    render_snapshot(best_generator, run.latents(), preset.snapshot_grid[1], snapshot_labels(run)),
    plotting.read_png(run.snapshot_path(BEST_EPOCH)),
)
print(f"restored epoch {BEST_EPOCH}; regenerates its snapshot exactly from latents.npy and "
      f"labels.npy: {same}")
"""
)


def figure_labels_cell(labels, figure):
    return code(
        f"""
# The labels of the report's {figure}, from new noise.
FIGURE_LABELS = {labels}
plotting.show_labeled(
    sample_with_labels(best_generator, FIGURE_LABELS, seed=2024), FIGURE_LABELS,
    class_names=CLASS_NAMES, columns=3,
    title=f"Epoch {{BEST_EPOCH}} Generated images for labels {{FIGURE_LABELS}}",
);
"""
    )


def folder_config(name, dataset, kind_text):
    """The parameters-processing cell of a folder dataset: the real folder, or stand-in data in CI."""
    return code(
        f"""
QUICK = ganlib.quick_mode()
preset = dataclasses.replace(
    ganlib.get_preset(PRESET), epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED
)
try:
    folder = data.find_folder("{dataset}", "train", DATA_FOLDER)
    STAND_IN = False
except FileNotFoundError as missing:
    if not QUICK:
        raise
    # CI has no {dataset} folder: train on synthetic images instead, and say so everywhere.
    print(f"{{missing}}\\n")
    STAND_IN = True
    folder = Path(RUN_DIR + "_quick_stand_in_data")
    for index, name in enumerate(CLASS_NAMES):
        data.write_stand_in_folder(folder / name, count=QUICK_IMAGES // len(CLASS_NAMES),
                                   image_size=64, kind="faces", seed=index)
if QUICK:
    # 64×64 networks with Table 1's feature maps take seconds per step on a CPU: the smoke run keeps
    # the architecture and shrinks the data (and the batch) further than quick_preset does.
    preset = dataclasses.replace(
        ganlib.quick_preset(preset), train_images=QUICK_IMAGES, batch_size=QUICK_BATCH
    )
    RUN_DIR += "_quick"
    EVAL_SAMPLES = min(EVAL_SAMPLES, 60)
if STAND_IN:
    print("data: STAND-IN DATA, {kind_text}")
else:
    print(f"data: {{folder}}")
FIELDS = {MILOSEVIC_FIELDS}
{PRINT_PRESET.strip()}
"""
    )


def milosevic_mnist():
    name = "milosevic_mnist"
    cells = [
        title(
            name,
            "Milošević (2024) — conditional DCGAN on MNIST",
            """
Reproduces the MNIST experiment of K. Milošević, *Conditional image generation based on deep
convolution neural networks* (2024), report key `milosevic`: the architecture of **section 3.1**, the
training loop of **Algorithm 1** (section 3.2) with its λ·L1 term, the MNIST column of **Table 1**,
the samples with their labels of **Figs 1–2** (epochs 40 and 50) and the loss curves of **Fig 3**.
The report trains 50 epochs in 1,670 s on a GPU and judges the samples by eye; here the samples are
also scored by an offline MNIST classifier (*label accuracy*: the share of images it reads as the
label they were generated for).
""",
        ),
        md("## Setup"),
        SETUP,
        md(
            """
## Hyperparameters

Table 1, MNIST column, as the preset `milosevic_mnist` holds it: 10 classes, embedding 5, 1 channel,
noise 20, λ = 5, batch 256, feature maps 64; 64×64 images. `GANLIB_QUICK=1` (CI) shrinks the images
and epochs, never the architecture.
"""
        ),
        code(
            """
PRESET = "milosevic_mnist"
EPOCHS = 50  # the report's; see the run card for how many this run completed
TRAIN_IMAGES = None  # None: all 60,000 training images
RUN_DIR = "../runs/milosevic_mnist"
SEED = 0
EVAL_SAMPLES = 1000  # generated images per label-accuracy evaluation
QUICK_IMAGES, QUICK_BATCH = 32, 16  # quick mode (CI) only
""",
            tags=["parameters"],
        ),
        code(
            f"""
QUICK = ganlib.quick_mode()
STAND_IN = False
CLASS_NAMES = None  # MNIST's labels are the digits themselves
preset = dataclasses.replace(
    ganlib.get_preset(PRESET), epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED
)
if QUICK:
    # 64×64 networks with Table 1's feature maps take seconds per step on a CPU: the smoke run keeps
    # the architecture and shrinks the data (and the batch) further than quick_preset does.
    preset = dataclasses.replace(
        ganlib.quick_preset(preset), train_images=QUICK_IMAGES, batch_size=QUICK_BATCH
    )
    RUN_DIR += "_quick"
    EVAL_SAMPLES = min(EVAL_SAMPLES, 200)
FIELDS = {MILOSEVIC_FIELDS}
{PRINT_PRESET.strip()}
"""
        ),
        md(
            """
## Data

MNIST (`$GANLIB_DATA_DIR/mnist.npz`, the real 60,000 training digits), with the report's
preprocessing inside the `tf.data` pipeline (parallel calls): resize to 64×64, random rotation up to
30°, random crop with 4 pixels of padding. Uncovered pixels are black (-1), as torchvision fills
with 0 before normalising. *Reading:* bilinear interpolation for the rotation.
"""
        ),
        code(
            """
from ganlib import augment

transform = augment.rotate_and_crop(preset.rotation_degrees, preset.crop_padding)
train_dataset = ganlib.load(
    preset.dataset, with_labels=True, limit=preset.train_images, image_size=preset.image_shape[:2],
    augment=transform, batch_size=preset.batch_size, shuffle=True, seed=preset.seed,
)
real_images, real_labels = next(iter(train_dataset))
print("batch:", real_images.shape, real_images.dtype,
      f"range [{float(np.min(real_images)):g}, {float(np.max(real_images)):g}]")
plotting.show_labeled(real_images[:16], real_labels[:16].numpy(), columns=8, size=1.0,
                      title="real MNIST digits after the report's preprocessing");
"""
        ),
        milosevic_models_md(),
        MODELS_CELL,
        milosevic_train_md(),
        TRAIN_CELL,
        PICK_MD,
        COLLAGE,
        LABELED,
        md("The generator and discriminator losses per epoch (the report's Fig 3):"),
        code("plotting.loss_curves(RUN_DIR);"),
        HISTORY_TABLE,
        md(
            """
Label accuracy of every saved epoch (the same seeded latents and balanced labels each time) and the
domain FID (Fréchet distance of the MNIST classifier's features, lower is better), written to
`metrics.jsonl`; the suggested epoch is the one with the highest label accuracy. Change
`BEST_EPOCH` to pick another one by eye.
"""
        ),
        code(
            """
per_epoch = metrics.evaluate_epochs(RUN_DIR, ["label_accuracy", "domain_fid"], samples=EVAL_SAMPLES)
best = metrics.suggest_best_epoch(RUN_DIR, "label_accuracy")
print(best)
plotting.metric_curve(RUN_DIR, "label_accuracy");
"""
        ),
        code("BEST_EPOCH = best.epoch"),
        RESTORE,
        figure_labels_cell([7, 4, 1, 9, 0, 6, 6, 3, 2], "Fig 2 (epoch 50)"),
        md(
            """
## Evaluate

The restored epoch on new noise: label accuracy, domain FID and domain IS (MNIST classifier), on
`EVAL_SAMPLES` images with every digit equally often. The issue's target for a well-trained
conditional generator on MNIST is label accuracy ≥ 0.95.
"""
        ),
        code(
            """
scores = metrics.evaluate_generator(
    best_generator, ["label_accuracy", "domain_fid", "domain_is"], domain="mnist",
    samples=EVAL_SAMPLES, seed=1,
)
for result in scores.values():
    print(f"{result.metric:>15}: {result.value:.4f}")
TARGET = 0.95
accuracy = scores["label_accuracy"].value
print(f"\\nlabel accuracy {accuracy:.3f} at epoch {BEST_EPOCH} of {len(epochs)} trained "
      f"({'quick mode, not a result' if QUICK else 'full data'}): "
      f"{'meets' if accuracy >= TARGET else 'below'} the {TARGET} target")
"""
        ),
        md(
            """
## What this run shows, against the report

The run card at the top says how this run was made. What the report shows, and where to look here:

- **Labels are obeyed** (Figs 1–2: each digit is the one asked for). Here: the labelled snapshot
  (one digit per row) and the label accuracy above, measured by a classifier rather than by eye.
- **D loss settles near 0.6** (Fig 3: "around 0.5 probability"). Here: the loss curves and D's mean
  outputs; a D loss that falls towards 0 with D(real) → 1 and D(fake) → 0 means D is winning.
- **Training time**: 1,670 s for 50 epochs on a GPU. On a 2-core CPU one epoch over 60,000 64×64
  images takes about half an hour (see `epoch_seconds`), so a CPU run reaches far fewer epochs.

Committed quick-mode outputs (CI) train on 32 images for 2 epochs: they show that the pipeline runs
end to end, nothing about quality. The cell below reads this run's own figures against those claims.
"""
        ),
        code(
            """
last = {key: history[key][-1] for key in ("d_loss", "d_real", "d_fake", "epoch_seconds")}
print(f"This run ({'QUICK MODE, not a result' if QUICK else 'full data'}): {len(epochs)} of the "
      f"report's 50 epochs, {sum(history['epoch_seconds']):.0f} s of training "
      f"(the report: 1,670 s for 50 epochs on a GPU).")
print(f"- Labels: label accuracy {accuracy:.3f} at epoch {BEST_EPOCH} "
      f"({'meets' if accuracy >= TARGET else 'below'} the {TARGET} target).")
print(f"- D loss at the last epoch {last['d_loss']:.3f} (report's Fig 3: near 0.6), "
      f"D(real) {last['d_real']:.2f}, D(fake) {last['d_fake']:.2f}: "
      + ("D is winning." if last["d_real"] > 0.8 and last["d_fake"] < 0.2 else
         "neither network dominates."))
"""
        ),
    ]
    return name, cells


def milosevic_folder(
    epochs,
    name,
    preset_name,
    dataset,
    heading,
    body,
    table_md,
    class_names,
    figure,
    epochs_comment,
    extra_conclusions,
):
    cells = [
        title(name, heading, body),
        md("## Setup"),
        SETUP,
        md(table_md),
        code(
            f"""
PRESET = "{preset_name}"
EPOCHS = {epochs}  # {epochs_comment}
TRAIN_IMAGES = None  # None: every image of the folder
DATA_FOLDER = None  # None: $GANLIB_DATA_DIR/{dataset}/ or data/{dataset}/ (see the Data section)
RUN_DIR = "../runs/{preset_name}"
SEED = 0
EVAL_SAMPLES = 600  # generated images for the class-balance check
QUICK_IMAGES, QUICK_BATCH = 30, 15  # quick mode (CI) only
""",
            tags=["parameters"],
        ),
        code(f"from pathlib import Path\n\nCLASS_NAMES = {class_names!r}"),
        folder_config(name, dataset, "synthetic drawn faces, not the dataset"),
        md(
            f"""
## Data

`ganlib.data.MANUAL_DATASETS["{dataset}"]` says where to download the dataset and how to lay it
out; `ganlib.load("{dataset}", ...)` reads it from `$GANLIB_DATA_DIR/{dataset}/`, `data/{dataset}/` or
`DATA_FOLDER`, one subfolder per class (labels in sorted order). Section 4: resize, center crop,
normalise with mean 0.5 and std 0.5 per channel, i.e. to [-1, 1]. Unreadable files are skipped with
a warning that names them.

**In CI (`GANLIB_QUICK=1`) with no {dataset} folder, the images below are STAND-IN DATA**: synthetic
drawings written by `ganlib.data.write_stand_in_folder`, not {dataset}; whatever is trained on them is
a smoke test of the code.
"""
        ),
        code(
            """
train_dataset = ganlib.load(
    preset.dataset, folder=folder, with_labels=True, limit=preset.train_images,
    image_size=preset.image_shape[:2], batch_size=preset.batch_size, shuffle=True, seed=preset.seed,
)
print("classes:", train_dataset.class_names)
real_images, real_labels = next(iter(train_dataset))
tag = "STAND-IN DATA" if STAND_IN else f"real {preset.dataset}"
plotting.show_labeled(real_images[:16], real_labels[:16].numpy(), class_names=CLASS_NAMES,
                      columns=8, size=1.0, title=f"{tag}: 64×64, center-cropped, in [-1, 1]");
"""
        ),
        milosevic_models_md(),
        MODELS_CELL,
        milosevic_train_md(),
        TRAIN_CELL,
        PICK_MD,
        COLLAGE,
        LABELED,
        md(f"The generator and discriminator losses per epoch (the report's {figure}):"),
        code("plotting.loss_curves(RUN_DIR);"),
        HISTORY_TABLE,
        md(
            """
No classifier of this domain ships with ganlib, so the best epoch is picked by eye, as in the report:
look at the collage and the loss curves, then set `BEST_EPOCH`. The restored epoch must reproduce its
snapshot exactly.
"""
        ),
        code("BEST_EPOCH = epochs[-1]"),
        RESTORE,
        figure_labels_cell(
            [0, 0, 2, 0, 1, 0, 0, 2, 1] if len(class_names) == 3 else [0] * 9, "figures"
        ),
        md(
            """
## Evaluate

Without a domain classifier the evaluation is what the report does (by eye, above) plus a check
that needs none: the spread of the generated images (mean pairwise pixel distance; near 0 means every
image is the same, a collapse) against that of real images. D's mean outputs in the history table
above are the other collapse signal: values within 0.02 of 0 or 1 mean D has saturated. Inception
FID needs Inception-v3's ImageNet weights (`GANLIB_INCEPTION_WEIGHTS`), which CI does not have.
"""
        ),
        code(
            """
labels = metrics.balanced_labels(EVAL_SAMPLES, preset.classes)
generated = sample_with_labels(best_generator, labels, seed=1)
reals = np.concatenate([images.numpy() for images, _ in train_dataset.take(4)])


def spread(images):
    return metrics.mean_pairwise_distance(images.reshape(len(images), -1))


print(f"mean pairwise pixel distance: generated {spread(generated):.2f}, real {spread(reals):.2f} "
      f"({len(generated)} generated, {len(reals)} real images)")
"""
        ),
        md(
            f"""
## What this run shows, against the report

The run card at the top says how this run was made (and whether it used STAND-IN DATA).
{extra_conclusions}

Committed quick-mode outputs (CI) are trained on {{QUICK_IMAGES}} stand-in images for a couple of
epochs: they show that the pipeline runs end to end, nothing about quality.
""".replace("{QUICK_IMAGES}", "30")
        ),
    ]
    return name, cells


def milosevic_animal_faces():
    return milosevic_folder(
        74,
        "milosevic_animal_faces",
        "milosevic_animal_faces",
        "afhq",
        "Milošević (2024) — conditional DCGAN on Animal-faces (AFHQ)",
        """
Reproduces the Animal-faces experiment of K. Milošević, *Conditional image generation based on deep
convolution neural networks* (2024), report key `milosevic`: section 3.1's architecture, Algorithm 1
with λ·L1, the Animal-faces column of **Table 1**, the samples with their labels of **Figs 4–5**
(epochs 47 and 74) and the loss curves of **Fig 6**. Animal-faces is AFHQ (cat, dog, wild), a
download the user makes (see *Data*); **in CI this notebook runs on STAND-IN DATA** (synthetic
drawings) and its committed outputs are a smoke test only.
""",
        """
## Hyperparameters

Table 1, Animal-faces column, as the preset `milosevic_animal_faces` holds it: 3 classes, embedding
5, 3 channels, noise 100, λ = 5, batch 64, feature maps 96; 64×64 images. `GANLIB_QUICK=1` shrinks
the images and epochs, never the architecture.
""",
        ["cat", "dog", "wild"],
        "Fig 6",
        "Reading: the report shows epochs 47 and 74 and states no total",
        """
- **Labels are obeyed and samples are diverse** (Figs 4–5: "the images remain diverse and accurately
  correspond to their labels", though "it would take longer to achieve realistic results"). Here: the
  labelled snapshot (one class per row) and the spread of the generated images against real ones.
- **Loss curves** (Fig 6): compare the shape of `d_loss` and `g_loss` over the epochs run.
- The report's sample labels `[0, 0, 2, 0, 1, 0, 0, 2, 1]` (Fig 4) are drawn again above from the
  restored epoch.""",
    )


def milosevic_celeba():
    return milosevic_folder(
        60,
        "milosevic_celeba",
        "milosevic_celeba",
        "celeba",
        "Milošević (2024) — conditional DCGAN on CelebA (one class)",
        """
Reproduces the CelebA experiment of K. Milošević, *Conditional image generation based on deep
convolution neural networks* (2024), report key `milosevic`: section 3.1's architecture, Algorithm 1,
the CelebA column of **Table 1** (one class, embedding 1, λ = 0: no L1 term), the samples of
**Fig 7** (epoch 40) and the loss curves of **Fig 8**, where the loss grows at the end of 60 epochs
("exploding gradients" suspected). CelebA is a download the user makes (see *Data*); **in CI this
notebook runs on STAND-IN DATA** (synthetic drawings) and its committed outputs are a smoke test only.
""",
        """
## Hyperparameters

Table 1, CelebA column, as the preset `milosevic_celeba` holds it: 1 class, embedding 1, 3 channels,
noise 100, λ = 0, batch 256, feature maps 64; 64×64 images; 60 epochs (Fig 8). `GANLIB_QUICK=1`
shrinks the images and epochs, never the architecture.
""",
        ["face"],
        "Fig 8",
        "Fig 8: 60 epochs (9,632 s on a GPU)",
        """
- **One class**: the label input is constant, so this is an unconditional DCGAN with an embedding of
  size 1 (Table 1); λ = 0 leaves the L1 term out of the generator's loss.
- **Loss growing at the end** (Fig 8): watch `g_loss` and D's outputs in the last epochs, and the
  collapse alarm above, which flags epochs where D's outputs saturate.""",
    )


LI_YE_REPORT = {
    "mnist": {
        "cGANs": (0.9952, 0.9961, 0.8218),
        "cDCGANs": (0.8941, 0.9883, None),
        "cDCGANs2": (1.0, 1.0, None),
    },
    "fashion_mnist": {
        "cGANs": (0.8942, 0.9957, 0.7821),
        "cDCGANs": (0.7717, 0.9775, None),
        "cDCGANs2": (1.0, 0.9975, None),
    },
    "cifar10": {
        "cGANs": (0.8877, 0.8198, 0.7940, 0.1416, 1.5933),
        "cDCGANs": (0.8081, 0.7522, None, 0.0446, 3.8459),
        "cDCGANs2": (0.9997, 0.9922, None, 0.0960, 2.7535),
    },
    "cifar100": {
        "cGANs": (0.9859, 0.9129, 0.7487, 0.1194, 1.6095),
        "cDCGANs": (0.9014, 0.7518, None, 0.0655, 3.3468),
        "cDCGANs2": (0.9900, 0.9793, None, 0.1036, 2.7136),
    },
    "intel_scenes": {
        "cGANs": (0.9133, 0.8380, 0.7090, 0.2203, 1.4002),
        "cDCGANs": (0.8123, 0.7907, None, 0.0268, 2.6772),
        "cDCGANs2": (0.9720, 0.8960, None, 0.0340, 2.5714),
    },
}


def li_ye_comparison():
    name = "li_ye_comparison"
    cells = [
        title(
            name,
            "Li & Ye — cGAN vs cDCGAN (early concatenation) vs cDCGAN2 (late concatenation)",
            """
Reproduces W. Li and C. Ye, *Generative Vision: Realistic Image Synthesis with Conditional DCGANs*
(UC San Diego), report key `li_ye`: the three models of **section 3** and **Figs 3–4** (a fully
connected cGAN; a convolutional cDCGAN with the label joined at the input; a cDCGAN2 whose noise or
image and label each pass through their own first block before they are joined), trained with
**Algorithm 1**, and the columns of **Table 2** for one dataset chosen in the parameters: the test
accuracy of classifiers trained on real, generated and mixed images, plus what the report does not
have: the *label accuracy* of each generator read by an offline domain classifier. FID/IS are for RGB
datasets only, as in the report. Samples as in **Figs 5–7**.
""",
        ),
        md("## Setup"),
        SETUP,
        md(
            """
## Hyperparameters

Section 4.2: Adam lr 0.0002, β1 0.5; 10 epochs for MNIST and Fashion-MNIST, 100 for the RGB sets.
`DATASET` is one of `mnist`, `fashion_mnist`, `cifar10`, `cifar100` (TFDS), `intel_scenes` (a user
folder). *Reading* (not in the report): batches of 128, noise of 100, DCGAN's widths with 64 base
feature maps, hidden widths 256-512-1024 (G) and 1024-512-256 (D) for the fully connected cGAN.
"""
        ),
        code(
            """
DATASET = "mnist"
EPOCHS = None  # None: the report's (10 grayscale, 100 RGB); a number, or {model: epochs}
TRAIN_IMAGES = None  # None: all training images
RUN_ROOT = "../runs/li_ye"
SEED = 0
PROTOCOL_EPOCHS = 10  # epochs of each Table 2 classifier
EVAL_SAMPLES = 1000  # generated images per label-accuracy evaluation
""",
            tags=["parameters"],
        ),
        code(
            """
QUICK = ganlib.quick_mode()
MODELS = {"cgan": "cGANs", "cdcgan": "cDCGANs", "cdcgan2": "cDCGANs2"}
presets = {}
for model in MODELS:
    preset = ganlib.get_preset(f"li_ye_{model}_{DATASET}")
    epochs = EPOCHS.get(model) if isinstance(EPOCHS, dict) else EPOCHS
    preset = dataclasses.replace(
        preset, epochs=epochs or preset.epochs, train_images=TRAIN_IMAGES, seed=SEED
    )
    # Quick mode (CI) trains three models in one notebook: one epoch each keeps it in budget.
    presets[model] = dataclasses.replace(ganlib.quick_preset(preset), epochs=1) if QUICK else preset
RUN_DIRS = {m: f"{RUN_ROOT}/{m}_{DATASET}" + ("_quick" if QUICK else "") for m in MODELS}
preset = presets["cdcgan"]
if QUICK:
    PROTOCOL_EPOCHS, EVAL_SAMPLES = 1, 100
RGB = preset.image_shape[-1] == 3
print(f"mode: {'QUICK (smoke run, not a result)' if QUICK else 'full'}")
print("epochs:", {MODELS[m]: p.epochs for m, p in presets.items()})
for field in ("dataset", "image_shape", "classes", "noise_dim", "batch_size",
              "learning_rate", "beta_1", "feature_maps", "train_images", "seed"):
    print(f"{field:>15}: {getattr(preset, field)}")
"""
        ),
        md(
            """
## Data

The real images with their labels, in [-1, 1]: the training split trains the GANs and the "real"
classifier; the test split tests all three classifiers. MNIST and Fashion-MNIST come from
`$GANLIB_DATA_DIR`; CIFAR-10 from the verified partial copy `cifar10_partial.npz` (4,660 train and
932 test images) when present, else TFDS; CIFAR-100 from TFDS; Intel Natural Scene from a folder.
"""
        ),
        code(
            """
def as_arrays(split, limit):
    dataset = ganlib.load(DATASET, split, with_labels=True, limit=limit,
                          image_size=preset.image_shape[:2]).batch(1000)
    images, labels = zip(*((x.numpy(), y.numpy()) for x, y in dataset))
    return np.concatenate(images), np.concatenate(labels)


real_train = as_arrays("train", preset.train_images)
real_test = as_arrays("test", 1000 if QUICK else None)
print(f"train {real_train[0].shape}, test {real_test[0].shape}, classes {preset.classes}")
plotting.show_labeled(real_train[0][:16], real_train[1][:16], columns=8, size=1.0,
                      title=f"real {DATASET} images");
"""
        ),
        md(
            """
## Models

Figs 3–4. The one-hot label is the condition in all three. cGAN: noise and label concatenated into
fully connected layers. cDCGAN (early): noise and label joined at the 1×1 input of transposed
convolutions; the label broadcast as extra channels of the discriminator's input. cDCGAN2 (late):
noise (or image) and label each through their own first block, then concatenated. 28×28 images start
from 7×7 maps, 32×32 from 4×4. CI checks this cell's output against the stored one.
"""
        ),
        code(
            """
# NBVAL_CHECK_OUTPUT
for model, model_preset in presets.items():
    generator, discriminator = ganlib.build_models(model_preset)
    print(f"=== {MODELS[model]} ===")
    print(layer_table(generator))
    print()
    print(layer_table(discriminator))
    print()
"""
        ),
        md(
            """
## Train

Algorithm 1 for each model: per batch, D learns on real images with their labels and on G(z, y)
with the same labels, then G learns on the same generated images through the updated D. Each model
writes its own run directory.
"""
        ),
        code(
            """
train_dataset = ganlib.load(
    DATASET, with_labels=True, limit=preset.train_images, batch_size=preset.batch_size,
    shuffle=True, seed=preset.seed, image_size=preset.image_shape[:2],
)
cards = []
for model, model_preset in presets.items():
    print(f"--- {MODELS[model]} ---")
    result = ganlib.train(model_preset, RUN_DIRS[model], dataset=train_dataset, overwrite=QUICK,
                          resume=not QUICK, verbose=2)
    cards.append(f"### {MODELS[model]}\\n\\n" + ganlib.runs.run_card(RUN_DIRS[model]))
run_card.update(Markdown("\\n\\n".join(cards)))
"""
        ),
        md(
            """
## Pick the best epoch

Samples of the last epoch of each model, one label per row (Figs 5–7), and the losses per epoch.
Each model's epoch with the highest label accuracy (domain classifier) is suggested; change
`BEST_EPOCHS` to pick by eye.
"""
        ),
        code(
            """
for model in MODELS:
    last = ganlib.list_epochs(RUN_DIRS[model])[-1]
    figure = plotting.labeled_snapshot(RUN_DIRS[model], last, size=0.45)
    figure.suptitle(f"{MODELS[model]}, epoch {last}")
"""
        ),
        code(
            """
for model in MODELS:
    figure = plotting.loss_curves(RUN_DIRS[model], size=(9, 2.4))
    figure.suptitle(MODELS[model], y=1.02)
"""
        ),
        code(
            """
DOMAIN = DATASET if DATASET in metrics.DOMAINS else None
BEST_EPOCHS = {}
for model in MODELS:
    if DOMAIN is None:
        BEST_EPOCHS[model] = ganlib.list_epochs(RUN_DIRS[model])[-1]
        continue
    metrics.evaluate_epochs(RUN_DIRS[model], "label_accuracy", samples=EVAL_SAMPLES, verbose=False)
    best = metrics.suggest_best_epoch(RUN_DIRS[model], "label_accuracy")
    BEST_EPOCHS[model] = best.epoch
    print(f"{MODELS[model]:>9}: {best}")
"""
        ),
        md(
            """
## Evaluate: Table 2

For each model's chosen epoch: three classifiers of the same architecture (softmax regression for
grayscale, ResNet-18 for RGB, as the report) trained on real images, on generated images (one per
real training label, labelled with the label asked for) and on a half-and-half mix, each tested on
the real test set (`ganlib.metrics.classifier_protocol`). The "real" classifier is the same for the
three models. Then the label accuracy of each generator, and FID/IS for RGB datasets (Inception-v3;
needs its ImageNet weights, see `GANLIB_INCEPTION_WEIGHTS`).
"""
        ),
        code(
            """
generators = {m: ganlib.restore_epoch(RUN_DIRS[m], BEST_EPOCHS[m]) for m in MODELS}
protocol = {}
for model, generator in generators.items():
    protocol[model] = metrics.classifier_protocol(
        real_train, real_test, generator, classes=preset.classes, epochs=PROTOCOL_EPOCHS,
        seed=SEED,
    )
scores = {}
for model, generator in generators.items():
    names = ["label_accuracy"] if DOMAIN else []
    reference = metrics.Reference(DOMAIN) if DOMAIN else None
    if RGB:
        names += ["fid", "inception_score"]
    try:
        scores[model] = metrics.evaluate_generator(
            generator, names, domain=DOMAIN, samples=EVAL_SAMPLES, labels=metrics.balanced_labels(
                EVAL_SAMPLES, preset.classes), seed=1, real_images=real_test[0],
        ) if names else {}
    except FileNotFoundError as error:  # no Inception weights: say so, keep the rest
        print(f"{MODELS[model]}: {error}")
        scores[model] = metrics.evaluate_generator(
            generator, names[:1], domain=DOMAIN, samples=EVAL_SAMPLES,
            labels=metrics.balanced_labels(EVAL_SAMPLES, preset.classes), seed=1,
        ) if DOMAIN else {}
"""
        ),
        code(
            f"""
REPORT = {LI_YE_REPORT!r}


def cell(value):
    return "–" if value is None else f"{{value:.4f}}"


rows = ["| model | epoch | Acc (fake) | Acc (mixed) | Acc (real) | label acc. | FID | IS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|"]
for model, title in MODELS.items():
    result, found = protocol[model], scores[model]
    measured = [result["accuracy_generated"], result["accuracy_mixed"], result["accuracy_real"]]
    extra = [found[k].value if k in found else None for k in ("label_accuracy", "fid",
                                                               "inception_score")]
    rows.append(f"| {{title}} (this run) | {{BEST_EPOCHS[model]}} | "
                + " | ".join(cell(v) for v in measured + extra) + " |")
for title, values in REPORT.get(DATASET, {{}}).items():
    values = list(values) + [None] * (5 - len(values))
    rows.append(f"| {{title}} (report) | | " + " | ".join(
        cell(v) for v in values[:3] + [None] + values[3:]) + " |")
classifier = protocol["cdcgan"]["classifier"]
display(Markdown(f"**{{DATASET}}**, classifiers: {{classifier}}, {{PROTOCOL_EPOCHS}} epochs, "
                 f"{{protocol['cdcgan']['train_images']['real']}} real training images, "
                 f"{{protocol['cdcgan']['test_images']}} test images"
                 + (" — QUICK MODE, not a result" if QUICK else "") + "\\n\\n" + "\\n".join(rows)))
"""
        ),
        md(
            """
*Reading the table.* The report's "Acc (real)" is printed once per dataset (on the cGAN row);
here it is measured with each model's run and is the same classifier each time. The report's FID
values (0.03–0.22) are far below any Inception FID of real GAN samples, so they were not computed as
the usual FID; compare the models with each other, not the numbers with the report's.
"""
        ),
        code(
            """
TARGETS = {"mnist": 0.95, "fashion_mnist": 0.85}
for model in MODELS:
    if "label_accuracy" in scores[model]:
        value = scores[model]["label_accuracy"].value
        target = TARGETS.get(DATASET)
        verdict = "" if target is None else (
            f" ({'meets' if value >= target else 'below'} the {target} target)")
        print(f"{MODELS[model]:>9}: label accuracy {value:.3f} at epoch {BEST_EPOCHS[model]}"
              f"{verdict}{' — quick mode, not a result' if QUICK else ''}")
"""
        ),
        md(
            """
## What this run shows, against the report

The run cards at the top say how the three runs were made. The report's claims, and where to check
them here:

- **cDCGAN2 gives the highest classifier accuracy on generated images** (Table 2: 1.0 on MNIST and
  Fashion-MNIST), which the report links to *less diverse* samples (Fig 7: "highly similar results
  for each class"). Here: the Acc (fake) column, and the rows of each model's labelled snapshot.
- **Accuracy on generated images ≥ mixed ≥ real.** Here: the three accuracy columns of one row.
- **cDCGAN looks most realistic** (best FID/IS on RGB). Here: the samples, and FID/IS when an RGB
  dataset is chosen and Inception weights are available.
- The label accuracy column says what the report's classifier columns only suggest: whether each
  generated image shows the class it was asked for.

Committed quick-mode outputs (CI) train each model on 256 images for 1 epoch: they show the pipeline
runs end to end, nothing about quality. The cell below reads this run's own figures against those
claims.
"""
        ),
        code(
            """
accuracy = {m: protocol[m] for m in MODELS}
fake = {m: accuracy[m]["accuracy_generated"] for m in MODELS}
epochs_run = {m: len(ganlib.list_epochs(RUN_DIRS[m])) for m in MODELS}
print(f"This run ({'QUICK MODE, not a result' if QUICK else 'full data'}), {DATASET}: epochs "
      + ", ".join(f"{MODELS[m]} {epochs_run[m]}" for m in MODELS)
      + f" (the report: {ganlib.get_preset(f'li_ye_cgan_{DATASET}').epochs}).")
top = max(fake, key=fake.get)
print(f"- Highest Acc (fake): {MODELS[top]} ({fake[top]:.3f}); the report: cDCGANs2.")
for m in MODELS:
    a = accuracy[m]
    order = a["accuracy_generated"] >= a["accuracy_mixed"] >= a["accuracy_real"]
    print(f"- {MODELS[m]}: fake {a['accuracy_generated']:.3f}, mixed {a['accuracy_mixed']:.3f}, "
          f"real {a['accuracy_real']:.3f}: fake >= mixed >= real {'holds' if order else 'does not hold'}"
          + (f"; label accuracy {scores[m]['label_accuracy'].value:.3f}"
             if "label_accuracy" in scores[m] else ""))
"""
        ),
    ]
    return name, cells


BUILDERS = {
    "milosevic_mnist": milosevic_mnist,
    "milosevic_animal_faces": milosevic_animal_faces,
    "milosevic_celeba": milosevic_celeba,
    "li_ye_comparison": li_ye_comparison,
}


def main(names):
    for key in names or BUILDERS:
        name, cells = BUILDERS[key]()
        notebook = new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        }
        notebook.metadata["language_info"] = {"name": "python"}
        path = HERE / f"{name}.ipynb"
        nbformat.write(notebook, path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
