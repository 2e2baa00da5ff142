"""Vemuri & Babu's U-Net with self-attention at 64×64: the SAGAN block, the builder, the preset."""

import dataclasses
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import ganlib
from ganlib.data import from_arrays
from ganlib.images import read_png
from ganlib.models import unet
from ganlib.models.attention import SelfAttention
from ganlib.sampling import draw_latents, render_grid

PRESET = "vemuri_unet_attention"


def _sagan_reference(x, query, key, value, output, gamma):
    """SAGAN's equations 1–3 in NumPy, for one batch of feature maps (1×1 kernels as matrices)."""
    batch, height, width, channels = x.shape
    flat = x.reshape(batch, height * width, channels)
    g, f, h = flat @ query, flat @ key, flat @ value
    scores = g @ f.transpose(0, 2, 1)
    beta = np.exp(scores - scores.max(-1, keepdims=True))
    beta /= beta.sum(-1, keepdims=True)
    o = (beta @ h) @ output
    return x + gamma * o.reshape(batch, height, width, channels)


def test_the_preset_builds_a_64_by_64_unet_with_attention():
    preset = ganlib.get_preset(PRESET)
    assert preset.image_shape == (64, 64, 3) and preset.noise_dim == 64 * 64 * 3
    generator, discriminator = ganlib.build_models(preset)
    assert generator.name == "vemuri_unet_attention_generator"
    assert generator.input_shape == (None, 64 * 64 * 3)
    assert generator.output_shape == (None, 64, 64, 3)
    assert discriminator.input_shape == (None, 64, 64, 3)
    assert discriminator.output_shape == (None, 1)
    # Model 2's training, the report's: only the size and the attention differ.
    unet_preset = ganlib.get_preset("vemuri_unet")
    differences = {
        field.name
        for field in dataclasses.fields(preset)
        if getattr(preset, field.name) != getattr(unet_preset, field.name)
    }
    assert differences == {"name", "reference", "architecture", "image_shape", "noise_dim"}
    # The U-Net's weights (size-independent) plus query, key, value and output of C/8 = 8 channels
    # and γ.
    pairs = [(3, 32), (32, 64), (64, 64), (128, 64), (96, 32), (32, 128), (128, 128), (128, 3)]
    attention = 4 * 64 * 8 + 1
    assert generator.count_params() == sum(9 * a * b + b for a, b in pairs) + attention == 347_876


def test_the_attention_sits_at_the_bottom_of_the_u_with_gamma_at_zero():
    generator = ganlib.build_models(ganlib.get_preset(PRESET))[0]
    layer = generator.get_layer("middle_attention")
    assert isinstance(layer, SelfAttention)
    assert layer.input is generator.get_layer("middle_lrelu").output
    assert tuple(layer.output.shape[1:]) == (16, 16, 64)
    assert [sub.filters for sub in (layer.query, layer.key, layer.value, layer.output_conv)] == [
        8,
        8,
        8,
        64,
    ]
    assert float(layer.gamma.numpy()) == 0.0 and layer.gamma.trainable
    # γ = 0: the block passes its input through unchanged, whatever the other weights.
    x = np.random.default_rng(0).normal(size=(2, 16, 16, 64)).astype("float32")
    np.testing.assert_array_equal(np.asarray(layer(x)), x)


def test_self_attention_matches_sagans_equations():
    layer = SelfAttention(name="attention")
    x = np.random.default_rng(1).normal(size=(2, 4, 6, 16)).astype("float32")
    layer(x)
    layer.gamma.assign(0.7)
    kernels = [sub.kernel.numpy()[0, 0] for sub in (layer.query, layer.key, layer.value)]
    expected = _sagan_reference(x, *kernels, layer.output_conv.kernel.numpy()[0, 0], 0.7)
    np.testing.assert_allclose(np.asarray(layer(x)), expected, rtol=1e-4, atol=1e-5)


def test_self_attention_is_non_local():
    # Unlike a 3×3 convolution, the output at one corner follows the opposite corner once that
    # corner's key matches the first corner's query: the attention then moves there.
    keras.utils.set_random_seed(0)
    layer = SelfAttention()
    x = np.random.default_rng(2).normal(size=(1, 8, 8, 16)).astype("float32")
    layer(x)
    layer.gamma.assign(1.0)
    query = x[0, 0, 0] @ layer.query.kernel.numpy()[0, 0]
    towards = layer.key.kernel.numpy()[0, 0] @ query  # raises f(x_77) · g(x_00) fastest
    moved = x.copy()
    moved[0, 7, 7] += 50.0 * towards / (towards @ towards)
    changed = np.abs(np.asarray(layer(moved)) - np.asarray(layer(x)))
    assert changed[0, 0, 0].max() > 1e-2


@pytest.mark.parametrize("reduction", [0, -8, 2.5, True])
def test_a_bad_reduction_names_the_value(reduction):
    with pytest.raises(
        ValueError, match=rf"reduction must be a positive integer, received {reduction!r}"
    ):
        SelfAttention(reduction)


def test_too_few_channels_for_the_reduction_are_refused():
    with pytest.raises(ValueError, match=r"needs at least 8 channels, received 4"):
        SelfAttention()(keras.Input((4, 4, 4)))


def test_the_noise_length_must_match_the_64_by_64_image():
    with pytest.raises(ValueError, match=r"noise_dim must be 12288.*received 49152"):
        unet.vemuri_unet_attention_generator(noise_dim=128 * 128 * 3)


def test_quick_mode_shrinks_the_data_not_the_architecture():
    preset = ganlib.get_preset(PRESET)
    quick = ganlib.quick_preset(preset)
    assert (quick.train_images, quick.batch_size, quick.epochs) == (8, 4, 1)  # as the others
    assert (quick.architecture, quick.image_shape, quick.noise_dim) == (
        preset.architecture,
        preset.image_shape,
        preset.noise_dim,
    )


def test_one_training_step_on_tiny_data_trains_gamma_and_restores(tmp_path):
    preset = dataclasses.replace(
        ganlib.get_preset(PRESET), batch_size=2, epochs=1, train_images=None, snapshot_grid=(1, 2)
    )
    images = np.random.default_rng(0).uniform(-1, 1, (2, 64, 64, 3)).astype("float32")
    result = ganlib.train(
        preset, tmp_path / "run", dataset=from_arrays(images, batch_size=2), verbose=0
    )
    assert set(result.history) >= {"d_loss", "g_loss", "d_real", "d_fake"}
    assert np.isfinite(result.history["g_loss"]).all() and len(result.history["g_loss"]) == 1
    # The one generator step reached γ: the attention takes part in training from the start.
    assert float(result.gan.generator.get_layer("middle_attention").gamma.numpy()) != 0.0
    run = result.run
    assert run.saved_epochs() == [1] and run.latents().shape == (2, 64 * 64 * 3)
    generator = ganlib.restore_epoch(run.directory, 1)
    assert generator.name == "vemuri_unet_attention_generator"
    np.testing.assert_array_equal(
        render_grid(generator, run.latents(), columns=2), read_png(run.snapshot_path(1))
    )
    noise = draw_latents(2, preset.noise_dim, "normal", seed=3)
    np.testing.assert_array_equal(
        np.asarray(generator(noise)), np.asarray(result.gan.generator(noise))
    )


def test_the_preset_is_listed_by_the_command_line():
    listed = subprocess.run(
        [sys.executable, "-m", "ganlib", "list"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )
    assert PRESET in listed.stdout.split()
