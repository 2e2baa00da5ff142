"""ResNet-18 (He et al., 2016) as a Functional builder, the RGB classifier of li_ye's protocol.

li_ye (section 4.2, Table 2) train ResNet-18 on real, generated and mixed CIFAR-10, CIFAR-100 and
Intel images and report its test accuracy. The report gives no further detail; this is the
standard network: a stem, four stages of two basic blocks (64, 128, 256, 512 filters, stride 2 at
the start of stages 2–4 with a 1×1 projection shortcut), global average pooling and a dense layer.
"""

from __future__ import annotations

import keras
from keras import layers

STEMS = ("cifar", "imagenet")


def _conv_bn(x, filters, kernel, strides, name, relu=True):
    x = layers.Conv2D(
        filters, kernel, strides=strides, padding="same", use_bias=False, name=f"{name}_conv"
    )(x)
    x = layers.BatchNormalization(epsilon=1e-5, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x) if relu else x


def _basic_block(x, filters, strides, name):
    shortcut = x
    x = _conv_bn(x, filters, 3, strides, f"{name}_1")
    x = _conv_bn(x, filters, 3, 1, f"{name}_2", relu=False)
    if strides != 1 or shortcut.shape[-1] != filters:
        shortcut = _conv_bn(shortcut, filters, 1, strides, f"{name}_shortcut", relu=False)
    x = layers.Add(name=f"{name}_add")([x, shortcut])
    return layers.ReLU(name=f"{name}_out")(x)


def resnet18(
    input_shape: tuple[int, int, int] = (32, 32, 3),
    classes: int = 10,
    stem: str = "cifar",
    width: int = 64,
    name: str = "resnet18",
):
    """ResNet-18, the classifier li_ye use for RGB datasets (report section 4.2, Table 2).

    Reading: the report does not say which stem; "cifar" (one 3×3 convolution, stride 1, no
    max-pool) is the usual choice for 32×32 images trained from scratch, "imagenet" (7×7
    convolution, stride 2, then 3×3 max-pool) the original one for large images such as Intel's
    150×150. With `width` 64 the trainable weights are those of torchvision's resnet18:
    11,689,512 for the ImageNet stem and 1,000 classes, 11,173,962 for the CIFAR stem and 10.

    Args:
        input_shape: (height, width, channels) of the images, in [-1, 1].
        classes: number of classes.
        stem: "cifar" or "imagenet".
        width: filters of the first stage (doubled at each of the next three).
        name: the model's name.

    Returns:
        A Functional `keras.Model` mapping images to (batch, classes) logits.
    """
    if stem not in STEMS:
        raise ValueError(f"stem must be one of {STEMS}, received {stem!r}.")
    if not isinstance(width, int) or width <= 0:
        raise ValueError(f"width must be a positive integer, received {width!r}.")
    image = keras.Input(shape=input_shape, name="image")
    if stem == "cifar":
        x = _conv_bn(image, width, 3, 1, "stem")
    else:
        x = _conv_bn(image, width, 7, 2, "stem")
        x = layers.MaxPooling2D(3, strides=2, padding="same", name="stem_pool")(x)
    for stage in range(4):
        filters = width * 2**stage
        for block in range(2):
            strides = 2 if stage > 0 and block == 0 else 1
            x = _basic_block(x, filters, strides, f"stage{stage + 1}_block{block + 1}")
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    logits = layers.Dense(classes, name="logits")(x)
    return keras.Model(image, logits, name=name)
