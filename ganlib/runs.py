"""The run directory: everything a person needs to pick an epoch and restore it.

Layout::

    run_dir/
      config.json                                 preset, overrides, seed, library versions
      history.csv                                 one row per epoch (Keras' CSVLogger)
      metrics.jsonl                               evaluation results, one JSON object per line
      snapshots/latents.npy                       the fixed latent grid, drawn once
      snapshots/epoch_000.png, epoch_001.png ...  that grid through the generator, per epoch
      checkpoints/generator_epoch_001.weights.h5  the generator's weights, per epoch

Epochs are numbered from 1 (epoch 0 is the untrained generator). Files are written to a temporary
name and renamed, so a crash leaves the previous file or the new one, never half of one.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import platform
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ganlib import _env  # noqa: F401

CONFIG = "config.json"
HISTORY = "history.csv"
METRICS = "metrics.jsonl"
_SNAPSHOT = re.compile(r"^epoch_(\d{3,})\.png$")
_WEIGHTS = re.compile(r"^generator_epoch_(\d{3,})\.weights\.h5$")


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success rename it onto `path` in one step.

    The temporary name keeps the final suffix, since some writers (Keras' `save_weights`) insist on it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.stem}.", suffix="".join(path.suffixes) or ".tmp"
    )
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_json(path, value):
    """Write `value` as indented JSON, atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(value, indent=2, sort_keys=True) + "\n")


def library_versions() -> dict:
    """Versions of the libraries a run depends on, for config.json."""
    import keras
    import tensorflow as tf

    import ganlib

    return {
        "ganlib": ganlib.__version__,
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", ""),
    }


def device_description() -> str:
    """A one-line description of the hardware TensorFlow trains on."""
    import tensorflow as tf

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
    return f"CPU, {os.cpu_count()} cores ({model})"


class Run:
    """Paths and contents of one run directory.

    Args:
        directory: the run directory (need not exist yet).
    """

    def __init__(self, directory):
        self.directory = Path(directory)

    def __repr__(self):
        return f"Run({str(self.directory)!r})"

    config_path = property(lambda self: self.directory / CONFIG)
    history_path = property(lambda self: self.directory / HISTORY)
    metrics_path = property(lambda self: self.directory / METRICS)
    snapshots_dir = property(lambda self: self.directory / "snapshots")
    checkpoints_dir = property(lambda self: self.directory / "checkpoints")
    latents_path = property(lambda self: self.snapshots_dir / "latents.npy")
    state_dir = property(lambda self: self.directory / "state")

    def remove_temporaries(self) -> list[Path]:
        """Delete the temporary files a killed run left half-written (see `atomic_path`)."""
        stale = [p for p in self.directory.rglob(".*") if p.is_file()]
        for path in stale:
            path.unlink()
        return stale

    def snapshot_path(self, epoch: int) -> Path:
        """The PNG of the fixed latent grid after `epoch` (0: before training)."""
        return self.snapshots_dir / f"epoch_{epoch:03d}.png"

    def weights_path(self, epoch: int) -> Path:
        """The generator's weights after `epoch`."""
        return self.checkpoints_dir / f"generator_epoch_{epoch:03d}.weights.h5"

    def _epochs(self, folder: Path, pattern) -> list[int]:
        if not folder.is_dir():
            return []
        return sorted(int(m.group(1)) for m in map(pattern.match, os.listdir(folder)) if m)

    def snapshot_epochs(self) -> list[int]:
        """Epochs that have a snapshot PNG, sorted."""
        return self._epochs(self.snapshots_dir, _SNAPSHOT)

    def epochs(self) -> list[int]:
        """Epochs whose generator weights were saved, sorted."""
        return self._epochs(self.checkpoints_dir, _WEIGHTS)

    def read_config(self) -> dict:
        """The parsed config.json."""
        if not self.config_path.is_file():
            raise FileNotFoundError(
                f"{self.directory} is not a ganlib run directory: it has no {CONFIG}."
            )
        try:
            return json.loads(self.config_path.read_text())
        except json.JSONDecodeError as error:
            raise ValueError(f"{self.config_path} is not valid JSON: {error}") from error

    def preset(self):
        """The `Experiment` this run was trained with."""
        from ganlib.experiments import Experiment

        return Experiment.from_dict(self.read_config()["preset"])

    def latents(self) -> np.ndarray:
        """The fixed latent grid the snapshots are drawn from."""
        if not self.latents_path.is_file():
            raise FileNotFoundError(f"{self.latents_path} is missing; the run has no latent grid.")
        return np.load(self.latents_path)

    @classmethod
    def create(cls, directory, preset, *, base_preset=None, overwrite=False, mode="full"):
        """Start a new run directory and write its config.json.

        Args:
            directory: where to write.
            preset: the `Experiment` to train.
            base_preset: the preset it was derived from, to record the overrides.
            overwrite: replace a run that is already there. Without it an existing run (or any
                non-empty folder) is refused, and nothing in it is touched.
            mode: "full" or "quick", recorded in the config.

        Returns:
            The `Run`.
        """
        run = cls(directory)
        if run.directory.exists() and not run.directory.is_dir():
            raise ValueError(f"run_dir {str(run.directory)!r} exists and is not a directory.")
        if run.directory.is_dir() and any(run.directory.iterdir()):
            if not overwrite:
                held = ""
                if run.config_path.is_file():
                    try:
                        held = f" a run of preset {run.read_config()['preset']['name']!r} with"
                    except (ValueError, KeyError):
                        held = " a run with"
                raise ValueError(
                    f"run_dir {str(run.directory)!r} already holds{held} "
                    f"{len(run.epochs())} saved epochs and other files; choose a new run_dir, "
                    "or pass overwrite=True (CLI: --overwrite) to replace it."
                )
            shutil.rmtree(run.directory)
        run.directory.mkdir(parents=True, exist_ok=True)
        overrides = {}
        if base_preset is not None:
            base, current = base_preset.to_dict(), preset.to_dict()
            overrides = {k: v for k, v in current.items() if base.get(k) != v}
        write_json(
            run.config_path,
            {
                "preset": preset.to_dict(),
                "base_preset": base_preset.name if base_preset is not None else preset.name,
                "overrides": overrides,
                "seed": preset.seed,
                "mode": mode,
                "created": datetime.datetime.now(datetime.timezone.utc).isoformat(
                    timespec="seconds"
                ),
                "device": device_description(),
                "versions": library_versions(),
            },
        )
        return run


def list_epochs(run_dir) -> list[int]:
    """Epochs of a run whose generator weights can be restored."""
    return Run(run_dir).epochs()


def restore_epoch(run_dir, epoch: int):
    """The generator of a run as it was after `epoch`.

    Args:
        run_dir: a run directory written by `ganlib.train`.
        epoch: an epoch whose weights were saved (see `list_epochs`).

    Returns:
        The generator, a `keras.Model`, with that epoch's weights.

    Example:
        >>> generator = restore_epoch("runs/sharma_fashion_mnist", 5)
        >>> images = generator(noise, training=False)
    """
    from ganlib.models import build_generator

    run = Run(run_dir)
    preset = run.preset()
    saved = run.epochs()
    if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or epoch not in saved:
        raise ValueError(
            f"Run {str(run.directory)!r} has no saved generator for epoch {epoch!r}; "
            f"saved epochs: {saved}."
        )
    generator = build_generator(preset)
    path = run.weights_path(int(epoch))
    try:
        generator.load_weights(path)
    except Exception as error:  # h5py and Keras raise several types for a damaged file
        raise ValueError(f"Could not load generator weights from {path}: {error}") from error
    return generator


def sample(generator, count: int, *, noise_dim=None, noise="normal", seed=None):
    """New images from new noise.

    Args:
        generator: a generator model (e.g. from `restore_epoch`).
        count: number of images.
        noise_dim: length of the noise vector; by default the generator's input size.
        noise: "normal" or "uniform" (in [-1, 1]), as the preset that trained it.
        seed: seed of the noise, for a repeatable draw.

    Returns:
        A NumPy array (count, H, W, C) in [-1, 1].
    """
    if not isinstance(count, int) or count <= 0:
        raise ValueError(f"count must be a positive integer, received {count!r}.")
    noise_dim = noise_dim or generator.input_shape[-1]
    latents = draw_latents(count, noise_dim, noise, seed)
    return np.asarray(generator(latents, training=False))


def draw_latents(count: int, noise_dim: int, noise: str = "normal", seed=None) -> np.ndarray:
    """A float32 (count, noise_dim) array of normal or uniform [-1, 1] noise, from NumPy's RNG."""
    rng = np.random.default_rng(seed)
    if noise == "normal":
        return rng.standard_normal((count, noise_dim), dtype=np.float32)
    if noise == "uniform":
        return rng.uniform(-1.0, 1.0, (count, noise_dim)).astype(np.float32)
    raise ValueError(f"noise must be 'normal' or 'uniform', received {noise!r}.")


def read_history(run_dir) -> dict:
    """history.csv as a dict of lists, with `epoch` numbered from 1 like the snapshots.

    Keras' CSVLogger adds `val_*` columns filled with "NA" when there is no validation data;
    columns with no value at all are left out.
    """
    path = Run(run_dir).history_path
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist; the run has finished no epoch yet.")
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    history: dict[str, list] = {}
    for row in rows:
        for key, value in row.items():
            if value in ("NA", "", None):
                number = float("nan")
            else:
                try:
                    number = float(value)
                except ValueError as error:
                    raise ValueError(
                        f"{path}: column {key!r} holds {value!r}, not a number."
                    ) from error
            history.setdefault(key, []).append(int(number) + 1 if key == "epoch" else number)
    return {k: v for k, v in history.items() if not all(np.isnan(x) for x in v)}


def finished_run(run_dir, preset):
    """The run of `preset` in `run_dir` if it has completed all of `preset.epochs`, else None.

    The run must hold the same preset, except that it may have been planned for more epochs:
    nothing in training depends on the total epoch count (the learning-rate schedule counts
    steps), so the first N epochs of a longer run, or of one stopped after epoch N, are exactly a
    run of N epochs.
    """
    import dataclasses

    from ganlib.experiments import Experiment

    run = Run(run_dir)
    if not run.config_path.is_file():
        return None
    held = Experiment.from_dict(run.read_config()["preset"])
    if dataclasses.replace(held, epochs=preset.epochs) != preset:
        return None
    if not set(range(1, preset.epochs + 1)) <= set(run.epochs()):
        return None
    return run


def _wall_time(run: Run):
    """(seconds, finished): from run_card.json, or summed over history.csv for a stopped run."""
    card_path = run.directory / "run_card.json"
    if card_path.is_file():
        return json.loads(card_path.read_text()).get("wall_time_seconds"), True
    if run.history_path.is_file():
        return float(sum(read_history(run.directory).get("epoch_seconds", []))), False
    return None, False


def run_card(run_dir) -> str:
    """A short markdown description of how a run was made: mode, data, epochs, hardware, time."""
    run = Run(run_dir)
    config = run.read_config()
    preset = config["preset"]
    card_path = run.directory / "run_card.json"
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    epochs = run.epochs()
    wall, finished = _wall_time(run)
    if wall is None:
        wall_text = "no epoch finished yet"
    elif finished:
        wall_text = f"{wall / 60:.1f} min"
    else:
        wall_text = f"{wall / 60:.1f} min over the completed epochs (the run was stopped early)"
    images = card.get("train_images", preset.get("train_images") or "all")
    versions = config.get("versions", {})
    return "\n".join(
        [
            f"**Run card** — `{run.directory}`",
            "",
            f"- mode: **{config.get('mode', 'full')}**; preset `{preset['name']}` "
            f"(overrides: {config.get('overrides') or 'none'})",
            f"- data: `{preset['dataset']}`, {images} training images, batch {preset['batch_size']}",
            f"- epochs completed: {len(epochs)} of {preset['epochs']}",
            f"- device: {config.get('device', 'unknown')}",
            f"- wall time: {wall_text}; started {config.get('created', '?')}",
            f"- TensorFlow {versions.get('tensorflow', '?')}, Keras {versions.get('keras', '?')}, "
            f"ganlib {versions.get('ganlib', '?')}, seed {config.get('seed')}",
        ]
    )
