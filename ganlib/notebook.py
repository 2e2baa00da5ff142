"""What every notebook does around its experiment, in one place.

A notebook's own cells say what the report did (the preset, the data, the figures); the steps
that are the same in all of them live here: the run card that the first output shows and the
Train cell fills in, where the run goes (a finished run shipped under results/, a `_quick` folder
in quick mode, Google Drive in Colab), training or finding the finished run, showing the real
images, and restoring the chosen epoch with the check that it regenerates its snapshot::

    from ganlib import notebook
    card = notebook.RunCard()
    preset = notebook.preset("stiff_mnist", epochs=EPOCHS, seed=SEED)
    RUN_DIR = notebook.run_dir(preset, "../runs/stiff_mnist")
    notebook.train(preset, RUN_DIR, card)
    generator = notebook.restore(RUN_DIR, 5)
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from IPython.display import Markdown, display

from ganlib import colab, plotting, reporting
from ganlib.data import folder_or_stand_in
from ganlib.experiments import Experiment, describe, notebook_preset, quick_mode
from ganlib.metrics.domain import get_domain
from ganlib.runs import Run, first_finished, restore_epoch, run_card
from ganlib.training import TrainResult, preset_dataset
from ganlib.training import train as train_run

__all__ = [
    "RunCard",
    "describe",
    "first_images",
    "preset",
    "restore",
    "run_dir",
    "show_real",
    "summary",
    "train",
    "training_data",
]

preset = notebook_preset

PENDING = "*Run card: written when the Train cell has run.*"
SHIPPED_ROOT = Path("..") / "results"


class RunCard:
    """The notebook's first output: a placeholder until `update` writes the run's card into it.

    The card says how the shown run was made (mode, data, epochs, device, wall time), so it stands
    at the top where a reader looks first, although the run is only known after the Train cell.
    """

    def __init__(self):
        self._handle = display(Markdown(PENDING), display_id=True)

    def update(self, run_dirs, *, stand_in: bool = False) -> str:
        """Write the card(s) of `run_dirs` (one or several) with the mode and data banners."""
        text = run_card(run_dirs, quick=quick_mode(), stand_in=stand_in)
        if self._handle is not None:  # None outside IPython, where display returns nothing
            self._handle.update(Markdown(text))
        return text


def run_dir(preset: Experiment, default, *, shipped=None, drive: bool = True) -> str:
    """Where this notebook's run is: the finished one shipped with ganlib, or where to train it.

    Args:
        preset: the notebook's `Experiment` (quick or not).
        default: the run directory the notebook trains into, e.g. "../runs/stiff_mnist"; in quick
            mode `default + "_quick"`, so that a smoke run never mixes with a real one.
        shipped: the folder of the run committed with ganlib (default `../results/<preset name>`);
            used, and only read, when it holds a finished run of `preset`.
        drive: in Colab, train on Google Drive (see `colab.notebook_setup`).

    Returns:
        The run directory, after printing the runtime report (device, cost of an epoch).
    """
    if not str(default).strip():
        raise ValueError(f"run_dir needs a run directory, received {default!r}.")
    default = os.fspath(default)
    if quick_mode():
        chosen = default.rstrip("/") + "_quick"
    else:
        chosen = first_finished(preset, shipped or SHIPPED_ROOT / preset.name, default)
    return os.fspath(colab.notebook_setup(preset, chosen, drive=drive))


def train(
    preset: Experiment, run_dir, card: RunCard | None = None, *, stand_in: bool = False, **options
) -> TrainResult:
    """Train `preset` into `run_dir` as a notebook does, or show the finished run found there.

    Quick mode (CI) always trains afresh (`overwrite`); a full run resumes where an interrupted
    one stopped, and a finished one is shown instead of trained again. `options` go to
    `ganlib.train` (dataset, verbose, callbacks, ...). The card, when given, is filled in.
    """
    quick = quick_mode()
    result = train_run(preset, run_dir, overwrite=quick, resume=not quick, **options)
    if result.gan is None:
        print(f"Found a finished run of this preset in {run_dir}; showing it instead of training.")
    if card is not None:
        card.update(run_dir, stand_in=stand_in)
    return result


def restore(run_dir, epoch: int):
    """The generator of `epoch`, after checking that it regenerates the epoch's snapshot.

    Prints the check's verdict: exact for a run's own float32 weights, within the stated tolerance
    (`runs.SHIPPED_TOLERANCE`) for the float16 weights of a shipped run.
    """
    generator = restore_epoch(run_dir, epoch)
    run = Run(run_dir)
    how = "within float16 tolerance" if run.shipped() else "exactly"
    print(
        f"restored epoch {epoch} of {run_dir}; regenerates its snapshot {how}: "
        f"{run.reproduces_snapshot(generator, epoch)}"
    )
    return generator


def first_images(dataset, count: int):
    """The first `count` images of a batched dataset (and their labels, if it has them), as arrays.

    `dataset` is a batched `tf.data.Dataset` or any iterable of batches, e.g. `[(images, labels)]`
    for arrays already in memory.

    Raises:
        ValueError: for a count below 1 or a dataset without any image.
    """
    if not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a positive int, received {count!r}.")
    images, labels = [], []
    for batch in dataset:
        batch_images, batch_labels = batch if isinstance(batch, tuple) else (batch, None)
        images.append(np.asarray(batch_images))
        if batch_labels is not None:
            labels.append(np.asarray(batch_labels))
        if sum(len(i) for i in images) >= count:
            break
    if not images:
        raise ValueError("first_images received an empty dataset.")
    images = np.concatenate(images)[:count]
    return (images, np.concatenate(labels)[:count]) if labels else images


def training_data(preset: Experiment, folder=None, *, kind: str, class_names=None):
    """The training batches of a hand-downloaded dataset, as `python -m ganlib train` reads them.

    Args:
        preset: the notebook's `Experiment`; its size, batch, seed and augmentation shape the
            pipeline (`training.preset_dataset`).
        folder: the notebook's `DATA_FOLDER`, or None for `$GANLIB_DATA_DIR/<dataset>` then
            `data/<dataset>`.
        kind: the stand-in pictures written in quick mode when the folder is missing, "faces" or
            "flowers" (see `data.folder_or_stand_in`; outside quick mode a missing folder is an
            error that says where to download it).
        class_names: for a conditional preset, the class subfolders of the stand-in pictures.

    Returns:
        (dataset, stand_in): the batched `tf.data.Dataset`, and True when it holds stand-in
        pictures, which the notebook's figures and run card then say.
    """
    folder, stand_in = folder_or_stand_in(
        preset.dataset,
        folder,
        quick=quick_mode(),
        kind=kind,
        count=preset.train_images,
        image_size=preset.image_shape[0],
        class_names=class_names,
        seed=preset.seed,
    )
    return preset_dataset(preset, folder)[0], stand_in


def show_real(dataset, title: str, *, count: int = 16, class_names=None, stand_in: bool = False):
    """Show the first `count` training images (with their labels, if the dataset has them).

    Args:
        dataset: a batched `tf.data.Dataset` of images or of (images, labels), or any iterable
            of such batches (`[(images, labels)]` for arrays in memory).
        title: what the images are, e.g. "real MNIST digits after the report's preprocessing".
        count: how many images to show.
        class_names: names for the labels, or the name of a dataset whose class names ganlib
            knows ("fashion_mnist", "cifar10", ...; others keep the numbers); default: the numbers.
        stand_in: the images are stand-in pictures: the title says so first.

    Returns:
        The images shown (and their labels, for a labelled dataset), as NumPy arrays.
    """
    if isinstance(class_names, str):
        try:
            class_names = get_domain(class_names).class_names
        except ValueError:  # a dataset without a domain classifier: label numbers
            class_names = None
    shown = first_images(dataset, count)
    images = shown[0] if isinstance(shown, tuple) else shown
    title = f"STAND-IN DATA: {title}" if stand_in else title
    print(f"images: {images.shape} {images.dtype}, in [{images.min():.2f}, {images.max():.2f}]")
    if isinstance(shown, tuple):
        plotting.show_labeled(
            images, shown[1], class_names, columns=min(8, count), size=1.0, title=title
        )
    else:
        plotting.show_images(images, title=title, size=5)
    return shown


def summary(run_dir, *, stand_in: bool = False, report_seconds: float | None = None) -> str:
    """The first line of a notebook's closing section: what this run is, beside the report's.

    `reporting.run_line` (mode, epochs run of the report's, training time and device, all read
    from the run), then the last epoch's losses and D outputs; printed and returned.
    """
    history = Run(run_dir).history()
    if not history.get("epoch"):
        raise ValueError(f"{run_dir} has no trained epoch yet; run the Train cell first.")
    keys = ("d_loss", "g_loss", "d_real", "d_fake")
    last = {key: history[key][-1] for key in keys if key in history}
    text = reporting.run_line(run_dir, stand_in=stand_in, report_seconds=report_seconds)
    text += " Last epoch: " + ", ".join(f"{key} {value:.3f}" for key, value in last.items()) + "."
    print(text)
    return text


def show_collapse(run_dir, alarm, *, quiet_pair=None):
    """The collapse alarm's table, then the epochs that show the collapse, side by side.

    Args:
        run_dir: the run directory.
        alarm: a `metrics.CollapseReport` (None when it could not be computed: only the
            collage is drawn).
        quiet_pair: the epochs to show when nothing is flagged, if the run has them all (else
            the last two), e.g. the report's own pair, Stiff's CAT epochs 55 and 60.

    Returns:
        The epochs drawn: the last epoch before the first flagged one and that flagged epoch, or
        `quiet_pair`.
    """
    epochs = Run(run_dir).completed_epochs()
    if not epochs:
        raise ValueError(f"{run_dir} has no completed epoch to show.")
    flagged = sorted(alarm.flagged) if alarm is not None else []
    if alarm is not None:
        display(alarm)
    if flagged:
        pair = [max((e for e in epochs if e < flagged[0]), default=0), flagged[0]]
    else:
        ready = quiet_pair and set(quiet_pair) <= set(epochs)  # a run shorter than the report's
        pair = list(quiet_pair) if ready else epochs[-2:]
    plotting.epoch_collage(run_dir, pair, flagged=flagged)
    return pair
