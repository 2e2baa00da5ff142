"""Image augmentations used inside tf.data pipelines and training steps.

All functions take and return float32 images in [-1, 1].
"""

from __future__ import annotations

from keras import ops


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
    import math

    import tensorflow as tf

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
    import tensorflow as tf

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
    import tensorflow as tf

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
