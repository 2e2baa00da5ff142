"""Image arrays and PNG files: pure NumPy and Pillow, so callbacks can write without matplotlib."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from ganlib.files import atomic_path


def to_uint8(images) -> np.ndarray:
    """Map images in [-1, 1] to uint8 pixels 0..255 (values outside are clipped)."""
    images = np.asarray(images, dtype=np.float32)
    return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype(np.uint8)


def image_grid(images, rows: int | None = None, columns: int | None = None, padding: int = 2):
    """Tile a batch of images into one picture.

    Args:
        images: (N, H, W, C) floats in [-1, 1] or uint8 pixels.
        rows, columns: grid size; by default as square as N allows.
        padding: white pixels between tiles and around the border.

    Returns:
        A uint8 array (rows·(H+p)+p, columns·(W+p)+p, C).
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must have shape (N, H, W, C); received {images.shape}.")
    if images.dtype != np.uint8:
        images = to_uint8(images)
    count, height, width, channels = images.shape
    if columns is None:
        columns = math.ceil(math.sqrt(count)) if rows is None else math.ceil(count / rows)
    if rows is None:
        rows = math.ceil(count / columns)
    if rows * columns < count:
        raise ValueError(f"A {rows}×{columns} grid cannot hold {count} images.")
    grid = np.full(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels),
        255,
        dtype=np.uint8,
    )
    for index in range(count):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = images[index]
    return grid


def read_png(path) -> np.ndarray:
    """Read a PNG as a uint8 (H, W, C) array, naming the file if it is missing or damaged."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No image at {path}.")
    try:
        with Image.open(path) as image:
            array = np.asarray(image)
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"{path} is not a readable PNG image: {error}") from error
    return array[..., None] if array.ndim == 2 else array


def write_png(path, picture: np.ndarray) -> None:
    """Write a uint8 (H, W, C) picture as a PNG, atomically."""
    picture = np.asarray(picture)
    if picture.dtype != np.uint8:
        raise ValueError(f"picture must be uint8; received dtype {picture.dtype}.")
    with atomic_path(path) as temporary:
        Image.fromarray(picture[..., 0] if picture.shape[-1] == 1 else picture).save(
            temporary, format="PNG"
        )
