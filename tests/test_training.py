import dataclasses
import json

import keras
import numpy as np
import pytest

import ganlib
from ganlib.images import read_png
from ganlib.sampling import render_grid
from ganlib.training import GAN, RunningMeans, build_gan, make_optimizer

HISTORY_KEYS = {"d_loss", "g_loss", "d_real", "d_fake", "epoch_seconds"}


def test_fit_writes_every_file_of_the_run_directory(trained_run):
    run = trained_run.run
    assert set(trained_run.history) >= HISTORY_KEYS - {"epoch_seconds"}
    config = json.loads(run.config_path.read_text())
    assert config["preset"]["name"] == "sharma_fashion_mnist"
    assert config["overrides"] == {
        "dataset": "fashion_mnist_sample",
        "train_images": 64,
        "epochs": 2,
        "snapshot_grid": [2, 3],
    }
    assert config["seed"] == 0 and {"tensorflow", "keras", "ganlib"} <= set(config["versions"])
    assert run.snapshot_epochs() == [0, 1, 2]
    assert run.saved_epochs() == [1, 2]
    assert run.latents().shape == (6, 100)
    history = ganlib.read_history(run.directory)
    assert history["epoch"] == [1, 2]
    assert set(history) >= HISTORY_KEYS
    assert all(np.isfinite(history["d_loss"])) and all(0 < p < 1 for p in history["d_real"])
    card = json.loads((run.directory / "run_card.json").read_text())
    assert card["epochs_completed"] == 2 and card["train_images"] == 64
    for epoch in (0, 1, 2):
        picture = read_png(run.snapshot_path(epoch))
        assert picture.shape == (2 * 30 + 2, 3 * 30 + 2, 1) and picture.dtype == np.uint8


def test_restore_epoch_regenerates_that_epochs_snapshot_exactly(trained_run):
    run = trained_run.run
    for epoch in (1, 2):
        generator = ganlib.restore_epoch(run.directory, epoch)
        regenerated = render_grid(generator, run.latents(), columns=3)
        np.testing.assert_array_equal(regenerated, read_png(run.snapshot_path(epoch)))
    # The two epochs differ, so the check above really tells epochs apart.
    assert not np.array_equal(read_png(run.snapshot_path(1)), read_png(run.snapshot_path(2)))


def test_restore_of_an_unsaved_epoch_names_it_and_the_saved_ones(trained_run):
    with pytest.raises(ValueError, match=r"no saved generator for epoch 7; saved epochs: \[1, 2\]"):
        ganlib.restore_epoch(trained_run.run.directory, 7)


def test_restore_from_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a ganlib run directory"):
        ganlib.restore_epoch(tmp_path, 1)


def test_sample_draws_new_images(trained_run):
    generator = ganlib.restore_epoch(trained_run.run.directory, 2)
    first, second = ganlib.sample(generator, 4, seed=1), ganlib.sample(generator, 4, seed=2)
    assert first.shape == (4, 28, 28, 1) and np.abs(first).max() <= 1.0
    assert not np.allclose(first, second)
    np.testing.assert_allclose(first, ganlib.sample(generator, 4, seed=1), atol=1e-6)


def test_an_existing_run_is_refused_and_left_untouched(trained_run, tiny_preset):
    run = trained_run.run
    before = {p: p.stat().st_mtime_ns for p in run.directory.rglob("*")}
    with pytest.raises(
        ValueError, match=r"already holds a run of preset 'sharma_fashion_mnist'.*overwrite"
    ):
        ganlib.train(tiny_preset, run.directory, verbose=0)
    assert {p: p.stat().st_mtime_ns for p in run.directory.rglob("*")} == before


def test_bad_images_are_refused_before_anything_is_written(tmp_path, tiny_preset):
    import tensorflow as tf

    pixels = tf.data.Dataset.from_tensor_slices(np.full((8, 28, 28, 1), 200.0, "float32")).batch(4)
    with pytest.raises(ValueError, match=r"\[-1, 1\].*\[200, 200\]"):
        ganlib.train(tiny_preset, tmp_path / "run", dataset=pixels, verbose=0)
    wrong_size = tf.data.Dataset.from_tensor_slices(np.zeros((8, 32, 32, 1), "float32")).batch(4)
    with pytest.raises(ValueError, match=r"\(4, 32, 32, 1\)"):
        ganlib.train(tiny_preset, tmp_path / "run", dataset=wrong_size, verbose=0)
    assert not (tmp_path / "run").exists()


def test_unknown_preset_names_the_value(tmp_path):
    with pytest.raises(ValueError, match=r"Unknown preset 'sharma'.*sharma_fashion_mnist"):
        ganlib.train("sharma", tmp_path / "run")


@pytest.mark.parametrize(
    "field, value", [("batch_size", 0), ("epochs", -1), ("learning_rate", 0.0), ("step", "both")]
)
def test_bad_preset_values_name_the_value(tiny_preset, field, value):
    with pytest.raises(ValueError, match=f"{field}.*received {value!r}"):
        dataclasses.replace(tiny_preset, **{field: value})


class _Counting(keras.Model):
    """Wraps a generator and counts its forward passes (in eager mode)."""

    def __init__(self, generator):
        super().__init__()
        self.inner, self.calls = generator, 0

    def call(self, noise, training=False):
        self.calls += 1
        return self.inner(noise, training=training)


@pytest.mark.parametrize("step, forwards", [("alternating", 2), ("simultaneous", 1)])
def test_generator_runs_no_more_forwards_than_the_step_needs(tiny_preset, step, forwards):
    generator, discriminator = ganlib.build_models(tiny_preset)
    counting = _Counting(generator)
    counting.build((None, 100))
    gan = GAN(counting, discriminator, noise_dim=100, step=step, real_label=0.9, seed=0)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3), g_optimizer=keras.optimizers.Adam(1e-3))
    logs = gan.train_step(np.zeros((4, 28, 28, 1), "float32"))
    assert counting.calls == forwards
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}


def test_both_steps_update_both_networks(tiny_preset):
    for step in ("alternating", "simultaneous"):
        gan = build_gan(dataclasses.replace(tiny_preset, step=step))
        g_before = [w.numpy().copy() for w in gan.generator.trainable_weights]
        d_before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
        gan.train_step(np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32"))
        assert all(
            not np.allclose(a, b.numpy()) for a, b in zip(g_before, gan.generator.trainable_weights)
        )
        assert all(
            not np.allclose(a, b.numpy())
            for a, b in zip(d_before, gan.discriminator.trainable_weights)
        )


def test_exponential_decay_schedule(tiny_preset):
    preset = dataclasses.replace(tiny_preset, lr_decay_steps=100, lr_decay_rate=0.5)
    optimizer = make_optimizer(0.002, preset)
    schedule = (
        optimizer.learning_rate if callable(optimizer.learning_rate) else optimizer._learning_rate
    )
    assert float(schedule(0)) == pytest.approx(0.002)
    assert float(schedule(100)) == pytest.approx(0.001)
    assert optimizer.beta_1 == 0.5


def test_resume_returns_a_finished_run_without_training(trained_run):
    run = trained_run.run
    preset = run.preset()
    before = {p: p.stat().st_mtime_ns for p in run.directory.rglob("*")}
    result = ganlib.train(preset, run.directory, resume=True)
    assert result.gan is None
    assert result.history["d_loss"] == pytest.approx(trained_run.history["d_loss"], rel=1e-5)
    assert result.images == 64
    assert {p: p.stat().st_mtime_ns for p in run.directory.rglob("*")} == before
    # The first epoch of a longer run is exactly a 1-epoch run of the same preset.
    first = ganlib.train(dataclasses.replace(preset, epochs=1), run.directory, resume=True)
    assert first.gan is None and len(first.history["d_loss"]) == 1
    assert first.history["d_loss"][0] == pytest.approx(trained_run.history["d_loss"][0], rel=1e-5)
    # Another experiment in the same folder is refused, whatever it is asked to do.
    with pytest.raises(ValueError, match=r"different experiment.*learning_rate.*0\.001, 0\.5"):
        ganlib.train(dataclasses.replace(preset, learning_rate=0.5), run.directory, resume=True)
    assert {p: p.stat().st_mtime_ns for p in run.directory.rglob("*")} == before


def test_run_card_says_how_the_run_was_made(trained_run):
    card = ganlib.runs.run_card(trained_run.run.directory)
    assert "epochs completed: 2 of 2" in card
    assert "64 training images" in card and "CPU" in card and "wall time:" in card


def test_run_card_of_a_stopped_run_sums_its_completed_epochs(trained_run, tmp_path):
    import shutil

    copy = tmp_path / "stopped"
    shutil.copytree(trained_run.run.directory, copy)
    (copy / "run_card.json").unlink()  # as when a run is killed before it ends
    assert "over the completed epochs (the run was stopped early)" in ganlib.runs.run_card(copy)


def test_running_means_average_each_scalar_over_the_steps():
    means = RunningMeans(("d_loss", "g_loss"))
    assert {k: float(v) for k, v in means.result().items()} == {"d_loss": 0.0, "g_loss": 0.0}
    for d, g in ((1.0, 4.0), (2.0, 5.0), (6.0, 0.0)):
        means.update_state({"d_loss": d, "g_loss": g})
    result = {k: float(v) for k, v in means.result().items()}
    assert result == pytest.approx({"d_loss": 3.0, "g_loss": 3.0})
    means.reset_state()
    assert float(means.result()["d_loss"]) == 0.0
    with pytest.raises(ValueError, match="g_loss"):
        means.update_state({"d_loss": 1.0})


def test_steps_per_execution_changes_the_speed_not_the_training(tiny_preset, tmp_path):
    results = {}
    # 2 steps per epoch: 3 steps per execution also covers Keras' partial last execution.
    for value in (1, 3):
        preset = dataclasses.replace(tiny_preset, epochs=2, steps_per_execution=value)
        results[value] = ganlib.train(preset, tmp_path / str(value), verbose=0)
    one, three = results[1], results[3]
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        np.testing.assert_allclose(three.history[key], one.history[key], rtol=1e-6)
    for a, b in zip(one.gan.generator.get_weights(), three.gan.generator.get_weights()):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)
    # Not part of the experiment: a run resumes under another value.
    assert dataclasses.replace(tiny_preset, steps_per_execution=8) == tiny_preset


def test_steps_per_execution_must_be_a_positive_integer(tiny_preset):
    with pytest.raises(ValueError, match="steps_per_execution must be a positive integer.*0"):
        dataclasses.replace(tiny_preset, steps_per_execution=0)
