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
# # Stiff et al. — DCGAN with an upsampling generator on MNIST
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/stiff_mnist.ipynb)
#
# Reproduces the MNIST experiment of H. Stiff, E. von Keyserlingk and J. Stuart, *Image Generation
# Using Deep Convolutional GANs* (KTH), report key `stiff`: the networks of section 3.4
# (**Fig 3** discriminator, **Fig 4** generator, here with the blocks for 28×28 images), the 25 epochs
# of section 4.1, generated digits beside real ones (**Fig 5**), the latent traversal of **Fig 6**,
# and how to spot a collapse between two epochs (the report's **Fig 11–12**, section 5.2) with
# ganlib's collapse alarm.
#
# The generator draws its noise **uniformly from [-1, 1]** and uses **LeakyReLU** in every layer,
# the report's departure from DCGAN's ReLU; it grows a 7×7×128 tensor with (upsample ×2, 5×5
# convolution) blocks instead of transposed convolutions.
#
# Long runs go through the shell, `python -m ganlib train stiff_mnist --run-dir runs/stiff_mnist`;
# opening this notebook afterwards with the same `EPOCHS` shows that run instead of training again.

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
# The preset `stiff_mnist` (25 epochs, section 4.1). `GANLIB_QUICK=1` (CI) shrinks the images and
# epochs, never the architecture. Full runs write to `../runs/` (where the shell command above
# writes); quick runs to `../runs/stiff_mnist_quick`.

# %% tags=["parameters"]
PRESET = "stiff_mnist"
EPOCHS = 25  # the report's
TRAIN_IMAGES = None  # None: all 60,000 training images
RUN_DIR = "../runs/stiff_mnist"
SEED = 0

# %%
QUICK = ganlib.quick_mode()
preset = notebook.preset(PRESET, epochs=EPOCHS, train_images=TRAIN_IMAGES, seed=SEED)
print(notebook.describe(preset, "dataset image_shape noise noise_dim batch_size epochs "
                        "learning_rate beta_1 leaky_relu_alpha train_images seed"))

# %% [markdown]
# ## Data
#
# MNIST, 28×28 grayscale, scaled to [-1, 1] to match the generator's tanh; the labels are not used.
# `ganlib.load` reads `$GANLIB_DATA_DIR/mnist.npz` when it exists and otherwise downloads the set
# through Keras.

# %%
real_images = notebook.show_real(ganlib.load(preset.dataset, "test", batch_size=64),
                                "real MNIST digits (test split)", count=64)

# %% [markdown]
# ## Models
#
# Generator (Fig 4, two blocks for 28×28): Dense → 7×7×128 → BN → LeakyReLU → (upsample ×2 →
# 5×5 conv, 64 channels → BN → LeakyReLU) → (upsample ×2 → 5×5 conv, 1 channel, tanh).
# Discriminator (Fig 3, two blocks): 5×5 stride-2 convolutions with 64 and 128 channels (down to
# 7×7×128), LeakyReLU after each, then one dense output.
#
# *Reading* (what the report leaves open, chosen in the preset): Adam with DCGAN's learning rate
# 2·10⁻⁴, β1 0.5 and batches of 128 (the report names Adam only); batch normalization after the
# hidden layers (the report lists DCGAN's batch-norm rule among those it "mostly follows" and names
# no departure from it); tanh on the generator's output; LeakyReLU slope 0.2. The discriminator's
# last layer returns a logit and the sigmoid sits inside the binary cross-entropy, the same function
# computed without overflow. Smaller images remove generator blocks from the end and discriminator
# blocks from the start, so both networks keep the 128-channel end (7×7 for 28×28).
#
# This cell's output is checked by CI.

# %%
print(models.layer_table(*ganlib.build_models(preset)))

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). A finished run
# shipped under `results/` is shown rather than trained again; in Colab the run goes to Google
# Drive, so that a disconnect loses no finished epoch and the Train cell resumes it.

# %%
RUN_DIR = notebook.run_dir(preset, RUN_DIR)

# %% [markdown]
# ## Train
#
# Section 3.3: one batch trains the discriminator (real images target 1, generated target 0), then
# one batch trains the generator through the frozen discriminator (target 1, fresh noise). Every
# epoch writes a snapshot of one fixed 8×8 latent grid, the generator's weights and a row of
# `history.csv` to `RUN_DIR`.

# %%
notebook.train(preset, RUN_DIR, card, verbose=2);

# %% [markdown]
# ## Pick the best epoch
#
# The fixed latent grid at a few epochs (0 is the untrained generator), then the losses and the
# discriminator's mean outputs: the lines are the running means every few steps (each restarts with
# its epoch), the dots the epoch means.

# %%
epochs = ganlib.Run(RUN_DIR).completed_epochs()  # all snapshotted; weights: list_epochs
plotting.epoch_collage(RUN_DIR, plotting.spread([0, *epochs], 5));

# %%
plotting.step_curves(RUN_DIR);

# %%
print(plotting.history_table(RUN_DIR))

# %% [markdown]
# The report picks nothing by metric; ganlib's offline MNIST classifier gives a per-epoch
# *domain FID* (Fréchet distance between classifier features of generated and real test digits;
# lower is better) and the **collapse alarm** (section 5.2's failure): an epoch is flagged when a digit
# class disappears from the samples, when their diversity falls sharply, or when the discriminator's
# mean output saturates. A collapse between two epochs, like the report's Fig 11 → Fig 12, shows as a
# flagged epoch after an unflagged one; put those two epochs side by side with
# `plotting.epoch_collage(RUN_DIR, [a, b])`.

# %%
SAMPLES = 200 if QUICK else 1000
metrics.evaluate_epochs(RUN_DIR, "domain_fid", samples=SAMPLES, verbose=False)
alarm = metrics.collapse_alarm(RUN_DIR, samples=SAMPLES)
suggested = metrics.suggest_best_epoch(RUN_DIR, "domain_fid", exclude=alarm.flagged, fallback=True)
print(suggested)

# %%
notebook.show_collapse(RUN_DIR, alarm);

# %% [markdown]
# Choose an epoch (the suggestion, or your own from the collage), restore its generator, and check
# that it reproduces that epoch's snapshot exactly from the stored latent grid.

# %%
BEST_EPOCH = suggested.epoch  # or the epoch you prefer in the collage

# %%
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
# **Fig 5**: generated digits (new noise) beside real ones. **Fig 6**: each row moves one element of
# one noise vector from -1 to 1 in eight steps, all other elements fixed.

# %%
generated = ganlib.sample(best_generator, 64, noise=preset.noise, seed=2024)
plotting.generated_beside_real(generated, real_images);

# %%
plotting.latent_traversal(best_generator, rows=6, steps=8, noise=preset.noise, seed=SEED);

# %%
scores = metrics.evaluate_generator(best_generator, ["domain_fid", "class_entropy"],
                                   domain="mnist", samples=SAMPLES, noise=preset.noise, seed=7)
for name, score in scores.items():
    print(f"epoch {BEST_EPOCH}, new noise, {SAMPLES} samples: {name} = {score.value:.3f}")

# %% [markdown]
# ## What this run shows, against the report
#
# The report trains 25 epochs and finds the digits "very diverse capturing all of the classes"
# (Fig 5), some of them between two digits, and smooth changes along one noise element (Fig 6); it
# shows no collapse on MNIST (its collapse is on CAT, epochs 55 → 60). This run's own figures:

# %%
notebook.summary(RUN_DIR)
print(f"- all classes: class entropy {scores['class_entropy'].value:.3f} of its maximum at epoch "
      f"{BEST_EPOCH} (1.0: the ten digits equally often), domain FID {scores['domain_fid'].value:.1f}")
print(f"- collapse alarm: {'epochs ' + str(sorted(alarm.flagged)) if alarm.flagged else 'no epoch'}"
      " flagged (the report: no collapse on MNIST)")
