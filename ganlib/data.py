"""Datasets as `tf.data` pipelines of float32 images in [-1, 1].

`load(name, split)` looks for `<name>.npz` (Keras' layout: x_train, y_train, x_test, y_test, uint8)
first in `$GANLIB_DATA_DIR`, then in the repository's `data/` folder, and only then downloads
through Keras or TFDS. Tests and CI never download: they point GANLIB_DATA_DIR at a folder of real
copies.

Datasets a user downloads by hand (`MANUAL_DATASETS`: AFHQ, CelebA, Intel Natural Scene, ...) are
folders of image files, read by `load_folder` from `$GANLIB_DATA_DIR/<name>/`, `data/<name>/` or an
explicit `folder=`.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
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
    # Alternative file stems tried after `<name>.npz`, and the TFDS name used when no file is found.
    npz_names: tuple[str, ...] = ()
    tfds_name: str | None = None


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
    "cifar10": DatasetInfo(
        (32, 32, 3),
        10,
        None,
        "CIFAR-10 (Krizhevsky, 2009); cifar10_partial.npz is a verified partial copy "
        "(4,660 train, 932 test images), else the full set through TFDS",
        npz_names=("cifar10_partial",),
        tfds_name="cifar10",
    ),
    "cifar100": DatasetInfo(
        (32, 32, 3), 100, None, "CIFAR-100 (Krizhevsky, 2009), through TFDS", tfds_name="cifar100"
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
    candidates = [
        folder / f"{stem}.npz" for folder in data_dirs() for stem in (name, *info.npz_names)
    ]
    for path in candidates:
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
        if info.tfds_name is not None:
            images, labels = _tfds_arrays(info.tfds_name, split)
        elif info.keras_name is None:
            raise FileNotFoundError(
                f"Dataset {name!r} was not found as {name}.npz in any of "
                f"{[str(d) for d in data_dirs()]}; it is not downloadable."
            )
        else:
            import keras

            (x_train, y_train), (x_test, y_test) = getattr(
                keras.datasets, info.keras_name
            ).load_data()
            images, labels = (x_train, y_train) if split == "train" else (x_test, y_test)
    if images.ndim == 3:
        images = images[..., None]
    if images.shape[1:] != info.image_shape:
        raise ValueError(
            f"Dataset {name!r} has images of shape {images.shape[1:]}; expected {info.image_shape}."
        )
    labels = labels.astype("int32").reshape(-1)
    check_labels(labels, info.classes, what=f"labels of dataset {name!r}")
    return images, labels


def _tfds_arrays(tfds_name: str, split: str) -> tuple[np.ndarray, np.ndarray]:
    """One split of a TFDS dataset as uint8 images and integer labels (downloads on first use)."""
    import tensorflow_datasets as tfds

    # Batches of 10,000 rather than batch_size=-1, which needs a known cardinality.
    batches = list(
        tfds.as_numpy(tfds.load(tfds_name, split=split, as_supervised=True).batch(10000))
    )
    if not batches:
        raise ValueError(f"TFDS dataset {tfds_name!r} has no images in split {split!r}.")
    images = np.concatenate([images for images, _ in batches]).astype(np.uint8)
    return images, np.concatenate([labels for _, labels in batches])


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


def to_unit_range(images_uint8):
    """Map uint8 pixels 0..255 to float32 in [-1, 1] (tensor or array)."""
    import tensorflow as tf

    return tf.cast(images_uint8, tf.float32) / 127.5 - 1.0


def from_arrays(
    images,
    labels=None,
    *,
    batch_size=None,
    shuffle=False,
    seed=0,
    uint8=False,
    image_size=None,
    augment=None,
):
    """A pipeline from in-memory arrays, checked first.

    Args:
        images: (N, H, W, C) floats in [-1, 1], or uint8 pixels when `uint8` is True.
        labels: optional (N,) integer labels.
        batch_size: None for single images; otherwise batches of that size, last partial one dropped
            so that every training step has the same shape.
        shuffle: reshuffle every epoch (with `seed`).
        seed: shuffling seed.
        uint8: images are 0..255 pixels, converted to [-1, 1] after batching.
        image_size: (height, width) to resize every image to (bilinear), or None to keep it.
        augment: a function `(image, seed) -> image` applied to every image in [-1, 1] (see
            `ganlib.augment`), with a stateless seed that differs per image and per epoch.

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
    if image_size is not None or augment is not None:
        # Resizing and augmentation work on single images, in parallel; the pixels are converted
        # to [-1, 1] first so that augmentations fill with -1 (black), as torchvision fills with 0.
        size = None if image_size is None else _image_size(image_size)

        def prepare(image):
            image = to_unit_range(image) if uint8 else image
            if size is not None:
                image = _resize(image, size, "bilinear")
            return image

        dataset = map_images(dataset, prepare, augment=augment, seed=seed)
        uint8 = False
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
    image_size=None,
    augment=None,
    folder=None,
):
    """Load a dataset as a `tf.data.Dataset` of float32 images in [-1, 1].

    Args:
        name: a key of `DATASETS` ("mnist", "fashion_mnist", "fashion_mnist_sample", "cifar10",
            "cifar100") or of `MANUAL_DATASETS` ("afhq", "celeba", "intel_scenes", ...).
        split: "train" or "test".
        with_labels: yield (image, label) pairs instead of images.
        limit: keep only the first `limit` images (for folders: `limit` images evenly spread over
            the sorted files, so every class keeps its share).
        batch_size: None for single images, else fixed-size batches (the last partial one dropped).
        shuffle: reshuffle every epoch.
        seed: shuffling (and augmentation) seed.
        image_size: (height, width) or one int to resize to; by default the dataset's own size
            (for folders, the size in `MANUAL_DATASETS`).
        augment: a function `(image, seed) -> image` applied per image, see `ganlib.augment`.
        folder: a folder of images to read instead of searching `$GANLIB_DATA_DIR/<name>/` and
            `data/<name>/`.

    Returns:
        A `tf.data.Dataset`; folder datasets carry their class names as `dataset.class_names`.

    Example:
        >>> images = next(iter(load("fashion_mnist_sample", batch_size=16)))  # (16, 28, 28, 1)
        >>> faces = load("afhq", with_labels=True, batch_size=64)  # reads data/afhq/train/{cat,dog,wild}
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0):
        raise ValueError(f"limit must be a positive integer or None, received {limit!r}.")
    if name in MANUAL_DATASETS or folder is not None:
        manual = MANUAL_DATASETS.get(name)
        if image_size is None and manual is None:
            raise ValueError(
                f"Dataset {name!r} is not in MANUAL_DATASETS, so image_size must be given "
                "to read it from a folder."
            )
        return load_folder(
            find_folder(name, split, folder),
            image_size or manual.image_size,
            with_labels=with_labels,
            center_crop=manual.center_crop if manual else True,
            resize=manual.resize if manual else "bilinear",
            channels=manual.channels if manual else 3,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            limit=limit,
            augment=augment,
        )
    images, labels = load_arrays(name, split)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    if image_size is not None and _image_size(image_size) == images.shape[1:3]:
        image_size = None
    return from_arrays(
        images,
        labels if with_labels else None,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        uint8=True,
        image_size=image_size,
        augment=augment,
    )


def map_images(dataset, function, *, augment=None, seed=0):
    """Apply `function(image)`, then `augment(image, seed)`, to every image of a dataset, in parallel.

    Elements may be images or (image, label) pairs. The augmentation's seeds come from
    `tf.data.Dataset.random`, so they differ per image and per epoch yet are reproducible.

    Args:
        dataset: a `tf.data.Dataset` of single images, or of (image, label) pairs.
        function: image -> image, or None.
        augment: (image, seed) -> image with a stateless seed of shape (2,), or None.
        seed: the seed of the augmentation seeds.

    Returns:
        The mapped `tf.data.Dataset`.
    """
    import tensorflow as tf

    def apply(image, image_seed=None):
        if function is not None:
            image = function(image)
        if augment is not None:
            image = augment(image, image_seed)
        return image

    if augment is None:

        def step(*element):
            return (apply(element[0]), *element[1:]) if len(element) > 1 else apply(element[0])

    else:
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        dataset = tf.data.Dataset.zip((dataset, seeds))

        def step(element, image_seed):
            if isinstance(element, tuple):
                return (apply(element[0], image_seed), *element[1:])
            return apply(element, image_seed)

    return dataset.map(step, num_parallel_calls=tf.data.AUTOTUNE)


def _image_size(image_size) -> tuple[int, int]:
    size = (image_size, image_size) if isinstance(image_size, int) else tuple(image_size)
    if len(size) != 2 or not all(isinstance(v, int) and v > 0 for v in size):
        raise ValueError(
            f"image_size must be a positive int or (height, width); received {image_size!r}."
        )
    return size


def _resize(image, size, method):
    """Resize one float image; keeps the range it came in."""
    import tensorflow as tf

    if method == "skimage":
        from skimage.transform import resize

        channels = image.shape[-1]
        image = tf.numpy_function(
            lambda array: resize(array, size, anti_aliasing=True, preserve_range=True).astype(
                np.float32
            ),
            [image],
            tf.float32,
        )
        image.set_shape((*size, channels))
        return image
    return tf.image.resize(image, size, method="bilinear", antialias=True)


# --- Folders of image files (datasets a user downloads by hand) -----------------------------------

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
RESIZE_METHODS = ("bilinear", "skimage")


@dataclass(frozen=True)
class ManualDataset:
    """A dataset users download themselves: what it is, where to get it, how to lay it out.

    Args:
        description: name, size and licence in one line.
        download: where users download it.
        layout: the folder layout `load` expects below `<root>/<name>/`.
        image_size: (height, width) the experiments use.
        classes: number of classes (1 for a plain folder of images).
        channels: 3 for RGB, 1 for grayscale.
        center_crop: crop the central region of the target's aspect ratio before resizing.
        resize: "bilinear" (TensorFlow, antialiased) or "skimage" (`skimage.transform.resize`).
        split_folders: per split, the subfolders tried in order; when none exists the whole folder
            is the train split.
    """

    description: str
    download: str
    layout: str
    image_size: tuple[int, int]
    classes: int
    channels: int = 3
    center_crop: bool = True
    resize: str = "bilinear"
    split_folders: dict = field(
        default_factory=lambda: {"train": ("train",), "test": ("test", "val")}
    )


MANUAL_DATASETS: dict[str, ManualDataset] = {
    "afhq": ManualDataset(
        description="Animal Faces-HQ (Choi et al., StarGAN v2): 16,130 512x512 faces of cats, dogs "
        "and wild animals, CC BY-NC 4.0",
        download="https://github.com/clovaai/stargan-v2 (bash download.sh afhq-dataset) or "
        "Kaggle 'andrewmvd/animal-faces'",
        layout="afhq/train/{cat,dog,wild}/*.jpg (and afhq/val/... for the test split)",
        image_size=(64, 64),
        classes=3,
    ),
    "celeba": ManualDataset(
        description="CelebA aligned and cropped faces (Liu et al.): 202,599 178x218 JPEGs, "
        "non-commercial research use only",
        download="https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html (img_align_celeba.zip) or "
        "Kaggle 'jessicali9530/celeba-dataset'",
        layout="celeba/img_align_celeba/*.jpg (one class; any one folder of images works)",
        image_size=(64, 64),
        classes=1,
    ),
    "intel_scenes": ManualDataset(
        description="Intel Image Classification (Natural Scenes): about 25,000 150x150 images of 6 "
        "classes (buildings, forest, glacier, mountain, sea, street)",
        download="Kaggle 'puneet6060/intel-image-classification'",
        layout="intel_scenes/seg_train/seg_train/<class>/*.jpg and "
        "intel_scenes/seg_test/seg_test/<class>/*.jpg, as unzipped (or train/<class>/, test/<class>/)",
        image_size=(64, 64),
        classes=6,
        split_folders={
            "train": ("train", "seg_train/seg_train", "seg_train"),
            "test": ("test", "seg_test/seg_test", "seg_test"),
        },
    ),
    "pretty_face": ManualDataset(
        description="Pretty Face (K. Mu, Kaggle 2021): 3,318 512x512 faces generated by a StyleGAN2 "
        "trained on Chinese celebrities",
        download="Kaggle 'yewtsing/pretty-face' (https://www.kaggle.com/yewtsing/pretty-face)",
        layout="pretty_face/**/*.jpg|png: the unzipped archive, images at any depth",
        image_size=(64, 64),
        classes=1,
        # Sharma section 4.4: the whole image resized with skimage.transform.resize.
        center_crop=False,
        resize="skimage",
    ),
    "cat": ManualDataset(
        description="CAT dataset (Zhang, Sun & Tang 2008; Kaggle upload by C. Crawford): about "
        "10,000 cat photos of varied sizes",
        download="Kaggle 'crawford/cat-dataset' (https://www.kaggle.com/crawford/cat-dataset)",
        layout="cat/CAT_00/*.jpg ... cat/CAT_06/*.jpg, as unzipped (the .cat annotation files "
        "are ignored)",
        image_size=(128, 128),
        classes=1,
    ),
    "ffhq": ManualDataset(
        description="Flickr-Faces-HQ (Karras et al., NVIDIA): 70,000 aligned faces, 1024x1024 "
        "PNGs or 128x128 thumbnails, CC BY-NC-SA 4.0",
        download="https://github.com/NVlabs/ffhq-dataset (python download_ffhq.py --thumbs gives "
        "the 128x128 thumbnails)",
        layout="ffhq/thumbnails128x128/00000/*.png ... (or any folder of face images below ffhq/)",
        image_size=(128, 128),
        classes=1,
    ),
    "oxford_flowers102": ManualDataset(
        description="Oxford 102 Flowers (Nilsback & Zisserman 2008): 8,189 flower photos of 102 "
        "categories",
        download="https://www.robots.ox.ac.uk/~vgg/data/flowers/102/102flowers.tgz (or TFDS "
        "'oxford_flowers102', written out as image files)",
        layout="oxford_flowers102/jpg/image_00001.jpg ..., as 102flowers.tgz unpacks",
        image_size=(128, 128),
        classes=1,
    ),
}


def find_folder(name: str, split: str = "train", folder=None) -> Path:
    """The folder holding one split of a hand-downloaded dataset.

    Searches `folder` when given, else `$GANLIB_DATA_DIR/<name>/` and `data/<name>/`. Inside it the
    split's subfolders of `MANUAL_DATASETS[name].split_folders` are tried; without one, the whole
    folder is the train split.

    Args:
        name: a key of `MANUAL_DATASETS` (or any name when `folder` is given).
        split: "train" or "test".
        folder: an explicit folder.

    Returns:
        The folder's `Path`.

    Raises:
        FileNotFoundError: naming the dataset, where users download it and the layout expected.
    """
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r} for dataset {name!r}; expected one of {SPLITS}.")
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


def _readable(path: Path) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def folder_files(directory) -> tuple[list[str], np.ndarray, list[str]]:
    """The readable image files of a folder, their labels and the class names.

    Each subfolder that holds images (at any depth) is a class, numbered in sorted order; a
    folder with no such subfolder is one class. Files that cannot be read as images (checked with
    Pillow's `verify`, which reads headers and checksums, not every pixel) are skipped with one
    warning that names them.

    Args:
        directory: the folder.

    Returns:
        (paths, labels, class_names): sorted file paths, int32 labels, class names.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"No folder of images at {str(directory)!r}.")

    def images_below(folder):
        found = []
        for parent, subfolders, files in os.walk(folder):
            subfolders.sort()
            found += [Path(parent) / f for f in sorted(files) if f.lower().endswith(IMAGE_SUFFIXES)]
        return found

    class_folders = sorted(d for d in directory.iterdir() if d.is_dir() and images_below(d))
    if class_folders:
        groups = [(d.name, images_below(d)) for d in class_folders]
        loose = [
            f
            for f in directory.iterdir()
            if f.is_file() and f.name.lower().endswith(IMAGE_SUFFIXES)
        ]
        if loose:
            warnings.warn(
                f"{len(loose)} image files directly in {directory} are ignored: its subfolders "
                f"{[name for name, _ in groups]} are the classes.",
                stacklevel=2,
            )
    else:
        groups = [(directory.name, images_below(directory))]
    paths, labels, skipped = [], [], []
    for label, (_, files) in enumerate(groups):
        for path in files:
            if _readable(path):
                paths.append(str(path))
                labels.append(label)
            else:
                skipped.append(str(path))
    if skipped:
        warnings.warn(
            f"Skipped {len(skipped)} unreadable image files in {directory}: {skipped[:5]}"
            + (" ..." if len(skipped) > 5 else ""),
            stacklevel=2,
        )
    if not paths:
        raise FileNotFoundError(
            f"No readable image files ({', '.join(IMAGE_SUFFIXES)}) in {str(directory)!r}."
        )
    return paths, np.asarray(labels, dtype=np.int32), [name for name, _ in groups]


def load_folder(
    directory,
    image_size,
    *,
    with_labels: bool = False,
    center_crop: bool = True,
    resize: str = "bilinear",
    batch_size: int | None = None,
    shuffle: bool = False,
    seed: int = 0,
    limit: int | None = None,
    channels: int = 3,
    augment=None,
    cache: bool | None = None,
):
    """A folder of image files as a `tf.data.Dataset` of float32 images in [-1, 1].

    One subfolder per class (labels are the sorted subfolder indices, e.g. AFHQ's cat 0, dog 1,
    wild 2), or a plain folder of images (one class, label 0). PNG, JPEG, BMP and GIF files are
    decoded by TensorFlow in parallel; files that cannot be read are skipped with a warning (see
    `folder_files`). Unlike `keras.utils.image_dataset_from_directory`, it checks files first,
    accepts a one-class folder, scales to [-1, 1] and offers scikit-image's resize.

    Args:
        directory: the folder.
        image_size: (height, width) or one int.
        with_labels: yield (image, label) pairs.
        center_crop: crop the central region of the target's aspect ratio before resizing (as
            torchvision's Resize + CenterCrop); False stretches the whole image.
        resize: "bilinear" (`tf.image.resize`, antialiased) or "skimage"
            (`skimage.transform.resize` with anti-aliasing, as the sharma report does).
        batch_size: None for single images, else fixed-size batches (last partial one dropped).
        shuffle: reshuffle the files every epoch.
        seed: shuffling and augmentation seed.
        limit: keep `limit` files evenly spread over the sorted list (every class keeps its share).
        channels: 3 (RGB) or 1 (grayscale).
        augment: (image, seed) -> image, applied per image (see `ganlib.augment`).
        cache: keep the decoded images (cropped and resized, before augmentation) in memory after
            the first epoch, so later epochs read, decode and resize nothing; None caches when they
            take at most a quarter of the memory available. The batches are the same either way;
            with `shuffle` and the cache on, the first batch waits until the folder is decoded.

    Returns:
        A `tf.data.Dataset` with the class names in `dataset.class_names`.

    Example:
        >>> dataset = load_folder("data/afhq/train", 64, with_labels=True, batch_size=64)
        >>> dataset.class_names
        ['cat', 'dog', 'wild']
    """
    import tensorflow as tf

    size = _image_size(image_size)
    if resize not in RESIZE_METHODS:
        raise ValueError(f"resize must be one of {RESIZE_METHODS}, received {resize!r}.")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, received {channels!r}.")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size <= 0):
        raise ValueError(f"batch_size must be a positive integer, received {batch_size!r}.")
    paths, labels, class_names = folder_files(directory)
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"limit must be a positive integer or None, received {limit!r}.")
        if limit < len(paths):
            keep = np.unique(np.linspace(0, len(paths) - 1, limit).round().astype(int))
            paths, labels = [paths[i] for i in keep], labels[keep]
    if batch_size is not None and batch_size > len(paths):
        raise ValueError(
            f"batch_size {batch_size} is larger than the {len(paths)} images in {directory}; "
            "no full batch could be formed."
        )
    height, width = size

    def decode(path):
        image = tf.io.decode_image(
            tf.io.read_file(path), channels=channels, expand_animations=False
        )
        if center_crop:
            shape = tf.shape(image)
            rows = tf.minimum(shape[0], shape[1] * height // width)
            columns = tf.minimum(shape[1], shape[0] * width // height)
            image = tf.image.crop_to_bounding_box(
                image, (shape[0] - rows) // 2, (shape[1] - columns) // 2, rows, columns
            )
        image = _resize(tf.cast(image, tf.float32), size, resize)
        image = tf.clip_by_value(image / 127.5 - 1.0, -1.0, 1.0)
        image.set_shape((height, width, channels))
        return image

    elements = (paths, labels) if with_labels else paths
    dataset = tf.data.Dataset.from_tensor_slices(elements)
    if cache is None:
        # Counted twice with shuffling: the shuffle buffer holds a whole epoch beside the cache.
        cache = _fits_in_memory(len(paths) * height * width * channels * 4 * (1 + shuffle))
    if cache:
        # Decoding and resizing every file again each epoch would compete with the step for the CPU.
        # Files are decoded in order, then shuffled: a shuffle's permutation depends only on its
        # seed and length, so the batches are those of shuffling the files.
        dataset = map_images(dataset, decode).cache()
        if shuffle:
            dataset = dataset.shuffle(len(paths), seed=seed, reshuffle_each_iteration=True)
        if augment is not None:
            dataset = map_images(dataset, None, augment=augment, seed=seed)
    else:
        if shuffle:
            dataset = dataset.shuffle(len(paths), seed=seed, reshuffle_each_iteration=True)
        dataset = map_images(dataset, decode, augment=augment, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=True)
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    dataset.class_names = class_names
    return dataset


def _fits_in_memory(size_bytes: int) -> bool:
    """Whether `size_bytes` is at most a quarter of the memory available now (Linux), else False."""
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return size_bytes <= int(line.split()[1]) * 1024 // 4
    except OSError:
        pass
    return False


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
    from PIL import Image

    if kind not in STAND_IN_KINDS:
        raise ValueError(f"kind must be one of {STAND_IN_KINDS}, received {kind!r}.")
    if isinstance(count, bool) or not isinstance(count, int) or count <= 0:
        raise ValueError(f"count must be a positive integer, received {count!r}.")
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
