"""Vemuri & Babu's networks: the basic convolutional GAN and the U-Net generator (FFHQ, 128×128).

The report ("Results and Discussion", models 1–3) compares a basic GAN, a U-Net generator and a U-Net
generator whose discriminator trains on CutMix images. All three share the basic discriminator, so
the comparison changes one thing at a time. Its "Output Images" end with a fourth model, a U-Net
with self-attention at 64×64 (`vemuri_unet_attention_generator`), shown by its images alone.

Reading: the report gives filter counts and activations but no kernel sizes or sampling layers. The
builders use 4×4 strided (transposed) convolutions in the basic GAN, and 3×3 convolutions with 2×2
max pooling and ×2 upsampling in the U-Net (Ronneberger et al.'s layout).
"""

from __future__ import annotations

import math

import keras
from keras import layers

from ganlib.models.attention import SelfAttention


def _leaky(x, alpha, name):
    return layers.LeakyReLU(negative_slope=alpha, name=name)(x)


def _check_side(image_shape, divisor):
    if len(image_shape) != 3 or image_shape[0] % divisor or image_shape[1] % divisor:
        raise ValueError(
            f"image_shape must be (height, width, channels) with height and width divisible by "
            f"{divisor}, received {image_shape!r}."
        )


def vemuri_basic_generator(
    image_shape: tuple[int, int, int] = (128, 128, 3),
    noise_dim: int = 100,
    leaky_relu_alpha: float = 0.2,
    name: str = "vemuri_basic_generator",
):
    """The report's basic GAN generator ("1. Basic GANs": stride-2 convolutions, BN, LeakyReLU).

    Dense(h/16·w/16·256) → Reshape → BN → LeakyReLU, then ConvT(4×4, stride 2) with 128, 64, 32
    filters, each followed by BN and LeakyReLU, and a last ConvT(channels, 4×4, stride 2, tanh):
    four doublings, 8×8 → 128×128.

    Args:
        image_shape: (height, width, channels), height and width divisible by 16.
        noise_dim: length of the noise vector (standard normal, as the report's z).
        leaky_relu_alpha: negative slope of every LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, noise_dim) noise to images of `image_shape` in [-1, 1].
    """
    _check_side(image_shape, 16)
    height, width, channels = image_shape
    noise = keras.Input(shape=(noise_dim,), name="noise")
    x = layers.Dense(height // 16 * width // 16 * 256, name="dense")(noise)
    x = layers.Reshape((height // 16, width // 16, 256), name="reshape")(x)
    x = layers.BatchNormalization(name="dense_bn")(x)
    x = _leaky(x, leaky_relu_alpha, "dense_lrelu")
    for stage, filters in enumerate((128, 64, 32), start=1):
        x = layers.Conv2DTranspose(
            filters, 4, strides=2, padding="same", name=f"block{stage}_convt"
        )(x)
        x = layers.BatchNormalization(name=f"block{stage}_bn")(x)
        x = _leaky(x, leaky_relu_alpha, f"block{stage}_lrelu")
    image = layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", activation="tanh", name="image"
    )(x)
    return keras.Model(noise, image, name=name)


def vemuri_discriminator(
    image_shape: tuple[int, int, int] = (128, 128, 3),
    leaky_relu_alpha: float = 0.2,
    name: str = "vemuri_discriminator",
):
    """The report's basic discriminator, shared by its three models (stride-2 convolutions, BN, LeakyReLU).

    Conv2D(4×4, stride 2) with 32, 64, 128, 256 filters (128×128 → 8×8), LeakyReLU after each and BN
    after all but the first, then Flatten → Dense(1). The Dense layer returns a logit: the report
    trains with binary cross-entropy on logits.

    Args:
        image_shape: (height, width, channels), height and width divisible by 16.
        leaky_relu_alpha: negative slope of every LeakyReLU.
        name: the model's name.

    Returns:
        A `keras.Model` mapping images in [-1, 1] to (batch, 1) logits.
    """
    _check_side(image_shape, 16)
    image = keras.Input(shape=tuple(image_shape), name="image")
    x = image
    for stage, filters in enumerate((32, 64, 128, 256), start=1):
        x = layers.Conv2D(filters, 4, strides=2, padding="same", name=f"block{stage}_conv")(x)
        if stage > 1:
            x = layers.BatchNormalization(name=f"block{stage}_bn")(x)
        x = _leaky(x, leaky_relu_alpha, f"block{stage}_lrelu")
    x = layers.Flatten(name="flatten")(x)
    logit = layers.Dense(1, name="logit")(x)
    return keras.Model(image, logit, name=name)


def vemuri_unet_generator(
    image_shape: tuple[int, int, int] = (128, 128, 3),
    noise_dim: int | None = None,
    leaky_relu_alpha: float = 0.2,
    head_filters: int = 128,
    name: str = "vemuri_unet_generator",
):
    """The report's U-Net generator ("U-Net Generator", "Architecture of Generator").

    Its input is a noise image of the output's size, passed flat (length h·w·c) so that it is drawn,
    stored and restored like any noise vector, and reshaped by the first layer. Encoder: Conv(32) at
    full size (skip 1), pool, Conv(64) (skip 2), pool; middle Conv(64); decoder: upsample, concatenate
    skip 2, Conv(64); upsample, concatenate skip 1, Conv(32); then two Conv(`head_filters`) and
    Conv(channels, tanh). All convolutions are 3×3 "same" with LeakyReLU.

    Reading: the report's input is 224×224×3 and its output 128×128×3; a U-Net maps a size to the
    same size, so the noise image has the output's size (EXPERIMENTS.md).

    Args:
        image_shape: (height, width, channels), height and width divisible by 4.
        noise_dim: the preset's noise length, checked to be h·w·c; None to skip the check.
        leaky_relu_alpha: negative slope of every LeakyReLU.
        head_filters: filters of the two convolutions after the decoder (the report's 128).
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, h·w·c) noise to images of `image_shape` in [-1, 1].
    """
    return _unet(image_shape, noise_dim, leaky_relu_alpha, head_filters, None, name)


def vemuri_unet_attention_generator(
    image_shape: tuple[int, int, int] = (64, 64, 3),
    noise_dim: int | None = None,
    leaky_relu_alpha: float = 0.2,
    head_filters: int = 128,
    attention_reduction: int = 8,
    name: str = "vemuri_unet_attention_generator",
):
    """The report's U-Net generator with self-attention, at 64×64 ("Output Images", last figure).

    The report's whole description is a figure caption, "Using UNet architecture with self
    attention(output 64*64)": it gives the output size and nothing else. So this is the report's
    U-Net (`vemuri_unet_generator`: same input, encoder, decoder, skips, head and tanh) with one
    SAGAN self-attention block (`attention.SelfAttention`: 1×1 query/key/value to C/8 channels,
    softmax over positions, y = γ·o + x with γ starting at 0) after the middle convolution.

    Reading: where the attention sits is not stated. It sits at the bottom of the U, after the
    middle convolution's LeakyReLU (16×16×64 for a 64×64 output), where the report's aim, "global
    coherence ... with lesser computations", points: there the attention map is smallest (256×256
    per image), and it links every part of the face to every other before the decoder. DDPM's U-Net
    attends at 16×16 too; SAGAN (its Table 1) found larger maps (32×32, 64×64) somewhat better in
    its 128×128 generator, at 16 times this cost or more. Attention only in the generator: the report names
    a "UNet architecture" (its generator), so the discriminator stays the shared basic one; the
    training is model 2's (see the preset `vemuri_unet_attention`).

    Args:
        image_shape: (height, width, channels), height and width divisible by 4.
        noise_dim: the preset's noise length, checked to be h·w·c; None to skip the check.
        leaky_relu_alpha: negative slope of every LeakyReLU.
        head_filters: filters of the two convolutions after the decoder (the report's 128).
        attention_reduction: SAGAN's k: query, key and value have 64 / k channels.
        name: the model's name.

    Returns:
        A `keras.Model` mapping (batch, h·w·c) noise to images of `image_shape` in [-1, 1]; its
        layer "middle_attention" is the self-attention block.
    """
    return _unet(image_shape, noise_dim, leaky_relu_alpha, head_filters, attention_reduction, name)


def _unet(image_shape, noise_dim, leaky_relu_alpha, head_filters, attention_reduction, name):
    """The U-Net of both builders; `attention_reduction` None leaves the attention block out."""
    _check_side(image_shape, 4)
    if noise_dim is not None and noise_dim != math.prod(image_shape):
        raise ValueError(
            f"The U-Net's noise is an image of the output's size, so noise_dim must be "
            f"{math.prod(image_shape)} for image_shape {tuple(image_shape)}; received {noise_dim!r}."
        )
    noise = keras.Input(shape=(math.prod(image_shape),), name="noise")
    x = layers.Reshape(tuple(image_shape), name="noise_image")(noise)

    def conv(x, filters, name):
        x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_conv")(x)
        return _leaky(x, leaky_relu_alpha, f"{name}_lrelu")

    skip_1 = conv(x, 32, "encoder1")
    x = layers.MaxPooling2D(2, name="encoder1_pool")(skip_1)
    skip_2 = conv(x, 64, "encoder2")
    x = layers.MaxPooling2D(2, name="encoder2_pool")(skip_2)
    x = conv(x, 64, "middle")
    if attention_reduction is not None:
        x = SelfAttention(attention_reduction, name="middle_attention")(x)
    x = layers.UpSampling2D(2, name="decoder1_upsample")(x)
    x = layers.Concatenate(name="decoder1_skip")([x, skip_2])
    x = conv(x, 64, "decoder1")
    x = layers.UpSampling2D(2, name="decoder2_upsample")(x)
    x = layers.Concatenate(name="decoder2_skip")([x, skip_1])
    x = conv(x, 32, "decoder2")
    x = conv(x, head_filters, "head1")
    x = conv(x, head_filters, "head2")
    image = layers.Conv2D(image_shape[2], 3, padding="same", activation="tanh", name="image")(x)
    return keras.Model(noise, image, name=name)
