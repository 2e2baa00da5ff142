"""Datasets as `tf.data` pipelines of float32 images in [-1, 1]: from arrays, from a registered
dataset (`load`, by the lookup order of `ganlib.data.locate`) and from folders of image files."""

from __future__ import annotations

import os
import warnings
import zlib
from pathlib import Path

import numpy as np
import tensorflow as tf
from PIL import Image, UnidentifiedImageError
from skimage.transform import resize as skimage_resize

from ganlib.data.checks import check_images, check_positive_int
from ganlib.data.locate import find_folder, load_arrays, tfds_dataset
from ganlib.data.registry import IMAGE_SUFFIXES, MANUAL_DATASETS, RESIZE_METHODS


def to_unit_range(images_uint8):
    """Map uint8 pixels 0..255 to float32 in [-1, 1] (tensor or array)."""
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
    check_positive_int(batch_size, "batch_size", allow_none=True)
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
    check_positive_int(limit, "limit", allow_none=True)
    if name in MANUAL_DATASETS or folder is not None:
        options = dict(
            with_labels=with_labels,
            limit=limit,
            batch_size=batch_size,
            shuffle=shuffle,
            seed=seed,
            augment=augment,
        )
        manual = MANUAL_DATASETS.get(name)
        if image_size is None and manual is None:
            raise ValueError(
                f"Dataset {name!r} is not in MANUAL_DATASETS, so image_size must be given "
                "to read it from a folder."
            )
        try:
            directory = find_folder(name, split, folder)
        except FileNotFoundError:
            if folder is not None or manual is None or manual.tfds_name is None:
                raise
            return load_tfds_pictures(name, split, image_size or manual.image_size, **options)
        return load_folder(
            directory,
            image_size or manual.image_size,
            center_crop=manual.center_crop if manual else True,
            resize=manual.resize if manual else "bilinear",
            channels=manual.channels if manual else 3,
            **options,
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
    if method == "skimage":
        channels = image.shape[-1]
        image = tf.numpy_function(
            lambda array: skimage_resize(
                array, size, anti_aliasing=True, preserve_range=True
            ).astype(np.float32),
            [image],
            tf.float32,
        )
        image.set_shape((*size, channels))
        return image
    return tf.image.resize(image, size, method="bilinear", antialias=True)


# The formats TensorFlow's decode_image reads; Pillow opens more (TIFF, WebP), which would then fail
# in the middle of an epoch.
DECODABLE_FORMATS = ("PNG", "JPEG", "BMP", "GIF")


def _readable(path: Path) -> bool:
    """Whether a file decodes whole, in a format the training pipeline reads."""
    try:
        with Image.open(path) as image:
            if image.format not in DECODABLE_FORMATS:
                return False
            image.load()  # every pixel: truncated files and bad compressed data fail here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, zlib.error):
        return False
    except Image.DecompressionBombError:
        return False
    return True


def _class_folders(directory: Path, images_below) -> list[Path]:
    """The class subfolders of `directory`; refuses empty ones and links to an ancestor."""
    here = directory.resolve()
    folders = sorted(d for d in directory.iterdir() if d.is_dir() and not d.name.startswith("."))
    for folder in folders:
        target = folder.resolve()
        if folder.is_symlink() and (target == here or target in here.parents):
            raise ValueError(
                f"{str(folder)!r} links to {str(target)!r}, the folder itself or a folder above it: "
                "as a class it would hold every image again. Remove the link."
            )
    holding = [d for d in folders if images_below(d)]
    if holding and len(holding) < len(folders):
        empty = [d.name for d in folders if d not in holding]
        raise ValueError(
            f"{str(directory)!r} has class folders without images: {empty}. Every subfolder is a "
            "class (labels in sorted order), so an empty one would shift the labels of the "
            "classes after it; remove it or add its images."
        )
    return holding


def folder_files(directory, limit: int | None = None) -> tuple[list[str], np.ndarray, list[str]]:
    """The readable image files of a folder, their labels and the class names.

    Each subfolder is a class, numbered in sorted order (an empty one is an error, since it would
    shift the labels after it); a folder with no subfolder of images is one class. Every file is
    decoded once with Pillow: files that cannot be (truncated, damaged, a format TensorFlow does
    not read such as TIFF, too large to decode) are skipped with one warning that names them, so
    they cannot stop training in the middle of an epoch.

    Args:
        directory: the folder.
        limit: keep `limit` files evenly spread over the sorted list (every class keeps its
            share), chosen before the check so that only those are decoded.

    Returns:
        (paths, labels, class_names): sorted file paths, int32 labels, class names.
    """
    check_positive_int(limit, "limit", allow_none=True)
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"No folder of images at {str(directory)!r}.")

    def images_below(folder):
        found = []
        for parent, subfolders, files in os.walk(folder):
            subfolders.sort()
            found += [Path(parent) / f for f in sorted(files) if f.lower().endswith(IMAGE_SUFFIXES)]
        return found

    class_folders = _class_folders(directory, images_below)
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
    candidates = [(path, label) for label, (_, files) in enumerate(groups) for path in files]
    if limit is not None and limit < len(candidates):
        keep = np.unique(np.linspace(0, len(candidates) - 1, limit).round().astype(int))
        candidates = [candidates[i] for i in keep]
    paths, labels, skipped = [], [], []
    for path, label in candidates:
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
    size = _image_size(image_size)
    if resize not in RESIZE_METHODS:
        raise ValueError(f"resize must be one of {RESIZE_METHODS}, received {resize!r}.")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, received {channels!r}.")
    check_positive_int(batch_size, "batch_size", allow_none=True)
    paths, labels, class_names = folder_files(directory, limit)
    if batch_size is not None and batch_size > len(paths):
        raise ValueError(
            f"batch_size {batch_size} is larger than the {len(paths)} images in {directory}; "
            "no full batch could be formed."
        )

    def decode(path):
        image = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
        return _crop_and_resize(_flatten(image, channels), size, center_crop, resize, channels)

    elements = (paths, labels) if with_labels else paths
    dataset = _picture_pipeline(
        tf.data.Dataset.from_tensor_slices(elements),
        decode,
        len(paths),
        size=size,
        channels=channels,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        augment=augment,
        cache=cache,
    )
    dataset.class_names = class_names
    return dataset


def _flatten(image, channels):
    """A decoded picture with any channel count as float32 with `channels` (1 or 3) channels.

    Transparent pixels (grayscale+alpha or RGBA) are composited over white, as an image viewer
    shows them; decoding straight to 3 channels would keep whatever colour they hide.
    """
    image = tf.cast(image, tf.float32)

    def over_white():
        alpha = image[..., -1:] / 255.0
        return image[..., :-1] * alpha + 255.0 * (1.0 - alpha)

    image = tf.cond(tf.equal(tf.shape(image)[-1] % 2, 0), over_white, lambda: image)
    if channels == 3:
        image = tf.cond(
            tf.equal(tf.shape(image)[-1], 1), lambda: tf.tile(image, [1, 1, 3]), lambda: image
        )
    else:
        image = tf.cond(
            tf.equal(tf.shape(image)[-1], 3),
            lambda: tf.reduce_sum(image * [0.2989, 0.5870, 0.1140], axis=-1, keepdims=True),
            lambda: image,
        )
    return tf.ensure_shape(image, (None, None, channels))


def _crop_and_resize(image, size, center_crop, resize, channels):
    """A uint8 picture of any size as float32 (height, width, channels) in [-1, 1]."""
    height, width = size
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


def _picture_pipeline(
    dataset, decode, count, *, size, channels, batch_size, shuffle, seed, augment, cache
):
    """Decode, shuffle, augment and batch a dataset of pictures of varied sizes (files or TFDS)."""
    if cache is None:
        # Counted twice with shuffling: the shuffle buffer holds a whole epoch beside the cache.
        cache = _fits_in_memory(count * size[0] * size[1] * channels * 4 * (1 + shuffle))
    if cache:
        # Decoding and resizing every picture again each epoch would compete with the step for
        # the CPU. Pictures are decoded in order, then shuffled: a shuffle's permutation depends
        # only on its seed and length, so the batches are those of shuffling the files.
        dataset = map_images(dataset, decode).cache()
        if shuffle:
            dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True)
        if augment is not None:
            dataset = map_images(dataset, None, augment=augment, seed=seed)
    else:
        if shuffle:
            dataset = dataset.shuffle(count, seed=seed, reshuffle_each_iteration=True)
        dataset = map_images(dataset, decode, augment=augment, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=True)
    return dataset.prefetch(tf.data.AUTOTUNE)


# TFDS's splits of the hand-downloadable sets it also serves: "train" is every image, as the
# unpacked archive's one folder is.
TFDS_SPLITS = {"oxford_flowers102": {"train": "train+validation+test", "test": "test"}}


def load_tfds_pictures(name, split, image_size, *, with_labels=False, limit=None, **options):
    """A hand-downloadable dataset through its TFDS builder, prepared as `load_folder` does.

    Args:
        name: a key of `MANUAL_DATASETS` with a `tfds_name`.
        split: "train" or "test".
        image_size: (height, width) or one int.
        with_labels: yield (image, label) pairs (TFDS's labels).
        limit: keep the first `limit` images.
        **options: batch_size, shuffle, seed, augment, cache as `load_folder`.

    Raises:
        DatasetUnavailable: TFDS could not provide it (offline, say).
    """
    manual = MANUAL_DATASETS[name]
    size = _image_size(image_size)
    tfds_split = TFDS_SPLITS.get(manual.tfds_name, {}).get(split, split)
    dataset = tfds_dataset(name, manual.tfds_name, tfds_split, manual.download_host)
    if limit is not None:
        dataset = dataset.take(limit)
    count = int(dataset.cardinality())
    if count < 0:  # unknown: TFDS's own figure for the flowers, the largest set served this way
        count = min(limit or 8189, 8189)
    if not with_labels:
        dataset = dataset.map(lambda image, label: image)

    def decode(image):
        return _crop_and_resize(image, size, manual.center_crop, manual.resize, manual.channels)

    dataset = _picture_pipeline(
        dataset,
        decode,
        count,
        size=size,
        channels=manual.channels,
        batch_size=options.get("batch_size"),
        shuffle=options.get("shuffle", False),
        seed=options.get("seed", 0),
        augment=options.get("augment"),
        cache=options.get("cache"),
    )
    dataset.class_names = [f"{name} (TFDS {manual.tfds_name})"]
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
