"""Drawing the images a metric is computed on, from unconditional and conditional generators.

A conditional generator is either a Keras model with two inputs, [noise, labels] (integer labels
of shape (N,) or (N, 1), or one-hot (N, classes), as its second input declares), or any callable
mapping an (N,) array of integer labels to (N, H, W, C) images in [-1, 1]. Nothing here depends on
a particular conditional GAN class.
"""

from __future__ import annotations

import numpy as np

from ganlib.runs import draw_latents


def balanced_labels(count: int, classes: int) -> np.ndarray:
    """Labels 0, 1, …, classes−1, 0, 1, … : `count` of them, every class equally often (±1)."""
    if not isinstance(count, int) or count <= 0:
        raise ValueError(f"count must be a positive integer, received {count!r}.")
    return (np.arange(count) % classes).astype(np.int32)


def is_conditional(generator) -> bool:
    """True for a Keras model with two inputs or a plain callable (both take labels)."""
    inputs = getattr(generator, "inputs", None)
    if inputs is None:
        return callable(generator)
    return len(inputs) == 2


def _label_input(generator, labels: np.ndarray):
    shape = tuple(generator.inputs[1].shape)
    if len(shape) == 2 and shape[1] not in (None, 1):
        return np.eye(shape[1], dtype=np.float32)[labels]
    if len(shape) == 2:
        return labels.reshape(-1, 1)
    return labels


def generate_images(
    generator,
    count: int | None = None,
    *,
    latents=None,
    labels=None,
    noise: str = "normal",
    seed=0,
    batch_size: int = 250,
) -> np.ndarray:
    """Images from a generator, in batches (a few thousand 28×28 images at once would use GBs).

    Args:
        generator: a Keras generator (noise → images, or [noise, labels] → images), or a callable
            labels → images.
        count: number of images (unconditional generators, when `latents` is not given).
        latents: fixed (N, noise_dim) noise to use instead of drawing it.
        labels: (N,) integer labels, for conditional generators.
        noise: "normal" or "uniform" noise, as the generator was trained with.
        seed: seed of the noise.
        batch_size: images per forward pass.

    Returns:
        A float32 array (N, H, W, C).
    """
    conditional = is_conditional(generator)
    if labels is not None:
        labels = np.asarray(labels)
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"labels must be a 1-D integer array; received shape {labels.shape}, "
                f"dtype {labels.dtype}."
            )
    if conditional and labels is None:
        raise ValueError("This generator is conditional: pass labels= (one per image).")
    if not hasattr(generator, "inputs"):
        return np.asarray(generator(labels), dtype=np.float32)
    if latents is None:
        count = len(labels) if labels is not None else count
        if count is None:
            raise ValueError("Pass count= or latents= to say how many images to draw.")
        latents = draw_latents(count, int(generator.inputs[0].shape[-1]), noise, seed)
    latents = np.asarray(latents, dtype=np.float32)
    if labels is not None and len(labels) != len(latents):
        raise ValueError(
            f"labels ({len(labels)}) and latents ({len(latents)}) must have the same length."
        )
    images = []
    for start in range(0, latents.shape[0], batch_size):
        inputs = latents[start : start + batch_size]
        if conditional:
            inputs = [inputs, _label_input(generator, labels[start : start + batch_size])]
        images.append(np.asarray(generator(inputs, training=False), dtype=np.float32))
    return np.concatenate(images)
