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
# # Vemuri & Babu — basic GAN, U-Net generator, U-Net + CutMix (FFHQ, 128×128), U-Net + self-attention (64×64)
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/vemuri_unet_cutmix.ipynb)
#
# Reproduces the comparison of S. M. Vemuri and R. Babu, *Quality Image Generation using GANs*
# (Illinois Institute of Technology), report key `vemuri`: three models trained on the same 1,000
# FFHQ faces — **1.** a basic GAN (stride-2 convolutions, batch norm, LeakyReLU), **2.** a **U-Net
# generator** (encoder 32, 64; middle 64; decoder 64, 32 with skip connections; two 128-filter
# convolutions; tanh) that maps a noise image to a face, **3.** the same U-Net with a **CutMix**
# discriminator — and their SSIM / FID table ("Results and Discussion") beside the report's. Its
# "Output Images" end with a fourth model, **4.** "UNet architecture with self attention (output
# 64*64)", shown by its faces alone: this notebook trains it too, on the same faces at 64×64.
#
# **Data.** FFHQ is a download from https://github.com/NVlabs/ffhq-dataset (`python download_ffhq.py
# --thumbs` gives 128×128 thumbnails): put the images under `ffhq/` in `$GANLIB_DATA_DIR` or the
# repository's `data/` folder, or anywhere with `DATA_FOLDER`. The report used 1,000 random faces;
# ganlib takes 1,000 files evenly spread over the sorted list. In quick mode without the folder (CI)
# the notebook trains on **stand-in data**: synthetic faces it writes itself, labelled as such.

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
from ganlib import data, metrics, models, notebook, plotting

card = notebook.RunCard()  # how this run was made: filled in by the Train cell

# %% [markdown]
# ## Hyperparameters
#
# The presets `vemuri_basic`, `vemuri_unet`, `vemuri_unet_cutmix` and `vemuri_unet_attention`:
# binary cross-entropy on logits, Adam with learning rate 10⁻⁵ for the generator and 10⁻⁴ for the
# discriminator (the report's).
#
# *Reading* (what the report leaves open): 128×128×3 faces; Adam's β1 is Keras' default 0.9; batches
# of 32 and 100 epochs; kernel sizes 4×4 (basic GAN) and 3×3 (U-Net, with 2×2 max pooling and ×2
# upsampling); all the models share the basic discriminator; the U-Net's input is a noise image
# of the output's size (the report says 224×224 in, 128×128 out); each batch is mixed by CutMix
# with probability 0.5 (the rate the U-Net GAN paper, the report's [1], ramps up to), so about half
# of them: the share actually mixed is logged per epoch (the `cutmix` column of the history table)
# and printed at the end. The report gives model 4 nothing but its output size, so it trains as
# model 2 (no CutMix) on the same faces resized to 64×64, from a 64×64 noise image.
#
# `GANLIB_QUICK=1` shrinks each run to 4 images, one batch of 4 and 1 epoch (the U-Net needs seconds
# per image on a CPU), with the same architectures.

# %% tags=["parameters"]
VARIANTS = ("vemuri_basic", "vemuri_unet", "vemuri_unet_cutmix", "vemuri_unet_attention")
DATA_FOLDER = None  # None: $GANLIB_DATA_DIR/ffhq or data/ffhq
EPOCHS = 100
TRAIN_IMAGES = 1000  # the report's
RUN_ROOT = "../runs"
SEED = 0

# %%
QUICK = ganlib.quick_mode()  # quick: 4 images, one batch of 4, 1 epoch per model
presets = {v: notebook.preset(v, epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED) for v in VARIANTS}
preset = presets[VARIANTS[0]]  # data, batch and seed are the same for all
print(notebook.describe(presets, "architecture image_shape cutmix_probability learning_rate "
                        "d_learning_rate batch_size epochs train_images"))

# %% [markdown]
# ## Data
#
# The same faces at each model's size: 128×128 for models 1–3, 64×64 for the U-Net with attention.

# %%
# Quick mode without the real folder (CI): synthetic pictures, labelled everywhere they show.
DATA_FOLDER, STAND_IN = data.folder_or_stand_in(preset.dataset, DATA_FOLDER, quick=QUICK, kind="faces",
                                                count=preset.train_images, image_size=128, seed=SEED)
faces = {size: ganlib.load(preset.dataset, folder=DATA_FOLDER, limit=preset.train_images, seed=SEED,
                           batch_size=preset.batch_size, shuffle=True, image_size=size) for size in (128, 64)}
notebook.show_real(faces[128], "training faces", count=64, stand_in=STAND_IN);

# %% [markdown]
# ## Models
#
# The basic generator: Dense → 8×8×256 → BN → LeakyReLU, then 4×4 stride-2 transposed convolutions
# with 128, 64, 32 filters (BN, LeakyReLU) and a last one to 3 channels with tanh. The U-Net
# generator: its noise image (passed flat, reshaped by its first layer) goes through the encoder
# (32 filters at 128×128 → pool → 64 at 64×64 → pool), the 64-filter middle at 32×32, the decoder
# (upsample, concatenate the 64×64 encoder output, 64 filters; upsample, concatenate the 128×128
# encoder output, 32 filters), two 128-filter convolutions and a tanh convolution; LeakyReLU
# throughout. The U-Net with self-attention is the same U-Net at 64×64 with one SAGAN block
# (Zhang et al. 2019) after the middle convolution, at 16×16×64: 1×1 query, key and value
# convolutions to 8 channels, a softmax over the 256 positions, and y = γ·o + x with γ learned and
# starting at 0, so that it begins as the plain U-Net. *Reading*: the report does not say where
# the attention sits; the bottom of the U is where it costs least and links the whole face.
# The shared discriminator: 4×4 stride-2 convolutions with 32, 64, 128, 256 filters (BN after
# all but the first, LeakyReLU), then one logit (shown at 128×128; at 64×64 its last map is 4×4).
# This cell's output is checked by CI.

# %%
# NBVAL_CHECK_OUTPUT
built = {p.architecture: ganlib.build_models(p) for p in presets.values()}  # model 3's are model 2's
# The generators, then the discriminator they share (at 128×128).
print(*map(models.layer_table, [*(g for g, _ in built.values()), built[preset.architecture][1]]), sep="\n\n")

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of each preset costs on it (from a few timed steps). A finished run
# shipped under `results/` is shown rather than trained again; quick mode trains into
# `RUN_ROOT/<preset>_quick`; in Colab the runs go to Google Drive, so that a disconnect loses no
# finished epoch and the Train cell resumes it.

# %%
run_dirs = {v: notebook.run_dir(p, f"{RUN_ROOT}/{v}") for v, p in presets.items()}

# %% [markdown]
# ## Train
#
# The four models on the same faces, one after the other. With CutMix, on a batch chosen with
# probability 0.5 the discriminator sees each real image with a random box of a generated image
# pasted in (target: the share of real pixels) and each generated image with the same box of the
# real one (target: the box's share), instead of the plain pair (`ganlib.augment.cutmix`).

# %%
for variant, p in presets.items():
    print(f"--- {variant}")
    notebook.train(p, run_dirs[variant], dataset=faces[p.image_shape[0]], verbose=2)
card.update(run_dirs.values(), stand_in=STAND_IN);

# %% [markdown]
# ## Pick the best epoch
#
# Each model's fixed latent grid over its epochs (titled with the model), then its losses and D's
# outputs: the lines are the running means every few steps (each restarts with its epoch), the dots
# the epoch means. The history tables come first; the CutMix run's has a `cutmix` column, the share
# of its batches CutMix mixed in each epoch. The report reads the basic GAN's saturation from its
# final losses (generator 7.83, discriminator 0.075).

# %%
for variant, run_dir in run_dirs.items():
    plotting.epoch_collage(run_dir, plotting.spread([0, *ganlib.list_epochs(run_dir)], 5), title=variant)
    plotting.step_curves(run_dir)
    print(variant, plotting.history_table(run_dir), sep="\n")

# %%
BEST_EPOCHS = {v: ganlib.list_epochs(d)[-1] for v, d in run_dirs.items()}  # or your picks
generators = {v: notebook.restore(run_dirs[v], e) for v, e in BEST_EPOCHS.items()}

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
plotting.show_epochs(run_dirs["vemuri_unet_cutmix"], metric=None)

# %% [markdown]
# ## Evaluate
#
# SSIM (`ganlib.metrics.mean_ssim`: each generated image against a random real one, averaged; the
# report does not say how it paired them) and Inception FID (when Inception-v3's weights are
# available), on images from new noise, for the three 128×128 models of the report's table. The
# report's FIDs are in the thousands, far above the usual range of Inception FIDs (0 to a few
# hundred), so only the order of the models can be compared with it. Then each model's faces from
# new noise, as the report's "Output Images" show them: the U-Net with self-attention is shown by
# these alone, as in the report, which gives it no SSIM or FID (and a 64×64 SSIM would not rank
# against 128×128 ones).

# %%
REPORTED = {"vemuri_basic": (0.52511, 8331), "vemuri_unet": (0.58723, 8231), "vemuri_unet_cutmix": (0.5299, 9474.4053)}
COUNT = 8 if QUICK else 500
real = notebook.first_images(faces[128], COUNT)
table, images = metrics.comparison_table({v: generators[v] for v in REPORTED if v in generators}, real,
    samples=COUNT, seed=2024, reported=REPORTED, epochs=BEST_EPOCHS, ssim_seed=SEED, quick=QUICK)
print(table)
for variant, generator in generators.items():  # the report's "Output Images", model 4's last
    plotting.show_images(ganlib.sample(generator, 16, seed=2024), columns=8, size=6, title=f"{variant}, new noise")

# %% [markdown]
# ## What this run shows, against the report
#
# The report finds: **1.** the basic GAN saturates after several epochs, its generator no longer
# fooling the discriminator (final losses: generator 7.832, discriminator 0.075; SSIM 0.525, FID
# 8331); **2.** the U-Net generator does not saturate and keeps producing stable faces (generator
# 3.072, discriminator 0.0749; SSIM 0.587, FID 8231), the best of the three; **3.** CutMix in the
# discriminator does not help in its short training (SSIM 0.530, FID 9474); **4.** the U-Net with
# self-attention is shown by its 64×64 faces, without losses or metrics. What this run is and what
# it measured, read from its own files, with the share of the CutMix run's batches CutMix actually
# mixed (from its history; in quick mode and on stand-in data it only shows that the four models
# train and evaluate end to end with the report's architectures):

# %%
for variant, run_dir in run_dirs.items():  # with CutMix: the share of batches it mixed, from history.csv
    share = ganlib.read_history(run_dir).get("cutmix_share")
    print(f"{variant}:" + (f" CutMix mixed {sum(share) / len(share):.0%} of its batches." if share else ""), end=" ")
    notebook.summary(run_dir, stand_in=STAND_IN)
ssim = {v: metrics.mean_ssim(images[v], real, seed=SEED) for v in images}  # the table's values
print("SSIM order, highest first: this run", sorted(ssim, key=ssim.get, reverse=True), "| the report", sorted(REPORTED, key=REPORTED.get, reverse=True))
if "vemuri_unet_attention" in generators:  # γ starts at 0: how far training has turned attention on
    print(f"attention weight γ: {float(generators['vemuri_unet_attention'].get_layer('middle_attention').gamma):.2g}")
