"""Offline domain classifiers: small CNNs for MNIST, Fashion-MNIST and CIFAR-10, shipped as weights.

They replace Inception-v3 where it is weak (28×28 grayscale) or unavailable (no network): their
penultimate layer gives the features of domain FID and KID, their softmax the class probabilities
of domain IS, label accuracy and the class histogram. The weights and their recorded test accuracy
live in `ganlib/metrics/weights/` and are written by `python -m ganlib.metrics.train_classifiers`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganlib import _env  # noqa: F401
from ganlib import data as data_module

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
RECORD_PATH = WEIGHTS_DIR / "classifiers.json"
FEATURES_LAYER = "features"
LOGITS_LAYER = "logits"


@dataclass(frozen=True)
class Domain:
    """A domain a classifier is trained for.

    Args:
        name: the domain key ("mnist", "fashion_mnist", "cifar10").
        dataset_file: the `<name>.npz` holding its images (Keras' layout), found in
            `ganlib.data.data_dirs()`.
        image_shape: (height, width, channels) of the classifier's input.
        class_names: one name per class, in label order.
        blocks: filters of the convolution blocks of its classifier.
        datasets: the `ganlib.data` dataset names whose images belong to this domain.
    """

    name: str
    dataset_file: str
    image_shape: tuple[int, int, int]
    class_names: tuple[str, ...]
    blocks: tuple[int, ...]
    datasets: tuple[str, ...]

    @property
    def sample(self) -> str:
        """The committed sample of this domain's dataset (`ganlib.data.SAMPLES`)."""
        return data_module.SAMPLES[self.name]

    def available(self) -> bool:
        """Whether the domain's full test split is on this machine without a download."""
        if self.dataset_file in data_module.DATASETS:
            return data_module.find_npz(self.dataset_file) is not None
        return any((d / f"{self.dataset_file}.npz").is_file() for d in data_module.data_dirs())

    @property
    def classes(self) -> int:
        return len(self.class_names)

    @property
    def weights_path(self) -> Path:
        return WEIGHTS_DIR / f"{self.name}.weights.h5"


DOMAINS: dict[str, Domain] = {
    "mnist": Domain(
        "mnist",
        "mnist",
        (28, 28, 1),
        tuple(str(d) for d in range(10)),
        (32, 64),
        ("mnist", "mnist_sample"),
    ),
    "fashion_mnist": Domain(
        "fashion_mnist",
        "fashion_mnist",
        (28, 28, 1),
        data_module.FASHION_MNIST_CLASSES,
        (32, 64),
        ("fashion_mnist", "fashion_mnist_sample"),
    ),
    "cifar10": Domain(
        "cifar10",
        "cifar10_partial",
        (32, 32, 3),
        data_module.CIFAR10_CLASSES,
        (32, 64, 128),
        ("cifar10", "cifar10_partial", "cifar10_sample"),
    ),
}


def get_domain(name: str) -> Domain:
    """The `Domain` called `name`, or the domain a `ganlib.data` dataset name belongs to.

    Args:
        name: a domain key ("mnist", "fashion_mnist", "cifar10") or a dataset name such as
            "fashion_mnist_sample".

    Returns:
        The `Domain`.
    """
    if isinstance(name, Domain):
        return name
    if name in DOMAINS:
        return DOMAINS[name]
    for domain in DOMAINS.values():
        if name in domain.datasets:
            return domain
    known = sorted({d for domain in DOMAINS.values() for d in (domain.name, *domain.datasets)})
    raise ValueError(
        f"No domain classifier for {name!r}; expected one of {known}. For other data, use the "
        "Inception metrics (fid, kid, inception_score) or ssim."
    )


def load_domain_arrays(domain, split: str = "test") -> tuple[np.ndarray, np.ndarray]:
    """One split of a domain's dataset as uint8 images (N, H, W, C) and int32 labels.

    Args:
        domain: a `Domain`, a domain key, or a dataset name of one; a committed sample
            ("fashion_mnist_sample") gives its own arrays.
        split: "train" or "test".

    Datasets registered in `ganlib.data.DATASETS` are read through `ganlib.data.load_arrays`; the
    partial CIFAR-10 file is read from the same folders (`ganlib.data.data_dirs()`), never
    downloaded.
    """
    if isinstance(domain, str) and getattr(data_module.DATASETS.get(domain), "full", None):
        # A committed sample is its own reference: its test split, not the full set's.
        return data_module.load_arrays(domain, split)
    domain = get_domain(domain)
    if domain.dataset_file in data_module.DATASETS:
        return data_module.load_arrays(domain.dataset_file, split)
    if split not in data_module.SPLITS:
        raise ValueError(f"Unknown split {split!r}; expected one of {data_module.SPLITS}.")
    for folder in data_module.data_dirs():
        path = folder / f"{domain.dataset_file}.npz"
        if path.is_file():
            with np.load(path) as arrays:
                images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
            if images.shape[1:] != domain.image_shape:
                raise ValueError(
                    f"{path} holds images of shape {images.shape[1:]}; expected {domain.image_shape}."
                )
            return images, labels.astype("int32")
    raise data_module.DatasetUnavailable(
        f"{domain.dataset_file}.npz was not found in any of "
        f"{[str(d) for d in data_module.data_dirs()]}; set GANLIB_DATA_DIR to the folder holding it."
    )


def domain_classifier(
    image_shape: tuple[int, int, int],
    classes: int = 10,
    blocks: tuple[int, ...] = (32, 64),
    dense: int = 128,
    dropout: float = 0.3,
    name: str = "domain_classifier",
):
    """A small CNN whose penultimate layer serves as a feature extractor.

    Each block is Conv2D(3×3, same) → BatchNorm → ReLU → MaxPool(2); then Flatten →
    Dense(`dense`, ReLU) named "features" → Dropout → Dense(`classes`) named "logits".
    Small on purpose: it classifies 10,000 images in a few seconds on two CPU cores.

    Args:
        image_shape: (height, width, channels) of the images, in [-1, 1].
        classes: number of classes.
        blocks: filters of the convolution blocks.
        dense: width of the feature layer.
        dropout: dropout rate before the logits (active in training only).
        name: the model's name.

    Returns:
        A Functional `keras.Model` mapping images to (batch, classes) logits.
    """
    image = keras.Input(shape=image_shape, name="image")
    x = image
    for index, filters in enumerate(blocks):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv_{index}")(x)
        x = layers.BatchNormalization(name=f"batch_norm_{index}")(x)
        x = layers.ReLU(name=f"relu_{index}")(x)
        x = layers.MaxPooling2D(name=f"pool_{index}")(x)
    x = layers.Flatten(name="flatten")(x)
    features = layers.Dense(dense, activation="relu", name=FEATURES_LAYER)(x)
    x = layers.Dropout(dropout, name="dropout")(features)
    logits = layers.Dense(classes, name=LOGITS_LAYER)(x)
    return keras.Model(image, logits, name=name)


def build_domain_classifier(domain):
    """The untrained classifier of a domain (the architecture its weights file was saved from)."""
    domain = get_domain(domain)
    return domain_classifier(
        domain.image_shape, domain.classes, domain.blocks, name=f"{domain.name}_classifier"
    )


def read_record() -> dict:
    """The recorded training facts and test accuracy of the shipped classifiers (classifiers.json)."""
    if not RECORD_PATH.is_file():
        return {}
    return json.loads(RECORD_PATH.read_text())


def file_digest(path) -> str:
    """The first 12 hex digits of a file's SHA-256, to tell feature extractors apart in logs."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


class DomainClassifier:
    """A domain's trained classifier, returning penultimate features and class probabilities.

    Args:
        domain: a domain key or a dataset name of that domain.
        weights_path: a weights file to load instead of the shipped one.

    Example:
        >>> classifier = DomainClassifier("fashion_mnist")
        >>> features, probabilities = classifier.outputs(images)  # images in [-1, 1]
    """

    def __init__(self, domain, weights_path=None):
        self.domain = get_domain(domain)
        path = Path(weights_path) if weights_path is not None else self.domain.weights_path
        if not path.is_file():
            raise FileNotFoundError(
                f"No weights for the {self.domain.name!r} domain classifier at {path}; train them "
                "with `python -m ganlib.metrics.train_classifiers "
                f"--domain {self.domain.name}`."
            )
        self.model = build_domain_classifier(self.domain)
        try:
            self.model.load_weights(path)
        except Exception as error:  # h5py and Keras raise several types for a damaged file
            raise ValueError(f"Could not load classifier weights from {path}: {error}") from error
        self.weights_path = path
        self.name = f"domain:{self.domain.name}/{file_digest(path)}"
        self._outputs_model = keras.Model(
            self.model.input,
            [self.model.get_layer(FEATURES_LAYER).output, self.model.output],
            name=f"{self.domain.name}_features",
        )

    def __repr__(self):
        return f"DomainClassifier({self.name!r})"

    def prepare(self, images) -> np.ndarray:
        """Check images in [-1, 1] and resize them to the classifier's input size if they differ.

        Only the height and width may differ (e.g. MNIST generated at 64×64 for milosevic); the
        channels must match.
        """
        images = np.asarray(images, dtype=np.float32)
        data_module.check_images(images, what="images")
        height, width, channels = self.domain.image_shape
        if images.shape[-1] != channels:
            raise ValueError(
                f"The {self.domain.name!r} classifier takes {channels}-channel images; received "
                f"shape {images.shape}."
            )
        if images.shape[1:3] != (height, width):
            # Area averaging is the right filter when shrinking; it is bilinear when enlarging.
            method = "area" if images.shape[1] >= height else "bilinear"
            images = tf.image.resize(images, (height, width), method=method).numpy()
        return images

    def outputs(self, images, batch_size: int = 500) -> tuple[np.ndarray, np.ndarray]:
        """Penultimate features and softmax probabilities of images in [-1, 1].

        Args:
            images: (N, H, W, C) floats in [-1, 1].
            batch_size: images per forward pass.

        Returns:
            (features (N, 128) float64, probabilities (N, classes) float64).
        """
        images = self.prepare(images)
        features, logits = self._outputs_model.predict(images, batch_size=batch_size, verbose=0)
        probabilities = keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1))
        return features.astype(np.float64), probabilities.astype(np.float64)

    def predict_labels(self, images, batch_size: int = 500) -> np.ndarray:
        """The predicted class of each image."""
        return self.outputs(images, batch_size)[1].argmax(axis=1)


_LOADED: dict[tuple[str, str], DomainClassifier] = {}


def load_domain_classifier(domain, weights_path=None) -> DomainClassifier:
    """The `DomainClassifier` of a domain, loaded once per process."""
    domain = get_domain(domain)
    key = (domain.name, str(weights_path or domain.weights_path))
    if key not in _LOADED:
        _LOADED[key] = DomainClassifier(domain, weights_path)
    return _LOADED[key]
