"""Conditional GAN builders: Milošević's cDCGAN with label embeddings, Li & Ye's cGAN/cDCGAN/cDCGAN2.

Every generator takes `[noise, labels]` (noise (batch, noise_dim) floats, labels (batch,)
integers in [0, classes)) and returns images in [-1, 1]; every discriminator takes
`[images, labels]` and returns (batch, 1) logits (the reports' sigmoid is applied inside the
binary cross-entropy, `ganlib.losses`). Each network has its own label encoding layer, never shared.

The convolutional networks follow DCGAN (Radford et al.), as both reports say they do: the
generator starts from a 1×1 input, a transposed convolution with a k×k kernel makes a k×k map
(k = 4, or 7 for 28×28 images), and stride-2 transposed convolutions double the size and halve the
channels up to the image; the discriminator mirrors it. Convolutions followed by BatchNorm have no
bias (BatchNorm's offset replaces it).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

START_SIZES = (4, 7)
BN_MOMENTUM = 0.9


def upsampling_plan(size: int) -> tuple[int, int]:
    """(start, blocks) with size = start · 2**blocks and start in (4, 7): 64 → (4, 4), 28 → (7, 2).

    Args:
        size: the image's height (= width).

    Returns:
        The size of the first feature map and the number of stride-2 blocks after it.
    """
    for start in START_SIZES:
        blocks = 0
        while start * 2**blocks < size:
            blocks += 1
        if start * 2**blocks == size and blocks >= 1:
            return start, blocks
    raise ValueError(
        f"image size {size!r} is not 4·2^n or 7·2^n (n >= 1); expected e.g. 28, 32 or 64."
    )


def _square(image_shape) -> int:
    height, width, _ = image_shape
    if height != width:
        raise ValueError(f"image_shape must be square, received {tuple(image_shape)!r}.")
    return height


def _check_positive(**values):
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, received {value!r}.")


def _inputs(noise_dim):
    noise = keras.Input(shape=(noise_dim,), name="noise")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    return noise, labels


# Reading: the report gives no initialisation; its code is PyTorch (its figures print
# `tensor([...], device='cuda:0')`), whose nn.Embedding starts from N(0, 1). Keras' default,
# uniform ±0.05, feeds the label some twenty times weaker than the N(0, 1) noise: the discriminator
# wins and the generator ignores its labels (label accuracy 0.11 after 400 steps of a narrow copy of
# the networks, 0.37 with N(0, 1) in both networks; docs/fidelity.md).
def _label_embedding(labels, classes, embed_dim):
    return layers.Embedding(
        classes,
        embed_dim,
        embeddings_initializer=keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
        name="label_embedding",
    )(labels)


def _label_one_hot(labels, classes):
    return layers.CategoryEncoding(classes, output_mode="one_hot", name="label_one_hot")(labels)


def _as_maps(vector, size, name):
    """(batch, n) → (batch, size, size, n): the vector repeated at every pixel."""
    x = layers.Reshape((1, 1, vector.shape[-1]), name=f"{name}_reshape")(vector)
    return layers.UpSampling2D(size=(size, size), name=f"{name}_broadcast")(x)


def _first_block(vector, filters, start, name):
    """1×1 input → start×start map: transposed convolution, BatchNorm, ReLU."""
    x = layers.Reshape((1, 1, vector.shape[-1]), name=f"{name}_reshape")(vector)
    x = layers.Conv2DTranspose(filters, start, use_bias=False, name=f"{name}_deconv")(x)
    x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def _upsampling_blocks(x, first_filters, blocks, channels):
    """Stride-2 transposed convolutions halving the channels; the last one makes the tanh image."""
    for index in range(1, blocks):
        x = layers.Conv2DTranspose(
            first_filters // 2**index,
            4,
            strides=2,
            padding="same",
            use_bias=False,
            name=f"deconv{index + 1}",
        )(x)
        x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"deconv{index + 1}_bn")(x)
        x = layers.ReLU(name=f"deconv{index + 1}_relu")(x)
    return layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh", name="image"
    )(x)


def _first_conv(x, filters, alpha, name):
    x = layers.Conv2D(filters, 4, strides=2, padding="same", name=f"{name}_conv")(x)
    return layers.LeakyReLU(negative_slope=alpha, name=f"{name}_lrelu")(x)


def _downsampling_blocks(x, feature_maps, blocks, start, alpha):
    """Stride-2 convolutions doubling the channels (BatchNorm, LeakyReLU), then a start×start logit."""
    for index in range(1, blocks):
        x = layers.Conv2D(
            feature_maps * 2**index,
            4,
            strides=2,
            padding="same",
            use_bias=False,
            name=f"conv{index + 1}",
        )(x)
        x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"conv{index + 1}_bn")(x)
        x = layers.LeakyReLU(negative_slope=alpha, name=f"conv{index + 1}_lrelu")(x)
    x = layers.Conv2D(1, start, name="logit_conv")(x)
    return layers.Flatten(name="logit")(x)


def milosevic_generator(
    classes: int,
    embed_dim: int,
    noise_dim: int,
    image_shape=(64, 64, 1),
    feature_maps: int = 64,
    name: str = "milosevic_generator",
):
    """Milošević's conditional generator (section 3.1; Table 1 gives the sizes).

    label → Embedding(classes, embed_dim), concatenated with the noise as a 1×1×(noise_dim +
    embed_dim) input → ConvT(8f, 4×4) to 4×4 → BN → ReLU → ConvT(4f, s2) → 8×8 → ConvT(2f) → 16×16 →
    ConvT(f) → 32×32 (each BN, ReLU) → ConvT(channels, s2, tanh) → 64×64, with f = feature_maps.

    Args:
        classes: number of labels.
        embed_dim: size of the label embedding.
        noise_dim: length of the noise vector ("input vector dimension").
        image_shape: (64, 64, channels).
        feature_maps: base channel count f ("feature map dimension").
        name: the model's name.

    Returns:
        A `keras.Model` mapping [noise (batch, noise_dim), labels (batch,)] to images in [-1, 1].
    """
    _check_positive(classes=classes, embed_dim=embed_dim, noise_dim=noise_dim)
    _check_positive(feature_maps=feature_maps)
    start, blocks = upsampling_plan(_square(image_shape))
    noise, labels = _inputs(noise_dim)
    embedded = _label_embedding(labels, classes, embed_dim)
    joined = layers.Concatenate(name="noise_and_label")([noise, embedded])
    first_filters = feature_maps * 2 ** (blocks - 1)
    x = _first_block(joined, first_filters, start, "deconv1")
    image = _upsampling_blocks(x, first_filters, blocks, image_shape[-1])
    return keras.Model([noise, labels], image, name=name)


def milosevic_discriminator(
    classes: int,
    embed_dim: int,
    image_shape=(64, 64, 1),
    feature_maps: int = 64,
    leaky_relu_alpha: float = 0.2,
    name: str = "milosevic_discriminator",
):
    """Milošević's conditional discriminator (section 3.1; Table 1 gives the sizes).

    label → Embedding(classes, embed_dim), broadcast over H×W as embed_dim extra channels of the
    image → Conv(f, 4×4, s2) → LeakyReLU → Conv(2f), Conv(4f), Conv(8f) (each s2, BN, LeakyReLU)
    → Conv(1, 4×4) → logit (the report's sigmoid is in the loss).

    Args:
        classes: number of labels.
        embed_dim: size of the label embedding.
        image_shape: (64, 64, channels).
        feature_maps: base channel count f.
        leaky_relu_alpha: negative slope of LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping [images, labels] to (batch, 1) logits.
    """
    _check_positive(classes=classes, embed_dim=embed_dim, feature_maps=feature_maps)
    size = _square(image_shape)
    start, blocks = upsampling_plan(size)
    image = keras.Input(shape=tuple(image_shape), name="image")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    label_maps = _as_maps(_label_embedding(labels, classes, embed_dim), size, "label")
    x = layers.Concatenate(name="image_and_label")([image, label_maps])
    x = _first_conv(x, feature_maps, leaky_relu_alpha, "conv1")
    logit = _downsampling_blocks(x, feature_maps, blocks, start, leaky_relu_alpha)
    return keras.Model([image, labels], logit, name=name)


def li_ye_cgan_generator(
    classes: int,
    noise_dim: int = 100,
    image_shape=(28, 28, 1),
    hidden=(256, 512, 1024),
    name: str = "li_ye_cgan_generator",
):
    """Li & Ye's fully connected cGAN generator (section 3, Fig 3a, after Mirza & Osindero).

    The one-hot label is concatenated with the noise; Dense layers (BN, ReLU) then a Dense tanh
    layer with one unit per pixel, reshaped to the image.

    Reading: the report gives no layer sizes; hidden widths 256, 512, 1024.

    Args:
        classes: number of labels.
        noise_dim: length of the noise vector.
        image_shape: (H, W, C).
        hidden: widths of the hidden Dense layers.
        name: the model's name.

    Returns:
        A `keras.Model` mapping [noise, labels] to images in [-1, 1].
    """
    _check_positive(classes=classes, noise_dim=noise_dim)
    noise, labels = _inputs(noise_dim)
    x = layers.Concatenate(name="noise_and_label")([noise, _label_one_hot(labels, classes)])
    for index, units in enumerate(hidden, start=1):
        x = layers.Dense(units, use_bias=False, name=f"dense{index}")(x)
        x = layers.BatchNormalization(momentum=BN_MOMENTUM, name=f"dense{index}_bn")(x)
        x = layers.ReLU(name=f"dense{index}_relu")(x)
    x = layers.Dense(int(np.prod(image_shape)), activation="tanh", name="pixels")(x)
    image = layers.Reshape(tuple(image_shape), name="image")(x)
    return keras.Model([noise, labels], image, name=name)


def li_ye_cgan_discriminator(
    classes: int,
    image_shape=(28, 28, 1),
    hidden=(1024, 512, 256),
    dropout: float = 0.3,
    leaky_relu_alpha: float = 0.2,
    name: str = "li_ye_cgan_discriminator",
):
    """Li & Ye's fully connected cGAN discriminator (section 3, Fig 3a, after Mirza & Osindero).

    The flattened image is concatenated with the one-hot label; Dense layers (LeakyReLU,
    Dropout), then one logit.

    Reading: the report gives no layer sizes; hidden widths 1024, 512, 256 and dropout 0.3.

    Args:
        classes: number of labels.
        image_shape: (H, W, C).
        hidden: widths of the hidden Dense layers.
        dropout: dropout rate after each hidden layer.
        leaky_relu_alpha: negative slope of LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping [images, labels] to (batch, 1) logits.
    """
    _check_positive(classes=classes)
    image = keras.Input(shape=tuple(image_shape), name="image")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    pixels = layers.Flatten(name="flatten")(image)
    x = layers.Concatenate(name="image_and_label")([pixels, _label_one_hot(labels, classes)])
    for index, units in enumerate(hidden, start=1):
        x = layers.Dense(units, name=f"dense{index}")(x)
        x = layers.LeakyReLU(negative_slope=leaky_relu_alpha, name=f"dense{index}_lrelu")(x)
        x = layers.Dropout(dropout, name=f"dense{index}_dropout")(x)
    logit = layers.Dense(1, name="logit")(x)
    return keras.Model([image, labels], logit, name=name)


def li_ye_cdcgan_generator(
    classes: int,
    noise_dim: int = 100,
    image_shape=(28, 28, 1),
    feature_maps: int = 64,
    late: bool = False,
    name: str | None = None,
):
    """Li & Ye's convolutional conditional generator: cDCGAN (early) or cDCGAN2 (late concatenation).

    Section 3.1-3.2 and Fig 4. Early: the one-hot label joins the noise at the 1×1 input, and one
    transposed convolution makes the first start×start map. Late: noise and label each go through
    their own first block (transposed convolution, BN, ReLU; half the channels each) and the two
    maps are concatenated. Then stride-2 transposed convolutions up to the image (tanh).
    28×28: 7×7 (2f) → 14×14 (f) → 28×28; 32×32: 4×4 (4f) → 8×8 → 16×16 → 32×32.

    Reading: layer widths are not given; DCGAN's with f = 64.

    Args:
        classes: number of labels.
        noise_dim: length of the noise vector.
        image_shape: (H, W, C), H = W = 4·2^n or 7·2^n.
        feature_maps: base channel count f.
        late: late concatenation (cDCGAN2) instead of early (cDCGAN).
        name: the model's name (default li_ye_cdcgan_generator or li_ye_cdcgan2_generator).

    Returns:
        A `keras.Model` mapping [noise, labels] to images in [-1, 1].
    """
    _check_positive(classes=classes, noise_dim=noise_dim, feature_maps=feature_maps)
    start, blocks = upsampling_plan(_square(image_shape))
    first_filters = feature_maps * 2 ** (blocks - 1)
    noise, labels = _inputs(noise_dim)
    one_hot = _label_one_hot(labels, classes)
    if late:
        noise_maps = _first_block(noise, first_filters // 2, start, "noise_deconv1")
        label_maps = _first_block(one_hot, first_filters // 2, start, "label_deconv1")
        x = layers.Concatenate(name="noise_and_label")([noise_maps, label_maps])
    else:
        joined = layers.Concatenate(name="noise_and_label")([noise, one_hot])
        x = _first_block(joined, first_filters, start, "deconv1")
    image = _upsampling_blocks(x, first_filters, blocks, image_shape[-1])
    default = "li_ye_cdcgan2_generator" if late else "li_ye_cdcgan_generator"
    return keras.Model([noise, labels], image, name=name or default)


def li_ye_cdcgan_discriminator(
    classes: int,
    image_shape=(28, 28, 1),
    feature_maps: int = 64,
    late: bool = False,
    leaky_relu_alpha: float = 0.2,
    name: str | None = None,
):
    """Li & Ye's convolutional conditional discriminator: cDCGAN (early) or cDCGAN2 (late).

    Section 3.1-3.2 and Fig 4. The one-hot label is broadcast over H×W as `classes` channels.
    Early: joined to the image, then Conv(f, s2) → LeakyReLU. Late: image and label maps each go
    through their own Conv(f/2, s2) → LeakyReLU and the results are concatenated. Then stride-2
    convolutions doubling the channels (BN, LeakyReLU) down to start×start, and one logit.

    Reading: layer widths are not given; DCGAN's with f = 64.

    Args:
        classes: number of labels.
        image_shape: (H, W, C).
        feature_maps: base channel count f.
        late: late concatenation (cDCGAN2) instead of early (cDCGAN).
        leaky_relu_alpha: negative slope of LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping [images, labels] to (batch, 1) logits.
    """
    _check_positive(classes=classes, feature_maps=feature_maps)
    size = _square(image_shape)
    start, blocks = upsampling_plan(size)
    image = keras.Input(shape=tuple(image_shape), name="image")
    labels = keras.Input(shape=(), dtype="int32", name="label")
    label_maps = _as_maps(_label_one_hot(labels, classes), size, "label")
    if late:
        image_features = _first_conv(image, feature_maps // 2, leaky_relu_alpha, "image_conv1")
        label_features = _first_conv(label_maps, feature_maps // 2, leaky_relu_alpha, "label_conv1")
        x = layers.Concatenate(name="image_and_label")([image_features, label_features])
    else:
        x = layers.Concatenate(name="image_and_label")([image, label_maps])
        x = _first_conv(x, feature_maps, leaky_relu_alpha, "conv1")
    logit = _downsampling_blocks(x, feature_maps, blocks, start, leaky_relu_alpha)
    default = "li_ye_cdcgan2_discriminator" if late else "li_ye_cdcgan_discriminator"
    return keras.Model([image, labels], logit, name=name or default)
