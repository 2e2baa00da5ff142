"""Datasets as `tf.data` pipelines of float32 images in [-1, 1].

`load(name, split)` looks for `<name>.npz` (Keras' layout: x_train, y_train, x_test, y_test, uint8)
first in `$GANLIB_DATA_DIR`, then in the repository's `data/` folder, and only then downloads
through Keras. Tests and CI never download: they point GANLIB_DATA_DIR at a folder of real copies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganlib import _env  # noqa: F401

REPO_DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SPLITS = ("train", "test")


@dataclass(frozen=True)
class DatasetInfo:
    """What ganlib knows of a dataset: its image shape, classes and where it comes from."""

    image_shape: tuple[int, int, int]
    classes: int
    keras_name: str | None
    source: str


DATASETS: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo((28, 28, 1), 10, "mnist", "MNIST (LeCun & Cortes), CC BY-SA 3.0"),
    "fashion_mnist": DatasetInfo(
        (28, 28, 1), 10, "fashion_mnist", "Fashion-MNIST (Zalando SE), MIT"
    ),
    "fashion_mnist_sample": DatasetInfo(
        (28, 28, 1),
        10,
        None,
        "the first 3,000 train and 500 test images of Fashion-MNIST, committed in data/ (MIT)",
    ),
}

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def data_dirs() -> list[Path]:
    """The folders searched for `<name>.npz`, in order."""
    dirs = []
    if os.environ.get("GANLIB_DATA_DIR"):
        dirs.append(Path(os.environ["GANLIB_DATA_DIR"]).expanduser())
    dirs.append(REPO_DATA_DIR)
    return dirs


def _check_name(name: str) -> DatasetInfo:
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; expected one of {sorted(DATASETS)}.")
    return DATASETS[name]


def load_arrays(name: str, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Load one split as uint8 arrays.

    Args:
        name: a key of `DATASETS`.
        split: "train" or "test".

    Returns:
        (images, labels): uint8 images of shape (N, H, W, C) and integer labels of shape (N,).
    """
    info = _check_name(name)
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r} for dataset {name!r}; expected one of {SPLITS}.")
    for folder in data_dirs():
        path = folder / f"{name}.npz"
        if path.is_file():
            with np.load(path) as arrays:
                missing = {f"x_{split}", f"y_{split}"} - set(arrays.files)
                if missing:
                    raise ValueError(
                        f"{path} lacks the arrays {sorted(missing)}; expected Keras' layout "
                        "x_train, y_train, x_test, y_test."
                    )
                images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
            break
    else:
        if info.keras_name is None:
            raise FileNotFoundError(
                f"Dataset {name!r} was not found as {name}.npz in any of "
                f"{[str(d) for d in data_dirs()]}; it is not downloadable."
            )
        import keras

        (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, info.keras_name).load_data()
        images, labels = (x_train, y_train) if split == "train" else (x_test, y_test)
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != info.image_shape:
        raise ValueError(
            f"Dataset {name!r} has images of shape {images.shape[1:]}; expected {info.image_shape}."
        )
    return images, labels.astype("int32")


def check_images(images, image_shape: tuple[int, int, int] | None = None, what: str = "images"):
    """Raise ValueError unless `images` is a float batch (N, H, W, C) in [-1, 1].

    Args:
        images: a NumPy array or tensor.
        image_shape: the expected (H, W, C), or None to accept any.
        what: how the message names the array.
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(
            f"{what} must have rank 4 (batch, height, width, channels); received shape {images.shape}."
        )
    if image_shape is not None and tuple(images.shape[1:]) != tuple(image_shape):
        raise ValueError(
            f"{what} must have shape (batch, {', '.join(map(str, image_shape))}); "
            f"received {images.shape}."
        )
    if images.size == 0:
        raise ValueError(f"{what} is empty (shape {images.shape}); expected at least one image.")
    low, high = float(images.min()), float(images.max())
    if low < -1.0 - 1e-3 or high > 1.0 + 1e-3:
        hint = " (0-255 pixels? scale them with x / 127.5 - 1)" if high > 1.5 else ""
        raise ValueError(
            f"{what} must be in [-1, 1]; received values in [{low:g}, {high:g}]{hint}."
        )


def to_unit_range(images_uint8):
    """Map uint8 pixels 0..255 to float32 in [-1, 1] (tensor or array)."""
    import tensorflow as tf

    return tf.cast(images_uint8, tf.float32) / 127.5 - 1.0


def from_arrays(images, labels=None, *, batch_size=None, shuffle=False, seed=0, uint8=False):
    """A pipeline from in-memory arrays, checked first.

    Args:
        images: (N, H, W, C) floats in [-1, 1], or uint8 pixels when `uint8` is True.
        labels: optional (N,) integer labels.
        batch_size: None for single images; otherwise batches of that size, last partial one dropped
            so that every training step has the same shape.
        shuffle: reshuffle every epoch (with `seed`).
        seed: shuffling seed.
        uint8: images are 0..255 pixels, converted to [-1, 1] after batching.

    Returns:
        A `tf.data.Dataset` of images, or (images, labels) when labels are given.
    """
    import tensorflow as tf

    images = np.asarray(images)
    if uint8:
        if images.dtype != np.uint8:
            raise ValueError(f"uint8=True expects uint8 images; received dtype {images.dtype}.")
        if images.ndim != 4 or images.shape[0] == 0:
            raise ValueError(
                f"images must be a non-empty (N, H, W, C) array; received {images.shape}."
            )
    else:
        check_images(images)
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (images.shape[0],):
            raise ValueError(
                f"labels must have shape ({images.shape[0]},) to match the images; received {labels.shape}."
            )
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"labels must be integers; received dtype {labels.dtype}.")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
        raise ValueError(f"batch_size must be a positive integer, received {batch_size!r}.")
    if batch_size is not None and batch_size > images.shape[0]:
        raise ValueError(
            f"batch_size {batch_size} is larger than the {images.shape[0]} images available; "
            "no full batch could be formed."
        )
    elements = images if labels is None else (images, labels.astype("int32"))
    dataset = tf.data.Dataset.from_tensor_slices(elements)
    if shuffle:
        dataset = dataset.shuffle(images.shape[0], seed=seed, reshuffle_each_iteration=True)
    if batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=True)
    if uint8:
        # Converting whole batches is cheaper than one image at a time.
        if labels is None:
            dataset = dataset.map(to_unit_range, num_parallel_calls=tf.data.AUTOTUNE)
        else:
            dataset = dataset.map(
                lambda x, y: (to_unit_range(x), y), num_parallel_calls=tf.data.AUTOTUNE
            )
    return dataset.prefetch(tf.data.AUTOTUNE)


def load(
    name: str,
    split: str = "train",
    *,
    with_labels: bool = False,
    limit: int | None = None,
    batch_size: int | None = None,
    shuffle: bool = False,
    seed: int = 0,
):
    """Load a dataset as a `tf.data.Dataset` of float32 images in [-1, 1].

    Args:
        name: "mnist", "fashion_mnist" or "fashion_mnist_sample".
        split: "train" or "test".
        with_labels: yield (image, label) pairs instead of images.
        limit: keep only the first `limit` images.
        batch_size: None for single images, else fixed-size batches (the last partial one dropped).
        shuffle: reshuffle every epoch.
        seed: shuffling seed.

    Returns:
        A `tf.data.Dataset`.

    Example:
        >>> images = next(iter(load("fashion_mnist_sample", batch_size=16)))  # (16, 28, 28, 1)
    """
    images, labels = load_arrays(name, split)
    if limit is not None:
        if not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"limit must be a positive integer or None, received {limit!r}.")
        images, labels = images[:limit], labels[:limit]
    return from_arrays(
        images,
        labels if with_labels else None,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        uint8=True,
    )
