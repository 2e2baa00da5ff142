"""ResNet-18 (He et al., 2016) as a Functional builder, the RGB classifier of li_ye's protocol.

li_ye (section 4.2, Table 2) train ResNet-18 on real, generated and mixed CIFAR-10, CIFAR-100 and
Intel images and report its test accuracy. The report gives no further detail; this is the
standard network: a stem, four stages of two basic blocks (64, 128, 256, 512 filters, stride 2 at
the start of stages 2–4 with a 1×1 projection shortcut), global average pooling and a dense layer.
"""

from __future__ import annotations

import keras
from keras import layers, ops

STEMS = ("cifar", "imagenet")
# Feature maps at most this wide are convolved by `PatchConv2D`.
SMALL_MAP = 4


@keras.saving.register_keras_serializable("ganlib")
class PatchConv2D(layers.Conv2D):
    """`Conv2D` ("same" padding) computed as one matmul of its input's patches with the kernel.

    The same function and weights as `Conv2D`, computed another way because TensorFlow's CPU
    kernel for a convolution's input gradient is pathologically slow on tiny maps: on a 1×1×512
    map (ResNet-18's last stage on 32×32 images, ImageNet stem) it took about 900 ms for 128
    images against 7 ms forward, on a 2-core AMD EPYC, and a whole training step 3.9 s against
    0.87 s with this layer. Slices, a concatenation and a matmul have fast gradients at any size;
    on 8×8 maps and larger the patches cost more than they save (1.7 s a step), so `resnet18`
    uses this layer only on maps of at most `SMALL_MAP` pixels a side.
    """

    def convolution_op(self, inputs, kernel):
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        plain = self.padding != "same" or self.data_format != "channels_last"
        if plain or tuple(self.dilation_rate) != (1, 1) or self.groups != 1:
            return super().convolution_op(inputs, kernel)
        height, width = inputs.shape[1], inputs.shape[2]
        out_h, out_w = -(-height // sh), -(-width // sw)
        pad_h = max((out_h - 1) * sh + kh - height, 0)
        pad_w = max((out_w - 1) * sw + kw - width, 0)
        # TensorFlow's "same" puts the odd pixel of padding at the bottom and right.
        x = ops.pad(
            inputs,
            [[0, 0], [pad_h // 2, pad_h - pad_h // 2], [pad_w // 2, pad_w - pad_w // 2], [0, 0]],
        )
        patches = ops.concatenate(
            [
                x[:, i : i + (out_h - 1) * sh + 1 : sh, j : j + (out_w - 1) * sw + 1 : sw, :]
                for i in range(kh)
                for j in range(kw)
            ],
            axis=-1,
        )
        return ops.matmul(patches, ops.reshape(kernel, (kh * kw * kernel.shape[2], -1)))


def _conv_bn(x, filters, kernel, strides, name, relu=True):
    conv = PatchConv2D if max(x.shape[1], x.shape[2]) <= SMALL_MAP else layers.Conv2D
    x = conv(filters, kernel, strides=strides, padding="same", use_bias=False, name=f"{name}_conv")(
        x
    )
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
