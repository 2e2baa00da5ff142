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
# # Sharma (2021) — DCGAN on Pretty Face (64×64×3)
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/sharma_pretty_face.ipynb)
#
# Reproduces the face experiment of S. Sharma, *Image Synthesis Using Generative Adversarial
# Networks* (Tribhuvan University, 2021), report key `sharma`, section 4.4: the generator and
# discriminator exactly as the report's Keras code (**Fig 4.4.1** and **Fig 4.4.2**), the
# hyperparameters of **Table 4.4.1**, the epoch collage of **Fig 5.2** (epochs 1, 50, 100, 150, 200),
# a look past the best epoch (**Fig 5.3**) and new faces from new noise (**Fig 5.4**).
#
# **Data.** Pretty Face (3,318 faces, 512×512) is a Kaggle download, `yewtsing/pretty-face`: unzip it
# as `pretty_face/` under `$GANLIB_DATA_DIR` or the repository's `data/` folder, or anywhere with
# `DATA_FOLDER`. As in the report, each whole image is resized to 64×64 with scikit-image's
# `resize` and scaled to [-1, 1]. In quick mode without the folder (CI) the notebook trains on
# **stand-in data**: synthetic faces it writes itself, labelled as such.
#
# **Cost.** The generator has 34.8 million weights, the discriminator 17.4 million; every epoch
# saves the generator's weights (139 MB), so 200 epochs keep 28 GB. The report trained for 4 hours on
# a Colab GPU; on a 2-core CPU shared with other jobs one training step of 16 images took 31 s
# (`bench/unconditional_steps.py`).

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
# Table 4.4.1, as the preset `sharma_pretty_face` holds it: batch 128, 200 epochs, Adam β1 0.5,
# learning rate 0.002 with exponential decay at step 40,000, label smoothing 0.9, dropout 0.3 and
# 0.4, LeakyReLU 0.2, 100 noise features.
#
# *Reading*: the table names no decay rate. The preset uses 0.96 (the rate of the TensorFlow docs'
# `ExponentialDecay` example), applied smoothly: lr = 0.002 · 0.96^(step / 40,000). The report's 200
# epochs of 3,318 images in batches of 128 are 5,000 steps, so the rate only falls to 0.00199: the
# decay barely acts in the report's run either.
#
# `GANLIB_QUICK=1` shrinks the run to 4 images, one batch of 4 and 2 epochs, with the same
# architecture (this generator needs seconds per image on a CPU).

# %% tags=["parameters"]
PRESET = "sharma_pretty_face"
DATA_FOLDER = None  # None: $GANLIB_DATA_DIR/pretty_face or data/pretty_face
EPOCHS = 200  # the report's
RUN_DIR = "../runs/sharma_pretty_face"
SEED = 0

# %%
QUICK = ganlib.quick_mode()  # quick: 4 images, one batch of 4, 2 epochs (ganlib.QUICK_OVERRIDES)
preset = notebook.preset(PRESET, epochs=EPOCHS, seed=SEED)
print(notebook.describe(preset, "dataset image_shape batch_size epochs learning_rate "
                           "lr_decay_steps lr_decay_rate beta_1 real_label dropout leaky_relu_alpha "
                           "noise_dim train_images seed"))

# %% [markdown]
# ## Data
#
# A grid of training faces (the report's Fig 4.2.1, left).

# %%
# The pipeline `python -m ganlib train` uses; in quick mode without the real folder (CI),
# synthetic pictures, labelled everywhere they show.
train_images, STAND_IN = notebook.training_data(preset, DATA_FOLDER, kind="faces")
real_images = notebook.show_real(train_images, "Pretty Face training images", count=64,
                                 stand_in=STAND_IN)

# %% [markdown]
# ## Models
#
# The report's code, layer for layer. Generator (Fig 4.4.1): Dense(4·4·1024) → Reshape → BN, seven
# 4×4 transposed convolutions with ReLU (1024 s2, 512 s2, 512 s1, 256 s2, 256 s1, 128 s2, 64 s1),
# each followed by BN, then a 3×3 convolution to 3 channels with tanh. Discriminator (Fig 4.4.2;
# the report's caption calls it the generator too): five blocks Conv2D(5×5, stride 2) → BN →
# LeakyReLU(0.2) → Dropout(0.3) with 64 to 1024 filters, Flatten → Dropout(0.4) → Dense(1). The
# last layer returns a logit and the sigmoid sits inside the binary cross-entropy (the same function,
# computed without overflow). Layer names are those Keras gives the report's code. This cell's output
# is checked by CI.

# %%
# NBVAL_CHECK_OUTPUT
print(models.layer_table(*ganlib.build_models(preset)))

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). A finished run
# shipped under `results/` is shown rather than trained again; quick mode trains into `RUN_DIR_quick`;
# in Colab the run goes to Google Drive, so that a disconnect loses no finished epoch and the Train
# cell resumes it.

# %%
RUN_DIR = notebook.run_dir(preset, RUN_DIR)

# %% [markdown]
# ## Train
#
# The discriminator learns on real faces (target 0.9, one-sided label smoothing) and generated ones
# (target 0); then the generator learns through the frozen discriminator with target 1 on fresh
# noise. Every epoch writes a snapshot of one fixed latent grid, the generator's weights and a row
# of `history.csv`.

# %%
notebook.train(preset, RUN_DIR, card, dataset=train_images, stand_in=STAND_IN, verbose=2);

# %% [markdown]
# ## Pick the best epoch
#
# **Fig 5.2**: the same latent grid at five epochs spread over the run (1, 50, 100, 150, 200 in a full
# run). The report chooses by eye: its best faces come at epochs 190–200. No offline metric knows
# faces, so this notebook also leaves the choice to you. Below, the losses and D's mean outputs: the
# lines are the running means every few steps (each restarts with its epoch), the dots the epoch
# means.

# %%
epochs = ganlib.Run(RUN_DIR).completed_epochs()  # all snapshotted; weights: list_epochs
plotting.epoch_collage(RUN_DIR, plotting.spread(epochs, 5));

# %%
plotting.step_curves(RUN_DIR);

# %%
print(plotting.history_table(RUN_DIR))

# %%
BEST_EPOCH = epochs[-1]  # change it to the epoch you pick from the collage

# %%
best_generator = notebook.restore(RUN_DIR, BEST_EPOCH)

# %% [markdown]
# **Fig 5.3, past the best epoch.** The report saw faces degrade when it trained beyond
# epoch 200. The epochs after `BEST_EPOCH` in this run (raise `EPOCHS` and run again: the run resumes
# where it stopped):

# %%
later = [e for e in epochs if e > BEST_EPOCH]
if later:
    plotting.epoch_collage(RUN_DIR, [BEST_EPOCH, *plotting.spread(later, 4)], highlight=BEST_EPOCH);
else:
    print(f"No epoch after {BEST_EPOCH} in this run: train past it to see Fig 5.3's degradation.")

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
# **Fig 5.4**: new faces from new noise through the chosen generator. The report judges them by eye;
# Inception FID against the training faces is printed when Inception-v3's weights are available.

# %%
faces = ganlib.sample(best_generator, 16 if QUICK else 32, seed=2024)
plotting.show_images(faces, columns=8, title=f"epoch {BEST_EPOCH}, new noise", size=8);


# %%
real_set = notebook.first_images(train_images, 1024)
value, why = metrics.inception_fid(faces, real_set, quick=QUICK)
print(f"epoch {BEST_EPOCH}: Inception FID", f"{value:.1f}" if value is not None else why)

# %% [markdown]
# ## What this run shows, against the report
#
# Each claim of the report beside this run's reading, computed from its files and the cells above:
# how many of the report's epochs it ran, the epoch chosen and its FID, the spread of the new faces
# against the real ones, and whether it trained past epoch 200. How good the faces look stays for
# you to judge in the figures above. In quick mode and on stand-in data the run only shows that the
# notebook runs end to end with the report's full architecture.

# %%
fid = f"Inception FID {value:.1f}" if value is not None else why
past = [e for e in epochs if e > 200]
reporting.against_report(RUN_DIR, {
    "Fig 5.2, 5.4: the best faces at epochs 190–200": f"epoch {BEST_EPOCH} chosen, of 1–{epochs[-1]}; {fid}",
    "Table 4.4.1's settings end the mode collapse: varied faces": reporting.diversity(faces, train_images),
    "Fig 5.3: the faces degrade when trained past epoch 200": f"{len(past)} epochs trained past 200"
    + (" (see Fig 5.3's collage above)" if past else ": raise EPOCHS to see it"),
}, stand_in=STAND_IN)
