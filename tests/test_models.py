import keras
import pytest

import ganlib
from ganlib.models import dcgan

# Fig 4.3.1 of Sharma (2021), line by line: (layer name, output shape without the batch axis).
FIG_4_3_1_GENERATOR = [
    ("dense", (6272,)),
    ("reshape", (7, 7, 128)),
    ("batch_normalization", (7, 7, 128)),
    ("conv2d_transpose", (14, 14, 256)),
    ("batch_normalization_1", (14, 14, 256)),
    ("conv2d_transpose_1", (28, 28, 128)),
    ("batch_normalization_2", (28, 28, 128)),
    ("conv2d_transpose_2", (28, 28, 64)),
    ("batch_normalization_3", (28, 28, 64)),
    ("conv2d", (28, 28, 1)),
]
FIG_4_3_1_DISCRIMINATOR = [
    ("conv2d_1", (14, 14, 64)),
    ("leaky_re_lu", (14, 14, 64)),
    ("dropout", (14, 14, 64)),
    ("conv2d_2", (7, 7, 128)),
    ("leaky_re_lu_1", (7, 7, 128)),
    ("dropout_1", (7, 7, 128)),
    ("conv2d_3", (4, 4, 256)),
    ("leaky_re_lu_2", (4, 4, 256)),
    ("dropout_2", (4, 4, 256)),
    ("flatten", (4096,)),
    ("dense_1", (1,)),
]


def _layers(model):
    return [(layer.name, tuple(layer.output.shape[1:])) for layer in model.layers[1:]]


def test_sharma_generator_matches_fig_4_3_1():
    generator = dcgan.sharma_fashion_mnist_generator()
    assert _layers(generator) == FIG_4_3_1_GENERATOR
    assert generator.input_shape == (None, 100)
    # Dense 100→6272, ConvT 4×4 128→256, 256→128, 128→64, Conv 3×3 64→1, four BatchNorms (4 weights each).
    expected = (
        (100 * 6272 + 6272)
        + (4 * 4 * 128 * 256 + 256)
        + (4 * 4 * 256 * 128 + 128)
        + (4 * 4 * 128 * 64 + 64)
        + (3 * 3 * 64 * 1 + 1)
        + 4 * (128 + 256 + 128 + 64)
    )
    assert generator.count_params() == expected


def test_sharma_discriminator_matches_fig_4_3_1():
    discriminator = dcgan.sharma_fashion_mnist_discriminator()
    assert _layers(discriminator) == FIG_4_3_1_DISCRIMINATOR
    expected = (5 * 5 * 1 * 64 + 64) + (5 * 5 * 64 * 128 + 128) + (5 * 5 * 128 * 256 + 256) + 4097
    assert discriminator.count_params() == expected
    rates = [
        layer.rate for layer in discriminator.layers if isinstance(layer, keras.layers.Dropout)
    ]
    assert rates == [0.3, 0.3, 0.4]
    slopes = [
        layer.negative_slope
        for layer in discriminator.layers
        if isinstance(layer, keras.layers.LeakyReLU)
    ]
    assert slopes == [0.2, 0.2, 0.2]


def test_generator_output_is_in_tanh_range():
    generator = dcgan.sharma_fashion_mnist_generator()
    images = generator(keras.random.normal((4, 100), seed=1) * 10, training=False)
    assert images.shape == (4, 28, 28, 1)
    assert float(keras.ops.max(keras.ops.abs(images))) <= 1.0


def test_build_models_uses_the_preset():
    generator, discriminator = ganlib.build_models(ganlib.get_preset("sharma_fashion_mnist"))
    assert generator.name == "sharma_generator" and discriminator.name == "sharma_discriminator"


def test_discriminator_rejects_wrong_dropout_count():
    with pytest.raises(ValueError, match=r"received \(0\.3,\)"):
        dcgan.sharma_fashion_mnist_discriminator(dropout=(0.3,))
