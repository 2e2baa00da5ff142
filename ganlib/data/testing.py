"""Stand-in pictures for a hand-downloaded dataset that is missing (CI, smoke runs).

They are not the dataset: whatever is trained on them is a smoke test of the code and says so.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from ganlib.data.checks import check_positive_int

STAND_IN_KINDS = ("faces", "flowers")


def write_stand_in_folder(
    directory, count: int = 64, image_size: int = 64, kind: str = "faces", seed: int = 0
) -> Path:
    """Write synthetic PNGs that stand in for a hand-downloaded dataset where it is missing (CI).

    They are not the dataset: "faces" are a skin-toned oval with two eyes and a mouth on a plain
    background, "flowers" a ring of coloured petals on green. They let a notebook run end to end;
    whatever is trained on them is a smoke test and must be labelled STAND-IN DATA.

    Args:
        directory: the folder to write (created; existing stand-in files are replaced).
        count: number of images.
        image_size: side of the square images.
        kind: "faces" or "flowers".
        seed: seed of the shapes and colours.

    Returns:
        The folder's `Path`, readable with `load_folder` or `load(name, folder=...)`.
    """
    if kind not in STAND_IN_KINDS:
        raise ValueError(f"kind must be one of {STAND_IN_KINDS}, received {kind!r}.")
    check_positive_int(count, "count")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:image_size, 0:image_size] / image_size - 0.5
    for index in range(count):
        image = np.empty((image_size, image_size, 3), np.float32)
        if kind == "faces":
            image[:] = rng.uniform(0.1, 0.9, 3)
            cx, cy = rng.uniform(-0.06, 0.06, 2)
            width, height = rng.uniform(0.26, 0.34), rng.uniform(0.34, 0.42)
            face = ((x - cx) / width) ** 2 + ((y - cy) / height) ** 2 < 1
            image[face] = rng.uniform([0.7, 0.5, 0.4], [1.0, 0.8, 0.7])
            for side in (-1, 1):
                eye = (x - cx - side * 0.11) ** 2 + (y - cy + 0.08) ** 2 < 0.035**2
                image[eye] = 0.1
            mouth = (np.abs(y - cy - 0.17) < 0.02) & (np.abs(x - cx) < rng.uniform(0.06, 0.12))
            image[mouth] = [0.6, 0.1, 0.1]
        else:
            image[:] = [0.1, rng.uniform(0.3, 0.6), 0.1]
            radius, angle = np.hypot(x, y), np.arctan2(y, x)
            petals = rng.integers(5, 9)
            edge = rng.uniform(0.25, 0.4) * (0.6 + 0.4 * np.abs(np.cos(petals / 2 * angle)))
            image[radius < edge] = rng.uniform(0.3, 1.0, 3)
            image[radius < 0.07] = [0.9, 0.8, 0.1]
        image += rng.normal(0, 0.03, image.shape)
        pixels = np.clip(image * 255, 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(directory / f"stand_in_{index:05d}.png")
    return directory


CACHE_VARIABLES = {
    "GANLIB_CACHE_DIR": "ganlib",
    "KERAS_HOME": "keras",
    "TFDS_DATA_DIR": "tensorflow_datasets",
    "MPLCONFIGDIR": "matplotlib",
}


def isolate_caches(root=None) -> Path:
    """Point every cache a test could fill (ganlib's, Keras', TFDS', matplotlib's) into `root`.

    Tests call it before anything is loaded, so that nothing they run writes outside the
    repository or a temporary folder, and a dataset downloaded by hand earlier is not found there.

    Args:
        root: the folder to hold the caches; by default a new temporary folder.

    Returns:
        The folder.
    """
    root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="ganlib-caches-"))
    for variable, folder in CACHE_VARIABLES.items():
        os.environ[variable] = str(root / folder)
    return root
