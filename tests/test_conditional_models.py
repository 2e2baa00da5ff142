"""Conditional builders and presets: Milošević's Table 1 and Li & Ye's three models."""

import keras
import numpy as np
import pytest

import ganlib
from ganlib.models import build_models, conditional

CONDITIONAL = sorted(name for name, p in ganlib.PRESETS.items() if p.conditional)

# Milošević (2024), Table 1: classes, embedding dimension, channels, input vector dimension,
# reconstruction weight, batch size, feature map dimension.
TABLE_1 = {
    "milosevic_mnist": (10, 5, 1, 20, 5, 256, 64),
    "milosevic_animal_faces": (3, 5, 3, 100, 5, 64, 96),
    "milosevic_celeba": (1, 1, 3, 100, 0, 256, 64),
}


@pytest.mark.parametrize("name", sorted(TABLE_1))
def test_milosevic_presets_hold_table_1(name):
    preset = ganlib.get_preset(name)
    row = (
        preset.classes,
        preset.embed_dim,
        preset.image_shape[-1],
        preset.noise_dim,
        preset.l1_lambda,
        preset.batch_size,
        preset.feature_maps,
    )
    assert row == TABLE_1[name]
    assert preset.image_shape[:2] == (64, 64) and preset.architecture == "milosevic"
    assert (preset.learning_rate, preset.beta_1) == (2e-4, 0.5)


def test_milosevic_mnist_preprocessing_and_li_ye_epochs():
    mnist = ganlib.get_preset("milosevic_mnist")
    assert (mnist.rotation_degrees, mnist.crop_padding, mnist.epochs) == (30.0, 4, 50)
    assert ganlib.get_preset("milosevic_celeba").epochs == 60
    for dataset, epochs in (("mnist", 10), ("fashion_mnist", 10), ("cifar10", 100)):
        for model in ("cgan", "cdcgan", "cdcgan2"):
            preset = ganlib.get_preset(f"li_ye_{model}_{dataset}")
            assert (preset.epochs, preset.learning_rate, preset.beta_1) == (epochs, 2e-4, 0.5)
            assert preset.l1_lambda == 0 and preset.classes == 10
    assert ganlib.get_preset("li_ye_cdcgan_cifar100").classes == 100
    assert ganlib.get_preset("li_ye_cdcgan2_intel_scenes").classes == 6


def _milosevic_counts(classes, embed, channels, noise, f):
    """Weights of Milošević's G and D worked out layer by layer (4×4 kernels, BN: 4 per channel)."""
    generator = (
        classes * embed  # embedding
        + (noise + embed) * 8 * f * 16  # 1×1 → 4×4, no bias
        + 4 * 8 * f
        + 8 * f * 4 * f * 16  # → 8×8
        + 4 * 4 * f
        + 4 * f * 2 * f * 16  # → 16×16
        + 4 * 2 * f
        + 2 * f * f * 16  # → 32×32
        + 4 * f
        + f * channels * 16  # → 64×64, tanh, with bias
        + channels
    )
    discriminator = (
        classes * embed
        + (channels + embed) * f * 16  # 64 → 32, with bias, no BN
        + f
        + f * 2 * f * 16  # → 16
        + 4 * 2 * f
        + 2 * f * 4 * f * 16  # → 8
        + 4 * 4 * f
        + 4 * f * 8 * f * 16  # → 4
        + 4 * 8 * f
        + 8 * f * 16  # 4×4 → 1 logit
        + 1
    )
    return generator, discriminator


@pytest.mark.parametrize("name", sorted(TABLE_1))
def test_milosevic_weight_counts(name):
    classes, embed, channels, noise, _, _, f = TABLE_1[name]
    generator, discriminator = build_models(ganlib.get_preset(name))
    assert (generator.count_params(), discriminator.count_params()) == _milosevic_counts(
        classes, embed, channels, noise, f
    )


def test_milosevic_mnist_counts_by_hand():
    # The same sum with the numbers written out (f=64, z=20, e=5, 10 classes, 1 channel).
    generator, discriminator = build_models(ganlib.get_preset("milosevic_mnist"))
    assert generator.count_params() == 2_962_227
    assert discriminator.count_params() == 2_770_547


def test_milosevic_layer_shapes():
    generator, discriminator = build_models(ganlib.get_preset("milosevic_mnist"))
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in generator.layers}
    assert shapes["label_embedding"] == (5,)
    assert shapes["noise_and_label"] == (25,)
    assert [
        shapes[n] for n in ("deconv1_relu", "deconv2_relu", "deconv3_relu", "deconv4_relu")
    ] == [
        (4, 4, 512),
        (8, 8, 256),
        (16, 16, 128),
        (32, 32, 64),
    ]
    assert shapes["image"] == (64, 64, 1)
    assert generator.get_layer("image").activation.__name__ == "tanh"
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in discriminator.layers}
    # The embedding is broadcast over 64×64 as 5 extra channels of the image.
    assert shapes["label_broadcast"] == (64, 64, 5) and shapes["image_and_label"] == (64, 64, 6)
    assert shapes["conv1_lrelu"] == (32, 32, 64) and shapes["conv4_lrelu"] == (4, 4, 512)
    assert shapes["logit"] == (1,)


def _dcgan_counts(noise, classes, channels, f, start, blocks, late):
    """Li & Ye's cDCGAN (early) or cDCGAN2 (late) weights, by hand."""
    first = f * 2 ** (blocks - 1)
    if late:
        head = noise * (first // 2) * start**2 + classes * (first // 2) * start**2 + 4 * first
    else:
        head = (noise + classes) * first * start**2 + 4 * first
    body = sum(
        (first // 2 ** (i - 1)) * (first // 2**i) * 16 + 4 * (first // 2**i)
        for i in range(1, blocks)
    )
    tail = (first // 2 ** (blocks - 1)) * channels * 16 + channels
    generator = head + body + tail
    if late:
        d_head = channels * (f // 2) * 16 + f // 2 + classes * (f // 2) * 16 + f // 2
    else:
        d_head = (channels + classes) * f * 16 + f
    d_body = sum((f * 2 ** (i - 1)) * (f * 2**i) * 16 + 4 * f * 2**i for i in range(1, blocks))
    d_tail = f * 2 ** (blocks - 1) * start**2 + 1
    return generator, d_head + d_body + d_tail


def _cgan_counts(noise, classes, pixels):
    generator = (noise + classes) * 256 + 4 * 256 + 256 * 512 + 4 * 512 + 512 * 1024 + 4 * 1024
    generator += 1024 * pixels + pixels
    discriminator = (pixels + classes) * 1024 + 1024 + 1024 * 512 + 512 + 512 * 256 + 256 + 257
    return generator, discriminator


@pytest.mark.parametrize("name", [n for n in CONDITIONAL if n.startswith("li_ye")])
def test_li_ye_shapes_and_weight_counts(name):
    preset = ganlib.get_preset(name)
    generator, discriminator = build_models(preset)
    height, _, channels = preset.image_shape
    noise = np.zeros((2, preset.noise_dim), "float32")
    labels = np.array([0, preset.classes - 1], "int32")
    images = np.asarray(generator([noise, labels], training=False))
    assert images.shape == (2, *preset.image_shape)
    assert discriminator([images, labels], training=False).shape == (2, 1)
    if preset.architecture == "li_ye_cgan":
        expected = _cgan_counts(preset.noise_dim, preset.classes, height * height * channels)
    else:
        start, blocks = {28: (7, 2), 32: (4, 3), 64: (4, 4)}[height]
        late = preset.architecture == "li_ye_cdcgan2"
        expected = _dcgan_counts(
            preset.noise_dim, preset.classes, channels, preset.feature_maps, start, blocks, late
        )
    assert (generator.count_params(), discriminator.count_params()) == expected


def test_li_ye_late_concatenation_has_separate_first_blocks():
    generator, discriminator = build_models(ganlib.get_preset("li_ye_cdcgan2_mnist"))
    names = {layer.name for layer in generator.layers}
    assert {"noise_deconv1_deconv", "label_deconv1_deconv", "noise_and_label"} <= names
    # The two 7×7 maps (64 channels each) are joined after their own first block.
    assert tuple(generator.get_layer("noise_and_label").output.shape[1:]) == (7, 7, 128)
    assert tuple(discriminator.get_layer("image_and_label").output.shape[1:]) == (14, 14, 64)
    early, _ = build_models(ganlib.get_preset("li_ye_cdcgan_mnist"))
    assert tuple(early.get_layer("noise_and_label").output.shape[1:]) == (110,)


@pytest.mark.parametrize("name", ["milosevic_mnist", "li_ye_cgan_mnist", "li_ye_cdcgan2_mnist"])
def test_changing_only_the_label_changes_both_networks_outputs(name):
    keras.utils.set_random_seed(0)
    preset = ganlib.get_preset(name)
    generator, discriminator = build_models(preset)
    noise = np.repeat(np.random.default_rng(0).standard_normal((1, preset.noise_dim)), 2, 0)
    labels = np.array([1, 2], "int32")
    images = np.asarray(generator([noise.astype("float32"), labels], training=False))
    assert not np.allclose(images[0], images[1])
    # The same noise and label give the same image: the difference comes from the label alone.
    again = np.asarray(generator([noise.astype("float32"), labels[::-1]], training=False))
    np.testing.assert_allclose(again[::-1], images, atol=1e-6)
    same_image = np.repeat(images[:1], 2, 0)
    logits = np.asarray(discriminator([same_image, labels], training=False))
    assert abs(logits[0, 0] - logits[1, 0]) > 1e-6


def test_generator_and_discriminator_embeddings_are_distinct_weights():
    generator, discriminator = build_models(ganlib.get_preset("milosevic_mnist"))
    g_embedding = generator.get_layer("label_embedding").embeddings
    d_embedding = discriminator.get_layer("label_embedding").embeddings
    assert g_embedding is not d_embedding and g_embedding.shape == d_embedding.shape == (10, 5)
    before = d_embedding.numpy().copy()
    g_embedding.assign(np.zeros((10, 5), "float32"))
    np.testing.assert_array_equal(d_embedding.numpy(), before)
    assert not np.allclose(before, 0)


def test_upsampling_plan():
    assert conditional.upsampling_plan(64) == (4, 4)
    assert conditional.upsampling_plan(32) == (4, 3)
    assert conditional.upsampling_plan(28) == (7, 2)
    with pytest.raises(ValueError, match=r"image size 30 is not"):
        conditional.upsampling_plan(30)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"classes": 0}, "classes must be a positive integer, received 0"),
        ({"image_shape": (64, 32, 1)}, r"image_shape must be square, received \(64, 32, 1\)"),
        ({"embed_dim": 2.5}, "embed_dim must be a positive integer, received 2.5"),
    ],
)
def test_builders_name_bad_arguments(kwargs, message):
    arguments = {"classes": 10, "embed_dim": 5, "noise_dim": 20, "image_shape": (64, 64, 1)}
    with pytest.raises(ValueError, match=message):
        conditional.milosevic_generator(**{**arguments, **kwargs})


@pytest.mark.parametrize(
    "field, value", [("classes", 0), ("embed_dim", -1), ("l1_lambda", -5.0), ("crop_padding", 1.5)]
)
def test_bad_conditional_preset_values_name_the_value(field, value):
    import dataclasses

    with pytest.raises(ValueError, match=f"{field}.*received {value!r}"):
        dataclasses.replace(ganlib.get_preset("milosevic_mnist"), **{field: value})


def test_label_embeddings_start_as_strong_as_the_noise():
    # PyTorch's nn.Embedding (the report's code) starts from N(0, 1); Keras' U(±0.05) default left
    # the label ~20x weaker than the noise and the generator ignored it.
    keras.utils.set_random_seed(0)
    generator, discriminator = build_models(ganlib.get_preset("milosevic_mnist"))
    for model in (generator, discriminator):
        table = model.get_layer("label_embedding").embeddings.numpy()
        assert 0.7 < table.std() < 1.3 and abs(table.mean()) < 0.4
