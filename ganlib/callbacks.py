"""Per-epoch callbacks that write a run's files (snapshots, generator weights, epoch times).

Each writes only at epoch boundaries, never per step, and to a temporary file renamed into place.
"""

from __future__ import annotations

import csv
import io
import json
import time

import keras
import numpy as np

from ganlib.plotting import image_grid
from ganlib.runs import Run, atomic_path, write_json


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
        if finite_logs(logs):
            self._write(epoch + 1)


class GeneratorCheckpoints(keras.callbacks.Callback):
    """Save the generator's weights after every epoch as checkpoints/generator_epoch_NNN.weights.h5."""

    def __init__(self, run: Run):
        super().__init__()
        self.run = run

    def on_epoch_end(self, epoch, logs=None):
        if finite_logs(logs):
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


def finite_logs(logs) -> bool:
    """False when any loss in `logs` is NaN or infinite: an epoch that diverged writes no files."""
    return all(np.isfinite(float(v)) for k, v in (logs or {}).items() if k.endswith("loss"))


class StopOnDivergence(keras.callbacks.Callback):
    """Stop training at the first batch whose d_loss or g_loss is NaN or infinite.

    Keras' `TerminateOnNaN` watches a single `loss` entry, which a GAN's logs do not have. The epoch
    in which the divergence happens writes no snapshot, weights, history row or training state, so
    the run keeps exactly its completed epochs. `diverged` holds a description once it fired.
    """

    def __init__(self):
        super().__init__()
        self.diverged = None

    def on_train_batch_end(self, batch, logs=None):
        if self.diverged is None and not finite_logs(logs):
            losses = {k: float(v) for k, v in logs.items() if k.endswith("loss")}
            self.diverged = f"epoch {self._epoch + 1}, batch {batch + 1}: {losses}"
            self.model.stop_training = True

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch


class HistoryLogger(keras.callbacks.Callback):
    """Write history.csv, one row per completed epoch, replacing the file atomically each time.

    Same columns as Keras' `CSVLogger` (`epoch` is Keras' 0-based index), but a kill can never leave
    half a row, and a resumed run first drops the rows of epochs it is about to redo, so no epoch is
    duplicated or missing.

    Args:
        run: the run to write to.
        initial_epoch: the number of epochs already completed (0 for a new run).
    """

    def __init__(self, run: Run, initial_epoch: int = 0):
        super().__init__()
        self.run = run
        self.initial_epoch = initial_epoch

    def on_train_begin(self, logs=None):
        self.rows = []
        if self.initial_epoch and self.run.history_path.is_file():
            with open(self.run.history_path, newline="") as handle:
                self.rows = [
                    row for row in csv.DictReader(handle) if int(row["epoch"]) < self.initial_epoch
                ]

    def on_epoch_end(self, epoch, logs=None):
        if not finite_logs(logs):
            return
        self.rows.append({"epoch": epoch, **{k: float(v) for k, v in (logs or {}).items()}})
        columns = ["epoch", *sorted({k for row in self.rows for k in row} - {"epoch"})]
        text = io.StringIO()
        writer = csv.DictWriter(text, columns, restval="NA", lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        with atomic_path(self.run.history_path) as temporary:
            temporary.write_text(text.getvalue())


def _seed_states(gan):
    # Keras' save_weights leaves out SeedGenerator states (noise, dropout masks); resuming needs them.
    return [v for v in gan.non_trainable_variables if "seed_generator_state" in v.path]


def save_training_state(gan, run: Run, epoch: int):
    """Save everything a resume needs after `epoch`: both networks, both optimizers (their step
    counts drive the learning-rate schedules) and the random generators' states.

    The state goes to a new folder `state/epoch_NNN/`; only when it is complete does
    `state/latest.json` point at it (an atomic rename), and older folders are removed after that.
    """
    folder = run.state_dir / f"epoch_{epoch:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / "gan.weights.h5") as temporary:
        gan.save_weights(temporary)
    with atomic_path(folder / "rng.npy") as temporary:
        np.save(temporary, np.stack([np.asarray(v.numpy()) for v in _seed_states(gan)]))
    write_json(run.state_dir / "latest.json", {"epoch": epoch, "folder": folder.name})
    for old in run.state_dir.glob("epoch_*"):
        if old != folder and old.is_dir():
            for child in old.iterdir():
                child.unlink()
            old.rmdir()


def latest_state_epoch(run: Run) -> int:
    """The last epoch whose full training state was saved (0 if none)."""
    path = run.state_dir / "latest.json"
    if not path.is_file():
        return 0
    try:
        return int(json.loads(path.read_text())["epoch"])
    except (ValueError, KeyError) as error:
        raise ValueError(f"{path} is damaged ({error}); cannot tell where to resume.") from error


def load_training_state(gan, run: Run) -> int:
    """Restore the state `save_training_state` wrote last; returns its epoch.

    Raises:
        ValueError: naming the file, if the state is missing pieces or does not fit the model.
    """
    epoch = latest_state_epoch(run)
    folder = run.state_dir / f"epoch_{epoch:03d}"
    weights, rng = folder / "gan.weights.h5", folder / "rng.npy"
    for path in (weights, rng):
        if not path.is_file():
            raise ValueError(
                f"{path} is missing; the training state of epoch {epoch} is incomplete."
            )
    gan.d_optimizer.build(gan.discriminator.trainable_variables)
    gan.g_optimizer.build(gan.generator.trainable_variables)
    try:
        gan.load_weights(weights)
        states = np.load(rng)
    except Exception as error:  # h5py, Keras and NumPy raise several types for a damaged file
        raise ValueError(f"Could not load the training state {folder}: {error}") from error
    variables = _seed_states(gan)
    if len(states) != len(variables):
        raise ValueError(
            f"{rng} holds {len(states)} random-generator states; the model has {len(variables)}."
        )
    for variable, state in zip(variables, states):
        variable.assign(state)
    return epoch


class TrainingState(keras.callbacks.Callback):
    """After every completed epoch, save what resuming needs (see `save_training_state`).

    It must come after the callbacks that write the epoch's snapshot, weights and history, so that
    the state never claims an epoch whose files are not all on disk.
    """

    def __init__(self, run: Run):
        super().__init__()
        self.run = run

    def on_epoch_end(self, epoch, logs=None):
        if finite_logs(logs):
            save_training_state(self.model, self.run, epoch + 1)
