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
# # Sharma (2021) — DCGAN on Fashion-MNIST
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/sharma_fashion_mnist.ipynb)
#
# Reproduces the Fashion-MNIST experiment of S. Sharma, *Image Synthesis Using Generative Adversarial
# Networks* (Tribhuvan University, 2021), report key `sharma`: section 4.3, the architecture of
# **Fig 4.3.1**, the hyperparameters of **Table 4.3.1**, and the epoch collage of **Fig 5.1**.
# The report picks the best epoch by eye from per-epoch images; this notebook does the same, then restores
# that epoch and draws new images from new noise (the analogue of its Fig 5.4).
#
# Two ways to run it:
# - here, cell by cell (Colab or Jupyter): the *Train* cell trains and shows Keras' progress bar;
# - from a shell for long runs, `python -m ganlib train sharma_fashion_mnist --epochs N`, then open this notebook with
#   the same `EPOCHS`: the *Train* cell finds the finished run in `RUN_DIR` and shows it instead of
#   training again.

# %% [markdown]
# ## Setup

# %%
import importlib.util
import os
import subprocess
import sys

if "google.colab" in sys.modules and importlib.util.find_spec("ganlib") is None:
    # Colab: clone ganlib (its results/ holds the trained runs) and install it; this kernel started
    # before the install, so it imports ganlib from the clone.
    subprocess.check_call("cd /content && git clone -q --depth 1 https://github.com/ganlib/ganlib && pip install -q -e ./ganlib", shell=True)
    sys.path.insert(0, "/content/ganlib")
os.chdir("/content/ganlib/notebooks" if os.path.isdir("/content/ganlib/notebooks") else ".")  # as Jupyter

import ganlib
from ganlib import metrics, models, notebook, plotting

card = notebook.RunCard()  # how this run was made: filled in by the Train cell

# %% [markdown]
# ## Hyperparameters
#
# Table 4.3.1 of the report, as the preset `sharma_fashion_mnist` holds them. `GANLIB_QUICK=1` (CI)
# shrinks the images and epochs, never the architecture.

# %% tags=["parameters"]
PRESET = "sharma_fashion_mnist"
EPOCHS = 20  # the report's
TRAIN_IMAGES = None  # None: all 60,000 training images
RUN_DIR = "../runs/sharma_fashion_mnist"
SEED = 0

# %%
QUICK = ganlib.quick_mode()
preset = notebook.preset(PRESET, epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED)
print(notebook.describe(preset, "dataset batch_size epochs learning_rate beta_1 dropout "
                        "leaky_relu_alpha noise_dim real_label train_images seed"))

# %% [markdown]
# ## Data
#
# Fashion-MNIST, 28×28 grayscale, scaled to [-1, 1] to match the generator's tanh. The labels are
# discarded, as in the report. `ganlib.load` reads `$GANLIB_DATA_DIR/fashion_mnist.npz` when it exists
# and otherwise downloads the set through Keras.

# %%
real_batch = notebook.show_real(ganlib.load(preset.dataset, "train", batch_size=64),
                               "real Fashion-MNIST images", count=64)

# %% [markdown]
# ## Models
#
# Fig 4.3.1, line by line: the generator upsamples a 7×7×128 tensor with transposed convolutions
# (ReLU, batch norm) to 28×28×1 (tanh); the discriminator has three strided 5×5 convolutions with
# LeakyReLU(0.2) and dropout, then one output.
#
# *Reading* (the report leaves these open): transposed convolutions are 4×4 and the last convolution 3×3,
# as in the report's Pretty Face code; dropout is 0.3, 0.3, 0.4 (the report says "0.3 and 0.4");
# the discriminator's last layer returns a logit and the sigmoid sits inside the binary cross-entropy,
# which is the same function computed without overflow. This cell's output is checked by CI.

# %%
print(models.layer_table(*ganlib.build_models(preset)))

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). In Colab the run
# goes to Google Drive, so that a disconnect loses no finished epoch and the Train cell resumes it.

# %%
RUN_DIR = notebook.run_dir(preset, RUN_DIR)

# %% [markdown]
# ## Train
#
# The report's algorithm: the discriminator learns on a real batch (target 0.9, one-sided label
# smoothing) and a generated batch (target 0); then the generator learns through the discriminator
# with target 1 on fresh noise. Every epoch writes to `RUN_DIR` a snapshot of one fixed 8×8 latent grid
# (`snapshots/epoch_NNN.png`, epoch 0 before training), the generator's weights
# (`checkpoints/generator_epoch_NNN.weights.h5`) and a row of `history.csv`.

# %%
notebook.train(preset, RUN_DIR, card, verbose=2);

# %% [markdown]
# ## Pick the best epoch
#
# The report chooses the best generator by looking at the images saved at each epoch (its Fig 5.1 shows
# epochs 0, 5, 10, 15 and 20). ganlib adds a number to look at beside them: the **domain FID** of each
# saved epoch, the Fréchet distance between generated and real Fashion-MNIST test images in the feature
# space of the small Fashion-MNIST classifier shipped with ganlib (lower is better; it compares epochs
# of one run, not runs scored with another classifier — see docs/metrics.md).
#
# First, has the generator collapsed? The **collapse alarm** flags an epoch whose samples lose
# classes (by the domain classifier's histogram), whose sample diversity drops sharply, or whose
# discriminator outputs saturate. The suggested epoch is the one with the lowest domain FID among the
# epochs the alarm does not flag (if it flags them all, the lowest of all, and the suggestion says
# so). The collage shows the same fixed latent grid at each epoch, so the epochs compare like with
# like; it titles the suggested epoch and any flagged one.

# %%
SAMPLES = 200 if QUICK else 1000  # generated images per epoch (the shipped run logged 1,000)
metrics.evaluate_epochs(RUN_DIR, metrics.DEFAULT_METRICS, samples=SAMPLES)
alarm = metrics.collapse_alarm(RUN_DIR, samples=SAMPLES)
best = metrics.suggest_best_epoch(RUN_DIR, "domain_fid", exclude=alarm.flagged, fallback=True)
print("flagged epochs:", sorted(alarm.flagged) or "none", "| suggested:", best)
alarm

# %%
epochs = ganlib.Run(RUN_DIR).completed_epochs()  # all snapshotted; weights: list_epochs
plotting.epoch_collage(RUN_DIR, plotting.spread([0, *epochs], 5), highlight=best.epoch,
                       flagged=alarm.flagged);

# %% [markdown]
# The losses and D's mean outputs: the lines are the running means every few steps (each restarts
# with its epoch), the dots the epoch means; then the domain FID per epoch.

# %%
plotting.step_curves(RUN_DIR)
plotting.metric_curve(RUN_DIR, "domain_fid");

# %%
print(plotting.history_table(RUN_DIR))

# %% [markdown]
# Choose an epoch (the suggestion, or another one you prefer in the collage: change `BEST_EPOCH`),
# restore its generator, and check that it reproduces that epoch's snapshot from the stored latent
# grid.

# %%
BEST_EPOCH = best.epoch  # or the epoch you prefer in the collage
best_generator = notebook.restore(RUN_DIR, BEST_EPOCH)

# %% [markdown]
# ## Every epoch
#
# A slider over all epochs: each one's snapshot, losses and metrics, where it sits on the curves, the
# suggested epoch, any collapse flag, and the line that restores it. The same browser is saved as
# `epochs.html` in the run directory (it opens in any browser, without a kernel), beside the
# animation `training.gif`.
#
# **TensorBoard**, if you prefer it: add `tensorboard=True` to the Train cell's `notebook.train(...)`
# (or `--tensorboard` to `python -m ganlib train`); the per-step and per-epoch losses, D's scores, the
# epoch metrics and each snapshot go to `RUN_DIR/tensorboard`, which Jupyter and Colab open with
# `%load_ext tensorboard` and then `%tensorboard --logdir <RUN_DIR>/tensorboard`.

# %%
plotting.show_epochs(RUN_DIR)

# %% [markdown]
# ## Evaluate
#
# New images from new noise (the analogue of the report's Fig 5.4):

# %%
new_images = ganlib.sample(best_generator, 64, seed=2024)
plotting.show_images(new_images, title=f"epoch {BEST_EPOCH}, new noise", size=5);

# %% [markdown]
# ## What this run shows, against the report
#
# The report trains 20 epochs (30 minutes on a Colab GPU) and shows recognisable, diverse garments
# from early epochs on, with quality oscillating in later epochs rather than improving steadily. The
# cell below reads this run's own figures against that: how far it trained, how the domain FID moved
# from epoch to epoch, and what the collapse alarm found.

# %%
notebook.summary(RUN_DIR)
fid = metrics.metric_series(RUN_DIR, "domain_fid")
rises = sum(later > earlier for earlier, later in zip(fid.values, fid.values[1:]))
low, at = min(zip(fid.values, fid.epochs))
print(f"- domain FID {fid.values[0]:.1f} at epoch {fid.epochs[0]}, {fid.values[-1]:.1f} at epoch "
      f"{fid.epochs[-1]}, lowest {low:.1f} at epoch {at} (suggested: epoch {best.epoch}); it rose in "
      f"{rises} of {len(fid.values) - 1} steps from one epoch to the next (the report: quality oscillates).")
print(f"- collapse alarm: {'epochs ' + str(sorted(alarm.flagged)) if alarm.flagged else 'no epoch'}"
      " flagged (the report's settings aim at a balanced D: D(x) and D(G(z)) far from 0 and 1).")
