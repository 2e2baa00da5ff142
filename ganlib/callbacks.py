"""Per-epoch callbacks that write a run's files (snapshots, generator weights, epoch times).

Each writes only at epoch boundaries, never per step, and to a temporary file renamed into place.
"""

from __future__ import annotations

import time

import keras
import numpy as np

from ganlib.plotting import image_grid
from ganlib.runs import Run, atomic_path


def render_snapshot(generator, latents, columns: int, labels=None) -> np.ndarray:
    """The grid picture of `latents` (and `labels`, for a conditional generator) as uint8."""
    inputs = latents if labels is None else [latents, np.asarray(labels, dtype=np.int32)]
    images = np.asarray(generator(inputs, training=False))
    return image_grid(images, columns=columns)


def conditional_grid(rows: int, columns: int, classes: int, noise_dim: int, noise="normal", seed=0):
    """The fixed latents × labels grid of a conditional run's snapshots.

    Row r shows label r mod `classes`. Rows that show the same pass over the labels share one set
    of `columns` latents, so a column holds the same noise under every label (the label's effect,
    seen alone); once the labels repeat (fewer classes than rows) the next rows get new latents.

    Args:
        rows, columns: the grid (the preset's `snapshot_grid`).
        classes: number of labels.
        noise_dim: length of the noise vector.
        noise: "normal" or "uniform".
        seed: seed of the latents.

    Returns:
        (latents, labels): float32 (rows·columns, noise_dim) and int32 (rows·columns,), row by row.

    Example:
        >>> latents, labels = conditional_grid(10, 8, 10, 20)  # row r: eight images of digit r
    """
    from ganlib.runs import draw_latents

    if isinstance(classes, bool) or not isinstance(classes, int) or classes <= 0:
        raise ValueError(f"classes must be a positive integer, received {classes!r}.")
    passes = -(-rows // classes)
    pool = draw_latents(passes * columns, noise_dim, noise, seed=seed)
    row = np.repeat(np.arange(rows), columns)
    column = np.tile(np.arange(columns), rows)
    latents = pool[(row // classes) * columns + column]
    return latents, (row % classes).astype(np.int32)


def snapshot_labels_path(run: Run):
    """Where a conditional run stores the labels of its snapshot grid, beside `latents.npy`."""
    return run.snapshots_dir / "labels.npy"


def snapshot_labels(run: Run):
    """The labels of a conditional run's snapshot grid, or None for an unconditional run."""
    path = snapshot_labels_path(run)
    return np.load(path) if path.is_file() else None


def write_png(path, picture: np.ndarray):
    """Write a uint8 (H, W, C) picture as a PNG, atomically."""
    with atomic_path(path) as temporary:
        keras.utils.save_img(temporary, picture, scale=False, file_format="png")


class Snapshots(keras.callbacks.Callback):
    """Save the fixed latent grid through the generator after every epoch (and once before training).

    Args:
        run: the `Run` to write to; the grid is read from its `latents.npy` (and, for a
            conditional run, `labels.npy`).
        columns: tiles per row of the picture.
    """

    def __init__(self, run: Run, columns: int):
        super().__init__()
        self.run = run
        self.latents = run.latents()
        self.labels = snapshot_labels(run)
        self.columns = columns

    def _write(self, epoch):
        picture = render_snapshot(self.model.generator, self.latents, self.columns, self.labels)
        write_png(self.run.snapshot_path(epoch), picture)

    def on_train_begin(self, logs=None):
        if not self.run.snapshot_path(0).exists():
            self._write(0)

    def on_epoch_end(self, epoch, logs=None):
        self._write(epoch + 1)


class GeneratorCheckpoints(keras.callbacks.Callback):
    """Save the generator's weights after every epoch as checkpoints/generator_epoch_NNN.weights.h5."""

    def __init__(self, run: Run):
        super().__init__()
        self.run = run

    def on_epoch_end(self, epoch, logs=None):
        with atomic_path(self.run.weights_path(epoch + 1)) as temporary:
            self.model.generator.save_weights(temporary)


class EpochTimer(keras.callbacks.Callback):
    """Add each epoch's wall time in seconds to the logs as `epoch_seconds` (so CSVLogger keeps it).

    It must come before the loggers in the callback list.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self._start
