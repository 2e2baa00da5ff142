"""Where datasets are found: one lookup order for the library, the CLI, the notebooks and the tests.

A dataset NAME is looked for as `NAME.npz` (array datasets, Keras' layout) or as a folder `NAME/`
(hand-downloaded image folders), in this order:

1. `$GANLIB_DATA_DIR`, when it is set (it must then be an existing folder);
2. the repository's `data/` folder, which holds the committed samples (`mnist_sample`,
   `fashion_mnist_sample`, `cifar10_sample`);
3. ganlib's cache folder: `$GANLIB_CACHE_DIR`, else `$XDG_CACHE_HOME/ganlib`, else
   `~/.cache/ganlib`;
4. a download: Keras for mnist and fashion_mnist (the arrays are then kept in the cache as
   `NAME.npz`), TFDS for cifar10, cifar100 and oxford_flowers102 (kept in TFDS's own data folder,
   `$TFDS_DATA_DIR` or `~/tensorflow_datasets`).

When none of them gives the dataset, `DatasetUnavailable` (a `FileNotFoundError`) names the
folders searched and the ways out. The CLI prints it as one `error:` line.
"""

from __future__ import annotations

import os
import socket
import tempfile
import zipfile
from pathlib import Path

import keras
import numpy as np

from ganlib.data.checks import check_labels
from ganlib.data.registry import MANUAL_DATASETS, SAMPLES, check_split, dataset_info

REPO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DATA_DIR_VARIABLE = "GANLIB_DATA_DIR"


class DatasetUnavailable(FileNotFoundError):
    """A dataset is in none of the searched folders and could not be downloaded."""


def env_data_dir() -> Path | None:
    """`$GANLIB_DATA_DIR` as a Path, None when unset; an error when it is not a folder."""
    value = os.environ.get(DATA_DIR_VARIABLE, "")
    if not value.strip():
        return None
    path = Path(value).expanduser()
    if not path.is_dir():
        raise DatasetUnavailable(
            f"{DATA_DIR_VARIABLE} is set to {value!r}, which is not a folder; expected a folder "
            "holding <name>.npz files or dataset folders (or unset it to use the repository's "
            "data/ folder and ganlib's cache)."
        )
    return path


def cache_dir() -> Path:
    """ganlib's cache folder (step 3 of the lookup order); it need not exist yet."""
    if os.environ.get("GANLIB_CACHE_DIR"):
        return Path(os.environ["GANLIB_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "ganlib"


def data_dirs() -> list[Path]:
    """The folders searched, in order (steps 1-3 of the lookup order)."""
    found = env_data_dir()
    return [*([found] if found else []), REPO_DATA_DIR, cache_dir()]


def _searched() -> str:
    env = os.environ.get(DATA_DIR_VARIABLE)
    first = f"${DATA_DIR_VARIABLE} ({env})" if env else f"${DATA_DIR_VARIABLE} (unset)"
    return ", ".join([first, str(REPO_DATA_DIR), str(cache_dir())])


def unavailable(name: str, reason: str) -> DatasetUnavailable:
    """The error for a dataset found nowhere: the folders searched and the ways out."""
    ways = [f"set {DATA_DIR_VARIABLE} to a folder holding it"]
    if name in SAMPLES:
        ways.append(
            f"train on the committed sample instead (--dataset {SAMPLES[name]}, or "
            f"dataset={SAMPLES[name]!r} in a preset)"
        )
    manual = MANUAL_DATASETS.get(name)
    if manual is not None:
        ways.append(f"download it from {manual.download} and lay it out as {manual.layout}")
    return DatasetUnavailable(
        f"Dataset {name!r} is not on this machine ({reason}). Searched: {_searched()}. "
        f"Ways out: {'; or '.join(ways)}."
    )


PROBE_SECONDS = 5.0


def probe(host: str, timeout: float = PROBE_SECONDS) -> None:
    """Open and close one connection to `host` (HTTPS port); OSError when it cannot be reached.

    Downloads go through it first: an offline machine's fetches otherwise hang for minutes.
    """
    socket.create_connection((host, 443), timeout=timeout).close()


def _probe_or_fail(name: str, host: str | None) -> None:
    if host is None:
        return
    try:
        probe(host)
    except OSError as error:
        raise unavailable(
            name, f"no connection to {host} within {PROBE_SECONDS:g} s: {error}"
        ) from error


def _in_keras_cache(keras_name: str) -> bool:
    folder = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser() / "datasets"
    return (folder / f"{keras_name}.npz").is_file() or (
        folder / keras_name.replace("_", "-")
    ).is_dir()


def find_npz(name: str) -> Path | None:
    """The first `<stem>.npz` of a dataset in the searched folders, or None."""
    info = dataset_info(name)
    for folder in data_dirs():
        for stem in (name, *info.npz_names):
            if (folder / f"{stem}.npz").is_file():
                return folder / f"{stem}.npz"
    return None


def read_npz(path: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """One split (x_<split>, y_<split>) of a Keras-layout npz file."""
    try:
        with np.load(path) as arrays:
            missing = {f"x_{split}", f"y_{split}"} - set(arrays.files)
            if missing:
                raise ValueError(
                    f"{path} lacks the arrays {sorted(missing)}; expected Keras' layout "
                    "x_train, y_train, x_test, y_test."
                )
            return arrays[f"x_{split}"], arrays[f"y_{split}"]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ValueError(f"{path} is not a readable .npz file ({error}).") from error


def download_arrays(name: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Step 4 for an array dataset: fetch it through Keras or TFDS.

    Keras' arrays are kept in the cache as `<name>.npz`, so the next lookup finds them at step 3.
    """
    info = dataset_info(name)
    if not info.downloadable:
        raise unavailable(name, "it is not downloadable")
    if info.tfds_name is not None:
        return tfds_arrays(name, info.tfds_name, split, info.download_host)
    if not _in_keras_cache(info.keras_name):
        _probe_or_fail(name, info.download_host)
    try:
        (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, info.keras_name).load_data()
    except Exception as error:  # Keras raises a bare Exception on a failed fetch
        raise unavailable(name, f"the download failed: {type(error).__name__}: {error}") from error
    _keep_in_cache(name, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    return (x_train, y_train) if split == "train" else (x_test, y_test)


def _keep_in_cache(name: str, **arrays):
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".npz")
        os.close(handle)
        np.savez_compressed(temporary, **arrays)
        os.replace(temporary, folder / f"{name}.npz")
    except OSError:
        pass  # a read-only cache only costs a download next time


def tfds_dataset(name: str, tfds_name: str, split: str, host: str | None):
    """A TFDS split as a `tf.data.Dataset` of (image, label), downloaded only when not prepared.

    Raises:
        DatasetUnavailable: TFDS has not prepared it and it cannot be downloaded.
    """
    import tensorflow_datasets as tfds

    try:
        return tfds.load(tfds_name, split=split, as_supervised=True, download=False)
    except Exception:  # not prepared yet (TFDS raises AssertionError or its own errors)
        pass
    _probe_or_fail(name, host)
    try:
        return tfds.load(tfds_name, split=split, as_supervised=True)
    except Exception as error:  # TFDS raises many types for a failed download
        raise unavailable(
            name, f"TFDS could not provide it: {type(error).__name__}: {error}"
        ) from error


def tfds_arrays(
    name: str, tfds_name: str, split: str, host: str | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """One split of a TFDS dataset as uint8 images and integer labels (downloads on first use)."""
    import tensorflow_datasets as tfds

    # Batches of 10,000 rather than batch_size=-1, which needs a known cardinality.
    batches = list(tfds.as_numpy(tfds_dataset(name, tfds_name, split, host).batch(10000)))
    if not batches:
        raise ValueError(f"TFDS dataset {tfds_name!r} has no images in split {split!r}.")
    images = np.concatenate([images for images, _ in batches]).astype(np.uint8)
    return images, np.concatenate([labels for _, labels in batches])


def load_arrays(name: str, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load one split of an array dataset as uint8 arrays, by the lookup order above.

    Args:
        name: a key of `ganlib.data.DATASETS`.
        split: "train" or "test".

    Returns:
        (images, labels): uint8 images of shape (N, H, W, C) and int32 labels of shape (N,).

    Raises:
        DatasetUnavailable: the dataset is nowhere and could not be downloaded.
    """
    info = dataset_info(name)
    check_split(name, split)
    path = find_npz(name)
    images, labels = read_npz(path, split) if path is not None else download_arrays(name, split)
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != info.image_shape:
        raise ValueError(
            f"Dataset {name!r} has images of shape {images.shape[1:]}; expected {info.image_shape}."
        )
    labels = labels.astype("int32").reshape(-1)
    check_labels(labels, info.classes, what=f"labels of dataset {name!r}")
    return images, labels


def available_locally(name: str) -> bool:
    """Whether a dataset is found without a download (steps 1-3): for tests and notebooks."""
    if name in MANUAL_DATASETS:
        return any((folder / name).is_dir() for folder in data_dirs())
    return find_npz(name) is not None


def find_folder(name: str, split: str = "train", folder=None) -> Path:
    """The folder holding one split of a hand-downloaded dataset.

    Searches `folder` when given, else `<searched folder>/<name>/` by the lookup order. Inside it
    the split's subfolders of `MANUAL_DATASETS[name].split_folders` are tried; without one, the
    whole folder is the train split.

    Args:
        name: a key of `MANUAL_DATASETS` (or any name when `folder` is given).
        split: "train" or "test".
        folder: an explicit folder.

    Returns:
        The folder's `Path`.

    Raises:
        FileNotFoundError: naming the dataset, where users download it and the layout expected.
    """
    check_split(name, split)
    manual = MANUAL_DATASETS.get(name)
    roots = [Path(folder).expanduser()] if folder is not None else [d / name for d in data_dirs()]
    root = next((r for r in roots if r.is_dir()), None)
    if root is None:
        if manual is None:
            raise FileNotFoundError(
                f"No folder of images at {str(roots[0])!r} for dataset {name!r}."
            )
        raise FileNotFoundError(
            f"Dataset {name!r} ({manual.description}) is downloaded by hand and was not found in "
            f"{[str(r) for r in roots]}. Download it from {manual.download}, lay it out as "
            f"{manual.layout} under $GANLIB_DATA_DIR or the repository's data/ folder, or pass "
            "folder=... to ganlib.data.load."
        )
    split_folders = (manual.split_folders if manual else {}).get(split, (split,))
    for candidate in split_folders:
        if (root / candidate).is_dir():
            return root / candidate
    if split == "train":
        return root
    raise FileNotFoundError(
        f"Dataset {name!r} in {str(root)!r} has no {split} split: none of the subfolders "
        f"{list(split_folders)} exists."
    )
