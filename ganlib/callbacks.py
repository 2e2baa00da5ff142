"""Per-epoch callbacks that write a run's files (snapshots, generator weights, epoch times).

Each writes only at epoch boundaries, never per step, and to a temporary file renamed into place.
"""

from __future__ import annotations

import time

import keras
import numpy as np

from ganlib.plotting import image_grid
from ganlib.runs import Run, atomic_path


def render_snapshot(generator, latents, columns: int) -> np.ndarray:
    """The grid picture of `latents` through `generator` in inference mode, as uint8."""
    images = np.asarray(generator(latents, training=False))
    return image_grid(images, columns=columns)


def write_png(path, picture: np.ndarray):
    """Write a uint8 (H, W, C) picture as a PNG, atomically."""
    with atomic_path(path) as temporary:
        keras.utils.save_img(temporary, picture, scale=False, file_format="png")


class Snapshots(keras.callbacks.Callback):
    """Save the fixed latent grid through the generator after every epoch (and once before training).

    Args:
        run: the `Run` to write to; the grid is read from its `latents.npy`.
        columns: tiles per row of the picture.
    """

    def __init__(self, run: Run, columns: int):
        super().__init__()
        self.run = run
        self.latents = run.latents()
        self.columns = columns

    def _write(self, epoch):
        picture = render_snapshot(self.model.generator, self.latents, self.columns)
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
