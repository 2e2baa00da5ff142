"""Datasets: the registry, where they are found, input checks and `tf.data` pipelines.

- `registry`: what each dataset is (`DATASETS`, `MANUAL_DATASETS`, class names);
- `locate`: the one lookup order (`$GANLIB_DATA_DIR` → the repository's `data/` → ganlib's cache →
  a Keras/TFDS download), and the error that names the folders searched;
- `checks`: input checks that name the value received;
- `pipelines`: `load`, `load_folder` and `from_arrays`, float32 images in [-1, 1];
- `testing`: stand-in pictures for a hand-downloaded set that is missing (CI only).
"""

from ganlib.data.checks import check_images, check_labels, check_positive_int
from ganlib.data.locate import (
    REPO_DATA_DIR,
    DatasetUnavailable,
    available_locally,
    cache_dir,
    data_dirs,
    find_folder,
    find_npz,
    load_arrays,
)
from ganlib.data.pipelines import (
    folder_files,
    from_arrays,
    load,
    load_folder,
    load_tfds_pictures,
    map_images,
    to_unit_range,
)
from ganlib.data.registry import (
    CIFAR10_CLASSES,
    DATASETS,
    FASHION_MNIST_CLASSES,
    IMAGE_SUFFIXES,
    MANUAL_DATASETS,
    RESIZE_METHODS,
    SAMPLES,
    SPLITS,
    DatasetInfo,
    ManualDataset,
    dataset_info,
    how_to_get,
)
from ganlib.data.testing import STAND_IN_KINDS, folder_or_stand_in, write_stand_in_folder

__all__ = [
    "CIFAR10_CLASSES",
    "DATASETS",
    "FASHION_MNIST_CLASSES",
    "IMAGE_SUFFIXES",
    "MANUAL_DATASETS",
    "REPO_DATA_DIR",
    "RESIZE_METHODS",
    "SAMPLES",
    "SPLITS",
    "STAND_IN_KINDS",
    "DatasetInfo",
    "DatasetUnavailable",
    "ManualDataset",
    "available_locally",
    "cache_dir",
    "check_images",
    "check_labels",
    "check_positive_int",
    "data_dirs",
    "dataset_info",
    "find_folder",
    "find_npz",
    "folder_files",
    "folder_or_stand_in",
    "from_arrays",
    "how_to_get",
    "load",
    "load_arrays",
    "load_folder",
    "load_tfds_pictures",
    "map_images",
    "to_unit_range",
    "write_stand_in_folder",
]
