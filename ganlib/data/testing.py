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
from ganlib.data.locate import find_folder

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


def folder_or_stand_in(
    name: str,
    folder=None,
    *,
    quick: bool,
    kind: str,
    count: int,
    image_size: int,
    class_names=None,
    seed: int = 0,
    directory=None,
) -> tuple[Path, bool]:
    """The train folder of a hand-downloaded dataset or, in quick mode only, stand-in pictures.

    Outside quick mode a missing dataset is an error whose message says where to download it and
    how to lay it out. In quick mode (CI) that message is printed and synthetic pictures are
    written instead (`write_stand_in_folder`), with a line saying they are STAND-IN DATA.

    Args:
        name: the dataset, a key of `MANUAL_DATASETS` (e.g. "pretty_face").
        folder: an explicit folder (a notebook's `DATA_FOLDER`), or None for the lookup order.
        quick: whether this is a quick run (`ganlib.quick_mode()`).
        kind: the stand-in pictures, "faces" or "flowers".
        count: stand-in images in all (split evenly over `class_names` when given); only
            checked when stand-in pictures are written.
        image_size: side of the square stand-in images.
        class_names: None for one folder of images; else one subfolder per class name, as the
            conditional loaders read them (labels in sorted order).
        seed: seed of the stand-in pictures (class i uses seed + i).
        directory: where to write them; default `runs/stand_in_<name>` under the current folder.

    Returns:
        (folder, stand_in): the folder to load, and True when it holds stand-in pictures.

    Raises:
        FileNotFoundError: the dataset is missing and `quick` is False.
        ValueError: for a bad `kind` or `count`, or an empty `class_names`.
    """
    if kind not in STAND_IN_KINDS:
        raise ValueError(f"kind must be one of {STAND_IN_KINDS}, received {kind!r}.")
    if class_names is not None and len(class_names) == 0:
        raise ValueError(f"class_names must name at least one class, received {class_names!r}.")
    try:
        found = find_folder(name, "train", folder)
    except FileNotFoundError as missing:
        if not quick:
            raise  # the message says where to download the dataset and how to lay it out
        print(f"{missing}\n")
    else:
        print(f"data: {found}")
        return found, False
    check_positive_int(count, "count")
    directory = Path(directory) if directory is not None else Path("runs") / f"stand_in_{name}"
    if class_names is None:
        write_stand_in_folder(directory, count, image_size, kind, seed)
    else:
        per_class = max(1, count // len(class_names))
        for index, class_name in enumerate(class_names):
            write_stand_in_folder(directory / class_name, per_class, image_size, kind, seed + index)
    print(f"STAND-IN DATA: synthetic {kind} in {directory} - not the report's dataset.")
    return directory, True


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
