"""ConditionalGAN's step, the L1 term, the conditional run directory, and Milošević's augmentation."""

import dataclasses
import json

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganlib
from ganlib import augment, data, plotting
from ganlib.images import read_png
from ganlib.losses import generator_loss, l1_loss
from ganlib.models import build_models
from ganlib.sampling import conditional_grid, render_grid
from ganlib.training import ConditionalGAN, build_gan

HISTORY_KEYS = {"d_loss", "g_loss", "d_real", "d_fake", "d_real_accuracy", "d_fake_accuracy"}


@pytest.fixture
def small_preset():
    """Li & Ye's cDCGAN2 on MNIST (the preset's own architecture) over 64 images."""
    return dataclasses.replace(
        ganlib.get_preset("li_ye_cdcgan2_mnist"),
        dataset="mnist_sample",
        train_images=64,
        batch_size=32,
        epochs=2,
        snapshot_grid=(10, 3),
    )


@pytest.fixture(scope="module")
def conditional_run(tmp_path_factory):
    """One 2-epoch cDCGAN2 run on 64 MNIST images, shared by the tests that only read a run."""
    preset = dataclasses.replace(
        ganlib.get_preset("li_ye_cdcgan2_mnist"),
        dataset="mnist_sample",
        train_images=64,
        batch_size=32,
        epochs=2,
        snapshot_grid=(10, 3),
    )
    return ganlib.train(preset, tmp_path_factory.mktemp("runs") / "cdcgan2", verbose=0)


def _batch(count=8, classes=10, size=28, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.uniform(-1, 1, (count, size, size, channels)).astype("float32")
    return images, (np.arange(count) % classes).astype("int32")


def _gan(preset, l1_lambda, optimizer=keras.optimizers.SGD):
    keras.utils.set_random_seed(0)
    generator, discriminator = build_models(preset)
    gan = ConditionalGAN(
        generator, discriminator, classes=preset.classes, l1_lambda=l1_lambda, seed=0
    )
    gan.compile(d_optimizer=optimizer(0.1), g_optimizer=optimizer(0.1))
    return gan


def test_generator_loss_adds_lambda_times_l1(small_preset):
    gan0, gan5 = _gan(small_preset, 0.0), _gan(small_preset, 5.0)
    real, labels = (tf.constant(a) for a in _batch())
    noise = tf.constant(np.random.default_rng(1).standard_normal((8, 100)).astype("float32"))
    gradients, losses = {}, {}
    for key, gan in (("0", gan0), ("5", gan5)):
        with tf.GradientTape(persistent=True) as tape:
            fake = gan.generator([noise, labels], training=True)
            logits = gan.discriminator([fake, labels], training=True)
            losses[key] = gan._generator_loss(logits, real, fake)
            l1 = l1_loss(real, fake)
            bce = generator_loss(logits)
        gradients[key] = tape.gradient(losses[key], gan.generator.trainable_weights)
        gradients[f"l1_{key}"] = tape.gradient(l1, gan.generator.trainable_weights)
        gradients[f"bce_{key}"] = tape.gradient(bce, gan.generator.trainable_weights)
        if key == "0":
            np.testing.assert_allclose(float(losses[key]), float(bce), rtol=1e-6)
        else:
            np.testing.assert_allclose(float(losses[key]), float(bce + 5.0 * l1), rtol=1e-6)
    for g0, g5, g_l1, g_bce in zip(
        gradients["0"], gradients["5"], gradients["l1_5"], gradients["bce_0"]
    ):
        # λ = 0: the gradient is the adversarial one alone; λ = 5: plus 5·∇L1.
        np.testing.assert_allclose(g0.numpy(), g_bce.numpy(), atol=1e-6)
        np.testing.assert_allclose(g5.numpy(), (g0 + 5.0 * g_l1).numpy(), rtol=1e-4, atol=1e-6)
    assert any(float(tf.reduce_max(tf.abs(g))) > 0 for g in gradients["l1_5"])


def test_l1_changes_the_generator_step_only_when_lambda_is_positive(small_preset):
    real, labels = _batch()
    results = {}
    for l1_lambda in (0.0, 0.0, 5.0):
        gan = _gan(small_preset, l1_lambda)
        gan.train_step((real, labels))
        results.setdefault(l1_lambda, []).append(
            (
                [w.numpy() for w in gan.generator.trainable_weights],
                [w.numpy() for w in gan.discriminator.trainable_weights],
            )
        )
    (g_a, d_a), (g_b, _) = results[0.0]
    g_l1, d_l1 = results[5.0][0]
    # Same seeds, same λ: the same step. The D step never sees λ; the G step does.
    assert all(np.array_equal(a, b) for a, b in zip(g_a, g_b))
    assert all(np.array_equal(a, b) for a, b in zip(d_a, d_l1))
    assert any(not np.allclose(a, b) for a, b in zip(g_a, g_l1))


@pytest.mark.parametrize("step", ["alternating", "simultaneous"])
def test_a_step_updates_both_networks_and_reports_the_metrics(small_preset, step):
    gan = build_gan(dataclasses.replace(small_preset, step=step, l1_lambda=1.0))
    g_before = [w.numpy().copy() for w in gan.generator.trainable_weights]
    d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    logs = gan.train_step(_batch())
    assert set(logs) == HISTORY_KEYS
    assert 0.0 <= float(logs["d_real_accuracy"]) <= 1.0
    assert any(not np.allclose(a, b) for a, b in zip(g_before, gan.generator.trainable_weights))
    assert any(not np.allclose(a, b) for a, b in zip(d_before, gan.discriminator.trainable_weights))


def test_labels_outside_the_classes_are_refused(small_preset, tmp_path):
    gan = build_gan(small_preset)
    images, labels = _batch()
    with pytest.raises(ValueError, match=r"training labels must be in \[0, 10\); received \[10\]"):
        gan.train_step((images, np.where(labels == 3, 10, labels)))
    with pytest.raises(ValueError, match="ConditionalGAN trains on \\(images, labels\\) batches"):
        gan.train_step(images)
    bad = data.from_arrays(images, np.where(labels == 0, -1, labels), batch_size=4)
    with pytest.raises(ValueError, match=r"training labels must be in \[0, 10\); received \[-1\]"):
        ganlib.train(small_preset, tmp_path / "run", dataset=bad, verbose=0)
    unlabelled = data.from_arrays(images, batch_size=4)
    with pytest.raises(ValueError, match=r"conditional \(10 classes\).*\(images, labels\)"):
        ganlib.train(small_preset, tmp_path / "run", dataset=unlabelled, verbose=0)
    assert not (tmp_path / "run").exists()
    generator = build_models(small_preset)[0]
    with pytest.raises(ValueError, match=r"in \[0, 10\); received \[12\]"):
        ganlib.sample(generator, labels=[1, 12])


def test_conditional_grid_by_hand():
    latents, labels = conditional_grid(rows=4, columns=2, classes=3, noise_dim=5, seed=0)
    assert labels.tolist() == [0, 0, 1, 1, 2, 2, 0, 0]
    # Rows 0-2 (first pass over the labels) share the two column latents; row 3 gets new ones.
    np.testing.assert_array_equal(latents[0], latents[2])
    np.testing.assert_array_equal(latents[1], latents[5])
    assert not np.allclose(latents[0], latents[6]) and not np.allclose(latents[0], latents[1])
    pool = ganlib.sampling.draw_latents(4, 5, seed=0)
    np.testing.assert_array_equal(latents[[0, 1, 6, 7]], pool)
    one_class_latents, one_class = conditional_grid(3, 2, 1, 5, seed=0)
    assert one_class.tolist() == [0] * 6 and len(np.unique(one_class_latents, axis=0)) == 6


def test_fit_writes_a_conditional_run_that_restores_exactly(conditional_run):
    result = conditional_run
    run = result.run
    assert set(result.history) >= HISTORY_KEYS
    history = ganlib.read_history(run.directory)
    assert history["epoch"] == [1, 2] and set(history) >= HISTORY_KEYS
    assert run.snapshot_epochs() == [0, 1, 2] and run.saved_epochs() == [1, 2]
    labels = run.labels()
    assert labels.tolist() == [row for row in range(10) for _ in range(3)]
    assert run.latents().shape == (30, 100)
    card = json.loads((run.directory / "run_card.json").read_text())
    assert card["train_images"] == 64 and card["epochs_completed"] == 2
    for epoch in (1, 2):
        generator = ganlib.restore_epoch(run.directory, epoch)
        picture = render_grid(generator, run.latents(), 3, labels)
        np.testing.assert_array_equal(picture, read_png(run.snapshot_path(epoch)))
    assert read_png(run.snapshot_path(2)).shape == (10 * 30 + 2, 3 * 30 + 2, 1)
    generator = ganlib.restore_epoch(run.directory, 2)
    first = ganlib.sample(generator, labels=[3, 3, 7], seed=1)
    np.testing.assert_allclose(first, ganlib.sample(generator, labels=[3, 3, 7], seed=1), atol=1e-6)
    assert first.shape == (3, 28, 28, 1) and np.abs(first).max() <= 1.0


def test_labeled_plots_title_rows_and_tiles(conditional_run):
    import matplotlib

    matplotlib.use("Agg")

    run = conditional_run.run
    figure = plotting.labeled_snapshot(run.directory, 1, class_names=list("abcdefghij"))
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == list("abcdefghij")
    images = np.zeros((3, 28, 28, 1), "float32")
    figure = plotting.show_labeled(images, [7, 4, 1], columns=3)
    assert [axis.get_title() for axis in figure.axes] == ["7", "4", "1"]
    assert figure._suptitle.get_text() == "Generated images for labels [7, 4, 1]"


def test_milosevic_mnist_pipeline_keeps_range_and_64_by_64():
    preset = ganlib.get_preset("milosevic_mnist")
    transform = augment.rotate_and_crop(preset.rotation_degrees, preset.crop_padding)
    dataset = data.load(
        "mnist_sample", limit=64, image_size=64, augment=transform, batch_size=32, with_labels=True
    )
    plain = data.load("mnist_sample", limit=64, image_size=64, batch_size=32)
    for (images, labels), original in zip(dataset, plain):
        assert images.shape == (32, 64, 64, 1) and labels.shape == (32,)
        assert float(tf.reduce_min(images)) >= -1.0 and float(tf.reduce_max(images)) <= 1.0
        assert not np.allclose(images.numpy(), original.numpy())
    # The same seed gives the same augmented batch; the next epoch gets new angles and crops.
    again = data.load("mnist_sample", limit=64, image_size=64, augment=transform, batch_size=32)
    epoch_1 = [b.numpy() for b in again]
    epoch_2 = [b.numpy() for b in again]
    fresh = data.load("mnist_sample", limit=64, image_size=64, augment=transform, batch_size=32)
    np.testing.assert_array_equal(epoch_1[0], next(iter(fresh)).numpy())
    assert not np.allclose(epoch_1[0], epoch_2[0])


def test_padded_crop_moves_a_pixel_by_at_most_the_padding():
    image = np.full((16, 16, 1), -1.0, "float32")
    image[8, 8] = 1.0
    for seed in range(20):
        moved = augment.random_padded_crop(image, 4, tf.constant([seed, 0])).numpy()
        rows, columns, _ = np.nonzero(moved > 0)
        assert len(rows) == 1 and abs(rows[0] - 8) <= 4 and abs(columns[0] - 8) <= 4
        assert moved.min() == -1.0


def test_rotation_by_at_most_zero_degrees_is_the_identity_and_fill_is_black():
    image = np.random.default_rng(0).uniform(-1, 1, (12, 12, 1)).astype("float32")
    same = augment.random_rotation(image, 0.0, tf.constant([1, 2])).numpy()
    np.testing.assert_allclose(same, image, atol=1e-5)
    white = np.ones((12, 12, 1), "float32")
    rotated = augment.random_rotation(white, 30.0, tf.constant([3, 4])).numpy()
    # A rotated square uncovers its corners, which are filled with -1; the centre stays white.
    assert rotated[0, 0, 0] < 0 and rotated[6, 6, 0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="padding must be a non-negative integer, received -2"):
        augment.rotate_and_crop(30, -2)


def test_a_labelled_snapshot_names_the_rows_by_the_datasets_classes(small_preset, tmp_path):
    preset = dataclasses.replace(
        small_preset,
        dataset="fashion_mnist_sample",
        train_images=32,
        epochs=1,
        snapshot_grid=(10, 2),
    )
    run = ganlib.train(preset, tmp_path / "run", verbose=0).run
    rows = [
        t.get_text() for t in plotting.labeled_snapshot(run.directory, 1).axes[0].get_yticklabels()
    ]
    assert rows == list(ganlib.data.FASHION_MNIST_CLASSES)  # not the digits 0-9


def test_the_reports_labels_figure_uses_the_nearest_saved_epoch_and_says_so(conditional_run):
    figure = plotting.labels_figure(conditional_run.run.directory, 40, [8, 1, 6])
    assert figure._suptitle.get_text() == (
        "Epoch 2 Generated images for labels [8, 1, 6] (the report's epoch 40 was not saved here)"
    )
    assert [a.get_title() for a in figure.axes[:3]] == ["8", "1", "6"]
