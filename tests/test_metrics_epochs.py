"""Per-epoch evaluation of a run: the callback, evaluate_epochs, the best epoch, the collapse alarm."""

import csv
import dataclasses
import shutil

import numpy as np
import pytest

import ganlib
from ganlib import metrics
from ganlib.runs import Run

SAMPLES = 150  # more than the 128 feature dimensions of the domain classifier


@pytest.fixture
def run_dir(trained_run, tmp_path):
    """A copy of the shared 2-epoch run, free to modify."""
    return shutil.copytree(trained_run.run.directory, tmp_path / "run")


def test_evaluate_epochs_logs_every_epoch_and_reuses_logged_values(run_dir):
    values = metrics.evaluate_epochs(run_dir, "domain_fid", samples=SAMPLES, verbose=False)
    assert list(values) == [1, 2] and all(v > 0 for v in values.values())
    records = metrics.read_metrics(run_dir)
    assert [r["epoch"] for r in records] == [1, 2]
    for record in records:
        assert record["metric"] == "domain_fid" and record["samples"] == SAMPLES
        assert record["extractor"].startswith("domain:fashion_mnist/") and record["seed"] == 0
        assert record["reference"] == "fashion_mnist_sample test split"
    # Called again (a notebook re-run): the logged values come back and nothing is appended.
    assert metrics.evaluate_epochs(run_dir, "domain_fid", samples=SAMPLES) == values
    assert len(metrics.read_metrics(run_dir)) == 2
    best = metrics.suggest_best_epoch(run_dir, "domain_fid")
    assert best.epoch == min(values, key=values.get) and best.samples == SAMPLES


def small_run(tmp_path_factory, name, callbacks=lambda run_dir: []):
    """A 2-epoch run of a preset on its first 64 training images (batches of 32)."""
    preset = ganlib.get_preset(name)
    preset = dataclasses.replace(
        preset,
        dataset=ganlib.data.SAMPLES.get(preset.dataset, preset.dataset),
        train_images=64,
        batch_size=32,
        epochs=2,
        snapshot_grid=(2, 5),
    )
    run_dir = tmp_path_factory.mktemp("runs") / name
    ganlib.train(preset, run_dir, callbacks=callbacks(run_dir), verbose=0)
    return run_dir


@pytest.fixture(scope="module")
def stiff_run(tmp_path_factory):
    """stiff's MNIST DCGAN (uniform noise, a light generator) trained with two EpochMetrics."""
    callbacks = {}

    def make(run_dir):
        callbacks["every_epoch"] = metrics.EpochMetrics(run_dir, samples=SAMPLES, verbose=False)
        callbacks["every_other"] = metrics.EpochMetrics(
            run_dir, "domain_is", every=2, samples=SAMPLES, verbose=False
        )
        return list(callbacks.values())

    return small_run(tmp_path_factory, "stiff_mnist", make), callbacks


def test_callback_logs_during_training_what_evaluate_epochs_recomputes(stiff_run, tmp_path):
    run_dir, callbacks = stiff_run
    logged = metrics.read_metrics(run_dir)
    assert all(r["source"] == "EpochMetrics" for r in logged)
    assert all(r["samples"] == SAMPLES and r["seed"] == 0 for r in logged)
    assert all(r["extractor"].startswith("domain:mnist/") for r in logged)
    by_metric = {}
    for record in logged:
        by_metric.setdefault(record["metric"], []).append(record["epoch"])
    # Every epoch for the default metrics, every other epoch for the second callback.
    assert by_metric == {**{m: [1, 2] for m in metrics.DEFAULT_METRICS}, "domain_is": [2]}
    assert len(callbacks["every_epoch"].seconds) == 2
    assert len(callbacks["every_other"].seconds) == 1
    copy = shutil.copytree(run_dir, tmp_path / "run")
    fid = {r["epoch"]: r["value"] for r in logged if r["metric"] == "domain_fid"}
    recomputed = metrics.evaluate_epochs(
        copy, "domain_fid", samples=SAMPLES, recompute=True, verbose=False
    )
    assert recomputed == pytest.approx(fid, rel=1e-3)


def test_evaluate_epochs_reuses_the_callbacks_values_and_refuses_bad_arguments(stiff_run, tmp_path):
    run_dir = shutil.copytree(stiff_run[0], tmp_path / "run")
    before = len(metrics.read_metrics(run_dir))
    values = metrics.evaluate_epochs(
        run_dir, ["domain_is", "diversity"], samples=SAMPLES, verbose=False
    )
    assert set(values) == {"domain_is", "diversity"} and list(values["domain_is"]) == [1, 2]
    assert 1.0 <= values["domain_is"][1] <= 10.0
    # Only domain_is of epoch 1 was missing; everything else came from the callbacks' records.
    assert len(metrics.read_metrics(run_dir)) == before + 1
    with pytest.raises(
        ValueError, match=r"no saved generator for epochs \[5\]; saved epochs: \[1, 2\]"
    ):
        metrics.evaluate_epochs(run_dir, "domain_fid", epochs=[5])
    with pytest.raises(ValueError, match="samples must be an integer ≥ 2, received 1"):
        metrics.evaluate_epochs(run_dir, "domain_fid", samples=1)
    with pytest.raises(ValueError, match="Unknown metric 'fjd'"):
        metrics.evaluate_epochs(run_dir, "fjd")
    with pytest.raises(ValueError, match="every must be a positive integer, received 0"):
        metrics.EpochMetrics(run_dir, every=0)


def test_label_accuracy_of_each_epoch_of_a_conditional_run(tmp_path_factory):
    run_dir = small_run(tmp_path_factory, "li_ye_cgan_mnist")
    values = metrics.evaluate_epochs(
        run_dir, ["label_accuracy", "missing_classes"], samples=SAMPLES, verbose=False
    )
    assert list(values["label_accuracy"]) == [1, 2]
    assert all(0.0 <= v <= 1.0 for v in values["label_accuracy"].values())
    best = metrics.suggest_best_epoch(run_dir, "label_accuracy")
    assert best.better == "higher" and best.value == max(values["label_accuracy"].values())


def make_collapsed(run_dir, epoch):
    """Zero the generator's first kernel: its output no longer depends on the noise."""
    generator = ganlib.restore_epoch(run_dir, epoch)
    dense = generator.get_layer("dense")
    kernel, bias = dense.get_weights()
    dense.set_weights([np.zeros_like(kernel), bias])
    generator.save_weights(Run(run_dir).weights_path(epoch))
    images = ganlib.sample(generator, 4, seed=0)
    assert np.allclose(images, images[:1])  # one image, whatever the noise


def test_collapse_alarm_flags_collapse_and_saturation_with_their_reasons(run_dir):
    make_collapsed(run_dir, 2)
    path = Run(run_dir).history_path
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["d_fake"] = "0.001"  # epoch 1: the discriminator rejects every generated image
    rows[1]["d_fake"], rows[1]["d_real"] = "0.5", "0.5"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    report = metrics.collapse_alarm(run_dir, samples=SAMPLES)
    signals = {s.epoch: s for s in report.signals}
    assert signals[2].diversity == pytest.approx(0.0, abs=1e-6)
    assert len(signals[2].missing_classes) == 9
    reasons = report.flagged[2]
    assert any(r.startswith("lost 9 classes") for r in reasons)
    assert "diversity 0.00 of real data's (below 0.5)" in reasons
    assert not any("saturated" in r for r in reasons)
    assert "discriminator saturated: mean D(G(z)) = 0.001" in report.flagged[1]
    # The 2-step generator of epoch 1 is itself nearly collapsed, but not to one image.
    assert signals[1].diversity > 100 * signals[2].diversity
    table = report.markdown()
    assert table.splitlines()[0].startswith("| epoch | missing classes |")
    assert len(table.splitlines()) == 4
    # The collapse signals were logged, and the best epoch can leave flagged epochs out.
    logged = {r["metric"] for r in metrics.read_metrics(run_dir)}
    assert logged == set(metrics.epochs.COLLAPSE_METRICS)
    best = metrics.suggest_best_epoch(run_dir, "class_entropy", exclude=[1])
    assert best.epoch == 2 and best.value == 0.0
