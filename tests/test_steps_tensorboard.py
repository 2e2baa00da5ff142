"""Per-step losses (steps.csv, `Run.steps`, `plotting.step_curves`) and the opt-in TensorBoard logs:
written per epoch, kept exact across a resume, readable back."""

import dataclasses

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import legends_clear_of_panels

import ganlib
from ganlib import callbacks, plotting
from ganlib.__main__ import build_parser
from ganlib.metrics.registry import log_metric
from ganlib.runs import OWN_ENTRIES, Run
from ganlib.training import build_gan, preset_dataset


@pytest.fixture
def preset(tiny_preset):
    """4 steps an epoch (32 images, batch 8), 2 epochs."""
    return dataclasses.replace(tiny_preset, train_images=32, batch_size=8, epochs=2)


def _fit(preset, run_dir, **options):
    keras.utils.set_random_seed(preset.seed)
    dataset, _ = preset_dataset(preset)
    build_gan(preset).fit(
        dataset,
        epochs=preset.epochs,
        callbacks=Run(run_dir).callbacks(preset, **options),
        verbose=0,
        shuffle=False,
    )
    return Run(run_dir)


def _events(run):
    """{tag: [(step, plugin)]} of every event file of the run's tensorboard/ folder."""
    tags = {}
    files = sorted(run.tensorboard_dir.glob("events.out.tfevents.*"))
    assert files, f"no event file in {run.tensorboard_dir}"
    for path in files:
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            for value in event.summary.value:
                plugin = value.metadata.plugin_data.plugin_name
                tags.setdefault(value.tag, []).append((event.step, plugin))
    return tags


def test_the_interval_gives_about_25_rows_an_epoch():
    assert callbacks.step_interval(100) == 4 and callbacks.step_interval(2) == 1
    assert 20 <= 1000 // callbacks.step_interval(1000) <= 50
    assert callbacks.step_interval(None) == callbacks.UNKNOWN_EPOCH_EVERY
    with pytest.raises(ValueError, match="received 0"):
        callbacks.StepLogger(Run("unused"), every=0)
    assert "steps.csv" in OWN_ENTRIES


class _FakeMetric(keras.callbacks.Callback):
    """A metric callback's record in metrics.jsonl, without computing any metric."""

    def __init__(self, run_dir):
        super().__init__()
        self.run_dir = run_dir

    def on_epoch_end(self, epoch, logs=None):
        record = {"epoch": epoch + 1, "metric": "fake", "value": 0.5, "samples": 1}
        log_metric(self.run_dir, {**record, "extractor": "pixels"})


def test_steps_csv_and_tensorboard_hold_every_epoch(preset, tmp_path):
    run_dir = tmp_path / "run"
    run = ganlib.train(
        preset, run_dir, verbose=0, tensorboard=True, callbacks=[_FakeMetric(run_dir)]
    ).run
    steps, history = run.steps(), run.history()
    # Every step here (4 steps: interval 1).
    assert steps["epoch"] == [1] * 4 + [2] * 4 and steps["step"] == list(range(1, 9))
    assert {"d_loss", "g_loss", "d_real", "d_fake"} <= set(steps)
    # An epoch's last row is the running mean over the whole epoch: its history row.
    last = [3, 7]
    np.testing.assert_allclose([steps["d_loss"][i] for i in last], history["d_loss"], rtol=1e-5)
    tags = _events(run)
    for key in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert [s for s, _ in tags[f"step/{key}"]] == list(range(1, 9))
        assert [s for s, _ in tags[f"epoch/{key}"]] == [1, 2]
    assert [s for s, _ in tags["epoch/epoch_seconds"]] == [1, 2]
    assert tags["metrics/fake"] == [(1, "scalars"), (2, "scalars")]
    assert tags["snapshot"] == [(0, "images"), (1, "images"), (2, "images")]
    figure = plotting.step_curves(run.directory)
    assert len(figure.axes) == 2
    assert [int(t) for t in figure.axes[0].get_xticks() if t == int(t)]  # integer epoch ticks
    assert legends_clear_of_panels(figure)
    figure.clf()


def test_a_resume_drops_the_rows_of_epochs_after_the_state(preset, tmp_path):
    run_dir = tmp_path / "run"
    run = _fit(dataclasses.replace(preset, epochs=1), run_dir, step_every=3)
    assert run.steps()["step"] == [3, 4]  # every 3 steps, and the epoch's last step
    # As if killed after steps.csv had epoch 2 but before the training state of epoch 2.
    stale = [{"epoch": 2, "step": 7, "d_loss": 999.0, "g_loss": 999.0}]
    run.write_steps(run.step_rows() + stale)
    steps = _fit(preset, run_dir, step_every=3).steps()
    assert steps["epoch"] == [1, 1, 2, 2] and steps["step"] == [3, 4, 7, 8]
    assert 999.0 not in steps["d_loss"]


def test_a_run_without_steps_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="steps.csv"):
        Run(tmp_path).steps()


def test_the_cli_has_a_tensorboard_flag():
    assert build_parser().parse_args(["train", "sharma_fashion_mnist", "--tensorboard"]).tensorboard
    assert not build_parser().parse_args(["train", "sharma_fashion_mnist"]).tensorboard
