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
# # Milošević (2024) — conditional DCGAN on CelebA (one class)
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/milosevic_celeba.ipynb)
#
# Reproduces the CelebA experiment of K. Milošević, *Conditional image generation based on deep
# convolution neural networks* (2024), report key `milosevic`: section 3.1's architecture, Algorithm 1,
# the CelebA column of **Table 1** (one class, embedding 1, λ = 0: no L1 term), the samples of
# **Fig 7** (epoch 40) and the loss curves of **Fig 8**, where the loss grows at the end of 60 epochs
# ("exploding gradients" suspected). CelebA is a download the user makes (see *Data*); **in CI this
# notebook runs on STAND-IN DATA** (synthetic drawings) and its committed outputs are a smoke test only.
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

import numpy as np

import ganlib
from ganlib import data, experiments, metrics, models, plotting

# %% [markdown]
# ## Hyperparameters
#
# Table 1, CelebA column, as the preset `milosevic_celeba` holds it: 1 class, embedding 1, 3 channels,
# noise 100, λ = 0, batch 256, feature maps 64; 64×64 images; 60 epochs (Fig 8). `GANLIB_QUICK=1`
# shrinks the images and epochs, never the architecture.

# %% tags=["parameters"]
PRESET = "milosevic_celeba"
EPOCHS = 60  # Fig 8: 60 epochs (9,632 s on a GPU)
TRAIN_IMAGES = None  # None: every image of the folder
DATA_FOLDER = None  # None: $GANLIB_DATA_DIR/celeba/ or data/celeba/ (see the Data section)
RUN_DIR = "../runs/milosevic_celeba"
SEED = 0
EVAL_SAMPLES = 600  # generated images for the class-balance check

# %%
CLASS_NAMES = ["face"]
QUICK = ganlib.quick_mode()  # quick: 30 images, batches of 15 (ganlib.experiments.QUICK_OVERRIDES)
preset = experiments.notebook_preset(PRESET, epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED)
# CI has no celeba folder: train on synthetic images instead, and say so everywhere.
folder, STAND_IN = data.folder_or_stand_in("celeba", DATA_FOLDER, quick=QUICK, kind="faces",
                                           count=preset.train_images, image_size=64,
                                           class_names=CLASS_NAMES)
RUN_DIR += "_quick" if QUICK else ""
EVAL_SAMPLES = min(EVAL_SAMPLES, 60) if QUICK else EVAL_SAMPLES
print(experiments.describe(preset, "dataset image_shape classes embed_dim noise_dim l1_lambda "
                           "batch_size feature_maps epochs learning_rate beta_1 rotation_degrees "
                           "crop_padding train_images seed"))

# %% [markdown]
# ## Data
#
# `ganlib.data.MANUAL_DATASETS["celeba"]` says where to download the dataset and how to lay it
# out; `ganlib.load("celeba", ...)` reads it from `$GANLIB_DATA_DIR/celeba/`, `data/celeba/` or
# `DATA_FOLDER`, one subfolder per class (labels in sorted order). Section 4: resize, center crop,
# normalise with mean 0.5 and std 0.5 per channel, i.e. to [-1, 1]. Unreadable files are skipped with
# a warning that names them.
#
# **In CI (`GANLIB_QUICK=1`) with no celeba folder, the images below are STAND-IN DATA**: synthetic
# drawings written by `ganlib.data.write_stand_in_folder`, not celeba; whatever is trained on them is
# a smoke test of the code.

# %%
train_dataset = ganlib.load(preset.dataset, folder=folder, with_labels=True, shuffle=True,
                            limit=preset.train_images, batch_size=preset.batch_size, seed=SEED)
print("classes:", train_dataset.class_names)
real_images, real_labels = next(iter(train_dataset))
tag = "STAND-IN DATA" if STAND_IN else f"real {preset.dataset}"
plotting.show_labeled(real_images[:16], real_labels[:16].numpy(), class_names=CLASS_NAMES,
                      columns=8, size=1.0, title=f"{tag}: 64×64, center-cropped, in [-1, 1]");

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
print(models.layer_table(generator), models.layer_table(discriminator), sep="\n\n")

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). In Colab the run
# goes to Google Drive, so that a disconnect loses no finished epoch and the Train cell resumes it.

# %%
from ganlib import colab

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
run_card.update(Markdown(ganlib.runs.run_card(RUN_DIR, quick=QUICK, stand_in=STAND_IN)))

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
# The generator and discriminator losses per epoch (the report's Fig 8):

# %%
plotting.loss_curves(RUN_DIR);

# %%
print(plotting.history_table(RUN_DIR))

# %% [markdown]
# No classifier of this domain ships with ganlib, so the best epoch is picked by eye, as in the report:
# look at the collage and the loss curves, then set `BEST_EPOCH`. The restored epoch must reproduce its
# snapshot exactly.

# %%
BEST_EPOCH = epochs[-1]

# %%
best_generator = ganlib.restore_epoch(RUN_DIR, BEST_EPOCH)
same = ganlib.Run(RUN_DIR).reproduces_snapshot(best_generator, BEST_EPOCH)
print(f"restored epoch {BEST_EPOCH}; regenerates its snapshot (latents.npy, labels.npy): {same}")

# %%
# The report's Fig 7 (epoch 40), with its labels, from new noise.
plotting.labels_figure(RUN_DIR, 40, [0] * 9, class_names=CLASS_NAMES);

# %% [markdown]
# ## Every epoch
#
# A slider over all epochs: each one's snapshot, losses and metrics, where it sits on the curves, the
# suggested epoch, any collapse flag, and the line that restores it. The same browser is saved as
# `epochs.html` in the run directory (it opens in any browser, without a kernel), beside the
# animation `training.gif`.

# %%
plotting.show_epochs(RUN_DIR)

# %% [markdown]
# ## Evaluate
#
# Without a domain classifier the evaluation is what the report does (by eye, above) plus a check
# that needs none: the spread of the generated images (mean pairwise pixel distance; near 0 means every
# image is the same, a collapse) against that of real images. D's mean outputs in the history table
# above are the other collapse signal: values within 0.02 of 0 or 1 mean D has saturated. Inception
# FID needs Inception-v3's ImageNet weights (`GANLIB_INCEPTION_WEIGHTS`), which CI does not have.

# %%
labels = metrics.balanced_labels(EVAL_SAMPLES, preset.classes)
generated = ganlib.sample(best_generator, labels=labels, seed=1)
reals = np.concatenate([images.numpy() for images, _ in train_dataset.take(4)])
spread = [metrics.mean_pairwise_distance(x.reshape(len(x), -1)) for x in (generated, reals)]
print(f"mean pairwise pixel distance: generated {spread[0]:.2f}, real {spread[1]:.2f} "
      f"({len(generated)} generated, {len(reals)} real images)")

# %% [markdown]
# ## What this run shows, against the report
#
# The run card at the top says how this run was made (and whether it used STAND-IN DATA).
#
# - **One class**: the label input is constant, so this is an unconditional DCGAN with an embedding of
#   size 1 (Table 1); λ = 0 leaves the L1 term out of the generator's loss.
# - **Loss growing at the end** (Fig 8): watch `g_loss` and D's outputs in the last epochs, and the
#   collapse alarm above, which flags epochs where D's outputs saturate.
#
# Committed quick-mode outputs (CI) are trained on 30 stand-in images for a couple of
# epochs: they show that the pipeline runs end to end, nothing about quality.
