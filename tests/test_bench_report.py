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


LIMITS = {"float32": 20.0, "mixed_bfloat16": 40.0}


def _rate(ms, batch=100, **extra):
    rate = 1000 * batch / ms
    return {
        "images_per_second": rate,
        "images_per_second_min": rate,
        "images_per_second_max": rate,
        "ms_per_step": ms,
        **extra,
    }


def _torch(eager_ms=150.0, channels_last_ms=120.0, bf16_ms=80.0):
    return {
        "eager": _rate(eager_ms, variant="eager", precision="float32"),
        "channels_last": _rate(channels_last_ms, variant="channels_last", precision="float32"),
        "compile": {"failed": "InductorError: no C++ compiler", "variant": "compile"},
        "bf16_channels_last": _rate(
            bf16_ms, variant="bf16_channels_last", precision="mixed_bfloat16"
        ),
    }


def _row(
    hand_ms=100.0,
    ganlib_ms=125.0,
    per_epoch=2.0,
    torch_ms=150.0,
    full_images=10_000,
    precision="float32",
):
    return {
        "preset": "some_preset",
        "step": "alternating",
        "precision": precision,
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
        "torch": _torch(eager_ms=torch_ms),
    }


def test_full_epoch_ratio_counts_the_per_epoch_costs():
    derived = train_speed.derive(_row(), LIMITS)
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
    rows = [dict(row, derived=train_speed.derive(row, LIMITS)) for row in (fast, slow)]
    lines = []
    train_speed.print_targets(rows, out=lines.append)
    text = "\n".join(lines)
    assert "ganlib / hand-written step (full epoch) >= 0.95: MISSED (1 of 2)" in text
    assert "missed: slow_preset/alternating 0.69" in text
    assert "peak memory of the 28x28 presets" in text


def test_a_failed_measurement_is_reported_not_raised():
    row = _row()
    row["paired"] = {"error": "timed out after 60 s"}
    derived = train_speed.derive(row, LIMITS)
    assert "ganlib_over_hand" not in derived
    lines = []
    train_speed.print_tables([dict(row, derived=derived)], LIMITS, out=lines.append)
    assert any("timed out" in line for line in lines)


def test_ganlib_is_compared_with_the_best_torch_variant_of_its_precision():
    derived = train_speed.derive(_row(), LIMITS)
    ganlib_rate = 10_000 / 14.5
    # float32: channels_last (120 ms) beats eager (150 ms); the failed compile counts for nothing.
    assert derived["best_torch"] == "channels_last"
    assert derived["ganlib_over_best_torch"] == pytest.approx(ganlib_rate / (1000 * 100 / 120))
    assert derived["ganlib_over_torch"] == pytest.approx(ganlib_rate / (1000 * 100 / 150))
    bf16 = train_speed.derive(_row(precision="mixed_bfloat16"), LIMITS)
    # bf16: only bf16 variants are its peers, but the old figure stays against float32 eager.
    assert bf16["best_torch"] == "bf16_channels_last"
    assert bf16["ganlib_over_best_torch"] == pytest.approx(ganlib_rate / (1000 * 100 / 80))
    assert bf16["ganlib_over_torch"] == derived["ganlib_over_torch"]


def test_each_rate_is_compared_with_the_limit_of_its_own_precision():
    f32 = train_speed.derive(_row(), LIMITS)
    bf16 = train_speed.derive(_row(precision="mixed_bfloat16"), LIMITS)
    # hand: 1000 GFLOP/s, against 20 (float32) and 40 (bfloat16).
    assert f32["hand_peak_fraction"] == pytest.approx(50.0)
    assert bf16["hand_peak_fraction"] == pytest.approx(25.0)
    assert bf16["torch:bf16_channels_last_peak_fraction"] == pytest.approx(1250 / 40)
    assert "torch:eager_gflops" not in bf16  # a float32 variant is not a row of the bf16 table


def test_a_failed_torch_compile_prints_its_reason():
    row = _row()
    lines = []
    train_speed.print_tables(
        [dict(row, derived=train_speed.derive(row, LIMITS))], LIMITS, out=lines.append
    )
    compiled = [line for line in lines if "torch:compile" in line]
    assert compiled and "failed: InductorError: no C++ compiler" in compiled[0]
    assert "  some_preset alternating compile: failed: InductorError: no C++ compiler" in lines
    assert any("channels_last" in line and line.split()[2] == "f32" for line in lines)


def test_xla_rows_and_their_ratios():
    row = _row()
    row["xla"] = {
        "hand": _rate(50.0),
        "ganlib": _rate(62.5),
        "ratio": 0.8,
        "ratios": [0.8, 0.8],
        "jit_compile": True,
    }
    derived = train_speed.derive(row, LIMITS)
    assert derived["xla_speedup"] == pytest.approx(2.0)  # 62.5 ms against 125 ms a step
    assert derived["xla_steady_ratio"] == 0.8
    names = [name for name, *_ in train_speed.implementations(row)]
    assert "ganlib-xla" in names and "hand-xla" in names
    row["xla"]["jit_compile"] = False
    notes = {name: data for name, _, data, _ in train_speed.implementations(row)}
    assert "REFUSED" in notes["ganlib-xla"]


def test_a_run_saved_before_the_variants_still_reports():
    row = _row()
    row.pop("precision")
    row["torch"] = _rate(150.0)
    derived = train_speed.derive(row, {"float32": 20.0, "mixed_bfloat16": None})
    assert derived["best_torch"] == "eager"
    assert derived["ganlib_over_torch"] == derived["ganlib_over_best_torch"]
    assert train_speed.limits_of({"gflops": 20.0}) == {"float32": 20.0, "mixed_bfloat16": None}


def test_limits_say_plainly_when_bf16_is_emulated():
    matmul = {
        "limits": {
            "float32": {"gflops": 100.0, "best_gflops": 110.0, "per_size": {"2048": 100.0}},
            "bfloat16": {"gflops": 25.0, "best_gflops": 26.0, "per_size": {"2048": 25.0}},
            "numpy_float32": {"gflops": 90.0, "best_gflops": 95.0, "per_size": {"2048": 90.0}},
        },
        "cpu_flags": {"avx2": True, "avx512_bf16": False, "amx_bf16": False},
    }
    text = "\n".join(train_speed.limit_lines(matmul))
    assert "NumPy float32 matmul" in text and "best 110.0" in text
    assert "EMULATED" in text and "0.25 x float32" in text
    assert train_speed.limits_of(matmul) == {"float32": 100.0, "mixed_bfloat16": 25.0}
    matmul["cpu_flags"]["amx_bf16"] = True
    assert "computed in hardware" in "\n".join(train_speed.limit_lines(matmul))


def test_default_precisions_follow_the_cpu_flags():
    precisions, note = train_speed.default_precisions({"avx512_bf16": False, "amx_bf16": False})
    assert precisions == ["float32"] and "emulated" in note
    precisions, note = train_speed.default_precisions({"avx512_bf16": True})
    assert precisions == ["float32", "mixed_bfloat16"] and "avx512_bf16" in note


def test_precisions_option_names_the_bad_value():
    assert train_speed.parse_precisions("mixed_bfloat16,float32") == ["mixed_bfloat16", "float32"]
    with pytest.raises(train_speed.argparse.ArgumentTypeError, match="received 'float32,fp8'"):
        train_speed.parse_precisions("float32,fp8")


def test_targets_mark_the_precision_of_a_row():
    slow = _row(precision="mixed_bfloat16")
    lines = []
    train_speed.print_targets(
        [dict(slow, derived=train_speed.derive(slow, LIMITS))], out=lines.append
    )
    assert any("missed: some_preset[bf16]/alternating" in line for line in lines)
