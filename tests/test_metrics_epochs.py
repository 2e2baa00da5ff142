"""Per-epoch evaluation of a run: the callback, evaluate_epochs, the best epoch, the collapse alarm."""

import csv
import shutil
import types

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
    # Called again (a notebook re-run): the logged values come back and nothing is appended.
    assert metrics.evaluate_epochs(run_dir, "domain_fid", samples=SAMPLES) == values
    assert len(metrics.read_metrics(run_dir)) == 2
    # Recomputed: same latents, same weights, same value.
    again = metrics.evaluate_epochs(
        run_dir, "domain_fid", epochs=[2], samples=SAMPLES, recompute=True, verbose=False
    )
    assert again[2] == pytest.approx(values[2], rel=1e-4)
    assert len(metrics.read_metrics(run_dir)) == 3
    best = metrics.suggest_best_epoch(run_dir, "domain_fid")
    assert best.epoch == min(values, key=values.get) and best.samples == SAMPLES


def test_evaluate_epochs_with_several_metrics_and_bad_arguments(run_dir):
    values = metrics.evaluate_epochs(
        run_dir, ["domain_is", "diversity"], epochs=[2], samples=SAMPLES, verbose=False
    )
    assert set(values) == {"domain_is", "diversity"} and list(values["domain_is"]) == [2]
    assert 1.0 <= values["domain_is"][2] <= 10.0
    with pytest.raises(
        ValueError, match=r"no saved generator for epochs \[5\]; saved epochs: \[1, 2\]"
    ):
        metrics.evaluate_epochs(run_dir, "domain_fid", epochs=[5])
    with pytest.raises(ValueError, match="samples must be an integer ≥ 2, received 1"):
        metrics.evaluate_epochs(run_dir, "domain_fid", samples=1)
    with pytest.raises(ValueError, match="Unknown metric 'fjd'"):
        metrics.evaluate_epochs(run_dir, "fjd")


def test_callback_logs_during_training_what_evaluate_epochs_recomputes(tiny_preset, tmp_path):
    run_dir = tmp_path / "run"
    callback = metrics.EpochMetrics(run_dir, samples=SAMPLES, verbose=False)
    ganlib.train(tiny_preset, run_dir, callbacks=[callback], verbose=0)  # one epoch
    logged = metrics.read_metrics(run_dir)
    assert {r["metric"] for r in logged} == set(metrics.DEFAULT_METRICS)
    assert all(r["epoch"] == 1 and r["source"] == "EpochMetrics" for r in logged)
    assert all(r["samples"] == SAMPLES and r["seed"] == 0 for r in logged)
    fid = next(r["value"] for r in logged if r["metric"] == "domain_fid")
    recomputed = metrics.evaluate_epochs(
        run_dir, "domain_fid", samples=SAMPLES, recompute=True, verbose=False
    )
    assert recomputed[1] == pytest.approx(fid, rel=1e-3)
    assert len(callback.seconds) == 1


def test_callback_every_k_epochs(run_dir):
    callback = metrics.EpochMetrics(run_dir, "domain_is", every=2, samples=SAMPLES, verbose=False)
    callback.set_model(types.SimpleNamespace(generator=ganlib.restore_epoch(run_dir, 2)))
    callback.on_train_begin()
    callback.on_epoch_end(0)  # epoch 1: skipped
    callback.on_epoch_end(1)  # epoch 2: evaluated
    assert [(r["epoch"], r["metric"]) for r in metrics.read_metrics(run_dir)] == [(2, "domain_is")]
    with pytest.raises(ValueError, match="every must be a positive integer, received 0"):
        metrics.EpochMetrics(run_dir, every=0)


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
