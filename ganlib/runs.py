"""The run directory, and its one owner: `Run` knows every path, and does every read and write.

Layout::

    run_dir/
      config.json                                 preset, overrides, seed, mode, device, versions
      history.csv                                 one row per completed epoch, epochs from 1
      steps.csv                                   the per-batch logs every few steps (about 25
                                                  rows an epoch): epoch (from 1), step (global,
                                                  from 1), then the logs; completed epochs only
      metrics.jsonl                               evaluation results, one JSON object per line
      run_card.json                               epochs completed, images, wall time, divergence
      snapshots/latents.npy                       the fixed latent grid, drawn once
      snapshots/labels.npy                        its labels, for a conditional run
      snapshots/epoch_000.png, epoch_001.png ...  that grid through the generator (000: untrained)
      checkpoints/generator_epoch_001.weights.h5  the generator's weights after each epoch
      checkpoints/dropped.json                    epochs whose weights were dropped on purpose
                                                  (`Run.drop_weights`), so the run still resumes
      state/latest.json, state/epoch_NNN/         what resuming needs: both networks, both
                                                  optimizers, the random generators' states
      tensorboard/                                TensorBoard event files, when asked for
                                                  (`callbacks(..., tensorboard=True)`)
      .lock, .lock.json                           held while a trainer writes, and by whom

Epochs are numbered from 1 in every file (epoch 0 is the untrained generator). Every file is written
under a temporary name and renamed (`ganlib.files.atomic_path`), so a crash leaves the previous file
or the new one, never half of one; `Run` deletes nothing but its own files.

Training a run is `gan.fit(dataset, epochs=preset.epochs, callbacks=Run(run_dir).callbacks(preset))`:
the callbacks create the directory, or resume it after its last completed epoch, by themselves.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import os
import platform
import re
import shutil
import socket
from pathlib import Path

import filelock
import h5py
import keras
import numpy as np
import tensorflow as tf

from ganlib import callbacks as run_callbacks
from ganlib._version import __version__
from ganlib.data.checks import check_positive_int
from ganlib.experiments import PRESETS, Experiment, quick_mode
from ganlib.files import atomic_path, is_temporary, write_json, write_text
from ganlib.images import read_png, write_png
from ganlib.models import build_generator
from ganlib.precision import resolve
from ganlib.sampling import render_grid, snapshot_grid

CONFIG = "config.json"
HISTORY = "history.csv"
STEPS = "steps.csv"
METRICS = "metrics.jsonl"
CARD = "run_card.json"
LOCK = ".lock"
LOCK_OWNER = ".lock.json"
# Everything ganlib writes at the top of a run directory; `clear` removes these and nothing else.
OWN_ENTRIES = (
    CONFIG,
    HISTORY,
    STEPS,
    METRICS,
    CARD,
    "snapshots",
    "checkpoints",
    "state",
    "epochs.html",
    "training.gif",
    "tensorboard",
)
_SNAPSHOT = re.compile(r"^epoch_(\d{3,})\.png$")
_WEIGHTS = re.compile(r"^generator_epoch_(\d{3,})\.weights\.h5$")
# history.csv counts epochs from 1 since this format; older files counted from 0.
HISTORY_FORMAT = 2


def library_versions() -> dict:
    """Versions of the libraries a run depends on, for config.json."""
    return {
        "ganlib": __version__,
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", ""),
    }


def device_description() -> str:
    """A one-line description of the hardware TensorFlow trains on."""
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        names = [
            tf.config.experimental.get_device_details(g).get("device_name", g.name) for g in gpus
        ]
        return f"{len(gpus)} GPU ({', '.join(names)})"
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    # A run pinned to some cores (taskset) says so: its speed is that of those cores.
    pinned = f", this run pinned to {usable}" if usable != cores else ""
    return f"CPU, {cores} cores{pinned} ({model})"


def _seed_states(gan):
    # Keras' save_weights leaves out SeedGenerator states (noise, dropout masks); resuming needs them.
    return [v for v in gan.non_trainable_variables if "seed_generator_state" in v.path]


class Run:
    """One run directory: its paths, its contents, and the only code that writes them.

    Args:
        directory: the run directory (need not exist yet).
    """

    def __init__(self, directory):
        self.directory = Path(directory)
        self.initial_epoch = 0
        self.diverged = None
        self._cleared = False  # ganlib's files were removed here, the user's kept (overwrite)
        self._precision = None
        self._lock = None
        self._start_time = None

    def __repr__(self):
        return f"Run({str(self.directory)!r})"

    # --- Paths ----------------------------------------------------------------------------------

    config_path = property(lambda self: self.directory / CONFIG)
    history_path = property(lambda self: self.directory / HISTORY)
    steps_path = property(lambda self: self.directory / STEPS)
    tensorboard_dir = property(lambda self: self.directory / "tensorboard")
    metrics_path = property(lambda self: self.directory / METRICS)
    card_path = property(lambda self: self.directory / CARD)
    snapshots_dir = property(lambda self: self.directory / "snapshots")
    checkpoints_dir = property(lambda self: self.directory / "checkpoints")
    latents_path = property(lambda self: self.snapshots_dir / "latents.npy")
    labels_path = property(lambda self: self.snapshots_dir / "labels.npy")
    state_dir = property(lambda self: self.directory / "state")
    lock_path = property(lambda self: self.directory / LOCK)

    def snapshot_path(self, epoch: int) -> Path:
        """The PNG of the fixed latent grid after `epoch` (0: before training)."""
        return self.snapshots_dir / f"epoch_{epoch:03d}.png"

    def weights_path(self, epoch: int) -> Path:
        """The generator's weights after `epoch`."""
        return self.checkpoints_dir / f"generator_epoch_{epoch:03d}.weights.h5"

    dropped_path = property(lambda self: self.checkpoints_dir / "dropped.json")

    def _state_folder(self, epoch: int) -> Path:
        return self.state_dir / f"epoch_{epoch:03d}"

    # --- Reading --------------------------------------------------------------------------------

    def is_run(self) -> bool:
        """Whether the folder holds a ganlib run (a readable config.json written by ganlib)."""
        try:
            self.read_config()
        except (FileNotFoundError, ValueError):
            return False
        return True

    def _epochs(self, folder: Path, pattern) -> list[int]:
        if not folder.is_dir():
            return []
        return sorted(int(m.group(1)) for m in map(pattern.match, os.listdir(folder)) if m)

    def snapshot_epochs(self) -> list[int]:
        """Epochs that have a snapshot PNG, sorted (0 is the untrained generator)."""
        return self._epochs(self.snapshots_dir, _SNAPSHOT)

    def saved_epochs(self) -> list[int]:
        """Epochs whose generator weights were saved, sorted: the epochs `restore_epoch` takes."""
        return self._epochs(self.checkpoints_dir, _WEIGHTS)

    def dropped_epochs(self) -> list[int]:
        """Completed epochs whose generator weights `drop_weights` deleted, sorted."""
        if not self.dropped_path.is_file():
            return []
        try:
            epochs = json.loads(self.dropped_path.read_text())["epochs"]
            if not all(isinstance(e, int) and not isinstance(e, bool) for e in epochs):
                raise TypeError(epochs)
        except (ValueError, OSError, KeyError, TypeError) as error:
            raise ValueError(
                f"{self.dropped_path} is damaged ({error!r}); expected the record ganlib writes, "
                '{"epochs": [...], "why": "..."}.'
            ) from error
        return sorted(set(epochs))

    def drop_weights(self, epochs, *, why: str) -> list[int]:
        """Delete the generator weights of some completed epochs, and record that it was meant.

        A run carried between machines in a repository (`tools/carry_run.py`) need not keep
        every epoch's generator: its record, snapshots and training state are what resuming and
        choosing an epoch need. The record in checkpoints/dropped.json, kept across later
        drops, lets `check_resumable` tell these deliberate gaps from lost files, and
        `restore_epoch` say why an epoch cannot be restored.

        Args:
            epochs: epochs among `saved_epochs()`.
            why: the reason, kept in the record.

        Returns:
            All the dropped epochs, these and earlier ones.

        Raises:
            ValueError: naming the epochs that have no saved weights, before anything is deleted.
        """
        saved = self.saved_epochs()
        epochs = sorted({int(e) for e in epochs})
        missing = [e for e in epochs if e not in saved]
        if missing:
            raise ValueError(
                f"Run {str(self.directory)!r} cannot drop the weights of epochs {missing}: "
                f"expected epochs among its saved ones, {saved}; nothing was deleted."
            )
        dropped = sorted({*self.dropped_epochs(), *epochs})
        # Recorded before the deletion: a crash in between leaves weights that are listed, which
        # is harmless, and never a gap that is not.
        write_json(self.dropped_path, {"epochs": dropped, "why": why})
        for epoch in epochs:
            self.weights_path(epoch).unlink()
        return dropped

    def read_config(self) -> dict:
        """The parsed config.json (ValueError naming the file if it is damaged)."""
        if not self.config_path.is_file():
            raise FileNotFoundError(
                f"{self.directory} is not a ganlib run directory: it has no {CONFIG}."
            )
        try:
            config = json.loads(self.config_path.read_text())
        except (ValueError, OSError) as error:
            raise ValueError(f"{self.config_path} is not valid JSON: {error}") from error
        if not isinstance(config, dict) or not isinstance(config.get("preset"), dict):
            raise ValueError(
                f"{self.config_path} is damaged: it holds no 'preset' object; expected the "
                "config.json ganlib writes."
            )
        return config

    def preset(self) -> Experiment:
        """The `Experiment` this run was trained with."""
        try:
            return Experiment.from_dict(self.read_config()["preset"])
        except (TypeError, ValueError) as error:
            raise ValueError(f"{self.config_path} holds an unreadable preset: {error}") from error

    def latents(self) -> np.ndarray:
        """The fixed latent grid the snapshots are drawn from."""
        if not self.latents_path.is_file():
            raise FileNotFoundError(f"{self.latents_path} is missing; the run has no latent grid.")
        return self._load_npy(self.latents_path)

    def labels(self):
        """The labels of a conditional run's snapshot grid, or None for an unconditional run."""
        return self._load_npy(self.labels_path) if self.labels_path.is_file() else None

    @staticmethod
    def _load_npy(path):
        try:
            return np.load(path)
        except (ValueError, OSError, EOFError) as error:
            raise ValueError(f"{path} is not a readable .npy file: {error}") from error

    @staticmethod
    def _read_table(path, keys) -> list[dict]:
        """A CSV file ganlib wrote as dicts of floats ([] without the file); `keys` must be columns."""
        if not path.is_file():
            return []
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        parsed = []
        for line, row in enumerate(rows, start=2):
            values = {}
            for key, value in row.items():
                if key is None or value is None:
                    raise ValueError(f"{path}, line {line}: the row does not match the header.")
                try:
                    values[key] = float("nan") if value in ("NA", "") else float(value)
                except ValueError as error:
                    raise ValueError(
                        f"{path}, line {line}: column {key!r} holds {value!r}, not a number."
                    ) from error
            parsed.append(values)
        missing = [k for k in keys if parsed and k not in parsed[0]]
        if missing:
            raise ValueError(f"{path} has no {' and '.join(repr(k) for k in missing)} column.")
        return parsed

    @staticmethod
    def _columns(rows, path, what) -> dict:
        if not rows:
            raise FileNotFoundError(f"{path} does not exist or is empty; {what}.")
        table: dict[str, list] = {}
        for row in rows:
            for key, value in row.items():
                table.setdefault(key, []).append(value)
        return {k: v for k, v in table.items() if not all(np.isnan(x) for x in v)}

    def history_rows(self) -> list[dict]:
        """history.csv's rows as dicts of floats, `epoch` counted from 1 (older files migrated)."""
        parsed = self._read_table(self.history_path, ("epoch",))
        # Files of the first format count Keras' 0-based epoch index; a file's first row says which.
        offset = 1 if parsed and parsed[0]["epoch"] == 0 else 0
        for values in parsed:
            values["epoch"] = int(values["epoch"]) + offset
        return parsed

    def history(self) -> dict:
        """history.csv as a dict of lists (`epoch` from 1); columns with no value are left out."""
        return self._columns(
            self.history_rows(), self.history_path, "the run has finished no epoch yet"
        )

    def step_rows(self) -> list[dict]:
        """steps.csv's rows as dicts of floats, `epoch` and `step` as ints ([] without the file)."""
        parsed = self._read_table(self.steps_path, ("epoch", "step"))
        for values in parsed:
            values["epoch"], values["step"] = int(values["epoch"]), int(values["step"])
        return parsed

    def steps(self) -> dict:
        """steps.csv as a dict of lists (`epoch` from 1, `step` global from 1), like `history`."""
        return self._columns(
            self.step_rows(),
            self.steps_path,
            "the run has finished no epoch with per-step logging yet",
        )

    def card(self) -> dict:
        """run_card.json as a dict ({} before the first training ends)."""
        if not self.card_path.is_file():
            return {}
        try:
            return json.loads(self.card_path.read_text())
        except (ValueError, OSError) as error:
            raise ValueError(f"{self.card_path} is not valid JSON: {error}") from error

    def snapshot_difference(self, generator, epoch: int) -> tuple[int, float]:
        """How far `generator`'s drawing of the run's grid is from the stored snapshot of `epoch`.

        Returns:
            (largest, mean) absolute difference in 8-bit levels over all pixels.
        """
        columns = self.preset().snapshot_grid[1]
        picture = render_grid(generator, self.latents(), columns, self.labels()).astype(np.int16)
        stored = read_png(self.snapshot_path(epoch)).astype(np.int16)
        if picture.shape != stored.shape:
            raise ValueError(
                f"{self.snapshot_path(epoch)} is {stored.shape}, the generator draws {picture.shape}."
            )
        difference = np.abs(picture - stored)
        return int(difference.max()), float(difference.mean())

    def shipped(self) -> dict:
        """What `ship` recorded in the run card: {"epochs": [...], "weights": dtype} or {}."""
        return self.card().get("shipped") or {}

    def reproduces_snapshot(self, generator, epoch: int) -> bool:
        """Whether `generator` draws the stored snapshot of `epoch` from the run's grid.

        Exactly, for weights saved by training; within `SHIPPED_TOLERANCE` for weights that `ship`
        stored as float16, whose rounding moves some pixels by a few levels.
        """
        largest, mean = self.snapshot_difference(generator, epoch)
        if self.shipped().get("weights") == "float16":
            return largest <= SHIPPED_TOLERANCE["largest"] and mean <= SHIPPED_TOLERANCE["mean"]
        return largest == 0

    def completed_epochs(self) -> list[int]:
        """Epochs that finished training (history.csv), whether or not their weights were kept."""
        return (
            [int(row["epoch"]) for row in self.history_rows()]
            if self.history_path.is_file()
            else []
        )

    def ship(self, destination, epochs, *, float16: bool = True, snapshot_every: int = 1) -> Run:
        """Copy this run into `destination` to be committed: its whole record, few weights.

        The copy holds config.json, history.csv, metrics.jsonl, the run card and every snapshot,
        with the generator weights of `epochs` only (stored as float16 by default, half the size),
        and no training state: it can be restored, evaluated from its logged metrics and shown,
        not resumed. The run card records the shipped epochs, their storage and, for each, how far
        the restored generator draws from its snapshot (see `reproduces_snapshot`).

        Args:
            destination: a new or empty folder, or an earlier shipped copy of a run (replaced).
            epochs: the epochs whose generator weights to keep (each one of `saved_epochs()`).
            float16: store the weights as float16 (they are restored into float32 layers).
            snapshot_every: keep the snapshot of every this many epochs only, besides epoch 0,
                the last and the shipped ones (1: all). A 10×10 grid of 32×32 RGB images is about
                0.3 MB, so 100 epochs of them would take most of a repository's budget.

        Returns:
            The `Run` in `destination`.

        Raises:
            ValueError: naming the epoch or folder at fault, before anything is written.
        """
        destination = Run(destination)
        snapshot_every = check_positive_int(snapshot_every, "snapshot_every")
        saved = self.saved_epochs()
        epochs = sorted({int(e) for e in epochs})
        missing = [e for e in epochs if e not in saved]
        if not epochs or missing:
            raise ValueError(
                f"Run {str(self.directory)!r} cannot ship epochs {missing or epochs!r}: expected "
                f"a non-empty list of its saved epochs {saved}."
            )
        if destination.directory.resolve() == self.directory.resolve():
            raise ValueError(
                f"ship needs another folder than the run itself, {str(self.directory)!r}."
            )
        if destination.directory.exists():
            if destination.is_run() and destination.shipped():
                destination.clear()
            elif destination.is_run():
                # A trained run holds every epoch's weights and its training state: never replaced.
                raise ValueError(
                    f"{str(destination.directory)!r} holds a trained run, not a shipped copy; "
                    "expected a new or empty folder, or an earlier shipped run."
                )
            elif any(destination.directory.iterdir()):
                raise ValueError(
                    f"{str(destination.directory)!r} holds files and no ganlib run; expected a new "
                    "or empty folder, or an earlier shipped run."
                )
        destination.directory.mkdir(parents=True, exist_ok=True)
        for name in (CONFIG, HISTORY, METRICS, "steps.csv"):
            if (self.directory / name).is_file():
                with atomic_path(destination.directory / name) as path:
                    shutil.copyfile(self.directory / name, path)
        destination.snapshots_dir.mkdir(exist_ok=True)
        snapshot_epochs = self.snapshot_epochs()
        kept = {e for e in snapshot_epochs if e % snapshot_every == 0} | set(epochs)
        kept |= {snapshot_epochs[-1]} if snapshot_epochs else set()
        left_out = {self.snapshot_path(e).name for e in snapshot_epochs if e not in kept}
        for source in sorted(self.snapshots_dir.iterdir()):
            if not is_temporary(source) and source.name not in left_out:
                with atomic_path(destination.snapshots_dir / source.name) as path:
                    shutil.copyfile(source, path)
        destination.checkpoints_dir.mkdir(exist_ok=True)
        differences = {}
        for epoch in epochs:
            with atomic_path(destination.weights_path(epoch)) as path:
                if float16:
                    _weights_to_float16(self.weights_path(epoch), path)
                else:
                    shutil.copyfile(self.weights_path(epoch), path)
            largest, mean = destination.snapshot_difference(
                restore_epoch(destination.directory, epoch), epoch
            )
            differences[str(epoch)] = {"largest": largest, "mean": round(mean, 4)}
        card = dict(self.card())
        card["shipped"] = {
            "epochs": epochs,
            "weights": "float16" if float16 else "float32",
            "snapshot_difference": differences,
            "from": str(self.directory),
        }
        if left_out:
            # The others stay in the source run; the browser and the collage show what is here.
            card["shipped"]["snapshot_every"] = snapshot_every
            card["shipped"]["snapshot_epochs"] = sorted(kept)
        write_json(destination.card_path, card)
        return destination

    def wall_time(self) -> float:
        """Seconds of training over the completed epochs (from history.csv)."""
        rows = self.history_rows()
        return float(
            sum(
                r.get("epoch_seconds", 0.0)
                for r in rows
                if np.isfinite(r.get("epoch_seconds", 0.0))
            )
        )

    def state_epoch(self) -> int:
        """The last epoch whose full training state was saved (0 if none)."""
        path = self.state_dir / "latest.json"
        if not path.is_file():
            return 0
        try:
            epoch = json.loads(path.read_text())["epoch"]
            if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
                raise ValueError(f"epoch {epoch!r} is not a count of epochs")
            return epoch
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"{path} is damaged ({error}); cannot tell where to resume."
            ) from error

    def differences(self, preset: Experiment) -> dict:
        """Fields in which `preset` differs from this run's, besides the epoch count."""
        held = self.preset()
        if dataclasses.replace(held, epochs=preset.epochs) == preset:
            return {}
        requested = preset.to_dict()
        return {
            k: (v, requested[k])
            for k, v in held.to_dict().items()
            if k not in ("epochs", "steps_per_execution") and requested[k] != v
        }

    def finished(self, preset: Experiment) -> bool:
        """Whether this is a run of `preset` with all of `preset.epochs` saved (for a copy made by
        `ship`: all of them trained, with the weights of at least one epoch kept; a long run may
        ship its best epoch only, not its last; for a run whose weights `drop_weights` thinned:
        all of them trained, and saved or dropped on purpose).

        The first N epochs of a longer run, or of one stopped after epoch N, are exactly a run
        of N epochs: nothing in training depends on the total count (learning-rate schedules
        count steps).
        """
        if not self.is_run() or self.differences(preset):
            return False
        if self.shipped():
            # A shipped copy keeps the weights of a few epochs only.
            completed = set(self.completed_epochs())
            return set(range(1, preset.epochs + 1)) <= completed and bool(self.saved_epochs())
        # Epochs whose weights `drop_weights` deleted on purpose count if they were trained.
        dropped = set(self.dropped_epochs()) & set(self.completed_epochs())
        return set(range(1, preset.epochs + 1)) <= set(self.saved_epochs()) | dropped

    # --- Checks before anything is written ------------------------------------------------------

    def prepare(self, preset: Experiment, *, overwrite: bool = False, resume: bool = False):
        """Check that training `preset` here may start, and clear the run when `overwrite` asks.

        Nothing is written unless every check passes. A folder that is not a ganlib run is never
        cleared: `overwrite` replaces ganlib's own files of a run, and nothing else.

        Raises:
            ValueError: naming the folder and what it holds.
        """
        if self.directory.exists() and not self.directory.is_dir():
            raise ValueError(f"run_dir {str(self.directory)!r} exists and is not a directory.")
        for parent in self.directory.parents:
            if parent.exists() and not parent.is_dir():
                raise ValueError(
                    f"run_dir {str(self.directory)!r} lies below {str(parent)!r}, which is a file."
                )
            if parent.exists():
                break
        if self.config_path.exists() and not self.is_run():
            self.read_config()  # raises, naming the file and what is wrong with it
        foreign = self.foreign_entries()
        if not self.is_run():
            if foreign:
                raise ValueError(
                    f"run_dir {str(self.directory)!r} is not a ganlib run directory and is not "
                    f"empty: it holds {_names(foreign)}. ganlib writes runs only into an empty or "
                    "new folder; choose another run_dir."
                )
            return
        self._check_unlocked()
        if overwrite:
            self.clear()
            return
        if not resume:
            raise ValueError(
                f"run_dir {str(self.directory)!r} already holds a run of preset "
                f"{self.preset().name!r} with {len(self.saved_epochs())} saved epochs; choose a "
                "new run_dir, resume it (resume=True, CLI: --resume), or replace it "
                "(overwrite=True, CLI: --overwrite)."
            )
        self.check_resumable(preset)

    def check_resumable(self, preset: Experiment) -> int:
        """The epoch a resume of `preset` starts after; ValueError when it cannot resume."""
        differences = self.differences(preset)
        if differences:
            raise ValueError(
                f"run_dir {str(self.directory)!r} holds a different experiment "
                f"({self.preset().name!r}); fields that differ (held, requested): {differences}. "
                "Choose a new run_dir, or pass overwrite=True (CLI: --overwrite) to replace it."
            )
        done, saved = self.state_epoch(), self.saved_epochs()
        if done == 0 and saved:
            raise ValueError(
                f"run_dir {str(self.directory)!r} has {len(saved)} saved epochs but no training "
                "state to resume from (it was written before resuming existed): its epochs can be "
                "restored and evaluated, but not trained further; train into a new run_dir."
            )
        if done:
            for path in self._state_files(done):
                if not path.is_file():
                    raise ValueError(
                        f"{path} is missing; the training state of epoch {done} is incomplete."
                    )
            self._check_epoch_files(done)
        return done

    def _check_epoch_files(self, done: int):
        """Refuse to resume a run whose completed epochs lack a file: it would call itself done.

        Weights that `drop_weights` deleted on purpose are not missing.
        """
        dropped = set(self.dropped_epochs())
        missing = [
            path
            for epoch in range(1, done + 1)
            for path in (self.weights_path(epoch), self.snapshot_path(epoch))
            if not path.is_file() and not (epoch in dropped and path.suffix == ".h5")
        ]
        rows = {row["epoch"] for row in self.history_rows()}
        missing_rows = sorted(set(range(1, done + 1)) - rows)
        if missing or missing_rows:
            what = [str(p.relative_to(self.directory)) for p in missing[:5]]
            if missing_rows:
                what.append(f"history.csv rows of epochs {missing_rows[:10]}")
            raise ValueError(
                f"run_dir {str(self.directory)!r} has a training state after epoch {done}, but "
                f"files of its completed epochs are missing: {', '.join(what)}. Restore them, or "
                "train into a new run_dir; resuming would leave the run with holes."
            )

    def foreign_entries(self) -> list[Path]:
        """Entries of the folder that ganlib did not write (the user's own files)."""
        if not self.directory.is_dir():
            return []
        own = {*OWN_ENTRIES, LOCK, LOCK_OWNER}
        return sorted(
            p for p in self.directory.iterdir() if p.name not in own and not is_temporary(p)
        )

    def clear(self):
        """Delete ganlib's own files of this run (never anything else: the user's files stay)."""
        if not self.is_run():
            raise ValueError(
                f"{str(self.directory)!r} is not a ganlib run directory; nothing was deleted."
            )
        for name in OWN_ENTRIES:
            path = self.directory / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        self.remove_temporaries()
        self._cleared = True

    def remove_temporaries(self) -> list[Path]:
        """Delete the temporary files a killed run left half-written, and only those."""
        if not self.directory.is_dir():
            return []
        stale = [p for p in self.directory.rglob("*") if p.is_file() and is_temporary(p)]
        for path in stale:
            path.unlink()
        return stale

    # --- The trainer's lock ---------------------------------------------------------------------

    def _owner(self) -> str:
        try:
            owner = json.loads((self.directory / LOCK_OWNER).read_text())
            return f"process {owner['pid']} on {owner['host']}, since {owner['since']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "another process"

    def _acquire(self) -> filelock.FileLock:
        """The run's lock, acquired at once; ValueError naming the holder when another has it."""
        lock = filelock.FileLock(self.lock_path, timeout=0)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise ValueError(
                f"run_dir {str(self.directory)!r} is being trained by {self._owner()}; wait for "
                "it to finish, or stop it, before starting another trainer there."
            ) from None
        return lock

    def _check_unlocked(self):
        if self.lock_path.exists():
            self._acquire().release()

    def lock(self):
        """Hold the run's lock for a trainer: a second trainer fails at once, naming the first."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = self._acquire()
        write_json(
            self.directory / LOCK_OWNER,
            {"pid": os.getpid(), "host": socket.gethostname(), "since": _now()},
        )

    def unlock(self):
        """Release the lock taken by `lock` (a no-op when not held)."""
        if self._lock is not None:
            (self.directory / LOCK_OWNER).unlink(missing_ok=True)
            self._lock.release()
            self._lock = None

    # --- Writing, as training goes ----------------------------------------------------------------

    def begin(self, preset: Experiment, gan, *, mode: str = "full") -> int:
        """Start or resume training `preset` here with the model `gan`; returns epochs done.

        A new or empty folder gets config.json and the fixed snapshot grid. A run of the same
        preset resumes after its last completed epoch: both networks, both optimizers and the
        random generators are restored, and its planned epoch count is raised or lowered to
        `preset.epochs` only once that load has succeeded.
        """
        self.lock()
        self.diverged = None
        try:
            if not self.is_run():
                self.create(preset, mode)
                self.initial_epoch = 0
            else:
                done = self.check_resumable(preset)
                self.remove_temporaries()
                if done:
                    self.load_state(gan, done)
                if self.preset().epochs != preset.epochs:
                    config = self.read_config()
                    config["preset"]["epochs"] = preset.epochs
                    write_json(self.config_path, config)
                self.initial_epoch = done
            if not self.latents_path.is_file():
                self._write_grid(preset)
        except BaseException:
            self.unlock()
            raise
        self._start_time = datetime.datetime.now(datetime.timezone.utc)
        self._precision = resolve(preset.precision)
        return self.initial_epoch

    def create(self, preset: Experiment, mode: str = "full"):
        """Start a new run of `preset` here: config.json and the fixed snapshot grid.

        Raises:
            ValueError: the folder already holds a run, or other files.
        """
        if self.is_run():
            raise ValueError(f"run_dir {str(self.directory)!r} already holds a run.")
        if not self._cleared:
            self.prepare(preset)  # refuses a folder of other files
        self.directory.mkdir(parents=True, exist_ok=True)
        base = PRESETS.get(preset.name, preset)
        current, reference = preset.to_dict(), base.to_dict()
        write_json(
            self.config_path,
            {
                "preset": current,
                "base_preset": base.name,
                "overrides": {k: v for k, v in current.items() if reference.get(k) != v},
                "seed": preset.seed,
                "mode": mode,
                "created": _now(),
                "device": device_description(),
                "versions": library_versions(),
                "history_format": HISTORY_FORMAT,
                "precision": resolve(preset.precision),
            },
        )
        self._write_grid(preset)

    def _write_grid(self, preset: Experiment):
        latents, labels = snapshot_grid(preset)
        if labels is not None:
            with atomic_path(self.labels_path) as path:
                np.save(path, labels)
        with atomic_path(self.latents_path) as path:
            np.save(path, latents)

    def write_snapshot(self, epoch: int, picture: np.ndarray):
        """The snapshot PNG of `epoch`."""
        write_png(self.snapshot_path(epoch), picture)

    def write_weights(self, epoch: int, generator):
        """The generator's weights after `epoch`."""
        with atomic_path(self.weights_path(epoch)) as temporary:
            generator.save_weights(temporary)

    @staticmethod
    def _write_table(path, rows: list[dict], first: tuple[str, ...]):
        columns = [*first, *sorted({k for row in rows for k in row} - set(first))]
        text = io.StringIO()
        writer = csv.DictWriter(text, columns, restval="NA", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_text(path, text.getvalue())

    def write_history(self, rows: list[dict]):
        """Replace history.csv with `rows` (dicts with `epoch` from 1), atomically."""
        self._write_table(self.history_path, rows, ("epoch",))

    def write_steps(self, rows: list[dict]):
        """Replace steps.csv with `rows` (dicts with `epoch` and `step`), atomically."""
        self._write_table(self.steps_path, rows, ("epoch", "step"))

    def _state_files(self, epoch: int) -> tuple[Path, Path]:
        folder = self._state_folder(epoch)
        return folder / "gan.weights.h5", folder / "rng.npy"

    def save_state(self, gan, epoch: int):
        """Save everything a resume needs after `epoch`; the previous state is kept until then.

        The state goes to a new folder `state/epoch_NNN/`; only when it is complete does
        `state/latest.json` point at it (an atomic rename), and older folders are removed after.
        """
        weights, rng = self._state_files(epoch)
        with atomic_path(weights) as temporary:
            gan.save_weights(temporary)
        with atomic_path(rng) as temporary:
            np.save(temporary, np.stack([np.asarray(v.numpy()) for v in _seed_states(gan)]))
        write_json(self.state_dir / "latest.json", {"epoch": epoch, "folder": weights.parent.name})
        for old in self.state_dir.glob("epoch_*"):
            if old != weights.parent and old.is_dir():
                shutil.rmtree(old)

    def load_state(self, gan, epoch: int | None = None) -> int:
        """Restore the state `save_state` wrote last into `gan`; returns its epoch.

        Raises:
            ValueError: naming the file, if the state is missing pieces or does not fit the model.
        """
        epoch = self.state_epoch() if epoch is None else epoch
        weights, rng = self._state_files(epoch)
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
            raise ValueError(
                f"Could not load the training state {weights.parent}: {error}"
            ) from error
        variables = _seed_states(gan)
        if len(states) != len(variables):
            raise ValueError(
                f"{rng} holds {len(states)} random-generator states; the model has "
                f"{len(variables)}."
            )
        for variable, state in zip(variables, states):
            variable.assign(state)
        return epoch

    def finish(self, *, mode: str, images: int | None = None):
        """Write run_card.json at the end of a training session, and release the lock."""
        try:
            if self.is_run():
                card = self.card()
                write_json(
                    self.card_path,
                    {
                        "epochs_completed": len(self.completed_epochs()),
                        "train_images": images or card.get("train_images"),
                        "wall_time_seconds": round(self.wall_time(), 1),
                        "mode": mode,
                        "precision": self._precision,
                        "diverged": self.diverged,
                        "device": device_description(),
                        "finished": _now(),
                    },
                )
        finally:
            self.unlock()

    def callbacks(
        self,
        preset: Experiment,
        *,
        extra=(),
        mode: str | None = None,
        tensorboard: bool = False,
        step_every: int | None = None,
    ) -> list:
        """The Keras callbacks that make `fit` a complete, resumable training run of `preset`.

        They set themselves up in `on_train_begin`: the first creates this run directory, or
        resumes it after its last completed epoch (restoring both networks, both optimizers and
        the random generators into the model); the others write each epoch's snapshot, generator
        weights, history row, per-step rows (steps.csv) and training state, and the run card at
        the end. `extra` callbacks run after the history and step rows and before the training
        state.

        Args:
            preset: the `Experiment` being trained.
            extra: more Keras callbacks (metric callbacks, for instance).
            mode: "full" or "quick", recorded in config.json; by default from `quick_mode()`.
            tensorboard: also write TensorBoard event files to `run_dir/tensorboard/`
                (`ganlib.callbacks.TensorBoardLogger`, which says how to open them).
            step_every: steps between the rows of steps.csv (and TensorBoard's per-step values);
                by default about 25 rows an epoch (`ganlib.callbacks.step_interval`).

        Example:
            >>> gan = ganlib.training.build_gan(preset)
            >>> run = ganlib.Run("runs/sharma")
            >>> gan.fit(dataset, epochs=preset.epochs, callbacks=run.callbacks(preset))
        """
        if mode is None:
            mode = "quick" if quick_mode() else "full"
        return [
            run_callbacks.RunSession(self, preset, mode=mode),
            run_callbacks.EpochTimer(),
            run_callbacks.StopOnDivergence(self),
            run_callbacks.Snapshots(self, columns=preset.snapshot_grid[1]),
            run_callbacks.GeneratorCheckpoints(self),
            run_callbacks.HistoryLogger(self),
            run_callbacks.StepLogger(self, every=step_every),
            *extra,
            # After the metric callbacks of `extra`, so that it finds their records of the epoch.
            *([run_callbacks.TensorBoardLogger(self, every=step_every)] if tensorboard else []),
            run_callbacks.TrainingState(
                self
            ),  # last: it vouches that the epoch's files are written
        ]


# How far a generator restored from float16 weights may draw from its float32 snapshot, in 8-bit
# levels (measured by `ship` for every shipped epoch and recorded in its run card).
SHIPPED_TOLERANCE = {"largest": 32, "mean": 1.0}


def _weights_to_float16(source, destination):
    """Write a copy of a Keras .weights.h5 file whose float32 arrays are stored as float16.

    An array that float16 cannot hold (a value beyond 65,504, such as a large BatchNorm variance)
    stays float32. Keras casts each array to its variable's dtype when it loads the file. The copy
    is written anew rather than edited in place, since HDF5 does not give back a deleted array's
    space.
    """

    def copy(name, item):
        if isinstance(item, h5py.Group):
            target = shrunk.require_group(name)
        else:
            values = item[()]
            if item.dtype == np.float32 and np.all(np.isfinite(values.astype(np.float16))):
                values = values.astype(np.float16)
            target = shrunk.create_dataset(name, data=values)
        target.attrs.update(item.attrs)

    with h5py.File(source, "r") as weights, h5py.File(destination, "w") as shrunk:
        shrunk.attrs.update(weights.attrs)
        weights.visititems(copy)


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _names(paths, limit: int = 5) -> str:
    names = [p.name + ("/" if p.is_dir() else "") for p in paths[:limit]]
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return ", ".join(repr(n) for n in names) + more


def list_epochs(run_dir) -> list[int]:
    """Epochs of a run whose generator weights can be restored."""
    return Run(run_dir).saved_epochs()


def read_history(run_dir) -> dict:
    """history.csv of a run as a dict of lists, `epoch` numbered from 1 like the snapshots."""
    return Run(run_dir).history()


def restore_epoch(run_dir, epoch: int):
    """The generator of a run as it was after `epoch`.

    Args:
        run_dir: a run directory written by `ganlib.train`.
        epoch: an epoch whose weights were saved (see `list_epochs`).

    Returns:
        The generator, a `keras.Model`, with that epoch's weights (it remembers its preset's noise
        distribution, which `ganlib.sample` then draws).

    Example:
        >>> generator = restore_epoch("runs/sharma_fashion_mnist", 5)
        >>> images = ganlib.sample(generator, 16, seed=0)
    """
    run = Run(run_dir)
    preset = run.preset()
    saved = run.saved_epochs()
    if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch not in saved:
        dropped = run.dropped_epochs()
        why = (
            f" (its weights were dropped on purpose, with those of epochs {dropped}: see "
            f"{run.dropped_path})"
            if epoch in dropped
            else ""
        )
        raise ValueError(
            f"Run {str(run.directory)!r} has no saved generator for epoch {epoch!r}{why}; "
            f"saved epochs: {saved}."
        )
    generator = build_generator(preset)
    path = run.weights_path(int(epoch))
    try:
        generator.load_weights(path)
    except Exception as error:  # h5py and Keras raise several types for a damaged file
        raise ValueError(f"Could not load generator weights from {path}: {error}") from error
    return generator


def finished_run(run_dir, preset):
    """The `Run` in `run_dir` if it holds `preset` with all of `preset.epochs` saved, else None."""
    run = Run(run_dir)
    return run if run.finished(preset) else None


def first_finished(preset, *run_dirs):
    """The first of `run_dirs` that holds a finished run of `preset`, else the last one.

    Notebooks use it to show a run committed under results/ (shipped with its weights) instead
    of training again, and to train into their own folder otherwise:
    `first_finished(preset, f"../results/{preset.name}", "../runs/" + preset.name)`.
    """
    if not run_dirs:
        raise ValueError("first_finished needs at least one run directory.")
    for run_dir in run_dirs:
        if Run(run_dir).finished(preset):
            return run_dir
    return run_dirs[-1]


def run_card(run_dirs, *, quick: bool | None = None, stand_in: bool = False) -> str:
    """A short markdown description of how a run was made: mode, data, epochs, hardware, time.

    Args:
        run_dirs: one run directory, or several (their cards follow each other).
        quick: with True or False, a banner says so first (QUICK MODE, or a full run when there is
            no stand-in data either); None (the default) adds no banner unless `stand_in` is set,
            and then reads `quick_mode()`.
        stand_in: whether the runs trained on stand-in pictures: a STAND-IN DATA banner says so.

    Returns:
        The markdown text; `run_card(run_dir)` alone is the card of that one run, without banners.

    Raises:
        ValueError: for an empty list of run directories.
    """
    several = not isinstance(run_dirs, (str, os.PathLike))
    if several or quick is not None or stand_in:
        run_dirs = list(run_dirs) if several else [run_dirs]
        if not run_dirs:
            raise ValueError(f"run_card needs at least one run directory, received {run_dirs!r}.")
        banners = []
        if quick is not None or stand_in:
            quick = quick_mode() if quick is None else quick
            if quick:
                banners.append(
                    "**QUICK MODE** — a smoke run (few images, 1–2 epochs), not a result."
                )
            if stand_in:
                banners.append(
                    "**STAND-IN DATA** — synthetic pictures written by "
                    "`ganlib.data.write_stand_in_folder`, not the report's dataset (it was not "
                    "found here)."
                )
            if not quick and not stand_in:
                banners.append("**Full run** on the real dataset.")
        return "\n\n".join(banners + [run_card(run_dir) for run_dir in run_dirs])
    run_dir = run_dirs
    run = Run(run_dir)
    config = run.read_config()
    preset = config["preset"]
    card = run.card()
    epochs = run.completed_epochs() or run.saved_epochs()
    shipped = run.shipped()
    wall = run.wall_time() if run.history_path.is_file() else None
    base = PRESETS.get(preset["name"])
    if wall is None:
        wall_text = "no epoch finished yet"
    elif card:
        wall_text = f"{wall / 60:.1f} min"
    else:
        wall_text = f"{wall / 60:.1f} min over the completed epochs (the run was stopped early)"
    images = card.get("train_images", preset.get("train_images") or "all")
    versions = config.get("versions", {})
    overrides = {k: v for k, v in (config.get("overrides") or {}).items() if k != "epochs"}
    report = f", the report's {base.epochs}" if base is not None else ""
    return "\n".join(
        [
            f"**Run card** — `{run.directory}`",
            "",
            f"- mode: **{config.get('mode', 'full')}**; preset `{preset['name']}` "
            f"(overrides besides epochs: {overrides or 'none'})",
            f"- data: `{preset['dataset']}`, {images} training images, batch {preset['batch_size']}",
            f"- epochs completed: {len(epochs)} of {preset['epochs']} planned{report}",
            f"- device: {card.get('device') or config.get('device', 'unknown')}; precision "
            f"{card.get('precision') or config.get('precision', 'float32')}",
            f"- wall time: {wall_text}; started {config.get('created', '?')}",
            *(
                [
                    f"- weights kept for epochs {shipped['epochs']} ({shipped['weights']}), "
                    "no training state: restorable, not resumable"
                ]
                if shipped
                else []
            ),
            f"- TensorFlow {versions.get('tensorflow', '?')}, Keras {versions.get('keras', '?')}, "
            f"ganlib {versions.get('ganlib', '?')}, seed {config.get('seed')}",
        ]
    )
