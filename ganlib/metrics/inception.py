"""Inception-v3 features and class probabilities for FID, KID and IS.

The network is `keras.applications.InceptionV3` with its ImageNet weights, read from the file named
by `GANLIB_INCEPTION_WEIGHTS` when that is set, else fetched (once, then cached) by Keras. Images
are resized to 299×299 and grayscale images repeated to three channels.

Caveat: Keras' Inception-v3 is not the TF-slim graph of the original FID code, so values are
comparable between ganlib runs, not with FIDs published elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganlib import _env  # noqa: F401
from ganlib import data as data_module
from ganlib.metrics.domain import file_digest

WEIGHTS_ENV = "GANLIB_INCEPTION_WEIGHTS"
INPUT_SIZE = 299
WEIGHTS_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/" + WEIGHTS_FILE
)
POOL_LAYER = "avg_pool"
PREDICTIONS_LAYER = "predictions"


class InceptionExtractor:
    """Inception-v3 returning its 2048 pool features and its 1000 ImageNet class probabilities.

    Args:
        model: a `keras.applications.InceptionV3(include_top=True)` model.
        name: how metric logs name this extractor (e.g. "inception_v3/imagenet").
    """

    def __init__(self, model, name: str):
        self.name = name
        self.model = keras.Model(
            model.input,
            [model.get_layer(POOL_LAYER).output, model.get_layer(PREDICTIONS_LAYER).output],
            name="inception_v3_features",
        )

    def __repr__(self):
        return f"InceptionExtractor({self.name!r})"

    def outputs(self, images, batch_size: int = 50) -> tuple[np.ndarray, np.ndarray]:
        """Pool features and class probabilities of images in [-1, 1], in batches.

        Images are resized to 299×299 one batch at a time (bilinear), so memory stays at one batch
        of full-size inputs; 1-channel images are repeated to RGB. Keras' Inception-v3 expects
        inputs in [-1, 1], which is the range ganlib's images already have.

        Args:
            images: (N, H, W, 1 or 3) floats in [-1, 1].
            batch_size: images per forward pass.

        Returns:
            (features (N, 2048) float64, probabilities (N, 1000) float64).
        """
        images = np.asarray(images, dtype=np.float32)
        data_module.check_images(images, what="images")
        if images.shape[-1] not in (1, 3):
            raise ValueError(
                f"Inception-v3 takes 1- or 3-channel images; received shape {images.shape}."
            )
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, received {batch_size!r}.")
        features, probabilities = [], []
        for start in range(0, images.shape[0], batch_size):
            batch = tf.convert_to_tensor(images[start : start + batch_size])
            if batch.shape[-1] == 1:
                batch = tf.repeat(batch, 3, axis=-1)
            batch = tf.image.resize(batch, (INPUT_SIZE, INPUT_SIZE), method="bilinear")
            pool, predictions = self.model(batch, training=False)
            features.append(np.asarray(pool, dtype=np.float64))
            probabilities.append(np.asarray(predictions, dtype=np.float64))
        return np.concatenate(features), np.concatenate(probabilities)


def _missing_weights_error(reason: str) -> FileNotFoundError:
    return FileNotFoundError(
        f"Inception-v3 weights are not available: {reason}. Either set {WEIGHTS_ENV} to a local "
        f"copy of {WEIGHTS_FILE} (download it once from {WEIGHTS_URL} on a machine with network, "
        "e.g. Colab), or use the offline metrics domain_fid, domain_kid and domain_is, which need "
        "no download."
    )


_LOADED: dict[str, InceptionExtractor] = {}


def load_inception(weights="auto") -> InceptionExtractor:
    """Inception-v3 with ImageNet weights, ready to extract features.

    Args:
        weights: "auto" (the file named by `GANLIB_INCEPTION_WEIGHTS` if set, else Keras'
            download, cached in ~/.keras/models), a path to the weights file, or None for random
            weights (tests of the extraction path only; the numbers mean nothing).

    Returns:
        An `InceptionExtractor`, built once per process for each weights source.

    Raises:
        FileNotFoundError: the named file does not exist, or no file is named and Keras cannot
            download the weights; the message says how to fix it.
    """
    if weights == "auto":
        weights = os.environ.get(WEIGHTS_ENV) or "imagenet"
    key = str(weights)
    if key in _LOADED:
        return _LOADED[key]
    if weights is None:
        model, name = keras.applications.InceptionV3(weights=None), "inception_v3/random"
    elif weights == "imagenet":
        try:
            model = keras.applications.InceptionV3(weights="imagenet")
        except Exception as error:  # no network, proxy, or a damaged cache: all end here
            raise _missing_weights_error(
                f"{WEIGHTS_ENV} is not set and Keras could not download them ({error})"
            ) from error
        name = "inception_v3/imagenet"
    else:
        path = Path(weights).expanduser()
        if not path.is_file():
            raise _missing_weights_error(
                f"no file at {str(path)!r} (from {WEIGHTS_ENV} or weights=)"
            )
        try:
            model = keras.applications.InceptionV3(weights=str(path))
        except Exception as error:
            raise ValueError(
                f"{path} could not be loaded as Inception-v3 weights ({error}); expected Keras' "
                f"{WEIGHTS_FILE} (the full model with its top)."
            ) from error
        name = f"inception_v3/{file_digest(path)}"
    _LOADED[key] = InceptionExtractor(model, name)
    return _LOADED[key]
