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
# # Milošević (2024) — conditional DCGAN on Animal-faces (AFHQ) and CelebA
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/milosevic_faces.ipynb)
#
# Reproduces the two face experiments of K. Milošević, *Conditional image generation based on deep
# convolution neural networks* (2024), report key `milosevic`: section 3.1's architecture and
# Algorithm 1 with its λ·L1 term, on one of two datasets, chosen by the parameter `DATASET`:
#
# - `"afhq"`, Animal-faces (cat, dog, wild): the Animal-faces column of **Table 1**, the samples with
#   their labels of **Figs 4–5** (epochs 47 and 74) and the loss curves of **Fig 6**;
# - `"celeba"`, CelebA as one class: the CelebA column of **Table 1** (one class, embedding 1,
#   λ = 0: no L1 term), the samples of **Fig 7** (epoch 40) and the loss curves of **Fig 8**, where
#   the loss grows at the end of 60 epochs ("exploding gradients" suspected).
#
# Both datasets are downloads the user makes (see *Data*); **in CI this notebook runs on STAND-IN
# DATA** (synthetic drawings) and its committed outputs are a smoke test only.
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

if "google.colab" in sys.modules and importlib.util.find_spec("ganlib") is None:
    # Colab: clone ganlib (its results/ holds the trained runs) and install it; this kernel started
    # before the install, so it imports ganlib from the clone.
    subprocess.check_call("cd /content && git clone -q --depth 1 https://github.com/ganlib/ganlib && pip install -q -e ./ganlib", shell=True)
    sys.path.insert(0, "/content/ganlib")
os.chdir("/content/ganlib/notebooks" if os.path.isdir("/content/ganlib/notebooks") else ".")  # as Jupyter

import ganlib
from ganlib import metrics, models, notebook, plotting, reporting

card = notebook.RunCard()  # how this run was made: filled in by the Train cell

# %% [markdown]
# ## Hyperparameters
#
# `DATASET` chooses the experiment. Table 1, as the presets hold it (64×64 images):
#
# | `DATASET` | preset | classes | embedding | noise | λ | batch | feature maps | epochs |
# |---|---|---|---|---|---|---|---|---|
# | `"afhq"` | `milosevic_animal_faces` | 3 | 5 | 100 | 5 | 64 | 96 | 74 (*Reading*: the last epoch shown; no total is stated) |
# | `"celeba"` | `milosevic_celeba` | 1 | 1 | 100 | 0 | 256 | 64 | 60 (Fig 8; 9,632 s on a GPU) |
#
# `GANLIB_QUICK=1` shrinks the images and epochs (`ganlib.experiments.QUICK_OVERRIDES`), never the
# architecture.

# %% tags=["parameters"]
DATASET = "afhq"  # or "celeba"
EPOCHS = None  # None: the report's (74 Animal-faces, 60 CelebA)
TRAIN_IMAGES = None  # None: every image of the folder
DATA_FOLDER = None  # None: $GANLIB_DATA_DIR/<DATASET>/ or data/<DATASET>/ (see the Data section)
RUN_DIR = None  # None: ../runs/<preset>
SEED = 0
EVAL_SAMPLES = 600  # generated images for the diversity check

# %%
# What the report shows of each dataset: preset, class names (the class folders, sorted), its
# figures of labelled samples {figure: (epoch, labels)}, its claims, its training time if stated.
REPORT = {
    "afhq": dict(preset="milosevic_animal_faces", classes=["cat", "dog", "wild"], seconds=None,
                 figures={"Fig 4": (47, [0, 0, 2, 0, 1, 0, 0, 2, 1]),
                          "Fig 5": (74, [0, 0, 0, 0, 0, 0, 2, 1, 0])},
                 samples="Figs 4–5: the images remain diverse and correspond to their labels",
                 losses="Fig 6: the change in loss through the epochs"),
    "celeba": dict(preset="milosevic_celeba", classes=["face"], figures={"Fig 7": (40, [0] * 9)},
                   samples="Fig 7: faces after 40 epochs (one class: an unconditional DCGAN)",
                   losses="Fig 8: at the end of the training the loss grows", seconds=9632),
}
FACTS = reporting.pick(REPORT, DATASET, "DATASET")
preset = notebook.preset(FACTS["preset"], epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED)
FIELDS = "dataset image_shape classes embed_dim noise_dim l1_lambda batch_size feature_maps epochs"
print(notebook.describe(preset, FIELDS + " learning_rate beta_1 train_images seed"))

# %% [markdown]
# ## Data
#
# `ganlib.data.MANUAL_DATASETS[DATASET]` says where to download the dataset and how to lay it out;
# `ganlib.load` reads it from `$GANLIB_DATA_DIR/<DATASET>/`, `data/<DATASET>/` or `DATA_FOLDER`, one
# subfolder per class (labels in sorted order). Section 4: resize, center crop, normalise with mean
# 0.5 and std 0.5 per channel, i.e. to [-1, 1]. `notebook.training_data` builds the preset's own
# pipeline (`ganlib.training.preset_dataset`), the one `python -m ganlib train` uses. Unreadable files are
# skipped with a warning that names them.
#
# **In CI (`GANLIB_QUICK=1`) without the dataset's folder, the images below are STAND-IN DATA**:
# synthetic drawings written by `ganlib.data.write_stand_in_folder`, not the dataset; whatever is
# trained on them is a smoke test of the code.

# %%
train_dataset, STAND_IN = notebook.training_data(preset, DATA_FOLDER, kind="faces",
                                                  class_names=FACTS["classes"])
notebook.show_real(train_dataset, f"{DATASET}: 64×64, center-cropped, in [-1, 1]",
                   class_names=train_dataset.class_names, stand_in=STAND_IN);

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
print(models.layer_table(*ganlib.build_models(preset)))

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). In Colab the run
# goes to Google Drive, so that a disconnect loses no finished epoch and the Train cell resumes it.

# %%
RUN_DIR = notebook.run_dir(preset, RUN_DIR or f"../runs/{preset.name}")

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
notebook.train(preset, RUN_DIR, card, dataset=train_dataset, stand_in=STAND_IN);

# %% [markdown]
# ## Pick the best epoch
#
# The report picks its figures by eye from per-epoch samples ("Epoch 47 Generated images for labels
# [...]"). The collage shows the same fixed grid at each epoch, so epochs compare like with like; the
# labelled snapshot below titles each row with the label it was asked for.

# %%
epochs = ganlib.Run(RUN_DIR).completed_epochs()  # all snapshotted; weights: list_epochs
plotting.epoch_collage(RUN_DIR, plotting.spread([0, *epochs], 5));

# %%
plotting.labeled_snapshot(RUN_DIR, epochs[-1], class_names=FACTS["classes"]);

# %% [markdown]
# The generator and discriminator losses (the report's Fig 6 for Animal-faces, Fig 8 for CelebA),
# and D's mean outputs: values within 0.02 of 0 or 1 mean D has saturated. The lines are the running
# means every few steps (each restarts with its epoch), the dots the epoch means.

# %%
plotting.step_curves(RUN_DIR);

# %%
print(plotting.history_table(RUN_DIR))

# %% [markdown]
# No classifier of these domains ships with ganlib, so the best epoch is picked by eye, as in the
# report: look at the collage and the loss curves, then set `BEST_EPOCH`. The restored epoch must
# reproduce its snapshot exactly.

# %%
BEST_EPOCH = epochs[-1]

# %%
best_generator = notebook.restore(RUN_DIR, BEST_EPOCH)

# %% [markdown]
# The report's figures of labelled samples (Figs 4 and 5, or Fig 7), drawn again from new noise by
# the run's generator of the report's epoch, or of the saved epoch nearest to it, which the title
# then names.

# %%
for epoch, labels in FACTS["figures"].values():
    plotting.labels_figure(RUN_DIR, epoch, labels, class_names=FACTS["classes"])

# %% [markdown]
# ## Every epoch
#
# A slider over all epochs: each one's snapshot and losses, where it sits on the curves, any collapse
# flag, and the line that restores it. The same browser is saved as `epochs.html` in the run
# directory (it opens in any browser, without a kernel), beside the animation `training.gif`.
#
# **TensorBoard**, if you prefer it: add `tensorboard=True` to the Train cell's `notebook.train(...)`
# (or `--tensorboard` to `python -m ganlib train`); the per-step and per-epoch losses, D's scores, the
# epoch metrics and each snapshot go to `RUN_DIR/tensorboard`, which Jupyter and Colab open with
# `%load_ext tensorboard` and then `%tensorboard --logdir <RUN_DIR>/tensorboard`.

# %%
plotting.show_epochs(RUN_DIR, metric=None)  # no metric without a classifier: the losses

# %% [markdown]
# ## Evaluate
#
# Without a domain classifier the evaluation is what the report does (by eye, above) plus a check
# that needs none: the spread of the generated images (mean pairwise pixel distance; near 0 means every
# image is the same, a collapse) against that of real images. Inception FID needs Inception-v3's
# ImageNet weights (`GANLIB_INCEPTION_WEIGHTS`), which CI does not have.

# %%
labels = metrics.balanced_labels(EVAL_SAMPLES, preset.classes)
spread = reporting.diversity(ganlib.sample(best_generator, labels=labels, seed=1), train_dataset)
print(f"{spread} ({reporting.mode(RUN_DIR, stand_in=STAND_IN)})")

# %% [markdown]
# ## What this run shows, against the report
#
# The report's claims for the chosen dataset, each beside what this run's own figures say (from its
# `history.csv` and the check above), whichever run this is: the committed quick-mode outputs (CI)
# are trained on a few stand-in images for a couple of epochs and show that the pipeline runs end
# to end, nothing about quality.

# %%
reporting.against_report(RUN_DIR, {
    FACTS["samples"]: spread, FACTS["losses"]: reporting.trend(RUN_DIR, "d_loss", "g_loss"),
    f"D's mean outputs (saturated: within {reporting.SATURATION:g} of 0 or 1)": reporting.discriminator_state(RUN_DIR),
}, stand_in=STAND_IN, report_seconds=FACTS["seconds"])
