# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Milošević (2024) — conditional DCGAN on MNIST
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/milosevic_mnist.ipynb)
#
# Reproduces the MNIST experiment of K. Milošević, *Conditional image generation based on deep
# convolution neural networks* (2024), report key `milosevic`: the architecture of **section 3.1**, the
# training loop of **Algorithm 1** (section 3.2) with its λ·L1 term, the MNIST column of **Table 1**,
# the samples with their labels of **Figs 1–2** (epochs 40 and 50) and the loss curves of **Fig 3**.
# The report trains 50 epochs in 1,670 s on a GPU and judges the samples by eye; here the samples are
# also scored by an offline MNIST classifier (*label accuracy*: the share of images it reads as the
# label they were generated for).
#
# Two ways to run it:
# - here, cell by cell (Colab or Jupyter): the *Train* cell trains and shows Keras' progress bar;
# - from a shell for long runs, `python -m ganlib train PRESET --epochs N --run-dir runs/...`, then open
#   this notebook with the same parameters: the *Train* cell finds the run in `RUN_DIR` and shows it
#   instead of training again.

# %% [markdown]
# ## Setup

# %%
import importlib.util
import os
import subprocess
import sys

REPOSITORY = "https://github.com/ganlib/ganlib"  # ganlib.REPOSITORY_URL (a test keeps them equal)
if "google.colab" in sys.modules and importlib.util.find_spec("ganlib") is None:
    # Colab: clone the repository (its results/ holds the trained runs) and install it; Jupyter
    # users run `make install` in their clone instead.
    subprocess.run(["git", "clone", "-q", "--depth", "1", REPOSITORY, "/content/ganlib"], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", "/content/ganlib"], check=True)
    os.chdir("/content/ganlib/notebooks")

from IPython.display import Markdown, display

# Generated images are photographs, not line art: JPEG figures keep the notebook small.

# How this run was made (mode, images, epochs, device, wall time): filled in by the Train cell.
run_card = display(Markdown("*Run card: written when the Train cell has run.*"), display_id=True)

import dataclasses

import numpy as np

import ganlib
from ganlib import metrics, plotting
from ganlib.models import layer_table

# %% [markdown]
# ## Hyperparameters
#
# Table 1, MNIST column, as the preset `milosevic_mnist` holds it: 10 classes, embedding 5, 1 channel,
# noise 20, λ = 5, batch 256, feature maps 64; 64×64 images. `GANLIB_QUICK=1` (CI) shrinks the images
# and epochs, never the architecture.

# %% tags=["parameters"]
PRESET = "milosevic_mnist"
EPOCHS = 50  # the report's
TRAIN_IMAGES = None  # None: all 60,000 training images
RUN_DIR = "../runs/milosevic_mnist"
SEED = 0
EVAL_SAMPLES = 1000  # generated images per label-accuracy evaluation
QUICK_IMAGES, QUICK_BATCH = 32, 16  # quick mode (CI) only

# %%
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
FIELDS = ("dataset", "image_shape", "classes", "embed_dim", "noise_dim", "l1_lambda", "batch_size",
          "feature_maps", "epochs", "learning_rate", "beta_1", "rotation_degrees",
          "crop_padding", "train_images", "seed")
print(f"mode: {'QUICK (smoke run, not a result)' if QUICK else 'full'}")
for field in FIELDS:
    print(f"{field:>17}: {getattr(preset, field)}")

# %% [markdown]
# ## Data
#
# MNIST (`$GANLIB_DATA_DIR/mnist.npz`, the real 60,000 training digits), with the report's
# preprocessing inside the `tf.data` pipeline (parallel calls): resize to 64×64, random rotation up to
# 30°, random crop with 4 pixels of padding. Uncovered pixels are black (-1), as torchvision fills
# with 0 before normalising. *Reading:* bilinear interpolation for the rotation.

# %%
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

# %% [markdown]
# ## Models
#
# Section 3.1: in the generator the label goes through an `Embedding(classes, embed_dim)` and joins the
# noise as a 1×1×(noise + embed_dim) input; transposed convolutions (BatchNorm, ReLU) grow it
# 4×4 → 8×8 → 16×16 → 32×32 → 64×64 (tanh). In the discriminator the discriminator's own embedding
# is broadcast over 64×64 as `embed_dim` extra channels of the image; strided convolutions (LeakyReLU,
# BatchNorm) shrink it to 4×4 and a last 4×4 convolution gives one output.
#
# *Reading* (EXPERIMENTS.md): "feature map dimension" f is the base channel count (8f, 4f, 2f, f in G;
# f, 2f, 4f, 8f in D), as in DCGAN, which the report follows; 4×4 kernels; no BatchNorm on D's first
# layer (DCGAN); BatchNorm momentum as PyTorch's (the report's code is PyTorch); D returns a logit and
# the sigmoid sits inside the binary cross-entropy (the same function, computed stably); the optimizer is
# not stated, so Adam lr 2e-4, β1 0.5. CI checks this cell's output against the stored one.

# %%
# NBVAL_CHECK_OUTPUT
generator, discriminator = ganlib.build_models(preset)
print(layer_table(generator))
print()
print(layer_table(discriminator))

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). In Colab the run
# goes to Google Drive, so that a disconnect loses no finished epoch and the Train cell resumes it.

# %%
from ganlib import colab

# A finished run committed under results/ (with its weights) is shown instead of training again.
RUN_DIR = ganlib.runs.first_finished(preset, f"../results/{preset.name}", RUN_DIR)
RUN_DIR = colab.notebook_setup(preset, RUN_DIR)

# %% [markdown]
# ## Train
#
# Algorithm 1 of the report, one batch at a time: the discriminator learns on the real images with
# their labels (target 1) and on G(z, y) with the same labels (target 0); then the generator learns
# on the same generated images through the updated discriminator, with the loss
# BCE(1, D(G(z, y), y)) + λ·L1(x, G(z, y)) (λ = `l1_lambda`; 0 leaves the term out). Every epoch writes to
# `RUN_DIR` a snapshot of one fixed grid (one label per row, the same latent down each column;
# `snapshots/latents.npy` and `snapshots/labels.npy`), the generator's weights and a row of
# `history.csv`.

# %%
result = ganlib.train(preset, RUN_DIR, dataset=train_dataset, overwrite=QUICK, resume=not QUICK)
if result.gan is None:
    print(f"Found a finished run of this preset in {RUN_DIR}; showing it instead of training again.")
card = ganlib.runs.run_card(RUN_DIR)
if STAND_IN:
    card = "**STAND-IN DATA** (synthetic images, not the dataset): a smoke test only.\n\n" + card
run_card.update(Markdown(card))

# %% [markdown]
# ## Pick the best epoch
#
# The report picks its figures by eye from per-epoch samples ("Epoch 40 Generated images for labels
# [...]"). The collage shows the same fixed grid at each epoch, so epochs compare like with like; the
# labelled snapshot below titles each row with the label it was asked for.

# %%
epochs = ganlib.Run(RUN_DIR).completed_epochs()  # all snapshotted; weights: list_epochs
plotting.epoch_collage(RUN_DIR, plotting.spread([0, *epochs], 5));

# %%
plotting.labeled_snapshot(RUN_DIR, epochs[-1], class_names=CLASS_NAMES);

# %% [markdown]
# The generator and discriminator losses per epoch (the report's Fig 3):

# %%
plotting.loss_curves(RUN_DIR);

# %%
history = ganlib.read_history(RUN_DIR)
keys = ("epoch", "d_loss", "g_loss", "d_real", "d_fake", "d_real_accuracy", "d_fake_accuracy",
        "epoch_seconds")
print("epoch   d_loss   g_loss  D(real)  D(fake)  acc(real)  acc(fake)  seconds")
for row in zip(*(history[k] for k in keys)):
    print("{:>5d}  {:7.4f}  {:7.4f}  {:7.3f}  {:7.3f}  {:9.3f}  {:9.3f}  {:7.0f}".format(*row))

# %% [markdown]
# Label accuracy of every saved epoch (the same seeded latents and balanced labels each time) and the
# domain FID (Fréchet distance of the MNIST classifier's features, lower is better), written to
# `metrics.jsonl`; the suggested epoch is the one with the highest label accuracy. Change
# `BEST_EPOCH` to pick another one by eye.

# %%
per_epoch = metrics.evaluate_epochs(RUN_DIR, ["label_accuracy", "domain_fid"], samples=EVAL_SAMPLES)
best = metrics.suggest_best_epoch(RUN_DIR, "label_accuracy")
print(best)
plotting.metric_curve(RUN_DIR, "label_accuracy");

# %%
BEST_EPOCH = best.epoch

# %%
best_generator = ganlib.restore_epoch(RUN_DIR, BEST_EPOCH)
run = ganlib.Run(RUN_DIR)
same = run.reproduces_snapshot(best_generator, BEST_EPOCH)
print(f"restored epoch {BEST_EPOCH}; regenerates its snapshot exactly from latents.npy and "
      f"labels.npy: {same}")

# %%
# The report's Fig 1 (epoch 40) and Fig 2 (epoch 50), with their labels, from new noise.
plotting.labels_figure(RUN_DIR, 40, [8, 1, 6, 1, 6, 6, 2, 8, 0], class_names=CLASS_NAMES)
plotting.labels_figure(RUN_DIR, 50, [7, 4, 1, 9, 0, 6, 6, 3, 2], class_names=CLASS_NAMES);

# %% [markdown]
# ## Every epoch
#
# A slider over all epochs: each one's snapshot, losses and metrics, where it sits on the curves, the
# suggested epoch, any collapse flag, and the line that restores it. The same browser is saved as
# `epochs.html` in the run directory (it opens in any browser, without a kernel), beside the
# animation `training.gif`.

# %%
plotting.show_epochs(RUN_DIR, metric="label_accuracy")

# %% [markdown]
# ## Evaluate
#
# The restored epoch on new noise: label accuracy, domain FID and domain IS (MNIST classifier), on
# `EVAL_SAMPLES` images with every digit equally often. The target for a well-trained
# conditional generator on MNIST is label accuracy ≥ 0.95.

# %%
scores = metrics.evaluate_generator(
    best_generator, ["label_accuracy", "domain_fid", "domain_is"], domain="mnist",
    samples=EVAL_SAMPLES, seed=1,
)
for result in scores.values():
    print(f"{result.metric:>15}: {result.value:.4f}")
TARGET = 0.95
accuracy = scores["label_accuracy"].value
print(f"\nlabel accuracy {accuracy:.3f} at epoch {BEST_EPOCH} of {len(epochs)} trained "
      f"({'quick mode, not a result' if QUICK else 'full data'}): "
      f"{'meets' if accuracy >= TARGET else 'below'} the {TARGET} target")

# %% [markdown]
# ## What this run shows, against the report
#
# The run card at the top says how this run was made. What the report shows, and where to look here:
#
# - **Labels are obeyed** (Figs 1–2: each digit is the one asked for). Here: the labelled snapshot
#   (one digit per row) and the label accuracy above, measured by a classifier rather than by eye.
# - **D loss settles near 0.6** (Fig 3: "around 0.5 probability"). Here: the loss curves and D's mean
#   outputs; a D loss that falls towards 0 with D(real) → 1 and D(fake) → 0 means D is winning.
# - **Training time**: 1,670 s for 50 epochs on a GPU. On a 2-core CPU one epoch over 60,000 64×64
#   images takes about half an hour (see `epoch_seconds`), so a CPU run reaches far fewer epochs.
#
# In quick mode (CI) the notebook trains on 32 images for 2 epochs, which shows that the pipeline runs
# end to end and nothing about quality. The cell below reads this run's own figures against the
# claims, whichever mode produced them.

# %%
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
