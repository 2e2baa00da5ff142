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
# # Li & Ye — cGAN vs cDCGAN (early concatenation) vs cDCGAN2 (late concatenation)
#
# [![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/li_ye_comparison.ipynb)
#
# Reproduces W. Li and C. Ye, *Generative Vision: Realistic Image Synthesis with Conditional DCGANs*
# (UC San Diego), report key `li_ye`: the three models of **section 3** and **Figs 3–4** (a fully
# connected cGAN; a convolutional cDCGAN with the label joined at the input; a cDCGAN2 whose noise or
# image and label each pass through their own first block before they are joined), trained with
# **Algorithm 1**, and the columns of **Table 2** for one dataset chosen in the parameters: the test
# accuracy of classifiers trained on real, generated and mixed images, plus what the report does not
# have: the *label accuracy* of each generator read by an offline domain classifier. FID/IS are for RGB
# datasets only, as in the report. Samples as in **Figs 5–7**.
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
# Section 4.2: Adam lr 0.0002, β1 0.5; 10 epochs for MNIST and Fashion-MNIST, 100 for the RGB sets.
# `DATASET` is one of `mnist`, `fashion_mnist`, `cifar10`, `cifar100` (TFDS), `intel_scenes` (a user
# folder). *Reading* (not in the report): batches of 128, noise of 100, DCGAN's widths with 64 base
# feature maps, hidden widths 256-512-1024 (G) and 1024-512-256 (D) for the fully connected cGAN.

# %% tags=["parameters"]
DATASET = "mnist"  # this run's; default "mnist"
EPOCHS = None  # None: the report's (10 grayscale, 100 RGB); a number, or {model: epochs}
TRAIN_IMAGES = None  # None: all training images
RUN_ROOT = "../runs/li_ye"
SEED = 0
PROTOCOL_EPOCHS = 10  # epochs of each Table 2 classifier
EVAL_SAMPLES = 1000  # generated images per label-accuracy evaluation

# %%
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


# %% [markdown]
# ## Data
#
# The real images with their labels, in [-1, 1]: the training split trains the GANs and the "real"
# classifier; the test split tests all three classifiers. MNIST and Fashion-MNIST come from
# `$GANLIB_DATA_DIR`; CIFAR-10 from the verified partial copy `cifar10_partial.npz` (4,660 train and
# 932 test images) when present, else TFDS; CIFAR-100 from TFDS; Intel Natural Scene from a folder.

# %%
def as_arrays(split, limit):
    dataset = ganlib.load(preset.dataset, split, with_labels=True, limit=limit,
                          image_size=preset.image_shape[:2]).batch(1000)
    images, labels = zip(*((x.numpy(), y.numpy()) for x, y in dataset))
    return np.concatenate(images), np.concatenate(labels)


real_train = as_arrays("train", preset.train_images)
real_test = as_arrays("test", 1000 if QUICK else None)
print(f"train {real_train[0].shape}, test {real_test[0].shape}, classes {preset.classes}")
plotting.show_labeled(real_train[0][:16], real_train[1][:16], columns=8, size=1.0,
                      title=f"real {DATASET} images");

# %% [markdown]
# ## Models
#
# Figs 3–4. The one-hot label is the condition in all three. cGAN: noise and label concatenated into
# fully connected layers. cDCGAN (early): noise and label joined at the 1×1 input of transposed
# convolutions; the label broadcast as extra channels of the discriminator's input. cDCGAN2 (late):
# noise (or image) and label each through their own first block, then concatenated. 28×28 images start
# from 7×7 maps, 32×32 from 4×4. CI checks this cell's output against the stored one.

# %%
# NBVAL_CHECK_OUTPUT
for model, model_preset in presets.items():
    generator, discriminator = ganlib.build_models(model_preset)
    print(f"=== {MODELS[model]} ===")
    print(layer_table(generator))
    print()
    print(layer_table(discriminator))
    print()

# %% [markdown]
# ## Runtime
#
# GPU or not, and what an epoch of this preset costs on it (from a few timed steps). In Colab the run
# goes to Google Drive, so that a disconnect loses no finished epoch and the Train cell resumes it.

# %%
from ganlib import colab

# Finished runs committed under results/ (with their weights) are shown instead of training again.
RUN_DIRS = {
    m: ganlib.runs.first_finished(presets[m], f"../results/li_ye_comparison/{m}_{DATASET}", d)
    for m, d in RUN_DIRS.items()
}
RUN_DIRS = {m: colab.notebook_setup(presets[m], d) for m, d in RUN_DIRS.items()}

# %% [markdown]
# ## Train
#
# Algorithm 1 for each model: per batch, D learns on real images with their labels and on G(z, y)
# with the same labels, then G learns on the same generated images through the updated D. Each model
# writes its own run directory.

# %%
train_dataset = ganlib.load(
    preset.dataset, with_labels=True, limit=preset.train_images, batch_size=preset.batch_size,
    shuffle=True, seed=preset.seed, image_size=preset.image_shape[:2],
)
cards = []
for model, model_preset in presets.items():
    print(f"--- {MODELS[model]} ---")
    result = ganlib.train(model_preset, RUN_DIRS[model], dataset=train_dataset, overwrite=QUICK,
                          resume=not QUICK, verbose=2)
    cards.append(f"### {MODELS[model]}\n\n" + ganlib.runs.run_card(RUN_DIRS[model]))
run_card.update(Markdown("\n\n".join(cards)))

# %% [markdown]
# ## Pick the best epoch
#
# Samples of the last epoch of each model, one label per row (Figs 5–7), and the losses per epoch.
# Each model's epoch with the highest label accuracy (domain classifier) is suggested; change
# `BEST_EPOCHS` to pick by eye.

# %%
for model in MODELS:
    last = ganlib.list_epochs(RUN_DIRS[model])[-1]
    figure = plotting.labeled_snapshot(RUN_DIRS[model], last, size=0.45)
    figure.suptitle(f"{MODELS[model]}, epoch {last}")

# %%
for model in MODELS:
    figure = plotting.loss_curves(RUN_DIRS[model], size=(9, 2.4))
    figure.suptitle(MODELS[model], y=1.02)

# %%
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

# %% [markdown]
# ## Every epoch
#
# A slider over all epochs: each one's snapshot, losses and metrics, where it sits on the curves, the
# suggested epoch, any collapse flag, and the line that restores it. The same browser is saved as
# `epochs.html` in the run directory (it opens in any browser, without a kernel), beside the
# animation `training.gif`.

# %%
plotting.show_epochs(RUN_DIRS["cdcgan"], metric="label_accuracy")

# %% [markdown]
# ## Evaluate: Table 2
#
# For each model's chosen epoch: three classifiers of the same architecture (softmax regression for
# grayscale, ResNet-18 for RGB, as the report) trained on real images, on generated images (one per
# real training label, labelled with the label asked for) and on a half-and-half mix, each tested on
# the real test set (`ganlib.metrics.classifier_protocol`). The "real" classifier is the same for the
# three models. Then the label accuracy of each generator, and FID/IS for RGB datasets (Inception-v3;
# needs its ImageNet weights, see `GANLIB_INCEPTION_WEIGHTS`).

# %%
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

# %%
REPORT = {'mnist': {'cGANs': (0.9952, 0.9961, 0.8218), 'cDCGANs': (0.8941, 0.9883, None), 'cDCGANs2': (1.0, 1.0, None)}, 'fashion_mnist': {'cGANs': (0.8942, 0.9957, 0.7821), 'cDCGANs': (0.7717, 0.9775, None), 'cDCGANs2': (1.0, 0.9975, None)}, 'cifar10': {'cGANs': (0.8877, 0.8198, 0.794, 0.1416, 1.5933), 'cDCGANs': (0.8081, 0.7522, None, 0.0446, 3.8459), 'cDCGANs2': (0.9997, 0.9922, None, 0.096, 2.7535)}, 'cifar100': {'cGANs': (0.9859, 0.9129, 0.7487, 0.1194, 1.6095), 'cDCGANs': (0.9014, 0.7518, None, 0.0655, 3.3468), 'cDCGANs2': (0.99, 0.9793, None, 0.1036, 2.7136)}, 'intel_scenes': {'cGANs': (0.9133, 0.838, 0.709, 0.2203, 1.4002), 'cDCGANs': (0.8123, 0.7907, None, 0.0268, 2.6772), 'cDCGANs2': (0.972, 0.896, None, 0.034, 2.5714)}}


def cell(value):
    return "–" if value is None else f"{value:.4f}"


rows = ["| model | epoch | Acc (fake) | Acc (mixed) | Acc (real) | label acc. | FID | IS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|"]
for model, title in MODELS.items():
    result, found = protocol[model], scores[model]
    measured = [result["accuracy_generated"], result["accuracy_mixed"], result["accuracy_real"]]
    extra = [found[k].value if k in found else None for k in ("label_accuracy", "fid",
                                                               "inception_score")]
    rows.append(f"| {title} (this run) | {BEST_EPOCHS[model]} | "
                + " | ".join(cell(v) for v in measured + extra) + " |")
for title, values in REPORT.get(DATASET, {}).items():
    values = list(values) + [None] * (5 - len(values))
    rows.append(f"| {title} (report) | | " + " | ".join(
        cell(v) for v in values[:3] + [None] + values[3:]) + " |")
classifier = protocol["cdcgan"]["classifier"]
display(Markdown(f"**{DATASET}**, classifiers: {classifier}, {PROTOCOL_EPOCHS} epochs, "
                 f"{protocol['cdcgan']['train_images']['real']} real training images, "
                 f"{protocol['cdcgan']['test_images']} test images"
                 + (" — QUICK MODE, not a result" if QUICK else "") + "\n\n" + "\n".join(rows)))

# %% [markdown]
# The report's "Acc (fake)" can be read three ways (docs/fidelity.md): each classifier tested on the
# real test images (§4, the table above), the real-trained classifier tested on real, generated and
# mixed images (the abstract), or each classifier tested on held-out images of its own kind (§5).
# All three are computed from the same classifiers; the last line says which reproduces the report's
# ordering (fake ≥ mixed ≥ real).

# %%
for reading in metrics.protocol.READINGS:
    display(Markdown(metrics.protocol.protocol_table(
        {MODELS[m]: protocol[m] for m in MODELS}, reading)))
for model in MODELS:
    print(f"{MODELS[model]:>9}: the report's ordering holds under",
          metrics.protocol.report_pattern(protocol[model]) or "no reading")

# %% [markdown]
# *Reading the table.* The report's "Acc (real)" is printed once per dataset (on the cGAN row);
# here it is measured with each model's run and is the same classifier each time. The report's FID
# values (0.03–0.22) are far below any Inception FID of real GAN samples, so they were not computed as
# the usual FID; compare the models with each other, not the numbers with the report's.

# %%
TARGETS = {"mnist": 0.95, "fashion_mnist": 0.85}
for model in MODELS:
    if "label_accuracy" in scores[model]:
        value = scores[model]["label_accuracy"].value
        target = TARGETS.get(DATASET)
        verdict = "" if target is None else (
            f" ({'meets' if value >= target else 'below'} the {target} target)")
        print(f"{MODELS[model]:>9}: label accuracy {value:.3f} at epoch {BEST_EPOCHS[model]}"
              f"{verdict}{' — quick mode, not a result' if QUICK else ''}")

# %% [markdown]
# ## What this run shows, against the report
#
# The run cards at the top say how the three runs were made. The report's claims, and where to check
# them here:
#
# - **cDCGAN2 gives the highest classifier accuracy on generated images** (Table 2: 1.0 on MNIST and
#   Fashion-MNIST), which the report links to *less diverse* samples (Fig 7: "highly similar results
#   for each class"). Here: the Acc (fake) column, and the rows of each model's labelled snapshot.
# - **Accuracy on generated images ≥ mixed ≥ real.** Here: the three accuracy columns of one row.
# - **cDCGAN looks most realistic** (best FID/IS on RGB). Here: the samples, and FID/IS when an RGB
#   dataset is chosen and Inception weights are available.
# - The label accuracy column says what the report's classifier columns only suggest: whether each
#   generated image shows the class it was asked for.
#
# In quick mode (CI) each model trains on 256 images for 1 epoch, which shows that the pipeline runs
# end to end and nothing about quality. The cell below reads this run's own figures against the
# claims, whichever mode produced them.

# %%
accuracy = {m: protocol[m] for m in MODELS}
fake = {m: accuracy[m]["accuracy_generated"] for m in MODELS}
epochs_run = {m: len(ganlib.Run(RUN_DIRS[m]).completed_epochs()) for m in MODELS}
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
