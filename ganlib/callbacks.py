"""The Keras callbacks of a training run; each sets itself up in `on_train_begin`.

They write nothing themselves: every file goes through the run they are given (a `ganlib.Run`,
which owns the run directory), and only at epoch boundaries, never per step (`TensorBoardLogger`'s
event files, TensorBoard's own append-only logs, are the one exception). `Run.callbacks(preset)`
returns them in their order; they are usable alone too, as Keras' own callbacks are.
"""

from __future__ import annotations

import json
import time

import keras
import numpy as np
import tensorflow as tf
from tensorflow.core.framework import summary_pb2

from ganlib.images import read_png
from ganlib.sampling import render_grid

# About this many rows of steps.csv per epoch (between 25 and 49 once an epoch has 25 steps).
STEP_ROWS_PER_EPOCH = 25
# The step interval when `fit` cannot tell the steps per epoch (a dataset of unknown length).
UNKNOWN_EPOCH_EVERY = 10


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
    # Several callbacks ask at each epoch's end; reading every weight once per epoch is enough.
    # Keras hands them all the same logs dict, and the step count tells epochs apart.
    optimizer = getattr(model, "g_optimizer", None)
    # np.asarray reads a variable under any strategy (a MirroredVariable refuses int()).
    key = (id(logs), int(np.asarray(optimizer.iterations)) if optimizer is not None else None)
    cached = getattr(model, "_ganlib_good_epoch", None)
    if cached is not None and cached[0] == key and key[1] is not None:
        return cached[1]
    verdict = all_finite(model.generator) and all_finite(model.discriminator)
    model._ganlib_good_epoch = (key, verdict)
    return verdict


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


def step_interval(steps_per_epoch: int | None) -> int:
    """How many steps apart the per-step rows are: about `STEP_ROWS_PER_EPOCH` rows an epoch.

    Args:
        steps_per_epoch: `fit`'s steps per epoch (`self.params["steps"]` in a callback), or None
            when the dataset's length is unknown.

    Returns:
        `max(1, steps_per_epoch // STEP_ROWS_PER_EPOCH)`, or `UNKNOWN_EPOCH_EVERY` without a count.
    """
    if not steps_per_epoch:
        return UNKNOWN_EPOCH_EVERY
    return max(1, int(steps_per_epoch) // STEP_ROWS_PER_EPOCH)


def _check_every(every):
    if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every <= 0):
        raise ValueError(f"every must be a positive integer or None, received {every!r}.")
    return every


class _EveryKSteps(keras.callbacks.Callback):
    """Calls `_record(epoch, step, logs)` every `every` steps and at each epoch's last step.

    `step` is global and counted from 1 (epoch e's steps follow those of epochs 1 .. e-1); `epoch`
    is counted from 1. The logs are `fit`'s per-batch logs: the running means of the epoch so far,
    so an epoch's last row is its history row. With `steps_per_execution` above 1 the callbacks
    see every that-many-th step only, and a row is taken at the first one `every` steps on.
    """

    def __init__(self, every: int | None = None):
        super().__init__()
        self._every = _check_every(every)

    def on_train_begin(self, logs=None):
        self.steps_per_epoch = (self.params or {}).get("steps")
        self.every = self._every or step_interval(self.steps_per_epoch)
        self._done_steps = 0  # steps before the current epoch, when the epoch length is unknown

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        if self.steps_per_epoch:
            # Counted from the epoch rather than summed, so a resumed run continues its numbering.
            self._base = epoch * self.steps_per_epoch
        else:
            self._base = self._done_steps
        self._recorded = self._base
        self._last = None

    def on_train_batch_end(self, batch, logs=None):
        step = self._base + batch + 1
        self._last = (step, logs or {})
        if step - self._recorded >= self.every:
            self._recorded = step
            self._record(self._epoch + 1, step, logs or {})

    def _finish_epoch(self):
        """Record the epoch's last step if the interval skipped it; returns that step."""
        if self._last is None:
            return self._base
        step, logs = self._last
        if step != self._recorded:
            self._recorded = step
            self._record(self._epoch + 1, step, logs)
        self._done_steps = step
        return step

    def _record(self, epoch, step, logs):
        raise NotImplementedError


class StepLogger(_EveryKSteps):
    """steps.csv: the per-batch logs every `every` steps (columns epoch, step, then the logs).

    Short runs have a handful of epochs, so their per-epoch loss curves are a few points; these
    rows draw the curve within each epoch (`ganlib.plotting.step_curves`). The rows are kept in
    memory and the whole file is replaced atomically at each good epoch's end, so a kill loses at
    most the current epoch's rows, never leaves half a row, and a resumed run keeps only the rows
    of the epochs it resumes after.

    Args:
        run: the `ganlib.Run` to write into.
        every: steps between rows; by default `step_interval` of the epoch's length (about 25 rows
            an epoch).
    """

    def __init__(self, run, every: int | None = None):
        super().__init__(every)
        self.run = run

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self.rows = [r for r in self.run.step_rows() if r["epoch"] <= self.run.initial_epoch]
        self._done_steps = max((r["step"] for r in self.rows), default=0)

    def on_epoch_begin(self, epoch, logs=None):
        super().on_epoch_begin(epoch, logs)
        self._epoch_rows = []

    def _record(self, epoch, step, logs):
        self._epoch_rows.append(
            {"epoch": epoch, "step": step, **{k: float(v) for k, v in logs.items()}}
        )

    def on_epoch_end(self, epoch, logs=None):
        self._finish_epoch()
        if not good_epoch(self.model, logs):
            return
        self.rows.extend(self._epoch_rows)
        self.run.write_steps(self.rows)


def _summary_metadata(plugin: str, data_class) -> summary_pb2.SummaryMetadata:
    metadata = summary_pb2.SummaryMetadata()
    metadata.plugin_data.plugin_name = plugin
    metadata.data_class = data_class
    return metadata


# TensorFlow's tf.summary.scalar and .image are stubs until the tensorboard package is installed
# (TensorFlow no longer requires it); tf.summary.write with TensorBoard's own metadata writes the
# same records without it.
_SCALAR = _summary_metadata("scalars", summary_pb2.DATA_CLASS_SCALAR)
_IMAGE = _summary_metadata("images", summary_pb2.DATA_CLASS_BLOB_SEQUENCE)


class TensorBoardLogger(_EveryKSteps):
    """TensorBoard event files in `run_dir/tensorboard/`: losses, D's scores and the snapshots.

    Written with `tf.summary.create_file_writer`:

    - `step/<key>`: the per-batch logs (d_loss, g_loss, d_real, d_fake, ...) every `every` steps,
      at the global step (from 1), the same rows as steps.csv;
    - `epoch/<key>`: each good epoch's logs (epoch_seconds included), at the epoch (from 1);
    - `metrics/<metric>`: the records of metrics.jsonl for that epoch (written by callbacks such
      as `ganlib.metrics.EpochMetrics` that run before this one);
    - `snapshot`: the epoch's snapshot PNG (epoch 0 is the untrained generator).

    It must come after `Snapshots`, `EpochTimer` and the metric callbacks in the list;
    `Run.callbacks(preset, tensorboard=True)` puts it there. A resumed run appends to the same
    folder: TensorBoard drops the earlier values of steps it sees again.

    To look at it, in Jupyter or Colab::

        %load_ext tensorboard
        %tensorboard --logdir RUN_DIR/tensorboard

    and in a shell, `tensorboard --logdir RUN_DIR/tensorboard` (`pip install tensorboard` where it
    is missing), then open the address it prints.

    Args:
        run: the `ganlib.Run` being trained.
        every: steps between the per-step values; by default as `StepLogger`.
    """

    def __init__(self, run, every: int | None = None):
        super().__init__(every)
        self.run = run
        self.writer = None

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._done_steps = self.run.initial_epoch * (self.steps_per_epoch or 0)
        self.writer = tf.summary.create_file_writer(str(self.run.tensorboard_dir))
        if self.run.initial_epoch == 0:
            with self.writer.as_default():
                self._image(0)
            self.writer.flush()

    def _image(self, epoch):
        path = self.run.snapshot_path(epoch)
        if path.is_file():
            height, width = read_png(path).shape[:2]
            # TensorBoard's image summary: width, height, then the encoded pictures. The PNG is
            # stored as Snapshots wrote it, so TensorBoard shows exactly the snapshot file.
            tensor = tf.constant([str(width), str(height), path.read_bytes()])
            tf.summary.write("snapshot", tensor, step=epoch, metadata=_IMAGE)

    def _scalar(self, tag, value):
        tf.summary.write(tag, tf.constant(float(value), tf.float32), metadata=_SCALAR)

    def _record(self, epoch, step, logs):
        with self.writer.as_default(step=step):
            for key, value in logs.items():
                self._scalar(f"step/{key}", value)

    def _metrics(self, epoch):
        path = self.run.metrics_path
        if not path.is_file():
            return {}
        values = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line of a killed writer
            if isinstance(record, dict) and record.get("epoch") == epoch:
                try:
                    values[str(record["metric"])] = float(record["value"])
                except (KeyError, TypeError, ValueError):
                    continue
        return values

    def on_epoch_end(self, epoch, logs=None):
        self._finish_epoch()
        if good_epoch(self.model, logs):
            with self.writer.as_default(step=epoch + 1):
                for key, value in (logs or {}).items():
                    self._scalar(f"epoch/{key}", value)
                for metric, value in self._metrics(epoch + 1).items():
                    self._scalar(f"metrics/{metric}", value)
                self._image(epoch + 1)
        # Each epoch on disk: a kill loses at most the epoch in progress.
        self.writer.flush()

    def on_train_end(self, logs=None):
        if self.writer is not None:
            self.writer.close()
            self.writer = None
