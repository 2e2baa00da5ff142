"""Input checks shared by the library: each raises ValueError naming the value it received."""

from __future__ import annotations

import numpy as np


def check_positive_int(value, name: str, *, allow_none: bool = False):
    """Return `value` if it is a positive int (bools refused), else raise ValueError naming it.

    Args:
        value: the value to check.
        name: how the message names it.
        allow_none: accept None too.
    """
    if value is None and allow_none:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        expected = "a positive integer or None" if allow_none else "a positive integer"
        raise ValueError(f"{name} must be {expected}, received {value!r}.")
    return int(value)


def check_labels(labels, classes: int, what: str = "labels"):
    """Raise ValueError unless every label is an integer in [0, classes).

    Args:
        labels: an array or tensor of class indices.
        classes: the number of classes.
        what: how the message names the array.
    """
    labels = np.asarray(labels)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{what} must be integers; received dtype {labels.dtype}.")
    outside = labels[(labels < 0) | (labels >= classes)]
    if outside.size:
        raise ValueError(
            f"{what} must be in [0, {classes}); received {np.unique(outside)[:10].tolist()} "
            f"({outside.size} of {labels.size} labels outside the range)."
        )


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
    if not np.isfinite(images).all():
        raise ValueError(
            f"{what} hold {int(np.size(images) - np.isfinite(images).sum())} NaN or infinite values; "
            "expected finite values in [-1, 1]."
        )
    low, high = float(images.min()), float(images.max())
    if low < -1.0 - 1e-3 or high > 1.0 + 1e-3:
        hint = " (0-255 pixels? scale them with x / 127.5 - 1)" if high > 1.5 else ""
        raise ValueError(
            f"{what} must be in [-1, 1]; received values in [{low:g}, {high:g}]{hint}."
        )
