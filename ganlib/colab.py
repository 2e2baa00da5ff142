"""Google Colab helpers: installing ganlib, checking the runtime, and keeping runs on Drive.

A Colab session disconnects after a while and its disk goes with it. A run directory on Google
Drive survives that: `run_dir_on_drive` mounts Drive and names a folder there, and the notebook's
Train cell (`ganlib.train(..., resume=True)`) resumes after the last completed epoch.

Example (a notebook's first cells)::

    from ganlib import colab
    print(colab.runtime_report("sharma_fashion_mnist"))   # GPU? and what an epoch costs
    RUN_DIR = colab.run_dir_on_drive("sharma_fashion_mnist", default="../runs/sharma")
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import tensorflow as tf

from ganlib._version import REPOSITORY_URL
from ganlib.experiments import Experiment, get_preset, quick_mode
from ganlib.runs import Run, device_description
from ganlib.training import build_gan

# Where Colab mounts Google Drive (GANLIB_COLAB_DRIVE moves it, for a test with a stand-in Colab),
# and the folder of ganlib's runs in it.
DRIVE_MOUNT = os.environ.get("GANLIB_COLAB_DRIVE", "/content/drive")
DRIVE_RUNS = "MyDrive/ganlib-runs"

# Training images per epoch of each dataset's train split (as the pipelines read it: every image
# of a hand-downloaded set without split folders), for the cost estimate only.
TRAIN_SET_SIZES = {
    "mnist": 60_000,
    "fashion_mnist": 60_000,
    "cifar10": 50_000,  # the full set; the verified partial copy cifar10_partial.npz has 4,660
    "cifar100": 50_000,
    "mnist_sample": 3_000,
    "fashion_mnist_sample": 3_000,
    "cifar10_sample": 1_000,
    "afhq": 14_630,  # afhq/train; afhq/val holds 1,500 more
    "celeba": 202_599,
    "intel_scenes": 14_034,  # seg_train
    "pretty_face": 3_318,
    "cat": 9_997,
    "ffhq": 70_000,
    "oxford_flowers102": 8_189,  # TFDS's train+validation+test
}


def install_command() -> str:
    """The shell line that installs ganlib from its repository (a notebook prefixes it with `!`)."""
    return f"pip install -q git+{REPOSITORY_URL}"


def in_colab() -> bool:
    """Whether this Python runs in Google Colab (its `google.colab` module is loaded)."""
    return "google.colab" in sys.modules


def _gpu_names() -> tuple[str, ...]:
    return tuple(
        tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
        for gpu in tf.config.list_physical_devices("GPU")
    )


def _duration(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return "unknown"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclasses.dataclass(frozen=True)
class RuntimeReport:
    """What `runtime_report` measured: the device, the time of a step and what a run would cost.

    Attributes:
        preset: the preset's name.
        device: a one-line description of the device (`ganlib.runs.device_description`).
        gpus: the GPUs' names; empty without a GPU.
        batch_size: images per step.
        step_seconds: seconds of one training step (after the first, which traces the graph).
        first_step_seconds: seconds of the first step: tracing and compiling, paid once a run.
        train_images: images per epoch the estimate counts (None when unknown).
        steps_per_epoch: full batches per epoch (None when unknown).
        epoch_seconds: estimated seconds per epoch (None when unknown).
        epochs: the preset's epochs.
        total_seconds: estimated seconds of all the preset's epochs (None when unknown).
    """

    preset: str
    device: str
    gpus: tuple[str, ...]
    batch_size: int
    step_seconds: float
    first_step_seconds: float
    train_images: int | None
    steps_per_epoch: int | None
    epoch_seconds: float | None
    epochs: int
    total_seconds: float | None

    @property
    def has_gpu(self) -> bool:
        return bool(self.gpus)

    def _lines(self) -> list[str]:
        gpu = f"GPU: {', '.join(self.gpus)}" if self.gpus else "no GPU"
        lines = [
            f"{gpu} ({self.device})",
            f"one step of {self.preset} (batch {self.batch_size}): {self.step_seconds:.3f} s "
            f"({self.batch_size / self.step_seconds:,.0f} images/s); the first step, which "
            f"compiles, {self.first_step_seconds:.1f} s",
        ]
        if self.epoch_seconds is None:
            lines.append("epoch and run: unknown (the training-set size is not known here)")
        else:
            lines.append(
                f"one epoch ({self.train_images:,} images, {self.steps_per_epoch:,} steps): "
                f"about {_duration(self.epoch_seconds)}; {self.epochs} epochs: about "
                f"{_duration(self.total_seconds)}"
            )
        if not self.gpus and in_colab():
            lines.append(
                "Colab: Runtime > Change runtime type > a GPU, then run the notebook again."
            )
        return lines

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_markdown_(self) -> str:
        return "\n".join(f"- {line}" for line in self._lines())


def runtime_report(preset: Experiment | str, steps: int = 3, *, images: int | None = None):
    """Time a few training steps of a preset here, and estimate an epoch and the whole run.

    The preset's GAN (`ganlib.training.build_gan`) trains `steps` steps on random images of the
    preset's shape, after one first step that traces the graph; nothing is written and the
    random-number state of the session is not reset. The estimate is the step time times the
    full batches of the training set: it leaves out data loading and the per-epoch callbacks.

    Args:
        preset: an `Experiment` or a preset name.
        steps: timed steps (a few: this is meant to be cheap).
        images: training images per epoch; by default the preset's `train_images`, at most the
            dataset's size (`TRAIN_SET_SIZES`).

    Returns:
        A `RuntimeReport`; `print` it, or leave it last in a notebook cell.

    Raises:
        ValueError: for a `steps` or `images` that is not a positive integer.
    """
    if isinstance(preset, str):
        preset = get_preset(preset)
    if not isinstance(preset, Experiment):
        raise ValueError(f"preset must be an Experiment or a preset name, received {preset!r}.")
    for name, value in (("steps", steps), ("images", images)):
        if value is None and name == "images":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, received {value!r}.")
    gan = build_gan(preset)
    rng = np.random.default_rng(preset.seed)
    batch = tf.constant(
        rng.uniform(-1.0, 1.0, (preset.batch_size, *preset.image_shape)).astype("float32")
    )
    if preset.conditional:
        labels = tf.constant((np.arange(preset.batch_size) % preset.classes).astype("int32"))
        batch = (batch, labels)
    step = tf.function(gan.train_step)
    start = time.perf_counter()
    float(step(batch)["d_loss"])  # reading a value waits for the device
    first = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(steps):
        logs = step(batch)
    float(logs["d_loss"])
    seconds = (time.perf_counter() - start) / steps

    known = TRAIN_SET_SIZES.get(preset.dataset)
    if images is None:
        images = preset.train_images
        if known is not None:
            images = min(images or known, known)
    per_epoch = images // preset.batch_size if images else None
    epoch_seconds = seconds * per_epoch if per_epoch else None
    return RuntimeReport(
        preset=preset.name,
        device=device_description(),
        gpus=_gpu_names(),
        batch_size=preset.batch_size,
        step_seconds=seconds,
        first_step_seconds=first,
        train_images=images,
        steps_per_epoch=per_epoch,
        epoch_seconds=epoch_seconds,
        epochs=preset.epochs,
        total_seconds=epoch_seconds * preset.epochs if epoch_seconds is not None else None,
    )


_RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def run_dir_on_drive(name: str, default, *, mount: bool = True):
    """The run directory to train into: on Google Drive in Colab, `default` elsewhere.

    In Colab the session's disk is lost when it disconnects; a run on Drive is not, and training
    again with `resume=True` continues after its last completed epoch.

    Args:
        name: the run's folder name below `MyDrive/ganlib-runs/` (letters, digits, `.`, `_`, `-`).
        default: the run directory outside Colab (returned unchanged), or when `mount` is False.
        mount: in Colab, mount Google Drive (`google.colab.drive.mount`, which asks for access
            once) and use it; False keeps the run on the session's disk at `default`.

    Returns:
        `"/content/drive/MyDrive/ganlib-runs/<name>"` in Colab with `mount`, else `default`.

    Raises:
        ValueError: for a `name` that is not a plain folder name.
        FileNotFoundError: when Drive was mounted but `MyDrive` is not there.
    """
    if not isinstance(name, str) or not _RUN_NAME.match(name):
        raise ValueError(
            f"name must be a plain folder name (letters, digits, '.', '_', '-'), received {name!r}."
        )
    if not (mount and in_colab()):
        return default
    from google.colab import drive

    mount_point = Path(DRIVE_MOUNT)
    drive.mount(str(mount_point))
    runs = mount_point / DRIVE_RUNS
    if not runs.parent.is_dir():
        raise FileNotFoundError(
            f"Google Drive was mounted at {mount_point}, but {runs.parent} does not exist; "
            "expected the MyDrive folder there."
        )
    return str(runs / name)


def notebook_setup(
    preset: Experiment, run_dir, *, drive: bool = True, steps: int | None = None
) -> str:
    """What a notebook checks once its preset is chosen, and where its run goes.

    Prints the runtime report (GPU or not, and what an epoch and the whole schedule will cost,
    from a few timed steps) and returns the run directory: `run_dir` itself when it holds a
    finished run of `preset`; otherwise in Colab (with `drive`), a folder on Google Drive named
    after `run_dir`, so that a disconnect loses no finished epoch and the Train
    cell resumes; elsewhere `run_dir` itself.

    Args:
        preset: the notebook's `Experiment`.
        run_dir: the run directory outside Colab.
        drive: in Colab, keep the run on Google Drive (False: on the session's disk).
        steps: timed training steps for the estimate (None: 3, or 1 in quick mode, whose
            estimate is of a smoke run anyway).

    Returns:
        The run directory to train into.
    """
    print(runtime_report(preset, steps or (1 if quick_mode() else 3)))
    # A finished run (one shipped in results/) is only read; a quick run is trained again anyway.
    if not quick_mode() and Run(run_dir).finished(preset):
        return run_dir
    return run_dir_on_drive(Path(run_dir).name, run_dir, mount=drive)
