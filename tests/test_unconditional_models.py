"""Builders and presets of the unconditional experiments: sharma Pretty Face, stiff, vemuri."""

import dataclasses

import keras
import numpy as np
import pytest

import ganlib
from ganlib.models import dcgan, unet
from ganlib.training import build_gan, make_optimizer


def _layers(model):
    return [(layer.name, tuple(layer.output.shape[1:])) for layer in model.layers[1:]]


def _of(model, layer_type):
    return [layer for layer in model.layers if isinstance(layer, layer_type)]


def _count(model, layer_type):
    return len(_of(model, layer_type))


def _bn(channels):
    return 4 * channels  # gamma, beta, moving mean, moving variance


# Sharma (2021) Fig 4.4.1: the report's Sequential, layer by layer, with the shapes it implies.
FIG_4_4_1_GENERATOR = [
    ("dense", (16384,)),
    ("reshape", (4, 4, 1024)),
    ("batch_normalization", (4, 4, 1024)),
    ("conv2d_transpose", (8, 8, 1024)),
    ("batch_normalization_1", (8, 8, 1024)),
    ("conv2d_transpose_1", (16, 16, 512)),
    ("batch_normalization_2", (16, 16, 512)),
    ("conv2d_transpose_2", (16, 16, 512)),
    ("batch_normalization_3", (16, 16, 512)),
    ("conv2d_transpose_3", (32, 32, 256)),
    ("batch_normalization_4", (32, 32, 256)),
    ("conv2d_transpose_4", (32, 32, 256)),
    ("batch_normalization_5", (32, 32, 256)),
    ("conv2d_transpose_5", (64, 64, 128)),
    ("batch_normalization_6", (64, 64, 128)),
    ("conv2d_transpose_6", (64, 64, 64)),
    ("batch_normalization_7", (64, 64, 64)),
    ("conv2d", (64, 64, 3)),
]
# Fig 4.4.2: five blocks Conv2D(5×5, s2) · BN · LeakyReLU · Dropout, then Flatten · Dropout · Dense.
FIG_4_4_2_DISCRIMINATOR = [
    (f"{kind}_{i}" if i else kind, (32 >> i, 32 >> i, 64 << i))
    for i in range(5)
    for kind in ("conv2d", "batch_normalization", "leaky_re_lu", "dropout")
] + [("flatten", (4096,)), ("dropout_5", (4096,)), ("dense", (1,))]


def test_pretty_face_generator_is_the_report_code():
    generator = dcgan.sharma_pretty_face_generator()
    assert _layers(generator) == FIG_4_4_1_GENERATOR
    transposed = [
        layer for layer in generator.layers if isinstance(layer, keras.layers.Conv2DTranspose)
    ]
    assert [(t.filters, t.kernel_size, t.strides) for t in transposed] == [
        (1024, (4, 4), (2, 2)),
        (512, (4, 4), (2, 2)),
        (512, (4, 4), (1, 1)),
        (256, (4, 4), (2, 2)),
        (256, (4, 4), (1, 1)),
        (128, (4, 4), (2, 2)),
        (64, (4, 4), (1, 1)),
    ]
    assert {t.activation.__name__ for t in transposed} == {"relu"}
    assert generator.get_layer("conv2d").activation.__name__ == "tanh"
    expected = (
        (100 * 16384 + 16384)
        + (16 * 1024 * 1024 + 1024)
        + (16 * 1024 * 512 + 512)
        + (16 * 512 * 512 + 512)
        + (16 * 512 * 256 + 256)
        + (16 * 256 * 256 + 256)
        + (16 * 256 * 128 + 128)
        + (16 * 128 * 64 + 64)
        + (9 * 64 * 3 + 3)
        + sum(_bn(c) for c in (1024, 1024, 512, 512, 256, 256, 128, 64))
    )
    assert generator.count_params() == expected == 34_835_587


def test_pretty_face_discriminator_is_the_report_code():
    discriminator = dcgan.sharma_pretty_face_discriminator()
    assert _layers(discriminator) == FIG_4_4_2_DISCRIMINATOR
    convolutions = _of(discriminator, keras.layers.Conv2D)
    assert [(c.filters, c.kernel_size, c.strides) for c in convolutions] == [
        (f, (5, 5), (2, 2)) for f in (64, 128, 256, 512, 1024)
    ]
    rates = [layer.rate for layer in _of(discriminator, keras.layers.Dropout)]
    assert rates == [0.3, 0.3, 0.3, 0.3, 0.3, 0.4]
    slopes = {layer.negative_slope for layer in _of(discriminator, keras.layers.LeakyReLU)}
    assert slopes == {0.2}
    widths = (3, 64, 128, 256, 512, 1024)
    expected = sum(25 * a * b + b + _bn(b) for a, b in zip(widths, widths[1:])) + (4096 + 1)
    assert discriminator.count_params() == expected == 17_426_817


def test_pretty_face_discriminator_rejects_wrong_dropout_count():
    with pytest.raises(ValueError, match=r"6 rates.*received \(0\.3, 0\.4\)"):
        dcgan.sharma_pretty_face_discriminator(dropout=(0.3, 0.4))


# Stiff et al.: image side -> (generator layer shapes after the first feature map, conv widths).
@pytest.mark.parametrize(
    "shape, start, generator_widths, discriminator_widths",
    [
        ((28, 28, 1), 7, (128, 64, 1), (1, 64, 128)),
        ((64, 64, 3), 8, (128, 64, 32, 3), (3, 32, 64, 128)),
        ((128, 128, 3), 8, (128, 64, 32, 16, 3), (3, 16, 32, 64, 128)),
    ],
)
def test_stiff_networks_per_image_size(shape, start, generator_widths, discriminator_widths):
    generator = dcgan.stiff_generator(image_shape=shape)
    discriminator = dcgan.stiff_discriminator(image_shape=shape)
    stages = len(generator_widths) - 1
    assert generator.get_layer("reshape").output.shape[1:] == (start, start, 128)
    assert generator.output_shape == (None, *shape)
    sides = [start * 2**i for i in range(1, stages + 1)]
    upsampled = [layer.output.shape[1] for layer in _of(generator, keras.layers.UpSampling2D)]
    assert upsampled == sides
    convolutions = _of(generator, keras.layers.Conv2D)
    assert [c.filters for c in convolutions] == list(generator_widths[1:])
    assert {c.kernel_size for c in convolutions} == {(5, 5)}
    # LeakyReLU between all layers (after the Dense and every hidden convolution); tanh out.
    assert _count(generator, keras.layers.LeakyReLU) == stages
    assert convolutions[-1].activation.__name__ == "tanh"
    assert {c.activation.__name__ for c in convolutions[:-1]} == {"linear"}
    expected_g = (
        (100 * start * start * 128 + start * start * 128)
        + sum(25 * a * b + b for a, b in zip(generator_widths, generator_widths[1:]))
        + sum(_bn(c) for c in generator_widths[:-1])
    )
    assert generator.count_params() == expected_g

    d_convolutions = _of(discriminator, keras.layers.Conv2D)
    assert [(c.filters, c.kernel_size, c.strides) for c in d_convolutions] == [
        (f, (5, 5), (2, 2)) for f in discriminator_widths[1:]
    ]
    assert discriminator.get_layer("flatten").input.shape[1:] == (start, start, 128)
    assert _count(discriminator, keras.layers.LeakyReLU) == stages
    expected_d = (
        sum(25 * a * b + b for a, b in zip(discriminator_widths, discriminator_widths[1:]))
        + sum(_bn(c) for c in discriminator_widths[2:])
        + (start * start * 128 + 1)
    )
    assert discriminator.count_params() == expected_d
    assert discriminator(generator(np.zeros((2, 100), "float32"))).shape == (2, 1)


def test_stiff_rejects_sizes_it_has_no_blocks_for():
    with pytest.raises(ValueError, match=r"side in \[28, 32, 64, 128\], received \(100, 100, 3\)"):
        dcgan.stiff_generator(image_shape=(100, 100, 3))


def test_stiff_generator_output_in_tanh_range_for_uniform_noise():
    generator = dcgan.stiff_generator(image_shape=(28, 28, 1))
    noise = ganlib.sampling.draw_latents(16, 100, "uniform", seed=3)
    images = np.asarray(generator(noise * 50, training=False))
    assert images.shape == (16, 28, 28, 1) and np.abs(images).max() <= 1.0


def test_unet_has_its_skip_connections_and_keeps_the_size():
    generator = unet.vemuri_unet_generator()
    assert generator.input_shape == (None, 128 * 128 * 3)
    assert generator.get_layer("noise_image").output.shape[1:] == (128, 128, 3)
    assert generator.output_shape == (None, 128, 128, 3)
    # Each decoder stage concatenates the encoder output of its own size.
    for skip, encoder, shape in (
        ("decoder1_skip", "encoder2_lrelu", (64, 64, 64 + 64)),
        ("decoder2_skip", "encoder1_lrelu", (128, 128, 64 + 32)),
    ):
        layer = generator.get_layer(skip)
        assert any(t is generator.get_layer(encoder).output for t in layer.input)
        assert tuple(layer.output.shape[1:]) == shape
    widths = [layer.filters for layer in _of(generator, keras.layers.Conv2D)]
    assert widths == [32, 64, 64, 64, 32, 128, 128, 3]
    assert _count(generator, keras.layers.LeakyReLU) == 7
    assert generator.get_layer("image").activation.__name__ == "tanh"
    pairs = [(3, 32), (32, 64), (64, 64), (128, 64), (96, 32), (32, 128), (128, 128), (128, 3)]
    assert generator.count_params() == sum(9 * a * b + b for a, b in pairs) == 345_827
    small = unet.vemuri_unet_generator(image_shape=(32, 32, 3))
    assert small.output_shape == (None, 32, 32, 3)


def test_unet_skip_connections_carry_the_input_to_the_output():
    # Zeroing the middle of the U leaves the output still depending on the noise, through the skips.
    generator = unet.vemuri_unet_generator(image_shape=(16, 16, 3))
    middle = generator.get_layer("middle_conv")
    middle.set_weights([np.zeros_like(w) for w in middle.get_weights()])
    noise = ganlib.sampling.draw_latents(2, 16 * 16 * 3, "normal", seed=0)
    first, second = np.asarray(generator(noise[:1])), np.asarray(generator(noise[1:]))
    assert not np.allclose(first, second)


def test_unet_noise_length_must_match_the_image():
    with pytest.raises(ValueError, match=r"noise_dim must be 49152.*received 100"):
        unet.vemuri_unet_generator(noise_dim=100)


def test_vemuri_basic_networks():
    generator, discriminator = unet.vemuri_basic_generator(), unet.vemuri_discriminator()
    assert generator.output_shape == (None, 128, 128, 3)
    transposed = _of(generator, keras.layers.Conv2DTranspose)
    assert [(t.filters, t.strides) for t in transposed] == [
        (128, (2, 2)),
        (64, (2, 2)),
        (32, (2, 2)),
        (3, (2, 2)),
    ]
    assert _count(generator, keras.layers.BatchNormalization) == 4
    assert _count(generator, keras.layers.LeakyReLU) == 4
    g_pairs = [(256, 128), (128, 64), (64, 32), (32, 3)]
    assert generator.count_params() == (
        100 * 16384 + 16384 + sum(16 * a * b + b for a, b in g_pairs) + _bn(256 + 128 + 64 + 32)
    )
    assert discriminator.get_layer("flatten").input.shape[1:] == (8, 8, 256)
    d_pairs = [(3, 32), (32, 64), (64, 128), (128, 256)]
    assert discriminator.count_params() == (
        sum(16 * a * b + b for a, b in d_pairs) + _bn(64 + 128 + 256) + 8 * 8 * 256 + 1
    )


def test_presets_follow_the_reports():
    face = ganlib.get_preset("sharma_pretty_face")
    assert (face.batch_size, face.epochs, face.learning_rate, face.beta_1) == (128, 200, 0.002, 0.5)
    assert (face.real_label, face.image_shape, face.noise_dim) == (0.9, (64, 64, 3), 100)
    optimizer = make_optimizer(face.learning_rate, face)
    schedule = (
        optimizer.learning_rate if callable(optimizer.learning_rate) else optimizer._learning_rate
    )
    # 200 epochs of 25 batches: the decay "on step 40,000" barely moves the rate.
    assert float(schedule(5000)) == pytest.approx(0.002 * 0.96**0.125)
    assert float(schedule(40_000)) == pytest.approx(0.002 * 0.96)
    stiff = {name: ganlib.get_preset(f"stiff_{name}") for name in ("mnist", "flowers", "cat")}
    # CAT: trained "with 55 epochs", shown after 55 and 60 (Figs 11-12), so one run of 60.
    assert {name: p.epochs for name, p in stiff.items()} == {"mnist": 25, "flowers": 40, "cat": 60}
    assert {p.noise for p in stiff.values()} == {"uniform"}
    assert stiff["mnist"].image_shape == (28, 28, 1) and stiff["cat"].image_shape == (128, 128, 3)
    vemuri = [ganlib.get_preset(f"vemuri_{name}") for name in ("basic", "unet", "unet_cutmix")]
    assert {(p.learning_rate, p.d_learning_rate) for p in vemuri} == {(1e-5, 1e-4)}
    assert [p.cutmix_probability for p in vemuri] == [0.0, 0.0, 0.5]
    assert vemuri[1].noise_dim == 128 * 128 * 3 and vemuri[0].train_images == 1000


@pytest.mark.parametrize(
    "name", ["stiff_mnist", "stiff_flowers", "vemuri_basic", "vemuri_unet_cutmix"]
)
def test_presets_build_their_gan(name):
    preset = ganlib.get_preset(name)
    gan = build_gan(preset)
    assert gan.generator.output_shape == (None, *preset.image_shape)
    assert gan.discriminator.output_shape == (None, 1)
    assert gan.noise_dim == preset.noise_dim
    assert gan.cutmix_probability == preset.cutmix_probability


def test_cutmix_probability_out_of_range_names_the_value():
    with pytest.raises(ValueError, match=r"cutmix_probability.*received 1\.5"):
        dataclasses.replace(ganlib.get_preset("vemuri_unet_cutmix"), cutmix_probability=1.5)
