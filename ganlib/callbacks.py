"""The Keras callbacks of a training run; each sets itself up in `on_train_begin`.

They write nothing themselves: every file goes through the run they are given (a `ganlib.Run`,
which owns the run directory), and only at epoch boundaries, never per step. `Run.callbacks(preset)`
returns them in their order; they are usable alone too, as Keras' own callbacks are.
"""

from __future__ import annotations

import time

import keras
import numpy as np

from ganlib.sampling import render_grid


def all_finite(model) -> bool:
    """Whether every weight of a model is finite (a last update can make them NaN)."""
    return all(bool(np.isfinite(np.asarray(v)).all()) for v in model.weights)


def finite_logs(logs) -> bool:
    """False when any loss in `logs` is NaN or infinite."""
    return all(np.isfinite(float(v)) for k, v in (logs or {}).items() if k.endswith("loss"))


def good_epoch(model, logs) -> bool:
    """Whether an epoch may be saved: finite losses and finite weights in both networks.

    The losses alone are not enough: the last update of an epoch can make the weights NaN while
    that step's losses, computed before it, are still finite.
    """
    if not finite_logs(logs):
        return False
    return all_finite(model.generator) and all_finite(model.discriminator)


class RunSession(keras.callbacks.Callback):
    """Start or resume the run before the first epoch, and write its run card after the last.

    In `on_train_begin` it takes the run's lock, creates the run directory (config.json, the fixed
    snapshot grid) or resumes it (as Keras' `BackupAndRestore`: the model's state is restored
    and `fit` starts after the last completed epoch). In `on_train_end` it writes run_card.json
    and releases the lock, also when training stopped early or failed.

    Args:
        run: the `ganlib.Run` to train into.
        preset: the `Experiment` being trained.
        mode: "full" or "quick", recorded in config.json and the run card.
    """

    def __init__(self, run, preset, mode: str = "full"):
        super().__init__()
        self.run = run
        self.preset = preset
        self.mode = mode
        self.images = None

    def on_train_begin(self, logs=None):
        done = self.run.begin(self.preset, self.model, mode=self.mode)
        if done:
            print(f"Resuming {self.run.directory} after epoch {done} of {self.preset.epochs}.")
        # Keras' fit starts from this epoch when a callback sets it (as BackupAndRestore does).
        self.model._initial_epoch = done or None
        steps = (self.params or {}).get("steps")
        self.images = steps * self.preset.batch_size if steps else None

    def on_train_end(self, logs=None):
        self.run.finish(mode=self.mode, images=self.images)


class Snapshots(keras.callbacks.Callback):
    """After every epoch (and once before training), the fixed grid through the generator as a PNG.

    Args:
        run: the `ganlib.Run`; the grid is read from it when training begins.
        columns: tiles per row of the picture.
    """

    def __init__(self, run, columns: int):
        super().__init__()
        self.run = run
        self.columns = columns

    def _write(self, epoch):
        picture = render_grid(self.model.generator, self.latents, self.columns, self.labels)
        self.run.write_snapshot(epoch, picture)

    def on_train_begin(self, logs=None):
        self.latents, self.labels = self.run.latents(), self.run.labels()
        if not self.run.snapshot_path(0).exists():
            self._write(0)

    def on_epoch_end(self, epoch, logs=None):
        if good_epoch(self.model, logs):
            self._write(epoch + 1)


class GeneratorCheckpoints(keras.callbacks.Callback):
    """After every good epoch, the generator's weights (checkpoints/generator_epoch_NNN.weights.h5)."""

    def __init__(self, run):
        super().__init__()
        self.run = run

    def on_epoch_end(self, epoch, logs=None):
        if good_epoch(self.model, logs):
            self.run.write_weights(epoch + 1, self.model.generator)


class EpochTimer(keras.callbacks.Callback):
    """Add each epoch's wall time in seconds to the logs as `epoch_seconds`.

    It must come before the loggers in the callback list.
    """

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self._start


class StopOnDivergence(keras.callbacks.Callback):
    """Stop training at the first batch whose losses are NaN or infinite, or at the end of an
    epoch whose weights are.

    Keras' `TerminateOnNaN` watches a single `loss` entry, which a GAN's logs do not have. The
    epoch in which the divergence happens writes no snapshot, weights, history row or training
    state, so the run keeps exactly its completed epochs. `diverged` holds a description once it
    fired, and so does the run's `diverged` when a run is given (its run card records it).

    Args:
        run: the `ganlib.Run` being trained, or None.
    """

    def __init__(self, run=None):
        super().__init__()
        self.run = run
        self.diverged = None

    def _stop(self, description):
        self.diverged = description
        if self.run is not None:
            self.run.diverged = description
        self.model.stop_training = True

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.diverged is None and not finite_logs(logs):
            losses = {k: float(v) for k, v in logs.items() if k.endswith("loss")}
            self._stop(f"epoch {self._epoch + 1}, batch {batch + 1}: {losses}")

    def on_epoch_end(self, epoch, logs=None):
        if self.diverged is None and not good_epoch(self.model, logs):
            self._stop(f"epoch {epoch + 1}: the weights are not finite after its last step")


class HistoryLogger(keras.callbacks.Callback):
    """history.csv, one row per completed epoch (`epoch` from 1), replaced atomically each time.

    The columns of Keras' `CSVLogger`, but a kill never leaves half a row, and a resumed run keeps
    only the rows of the epochs it resumes after, so no epoch is duplicated or missing.
    """

    def __init__(self, run):
        super().__init__()
        self.run = run

    def on_train_begin(self, logs=None):
        self.rows = [r for r in self.run.history_rows() if r["epoch"] <= self.run.initial_epoch]

    def on_epoch_end(self, epoch, logs=None):
        if not good_epoch(self.model, logs):
            return
        self.rows.append({"epoch": epoch + 1, **{k: float(v) for k, v in (logs or {}).items()}})
        self.run.write_history(self.rows)


class TrainingState(keras.callbacks.Callback):
    """After every good epoch, what resuming needs (both networks, optimizers, random states).

    It must come after the callbacks that write the epoch's snapshot, weights and history, so that
    the state never vouches for an epoch whose files are not all on disk.
    """

    def __init__(self, run):
        super().__init__()
        self.run = run

    def on_epoch_end(self, epoch, logs=None):
        if good_epoch(self.model, logs):
            self.run.save_state(self.model, epoch + 1)
