"""CutMix, uniform noise, latent traversal, and a short fit of the U-Net + CutMix GAN."""

import dataclasses
import json

import keras
import numpy as np
import pytest

import ganlib
from ganlib import augment
from ganlib.data import from_arrays
from ganlib.images import read_png
from ganlib.models import dcgan
from ganlib.plotting import generated_beside_real, latent_traversal, traversal_latents
from ganlib.sampling import draw_latents, render_grid
from ganlib.training import GAN


def _pair(shape=(2, 4, 4, 3)):
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, shape).astype("float32")
    fake = rng.uniform(-1, 1, shape).astype("float32")
    return real, fake


def test_box_masks_cover_exactly_the_box():
    mask = np.asarray(augment.box_masks([[1, 1, 3, 2], [0, 0, 0, 0]], 4, 4))
    expected = np.zeros((2, 4, 4, 1), "float32")
    expected[0, 1:3, 1:2] = 1.0
    np.testing.assert_array_equal(mask, expected)


def test_cutmix_on_known_arrays():
    real, fake = _pair()
    # Image 0: a 2×2 box in a 4×4 image (a quarter); image 1: the whole image.
    masks = augment.box_masks([[0, 0, 2, 2], [0, 0, 4, 4]], 4, 4)
    real_mixed, fake_mixed, real_targets, fake_targets = (
        np.asarray(t) for t in augment.cutmix(real, fake, masks, real_label=0.9)
    )
    np.testing.assert_array_equal(real_mixed[0, :2, :2], fake[0, :2, :2])
    np.testing.assert_array_equal(fake_mixed[0, :2, :2], real[0, :2, :2])
    outside = np.ones((4, 4), bool)
    outside[:2, :2] = False
    np.testing.assert_array_equal(real_mixed[0][outside], real[0][outside])
    np.testing.assert_array_equal(fake_mixed[0][outside], fake[0][outside])
    np.testing.assert_array_equal(real_mixed[1], fake[1])
    np.testing.assert_array_equal(fake_mixed[1], real[1])
    # Targets: the share of real pixels, times the real label.
    np.testing.assert_allclose(real_targets[:, 0], [0.9 * 0.75, 0.0], atol=1e-7)
    np.testing.assert_allclose(fake_targets[:, 0], [0.9 * 0.25, 0.9], atol=1e-7)
    for mixed in (real_mixed, fake_mixed):
        assert mixed.min() >= -1.0 and mixed.max() <= 1.0


def test_cutmix_refuses_batches_of_different_shapes():
    real, fake = _pair()
    with pytest.raises(ValueError, match=r"same shape.*\(2, 4, 4, 3\).*\(1, 4, 4, 3\)"):
        augment.cutmix(real, fake[:1], augment.box_masks([[0, 0, 1, 1]] * 2, 4, 4))


def test_random_cutmix_targets_match_the_pasted_area():
    real, fake = _pair((64, 16, 16, 3))
    real_mixed, fake_mixed, real_targets, fake_targets = (
        np.asarray(t) for t in augment.random_cutmix(real, fake, 1.0, seed=7)
    )
    pasted = np.all(real_mixed == fake, axis=-1).mean(axis=(1, 2))
    np.testing.assert_allclose(real_targets[:, 0], 1.0 - pasted, atol=1e-6)
    np.testing.assert_allclose(fake_targets[:, 0], pasted, atol=1e-6)
    np.testing.assert_array_equal(np.all(fake_mixed == real, axis=-1).mean(axis=(1, 2)), pasted)
    # λ ~ Beta(1, 1) = U(0, 1): box shares spread over (0, 1) and average near 1/2 before clipping.
    assert 0.05 < pasted.mean() < 0.6 and pasted.max() > 0.5
    boxes = np.asarray(augment.random_boxes(256, 16, 16, seed=1))
    assert boxes.min() >= 0 and boxes[:, 2:].max() <= 16
    assert np.all(boxes[:, 0] <= boxes[:, 2]) and np.all(boxes[:, 1] <= boxes[:, 3])


def test_random_cutmix_with_probability_zero_is_the_plain_pair():
    real, fake = _pair()
    real_out, fake_out, real_targets, fake_targets = (
        np.asarray(t) for t in augment.random_cutmix(real, fake, 0.0, real_label=0.9, seed=0)
    )
    np.testing.assert_array_equal(real_out, real)
    np.testing.assert_array_equal(fake_out, fake)
    np.testing.assert_allclose(real_targets, 0.9)
    np.testing.assert_allclose(fake_targets, 0.0)


def test_random_cutmix_is_applied_per_batch_with_its_probability():
    real, fake = _pair((4, 8, 8, 1))
    seed = keras.random.SeedGenerator(3)
    mixed = [
        not np.array_equal(np.asarray(augment.random_cutmix(real, fake, 0.5, seed=seed)[0]), real)
        for _ in range(100)
    ]
    # 100 coin flips at p = 0.5, less the few empty boxes: about 47 mixed, 5 standard deviations.
    assert 22 < sum(mixed) < 72
    with pytest.raises(ValueError, match=r"probability must be in \[0, 1\], received 2"):
        augment.random_cutmix(real, fake, 2)


def test_uniform_noise_is_in_minus_one_one():
    generator = dcgan.stiff_generator(image_shape=(28, 28, 1))
    gan = GAN(generator, dcgan.stiff_discriminator(image_shape=(28, 28, 1)), noise="uniform")
    for noise in (np.asarray(gan.sample_noise(4096)), draw_latents(4096, 100, "uniform", seed=0)):
        assert noise.shape == (4096, 100)
        assert noise.min() >= -1.0 and noise.max() <= 1.0
        # Uniform, not normal: the whole interval is used, evenly.
        assert noise.min() < -0.999 and noise.max() > 0.999
        assert abs(noise.mean()) < 0.01 and abs(noise.var() - 1 / 3) < 0.01
    assert ganlib.training.build_gan(ganlib.get_preset("stiff_mnist")).noise == "uniform"


def test_traversal_changes_only_the_chosen_element():
    base = draw_latents(1, 10, "uniform", seed=0)[0]
    latents = traversal_latents(base, elements=[3, 7], steps=5, low=-1.0, high=1.0)
    assert latents.shape == (10, 10)
    rows = latents.reshape(2, 5, 10)
    for row, element in enumerate([3, 7]):
        np.testing.assert_allclose(rows[row, :, element], [-1.0, -0.5, 0.0, 0.5, 1.0])
        others = np.delete(rows[row], element, axis=1)
        np.testing.assert_array_equal(others, np.tile(np.delete(base, element), (5, 1)))
    with pytest.raises(ValueError, match=r"indices in \[0, 10\); received \[12\]"):
        traversal_latents(base, elements=[12])


def test_traversal_rows_start_from_their_own_vectors_and_move_the_strongest_element():
    generator = dcgan.stiff_generator(image_shape=(28, 28, 1))
    bases = draw_latents(3, 100, "uniform", seed=0)
    latents = traversal_latents(bases, elements=[1, 2, 3], steps=4).reshape(3, 4, 100)
    assert not np.allclose(latents[0, 0], latents[1, 0])  # Fig 6: each row its own digit
    strongest = ganlib.plotting.strongest_elements(generator, bases)
    assert len(strongest) == 3 and all(0 <= e < 100 for e in strongest)
    # The chosen element changes its row's image more than any other element does.
    for base, element in zip(bases, strongest):
        ends = traversal_latents(base, [element, (element + 1) % 100], steps=2)
        images = np.asarray(generator(ends, training=False))
        chosen = np.abs(images[0] - images[1]).mean()
        other = np.abs(images[2] - images[3]).mean()
        assert chosen >= other
    figure = latent_traversal(generator, rows=3, steps=4, seed=0)
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == [f"z[{e}]" for e in strongest]
    with pytest.raises(
        ValueError, match=r"one per row \(2, noise_dim\); received shape \(3, 100\)"
    ):
        traversal_latents(bases, elements=[1, 2])


def test_latent_traversal_figure_shows_one_row_per_element():
    generator = dcgan.stiff_generator(image_shape=(28, 28, 1))
    figure = latent_traversal(generator, elements=[0, 5, 9], steps=4, seed=1)
    axis = figure.axes[0]
    assert [t.get_text() for t in axis.get_yticklabels()] == ["z[0]", "z[5]", "z[9]"]
    assert axis.images[0].get_array().shape[:2] == (3 * 30 + 2, 4 * 30 + 2)


def test_cutmix_step_trains_the_discriminator_on_mixed_targets():
    preset = dataclasses.replace(
        ganlib.get_preset("stiff_mnist"), cutmix_probability=1.0, real_label=1.0
    )
    gan = ganlib.training.build_gan(preset)
    real = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    logs = gan.train_step(real)
    assert all(np.isfinite(float(v)) for v in logs.values())
    assert any(
        not np.allclose(a, b.numpy()) for a, b in zip(d_before, gan.discriminator.trainable_weights)
    )


def test_the_share_of_cutmix_batches_is_logged():
    images = np.random.default_rng(0).uniform(-1, 1, (256, 28, 28, 1)).astype("float32")
    shares = {}
    for probability in (1.0, 0.5, 0.0):
        preset = dataclasses.replace(
            ganlib.get_preset("stiff_mnist"), batch_size=16, cutmix_probability=probability
        )
        history = ganlib.training.build_gan(preset).fit(
            from_arrays(images, batch_size=16), epochs=1, verbose=0
        )
        shares[probability] = history.history.get("cutmix_share")
    assert shares[1.0] == [1.0]
    assert 0.05 <= shares[0.5][0] <= 0.95  # 16 batches: 0.5 lands well inside
    assert shares[0.0] is None  # not logged when CutMix is off


def test_short_fit_of_the_unet_cutmix_gan_writes_a_restorable_run(tmp_path):
    # The U-Net + CutMix preset at 32×32 (its noise image passed flat) on 4 stand-in images.
    preset = dataclasses.replace(
        ganlib.get_preset("vemuri_unet_cutmix"),
        image_shape=(32, 32, 3),
        noise_dim=32 * 32 * 3,
        batch_size=2,
        epochs=1,
        train_images=None,
        snapshot_grid=(1, 2),
        cutmix_probability=1.0,
    )
    images = np.random.default_rng(0).uniform(-1, 1, (4, 32, 32, 3)).astype("float32")
    result = ganlib.train(
        preset, tmp_path / "run", dataset=from_arrays(images, batch_size=2), verbose=0
    )
    run = result.run
    assert set(result.history) >= {"d_loss", "g_loss", "d_real", "d_fake"}
    assert np.isfinite(result.history["d_loss"]).all()
    assert run.saved_epochs() == [1] and run.latents().shape == (2, 32 * 32 * 3)
    config = json.loads(run.config_path.read_text())
    assert config["preset"]["cutmix_probability"] == 1.0
    generator = ganlib.restore_epoch(run.directory, 1)
    assert generator.name == "vemuri_unet_generator"
    np.testing.assert_array_equal(
        render_grid(generator, run.latents(), columns=2), read_png(run.snapshot_path(1))
    )


def test_generated_beside_real_has_two_labelled_panels():
    generated = np.zeros((4, 8, 8, 3), "float32")
    real = np.ones((4, 8, 8, 3), "float32")
    figure = generated_beside_real(generated, real, columns=2, real_title="STAND-IN DATA")
    titles = [axis.get_title() for axis in figure.axes]
    assert titles == ["generated", "STAND-IN DATA"]
    left, right = (axis.images[0].get_array() for axis in figure.axes)
    assert left.shape == right.shape == (2 * 10 + 2, 2 * 10 + 2, 3)
    assert left[2, 2].tolist() == [128, 128, 128] and right[2, 2].tolist() == [255, 255, 255]
