"""Unconditional DCGAN builders: plain functions returning named Functional models."""

from __future__ import annotations

import keras
from keras import layers


def sharma_fashion_mnist_generator(noise_dim: int = 100, name: str = "sharma_generator"):
    """Sharma's Fashion-MNIST generator (report section 4.3, Fig 4.3.1, left).

    Dense(7·7·128) → Reshape(7, 7, 128) → BN → ConvT(256, s2, ReLU) → BN → ConvT(128, s2, ReLU) → BN →
    ConvT(64, s1, ReLU) → BN → Conv2D(1, tanh). Layer names and output shapes are those of Fig 4.3.1.

    Reading: kernel sizes are not printed; the transposed convolutions use 4×4 and the last
    convolution 3×3, as the report's Pretty Face code (Fig 4.4.1) does.

    Args:
        noise_dim: length of the input noise vector (the report's "number of features", 100).
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, noise_dim) noise to (batch, 28, 28, 1) images in [-1, 1].
    """
    return _sharma_generator(noise_dim, (7, 7, 128), ((256, 2), (128, 2), (64, 1)), 1, name)


def sharma_fashion_mnist_discriminator(
    image_shape: tuple[int, int, int] = (28, 28, 1),
    dropout: tuple[float, float, float] = (0.3, 0.3, 0.4),
    leaky_relu_alpha: float = 0.2,
    name: str = "sharma_discriminator",
):
    """Sharma's Fashion-MNIST discriminator (report section 4.3, Fig 4.3.1, right).

    Three blocks Conv2D(5×5, stride 2) → LeakyReLU(0.2) → Dropout with 64, 128, 256 filters, then
    Flatten (4096) and Dense(1). Layer names and output shapes are those of Fig 4.3.1.

    The Dense layer returns a logit: the report's sigmoid is applied inside the loss
    (`ganlib.losses`, binary cross-entropy on logits), which is the same function, computed stably.

    Args:
        image_shape: (28, 28, 1) for Fashion-MNIST.
        dropout: the three dropout rates, in layer order.
        leaky_relu_alpha: negative slope of LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping images in [-1, 1] to (batch, 1) logits.
    """
    if len(dropout) != 3:
        raise ValueError(f"dropout must hold 3 rates, received {dropout!r}.")
    image = keras.Input(shape=image_shape, name="image")
    x = image
    for index, (filters, rate) in enumerate(zip((64, 128, 256), dropout)):
        suffix = f"_{index}" if index else ""
        x = layers.Conv2D(filters, 5, strides=2, padding="same", name=f"conv2d_{index + 1}")(x)
        x = layers.LeakyReLU(negative_slope=leaky_relu_alpha, name=f"leaky_re_lu{suffix}")(x)
        x = layers.Dropout(rate, name=f"dropout{suffix}")(x)
    x = layers.Flatten(name="flatten")(x)
    logit = layers.Dense(1, name="dense_1")(x)
    return keras.Model(image, logit, name=name)


def sharma_pretty_face_generator(noise_dim: int = 100, name: str = "sharma_face_generator"):
    """Sharma's Pretty Face generator, the report's Keras code layer for layer (section 4.4, Fig 4.4.1).

    Dense(4·4·1024) → Reshape(4, 4, 1024) → BN, then seven ConvT(4×4, ReLU, "same") each followed by
    BN — 1024 s2, 512 s2, 512 s1, 256 s2, 256 s1, 128 s2, 64 s1 — and Conv2D(3, 3×3, tanh).
    Layer names are those Keras gives the report's `Sequential` in a fresh session.

    Args:
        noise_dim: length of the input noise vector (the report's `num_features`, 100).
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, noise_dim) noise to (batch, 64, 64, 3) images in [-1, 1].
    """
    blocks = ((1024, 2), (512, 2), (512, 1), (256, 2), (256, 1), (128, 2), (64, 1))
    return _sharma_generator(noise_dim, (4, 4, 1024), blocks, 3, name)


def _sharma_generator(noise_dim, start_shape, blocks, channels, name):
    """Both of Sharma's generators: Dense → Reshape → BN, blocks of ConvT(4×4, ReLU) → BN, then
    Conv2D(3×3, tanh), with the layer names Keras gives the report's models."""
    noise = keras.Input(shape=(noise_dim,), name="noise")
    height, width, depth = start_shape
    x = layers.Dense(height * width * depth, name="dense")(noise)
    x = layers.Reshape(start_shape, name="reshape")(x)
    x = layers.BatchNormalization(name="batch_normalization")(x)
    for index, (filters, strides) in enumerate(blocks):
        suffix = f"_{index}" if index else ""
        x = layers.Conv2DTranspose(
            filters,
            4,
            strides=strides,
            padding="same",
            activation="relu",
            name=f"conv2d_transpose{suffix}",
        )(x)
        x = layers.BatchNormalization(name=f"batch_normalization_{index + 1}")(x)
    image = layers.Conv2D(channels, 3, padding="same", activation="tanh", name="conv2d")(x)
    return keras.Model(noise, image, name=name)


def sharma_pretty_face_discriminator(
    image_shape: tuple[int, int, int] = (64, 64, 3),
    dropout: tuple[float, ...] = (0.3, 0.3, 0.3, 0.3, 0.3, 0.4),
    leaky_relu_alpha: float = 0.2,
    name: str = "sharma_face_discriminator",
):
    """Sharma's Pretty Face discriminator, the report's Keras code (section 4.4, Fig 4.4.2).

    Five blocks Conv2D(c, 5×5, stride 2, "same") → BN → LeakyReLU(0.2) → Dropout(0.3) for
    c = 64, 128, 256, 512, 1024; then Flatten (2·2·1024) → Dropout(0.4) → Dense(1). (The report's
    caption calls this figure the generator too; the code is the discriminator's.)

    The Dense layer returns a logit; the report's sigmoid is inside the loss, as in
    `sharma_fashion_mnist_discriminator`.

    Args:
        image_shape: (64, 64, 3).
        dropout: six rates: one per convolution block, then the one before the Dense layer.
        leaky_relu_alpha: negative slope of LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping images in [-1, 1] to (batch, 1) logits.
    """
    if len(dropout) != 6:
        raise ValueError(
            f"dropout must hold 6 rates (5 blocks, then the head), received {dropout!r}."
        )
    image = keras.Input(shape=image_shape, name="image")
    x = image
    for index, (filters, rate) in enumerate(zip((64, 128, 256, 512, 1024), dropout)):
        suffix = f"_{index}" if index else ""
        x = layers.Conv2D(filters, 5, strides=2, padding="same", name=f"conv2d{suffix}")(x)
        x = layers.BatchNormalization(name=f"batch_normalization{suffix}")(x)
        x = layers.LeakyReLU(negative_slope=leaky_relu_alpha, name=f"leaky_re_lu{suffix}")(x)
        x = layers.Dropout(rate, name=f"dropout{suffix}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(dropout[5], name="dropout_5")(x)
    logit = layers.Dense(1, name="dense")(x)
    return keras.Model(image, logit, name=name)


STIFF_SIZES = {28: (7, 2), 32: (8, 2), 64: (8, 3), 128: (8, 4)}
"""Image side → (side of the first feature map, number of ×2 stages) of the stiff networks."""


def _stiff_stages(image_shape):
    if (
        len(image_shape) != 3
        or image_shape[0] != image_shape[1]
        or image_shape[0] not in STIFF_SIZES
    ):
        raise ValueError(
            f"image_shape must be square with a side in {sorted(STIFF_SIZES)}, received {image_shape!r}."
        )
    return STIFF_SIZES[image_shape[0]]


def stiff_generator(
    image_shape: tuple[int, int, int] = (128, 128, 3),
    noise_dim: int = 100,
    leaky_relu_alpha: float = 0.2,
    batch_norm: bool = True,
    name: str = "stiff_generator",
):
    """Stiff et al.'s upsampling generator (section 3.4, Fig 4), for 28×28 up to 128×128 images.

    Dense → Reshape to s×s×128 (s = 8, or 7 for 28×28), then blocks of UpSampling2D(×2) →
    Conv2D(5×5) that halve the channels (64, 32, 16) up to the last block, whose convolution gives
    the image's channels with tanh. LeakyReLU follows every other layer, the report's deliberate
    departure from DCGAN's ReLU. For smaller images blocks are removed from the end of the stack
    ("layers are removed until the channel size matches", section 4): 128×128 has four blocks,
    64×64 three, 28×28 and 32×32 two.

    Reading: the report lists DCGAN's batch normalization among the constraints it "mostly follows"
    (section 3.1) and names no departure from it, so BN follows the Dense layer and every hidden
    convolution (`batch_norm=False` removes it); the output is tanh, matching images in [-1, 1].

    Args:
        image_shape: (side, side, channels) with side 28, 32, 64 or 128.
        noise_dim: length of the noise vector (100, drawn uniformly in [-1, 1] by the preset).
        leaky_relu_alpha: negative slope of every LeakyReLU.
        batch_norm: batch normalization after the hidden layers.
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, noise_dim) noise to images of `image_shape` in [-1, 1].
    """
    start, stages = _stiff_stages(image_shape)
    noise = keras.Input(shape=(noise_dim,), name="noise")
    x = layers.Dense(start * start * 128, name="dense")(noise)
    x = layers.Reshape((start, start, 128), name="reshape")(x)
    if batch_norm:
        x = layers.BatchNormalization(name="dense_bn")(x)
    x = layers.LeakyReLU(negative_slope=leaky_relu_alpha, name="dense_lrelu")(x)
    for stage in range(1, stages):
        x = layers.UpSampling2D(2, name=f"block{stage}_upsample")(x)
        x = layers.Conv2D(128 >> stage, 5, padding="same", name=f"block{stage}_conv")(x)
        if batch_norm:
            x = layers.BatchNormalization(name=f"block{stage}_bn")(x)
        x = layers.LeakyReLU(negative_slope=leaky_relu_alpha, name=f"block{stage}_lrelu")(x)
    x = layers.UpSampling2D(2, name=f"block{stages}_upsample")(x)
    image = layers.Conv2D(image_shape[2], 5, padding="same", activation="tanh", name="image")(x)
    return keras.Model(noise, image, name=name)


def stiff_discriminator(
    image_shape: tuple[int, int, int] = (128, 128, 3),
    leaky_relu_alpha: float = 0.2,
    batch_norm: bool = True,
    name: str = "stiff_discriminator",
):
    """Stiff et al.'s discriminator (section 3.4, Fig 3), for 28×28 up to 128×128 images.

    Strided Conv2D(5×5, stride 2) layers that halve the side and double the channels until
    s×s×128 (s = 8, or 7 for 28×28): 16, 32, 64, 128 filters for 128×128, the last 3 for 64×64,
    the last 2 for 28×28 and 32×32; LeakyReLU after each; Flatten → Dense(1).

    Reading: BN after every convolution but the first, as DCGAN's constraints (section 3.1). The
    Dense layer returns a logit; the report's sigmoid is inside the loss.

    Args:
        image_shape: (side, side, channels) with side 28, 32, 64 or 128.
        leaky_relu_alpha: negative slope of every LeakyReLU.
        batch_norm: batch normalization after the convolutions but the first.
        name: the model's name.

    Returns:
        A `keras.Model` mapping images in [-1, 1] to (batch, 1) logits.
    """
    _, stages = _stiff_stages(image_shape)
    image = keras.Input(shape=tuple(image_shape), name="image")
    x = image
    for stage in range(1, stages + 1):
        filters = 128 >> (stages - stage)
        x = layers.Conv2D(filters, 5, strides=2, padding="same", name=f"block{stage}_conv")(x)
        if batch_norm and stage > 1:
            x = layers.BatchNormalization(name=f"block{stage}_bn")(x)
        x = layers.LeakyReLU(negative_slope=leaky_relu_alpha, name=f"block{stage}_lrelu")(x)
    x = layers.Flatten(name="flatten")(x)
    logit = layers.Dense(1, name="logit")(x)
    return keras.Model(image, logit, name=name)
