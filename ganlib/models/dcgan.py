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
    noise = keras.Input(shape=(noise_dim,), name="noise")
    x = layers.Dense(7 * 7 * 128, name="dense")(noise)
    x = layers.Reshape((7, 7, 128), name="reshape")(x)
    x = layers.BatchNormalization(name="batch_normalization")(x)
    for index, (filters, strides) in enumerate(((256, 2), (128, 2), (64, 1))):
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
    image = layers.Conv2D(1, 3, padding="same", activation="tanh", name="conv2d")(x)
    return keras.Model(noise, image, name=name)


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
