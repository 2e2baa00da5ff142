"""Per-epoch evaluation of a run: the callback, evaluate_epochs, the best epoch, the collapse alarm."""

import csv
import dataclasses
import shutil

import numpy as np
import pytest

import ganlib
from ganlib import metrics
from ganlib.runs import Run

SAMPLES = 200  # more than the 128 feature dimensions of the domain classifier


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
    # Recomputed: same latents, same weights, same values.
    again = metrics.evaluate_epochs(run_dir, "domain_fid", samples=SAMPLES, recompute=True)
    assert again == pytest.approx(values, rel=1e-4)
    assert len(metrics.read_metrics(run_dir)) == 4
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
    every_other = metrics.EpochMetrics(run_dir, "domain_is", every=2, samples=300, verbose=False)
    preset = dataclasses.replace(tiny_preset, epochs=2)
    ganlib.train(preset, run_dir, callbacks=[callback, every_other], verbose=0)
    logged = metrics.read_metrics(run_dir, "domain_fid")
    assert [r["epoch"] for r in logged] == [1, 2]
    assert all(r["source"] == "EpochMetrics" and r["samples"] == SAMPLES for r in logged)
    assert {r["metric"] for r in metrics.read_metrics(run_dir)} == {
        *metrics.DEFAULT_METRICS,
        "domain_is",
    }
    assert [r["epoch"] for r in metrics.read_metrics(run_dir, "domain_is")] == [2]
    recomputed = metrics.evaluate_epochs(
        run_dir, "domain_fid", samples=SAMPLES, recompute=True, verbose=False
    )
    assert recomputed == pytest.approx({r["epoch"]: r["value"] for r in logged}, rel=1e-3)
    assert len(callback.seconds) == 2
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


def test_collapse_alarm_flags_a_generator_that_always_draws_the_same_image(run_dir):
    make_collapsed(run_dir, 2)
    report = metrics.collapse_alarm(run_dir, samples=SAMPLES)
    signals = {s.epoch: s for s in report.signals}
    assert signals[2].diversity == 0.0 and len(signals[2].missing_classes) == 9
    reasons = report.flagged[2]
    assert any(r.startswith("lost 9 classes") for r in reasons)
    assert "diversity 0.00 of real data's (below 0.5)" in reasons
    assert signals[1].diversity > 0.0
    table = report.markdown()
    assert table.splitlines()[0].startswith("| epoch | missing classes |")
    assert len(table.splitlines()) == 4
    # The collapse signals were logged, and the best epoch can leave flagged epochs out.
    assert {r["metric"] for r in metrics.read_metrics(run_dir)} == set(
        metrics.epochs.COLLAPSE_METRICS
    )
    best = metrics.suggest_best_epoch(run_dir, "diversity", exclude=report.flagged)
    assert best.epoch == 1


def test_collapse_alarm_reads_discriminator_saturation_from_the_history(run_dir):
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
    assert "discriminator saturated: mean D(G(z)) = 0.001" in report.flagged[1]
    assert not any("saturated" in r for r in report.flagged.get(2, ()))
