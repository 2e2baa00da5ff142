"""Image augmentations used inside tf.data pipelines and training steps.

All functions take and return float32 images in [-1, 1].
"""

from __future__ import annotations

import math

import keras
import tensorflow as tf
from keras import ops


def box_masks(boxes, height: int, width: int):
    """Masks that are 1 inside each box and 0 outside.

    Args:
        boxes: (batch, 4) integers (top, left, bottom, right); bottom and right are exclusive, so
            the box covers rows top..bottom-1 and columns left..right-1.
        height, width: the images' size.

    Returns:
        A float32 tensor (batch, height, width, 1).

    Example:
        >>> box_masks([[1, 1, 3, 2]], 4, 4)[0, :, :, 0]  # rows 1-2, column 1
    """
    boxes = ops.cast(ops.convert_to_tensor(boxes), "int32")
    if len(boxes.shape) != 2 or boxes.shape[-1] != 4:
        raise ValueError(
            f"boxes must have shape (batch, 4) as (top, left, bottom, right); received {boxes.shape}."
        )
    rows = ops.arange(height, dtype="int32")[None, :, None]
    columns = ops.arange(width, dtype="int32")[None, None, :]
    top, left, bottom, right = (ops.reshape(boxes[:, i], (-1, 1, 1)) for i in range(4))
    inside = (rows >= top) & (rows < bottom) & (columns >= left) & (columns < right)
    return ops.cast(inside, "float32")[..., None]


def random_boxes(batch_size, height: int, width: int, *, alpha: float = 1.0, seed=None):
    """CutMix boxes (Yun et al. 2019, as keras-io's `vision/cutmix.py`): one per image.

    λ ~ Beta(α, α); the box is √(1-λ)·height by √(1-λ)·width around a uniformly drawn centre, clipped
    to the image, so its area fraction is 1-λ before clipping and less after.

    Args:
        batch_size: number of boxes.
        height, width: the images' size.
        alpha: the Beta distribution's parameter (1: λ uniform in [0, 1]).
        seed: an int or a `keras.random.SeedGenerator`.

    Returns:
        An int32 tensor (batch_size, 4) of (top, left, bottom, right).
    """
    if seed is None or isinstance(seed, int):
        seed = keras.random.SeedGenerator(seed)
    lam = keras.random.beta((batch_size,), alpha, alpha, seed=seed)
    ratio = ops.sqrt(1.0 - lam)
    half_h = ops.cast(ratio * height / 2.0, "int32")
    half_w = ops.cast(ratio * width / 2.0, "int32")
    centre_y = keras.random.randint((batch_size,), 0, height, seed=seed)
    centre_x = keras.random.randint((batch_size,), 0, width, seed=seed)
    return ops.stack(
        [
            ops.clip(centre_y - half_h, 0, height),
            ops.clip(centre_x - half_w, 0, width),
            ops.clip(centre_y + half_h, 0, height),
            ops.clip(centre_x + half_w, 0, width),
        ],
        axis=1,
    )


def cutmix(real_images, fake_images, masks, real_label: float = 1.0):
    """Paste each generated image's box into its real image and each real image's box into the generated one.

    The discriminator's target is the share of real pixels: `real_label·(1 - a)` for the real image
    with a generated box of area fraction `a`, `real_label·a` for the reverse. With empty masks this
    is the plain real/generated pair with targets `real_label` and 0.

    Args:
        real_images, fake_images: (batch, H, W, C) batches of the same shape.
        masks: (batch, H, W, 1) masks from `box_masks`, 1 inside the box.
        real_label: the target of a wholly real image (0.9 for one-sided label smoothing).

    Returns:
        (real_mixed, fake_mixed, real_targets, fake_targets): two image batches, and two (batch, 1)
        float32 target columns. Pixels outside the boxes are the inputs' own, bit for bit.
    """
    real_images = ops.convert_to_tensor(real_images, "float32")
    fake_images = ops.convert_to_tensor(fake_images, "float32")
    if real_images.shape != fake_images.shape:
        raise ValueError(
            "real_images and fake_images must have the same shape; received "
            f"{real_images.shape} and {fake_images.shape}."
        )
    inside = ops.convert_to_tensor(masks, "float32") > 0.5
    real_mixed = ops.where(inside, fake_images, real_images)
    fake_mixed = ops.where(inside, real_images, fake_images)
    area = ops.mean(ops.cast(inside, "float32"), axis=(1, 2))
    return real_mixed, fake_mixed, real_label * (1.0 - area), real_label * area


def random_cutmix(
    real_images, fake_images, probability: float, *, real_label=1.0, seed=None, with_coin=False
):
    """`cutmix` with random boxes, applied to the whole batch with the given probability.

    Args:
        real_images, fake_images: (batch, H, W, C) batches of the same shape.
        probability: chance that this batch is mixed; otherwise the pair comes back unchanged with
            targets `real_label` and 0.
        real_label: the target of a wholly real image.
        seed: an int or a `keras.random.SeedGenerator`.
        with_coin: also return the coin, 1.0 when this batch was mixed and 0.0 when not (the
            share of mixed batches is logged as `cutmix_share`).

    Returns:
        (real_mixed, fake_mixed, real_targets, fake_targets), as `cutmix`, and the coin when
        `with_coin`.
    """
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be in [0, 1], received {probability!r}.")
    if seed is None or isinstance(seed, int):
        seed = keras.random.SeedGenerator(seed)
    batch_size, height, width = ops.shape(real_images)[:3]
    boxes = random_boxes(batch_size, int(height), int(width), seed=seed)
    # The coin multiplies the masks instead of branching, so the step stays one graph.
    applied = ops.cast(keras.random.uniform((), seed=seed) < probability, "float32")
    masks = box_masks(boxes, int(height), int(width)) * applied
    mixed = cutmix(real_images, fake_images, masks, real_label)
    return (*mixed, applied) if with_coin else mixed


def random_rotation(image, max_degrees: float, seed, fill_value: float = -1.0):
    """Rotate one image about its centre by an angle drawn uniformly in [-max_degrees, max_degrees].

    Bilinear interpolation; corners the rotation uncovers are filled with `fill_value` (-1, black,
    as torchvision's `RandomRotation` fills with 0 before normalisation).

    Args:
        image: one (H, W, C) float32 image in [-1, 1].
        max_degrees: the largest rotation (Milošević's MNIST: 30).
        seed: a stateless seed, shape (2,) integers.
        fill_value: value of the uncovered pixels.

    Returns:
        The rotated (H, W, C) image, still in [-1, 1].
    """
    if max_degrees < 0:
        raise ValueError(f"max_degrees must be >= 0, received {max_degrees!r}.")
    angle = tf.random.stateless_uniform((), seed, -max_degrees, max_degrees) * (math.pi / 180.0)
    height = tf.cast(tf.shape(image)[0], tf.float32) - 1.0
    width = tf.cast(tf.shape(image)[1], tf.float32) - 1.0
    cos, sin = tf.cos(angle), tf.sin(angle)
    # The projective transform maps each output pixel to the input pixel it samples, as
    # `keras.layers.RandomRotation` builds it.
    x_offset = (width - (cos * width - sin * height)) / 2.0
    y_offset = (height - (sin * width + cos * height)) / 2.0
    transform = tf.stack([cos, -sin, x_offset, sin, cos, y_offset, 0.0, 0.0])
    return ops.image.affine_transform(
        image, transform, interpolation="bilinear", fill_mode="constant", fill_value=fill_value
    )


def random_padded_crop(image, padding: int, seed, fill_value: float = -1.0):
    """Pad one image by `padding` pixels on every side, then crop a random window of its size.

    As torchvision's `RandomCrop(size, padding=padding)`: the image moves by up to `padding`
    pixels in each direction, the uncovered border filled with `fill_value`.

    Args:
        image: one (H, W, C) float32 image in [-1, 1].
        padding: pixels added on each side (Milošević's MNIST: 4).
        seed: a stateless seed, shape (2,) integers.
        fill_value: value of the padding.

    Returns:
        An (H, W, C) image.
    """
    if isinstance(padding, bool) or not isinstance(padding, int) or padding < 0:
        raise ValueError(f"padding must be a non-negative integer, received {padding!r}.")
    padded = tf.pad(
        image, [[padding, padding], [padding, padding], [0, 0]], constant_values=fill_value
    )
    return tf.image.stateless_random_crop(padded, tf.shape(image), seed)


def rotate_and_crop(max_degrees: float = 0.0, padding: int = 0):
    """The augmentation `(image, seed) -> image` of Milošević's MNIST: rotation, then padded crop.

    Args:
        max_degrees: largest rotation in degrees; 0 skips the rotation.
        padding: crop padding in pixels; 0 skips the crop.

    Returns:
        A function for `ganlib.data.load(..., augment=...)`.

    Example:
        >>> dataset = ganlib.data.load("mnist", image_size=64, augment=rotate_and_crop(30, 4))
    """
    if max_degrees < 0:
        raise ValueError(f"max_degrees must be >= 0, received {max_degrees!r}.")
    if isinstance(padding, bool) or not isinstance(padding, int) or padding < 0:
        raise ValueError(f"padding must be a non-negative integer, received {padding!r}.")

    def augment(image, seed):
        rotation_seed, crop_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
        if max_degrees:
            image = random_rotation(image, max_degrees, rotation_seed)
        if padding:
            image = random_padded_crop(image, padding, crop_seed)
        return image

    return augment
