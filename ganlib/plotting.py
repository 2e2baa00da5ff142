"""Pictures of a run: image grids, epoch collages, loss curves.

Array helpers (`to_uint8`, `image_grid`) are pure NumPy so callbacks can write PNGs without
matplotlib; the figure functions return a `matplotlib.figure.Figure` for notebooks to show.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np


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
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No image at {path}.")
    try:
        with Image.open(path) as image:
            array = np.asarray(image)
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"{path} is not a readable PNG image: {error}") from error
    return array[..., None] if array.ndim == 2 else array


def _imshow(axis, picture, title=None):
    picture = np.asarray(picture)
    if picture.ndim == 3 and picture.shape[-1] == 1:
        axis.imshow(picture[..., 0], cmap="gray", vmin=0, vmax=255)
    else:
        axis.imshow(picture)
    axis.set_axis_off()
    if title:
        axis.set_title(title)


def show_images(images, rows=None, columns=None, title=None, size=6.0):
    """A figure of a batch of images as one grid.

    Args:
        images: (N, H, W, C) floats in [-1, 1] or uint8.
        rows, columns: grid size, as in `image_grid`.
        title: figure title.
        size: figure width and height in inches.

    Returns:
        A matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(size, size))
    _imshow(axis, image_grid(images, rows, columns), title)
    figure.tight_layout()
    return figure


def epoch_collage(run_dir, epochs=None, highlight=None, size=3.0):
    """Snapshots of chosen epochs side by side, as the reports' Fig 5.1 and 5.2.

    Args:
        run_dir: a run directory.
        epochs: the epochs to show; by default up to five spread over the run, 0 and the last
            included.
        highlight: an epoch to mark (e.g. the suggested best one).
        size: inches per panel.

    Returns:
        A matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    from ganlib.runs import Run

    run = Run(run_dir)
    available = run.snapshot_epochs()
    if not available:
        raise ValueError(f"Run directory {run.directory} holds no snapshots.")
    if epochs is None:
        epochs = spread(available, 5)
    missing = [epoch for epoch in epochs if epoch not in available]
    if missing:
        raise ValueError(
            f"No snapshot for epochs {missing} in {run.directory}; available epochs: {available}."
        )
    figure, axes = plt.subplots(1, len(epochs), figsize=(size * len(epochs), size + 0.4))
    for axis, epoch in zip(np.atleast_1d(axes), epochs):
        title = f"epoch {epoch}" + (" (suggested)" if epoch == highlight else "")
        _imshow(axis, read_png(run.snapshot_path(epoch)), title)
        if epoch == highlight:
            axis.title.set_color("tab:red")
    figure.tight_layout()
    return figure


def spread(values, count):
    """Up to `count` items of a sorted list, evenly spaced, first and last included."""
    values = list(values)
    if len(values) <= count:
        return values
    picks = np.linspace(0, len(values) - 1, count).round().astype(int)
    return [values[i] for i in sorted(set(picks))]


def loss_curves(history, size=(11.0, 3.6)):
    """Per-epoch losses and discriminator outputs of a run.

    Args:
        history: a run directory (its history.csv) or a dict of lists as `keras.callbacks.History`
            holds (`history.history`).
        size: figure size in inches.

    Returns:
        A matplotlib Figure with two panels: d_loss and g_loss; D's mean probability on real and
        generated images.
    """
    import matplotlib.pyplot as plt

    from ganlib.runs import read_history

    if not isinstance(history, dict):
        history = read_history(history)
    if not history or not history.get("d_loss"):
        raise ValueError("The history holds no epochs yet; nothing to plot.")
    epochs = history.get("epoch") or list(range(1, len(history["d_loss"]) + 1))
    figure, (loss_axis, prob_axis) = plt.subplots(1, 2, figsize=size)
    for key in ("d_loss", "g_loss"):
        if key in history:
            loss_axis.plot(epochs, history[key], marker="o", label=key)
    loss_axis.set_xlabel("epoch")
    loss_axis.set_ylabel("loss")
    loss_axis.set_title("losses")
    loss_axis.legend()
    for key, label in (("d_real", "D(x), real"), ("d_fake", "D(G(z)), generated")):
        if key in history:
            prob_axis.plot(epochs, history[key], marker="o", label=label)
    prob_axis.set_ylim(0, 1)
    prob_axis.set_xlabel("epoch")
    prob_axis.set_title("discriminator's mean probability")
    prob_axis.legend()
    figure.tight_layout()
    return figure
