"""Self-attention over a convolutional feature map, as SAGAN adds it to a GAN's networks.

H. Zhang, I. Goodfellow, D. Metaxas and A. Odena, "Self-Attention Generative Adversarial Networks",
ICML 2019, section 3 (equations 1–3). Vemuri & Babu show "UNet architecture with self attention"
without describing the block, so ganlib builds the one the GAN literature means by it.
"""

from __future__ import annotations

import keras
from keras import layers, ops


@keras.saving.register_keras_serializable(package="ganlib")
class SelfAttention(layers.Layer):
    """SAGAN's self-attention block: y = γ·o + x, with a learned scalar γ that starts at 0.

    For a feature map x with C channels at N = h·w positions (SAGAN section 3, with its letters):
    g(x) (here `query`), f(x) (`key`) and h(x) (`value`) are 1×1 convolutions to C/8 channels
    (the paper's C̄ = C/k with k = 8); β_j,i = softmax over i of f(x_i)ᵀ g(x_j) says how much
    position j attends to position i; o_j = v(Σ_i β_j,i h(x_i)), v (`output`) a 1×1 convolution back
    to C channels. Because γ starts at 0, the block first passes x through unchanged and the network
    learns to add the non-local evidence gradually, as SAGAN argues. The 1×1 convolutions have no
    bias, as in the SAGAN authors' released code (which also gives the value C/2 channels and
    max-pools keys and values; ganlib keeps the paper's equations). SAGAN's spectral normalisation
    is not added, since the report's networks have none. Under mixed precision the softmax is
    computed in float32.

    Args:
        reduction: k, the channel reduction of query, key and value (SAGAN's 8).
        **kwargs: `keras.layers.Layer` arguments (name, dtype).

    Example:
        >>> y = SelfAttention(name="middle_attention")(x)  # x: (batch, 16, 16, 64) → same shape
    """

    def __init__(self, reduction: int = 8, **kwargs):
        super().__init__(**kwargs)
        if isinstance(reduction, bool) or not isinstance(reduction, int) or reduction < 1:
            raise ValueError(f"reduction must be a positive integer, received {reduction!r}.")
        self.reduction = reduction

    def build(self, input_shape):
        if len(input_shape) != 4 or None in tuple(input_shape[1:]):
            raise ValueError(
                "SelfAttention takes feature maps of known size (batch, height, width, channels), "
                f"received shape {tuple(input_shape)!r}."
            )
        channels = input_shape[-1]
        if channels // self.reduction < 1:
            raise ValueError(
                f"SelfAttention with reduction {self.reduction} needs at least {self.reduction} "
                f"channels, received {channels}."
            )
        reduced = channels // self.reduction

        def conv(filters, name):
            return layers.Conv2D(filters, 1, use_bias=False, dtype=self.dtype_policy, name=name)

        self.query = conv(reduced, "query")
        self.key = conv(reduced, "key")
        self.value = conv(reduced, "value")
        self.output_conv = conv(channels, "output")
        for sublayer in (self.query, self.key, self.value):
            sublayer.build(input_shape)
        self.output_conv.build((*input_shape[:-1], reduced))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros", trainable=True)

    def call(self, inputs):
        height, width, _ = inputs.shape[1:]
        positions = height * width
        query = ops.reshape(self.query(inputs), (-1, positions, self.query.filters))
        key = ops.reshape(self.key(inputs), (-1, positions, self.key.filters))
        value = ops.reshape(self.value(inputs), (-1, positions, self.value.filters))
        # scores[b, j, i] = g(x_j) · f(x_i); each row j is normalised over the positions i.
        scores = ops.matmul(query, ops.transpose(key, (0, 2, 1)))
        attention = ops.cast(ops.softmax(ops.cast(scores, "float32"), axis=-1), value.dtype)
        attended = ops.reshape(
            ops.matmul(attention, value), (-1, height, width, self.value.filters)
        )
        return inputs + ops.cast(self.gamma, inputs.dtype) * self.output_conv(attended)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "reduction": self.reduction}
