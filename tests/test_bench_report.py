"""The benchmark's arithmetic: how its figures become the ratios the targets are read from.

Nothing is timed here; the rows are made up, with round numbers whose ratios are known.
"""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "train_speed.py"
_spec = importlib.util.spec_from_file_location("train_speed", _PATH)
train_speed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train_speed)


def _rate(ms, batch=100):
    rate = 1000 * batch / ms
    return {
        "images_per_second": rate,
        "images_per_second_min": rate,
        "images_per_second_max": rate,
        "ms_per_step": ms,
    }


def _row(hand_ms=100.0, ganlib_ms=125.0, per_epoch=2.0, torch_ms=150.0, full_images=10_000):
    return {
        "preset": "some_preset",
        "step": "alternating",
        "export": {"flops_per_image": {"alternating": 1e9}},
        "paired": {
            "steps": 10,
            "rounds": 2,
            "batch_size": 100,
            "source": "mnist",
            "hand": _rate(hand_ms),
            "ganlib": {
                **_rate(ganlib_ms),
                "per_epoch_seconds": per_epoch,
                "pipeline_seconds_per_epoch": 0.05,
            },
            "ratios": [0.7, 0.9],
            "ratio": 0.8,
        },
        "ganlib": {**_rate(ganlib_ms), "full_images": full_images, "peak_mb": 900.0},
        "torch": _rate(torch_ms),
    }


def test_full_epoch_ratio_counts_the_per_epoch_costs():
    derived = train_speed.derive(_row(), peak_gflops=20.0)
    # 100 steps per full epoch: hand 10 s; ganlib 12.5 s of steps + 2 s per epoch.
    assert derived["ganlib_full_epoch_seconds"] == pytest.approx(14.5)
    assert derived["ganlib_over_hand"] == pytest.approx(10 / 14.5)
    assert derived["overhead_percent"] == pytest.approx(100 * (1 - 10 / 14.5))
    assert derived["steady_ratio"] == 0.8
    assert (derived["steady_ratio_min"], derived["steady_ratio_max"]) == (0.7, 0.9)
    # ganlib's full-epoch rate (10,000 images in 14.5 s) against torch's 666.7 img/s.
    assert derived["ganlib_over_torch"] == pytest.approx((10_000 / 14.5) / (1000 * 100 / 150))
    # 1000 img/s x 1 GFLOP per image = 1000 GFLOP/s, against a peak of 20.
    assert derived["hand_gflops"] == pytest.approx(1000.0)
    assert derived["hand_peak_fraction"] == pytest.approx(50.0)


def test_targets_name_the_rows_that_miss():
    fast = _row(hand_ms=100.0, ganlib_ms=100.0, per_epoch=0.1, torch_ms=200.0)
    slow = dict(_row(), preset="slow_preset")
    rows = [dict(row, derived=train_speed.derive(row, 20.0)) for row in (fast, slow)]
    lines = []
    train_speed.print_targets(rows, out=lines.append)
    text = "\n".join(lines)
    assert "ganlib / hand-written step (full epoch) >= 0.95: MISSED (1 of 2)" in text
    assert "missed: slow_preset/alternating 0.69" in text
    assert "peak memory of the 28x28 presets" in text


def test_a_failed_measurement_is_reported_not_raised():
    row = _row()
    row["paired"] = {"error": "timed out after 60 s"}
    derived = train_speed.derive(row, 20.0)
    assert "ganlib_over_hand" not in derived
    lines = []
    train_speed.print_tables([dict(row, derived=derived)], 20.0, out=lines.append)
    assert any("timed out" in line for line in lines)
