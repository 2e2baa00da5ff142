"""Training speed of ganlib against a hand-written TF step and PyTorch at its best, preset by preset.

For each preset's architecture, each step algorithm ("alternating", the reports'; "simultaneous",
the TF DCGAN tutorial's) and each precision (float32, mixed_bfloat16) it measures, each in a fresh
process:

- ganlib: `ganlib.train` (`GAN.fit` with ganlib's callbacks) on the preset's data from
  `ganlib.data`, one epoch per timed run;
- hand: a plain hand-written `tf.function` step of the same algorithm on batches in memory;
- with --xla, both again XLA-compiled (jit_compile=True);
- torch: the same networks (rebuilt from the Keras models, outputs checked against them) and the
  same step in PyTorch on the CPU: eager, channels_last, bf16 autocast plus channels_last, and
  torch.compile of those;

then prints the machine's limits (float32 and bfloat16 tf.matmul, NumPy float32 matmul, the CPU's
bfloat16 flags), images/s (median of the timed runs after warm-up, min-max), ms per step, peak
memory, the fraction of the matmul limit of the same precision, ganlib's ratio to the others
(PyTorch: float32 eager, and the best variant of the same precision), and the share of a full
epoch spent outside the training step (data pipeline, callbacks, `fit`'s loop). Last, how an
epoch's time grows with the number of images and with the image size (28, 64, 128).

    python bench/train_speed.py                     # everything (about an hour on 2 CPU cores)
    python bench/train_speed.py --presets small     # the 28x28 presets only
    python bench/train_speed.py --smoke             # a couple of steps per case: checks it runs
    python bench/train_speed.py --presets sharma_fashion_mnist --precisions float32,mixed_bfloat16 --xla

Nothing is asserted: the figures are for reading (targets are listed under the table).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# The workers' helpers; on the path also when this file is loaded by its path (the tests do).
sys.path.insert(0, str(BENCH))
from common import BF16_FLAGS, cpu_flags, has_bf16_hardware  # noqa: E402

# One preset per architecture of ganlib.models.ARCHITECTURES (vemuri_unet_cutmix shares
# vemuri_unet's networks; pass it by name to time the CutMix step).
PRESETS = (
    "sharma_fashion_mnist",
    "stiff_mnist",
    "li_ye_cgan_mnist",
    "li_ye_cdcgan_mnist",
    "li_ye_cdcgan2_mnist",
    "milosevic_mnist",
    "vemuri_basic",
    "stiff_flowers",
    "vemuri_unet",
    "sharma_pretty_face",
)
SMALL = PRESETS[:5]
STEPS = ("alternating", "simultaneous")
# mixed_float16 is left out: a CPU has no float16 units, and the hand step has no loss scaling.
PRECISIONS = ("float32", "mixed_bfloat16")
SHORT = {"float32": "f32", "mixed_bfloat16": "bf16"}
# The PyTorch variants (torch_worker.VARIANTS) a row of each precision is compared with.
TORCH_VARIANTS = {
    "float32": ("eager", "channels_last", "compile"),
    "mixed_bfloat16": ("bf16_channels_last", "compile_bf16"),
}
# The matmul limit each precision's figures are compared with.
LIMIT_OF = {"float32": "float32", "mixed_bfloat16": "bfloat16"}
# Images in one epoch of each dataset's training split (the preset's own limit applies on top).
FULL_IMAGES = {
    "mnist": 60_000,
    "fashion_mnist": 60_000,
    "fashion_mnist_sample": 3_000,
    "cifar10": 4_660,
    "cifar100": 50_000,
    "pretty_face": 3_318,
    "cat": 9_997,
    "oxford_flowers102": 8_189,
    "ffhq": 70_000,
    "afhq": 14_630,
    "celeba": 202_599,
    "intel_scenes": 14_034,
}
TARGETS = {
    "ganlib / hand-written step (full epoch)": 0.95,
    "ganlib / PyTorch eager": 1.3,
    "pipeline + callbacks, % of a full epoch": 5.0,
    "peak memory of the 28x28 presets, MB": 2048,
}


def worker(script, spec, timeout):
    """Run one measurement in a fresh process; its result, or {"error": ...}."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(BENCH), os.environ.get("PYTHONPATH", "")])
    )
    try:
        done = subprocess.run(
            [sys.executable, str(BENCH / script), json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:300]}


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def measure_preset(name, args, work_dir, log):
    """Export the networks, then per step and precision time hand and ganlib side by side (and
    with XLA), ganlib alone, and per step every PyTorch variant of the precisions asked for."""
    folder = Path(work_dir) / name
    common = {"preset": name, "batch_size": args.batch_size}
    exported = worker("tf_worker.py", {"kind": "export", "dir": str(folder), **common}, 600)
    timing = {"warmup": args.warmup, "runs": args.runs, "run_seconds": args.run_seconds}
    rows = []
    for step in args.steps:
        steps = args.steps_per_run
        step_rows = []
        for precision in args.precisions:
            row = {"preset": name, "step": step, "precision": precision, "export": exported}
            paired = {
                "kind": "paired",
                "step": step,
                "precision": precision,
                "steps": steps,
                "rounds": args.rounds,
                "warmup_epochs": 2,
                **timing,
                **common,
            }
            row["paired"] = worker("tf_worker.py", paired, args.timeout)
            # Every measurement of a step uses the S chosen by its first precision's paired run.
            steps = steps or row["paired"].get("steps") or 2
            paired["steps"] = steps
            log(f"  {name} {step} {precision}: hand and ganlib side by side done ({steps} steps)")
            if args.xla:
                row["xla"] = worker("tf_worker.py", {**paired, "jit_compile": True}, args.timeout)
                log(f"  {name} {step} {precision}: side by side with XLA done")
            row["ganlib"] = worker(
                "tf_worker.py",
                {
                    "kind": "ganlib",
                    "step": step,
                    "precision": precision,
                    "steps": steps,
                    "runs": args.runs,
                    "warmup_epochs": 1,
                    "full_images": FULL_IMAGES,
                    **common,
                },
                args.timeout,
            )
            log(f"  {name} {step} {precision}: ganlib alone done")
            step_rows.append(row)
        if args.torch:
            # One PyTorch process per variant, shared by the rows of every precision of the step.
            torch = {}
            for precision in args.precisions:
                for variant in TORCH_VARIANTS[precision]:
                    torch[variant] = worker(
                        "torch_worker.py",
                        {
                            "dir": str(folder),
                            "step": step,
                            "steps": steps,
                            "threads": args.torch_threads,
                            "variant": variant,
                            **timing,
                            **common,
                        },
                        args.timeout,
                    )
                    log(f"  {name} {step}: torch {variant} done")
            for row in step_rows:
                row["torch"] = torch
        rows.extend(step_rows)
    return rows


def torch_variants(row) -> dict:
    """The row's PyTorch results by variant; a run saved before the variants had one, eager."""
    torch = row.get("torch") or {}
    if any(key in torch for key in ("images_per_second", "error", "skipped", "check")):
        return {"eager": torch}
    return torch


def implementations(row):
    """(name, result, data, precision) of the first table's rows for one (preset, step, precision):
    hand and ganlib from the paired run (and the XLA one), ganlib alone, the PyTorch variants."""
    precision = row.get("precision", "float32")
    paired, alone = row.get("paired", {}), row.get("ganlib", {})
    side = paired if "hand" in paired else {"hand": paired, "ganlib": paired}
    out = [
        ("ganlib", side["ganlib"], paired.get("source", alone.get("source", "")), precision),
        ("hand", side["hand"], "in memory", precision),
        ("alone", alone, "ganlib in a process of its own", precision),
    ]
    if "xla" in row:
        xla = row["xla"]
        both = xla if "hand" in xla else {"hand": xla, "ganlib": xla}
        note = "XLA" if xla.get("jit_compile", True) else "XLA REFUSED by Keras: plain step"
        out.append(("ganlib-xla", both["ganlib"], f"{note}, side by side with hand-xla", precision))
        out.append(
            ("hand-xla", both["hand"], "tf.function(jit_compile=True), in memory", precision)
        )
    for variant, result in torch_variants(row).items():
        if variant in TORCH_VARIANTS.get(precision, ()):
            out.append((f"torch:{variant}", result, "in memory", precision))
    return out


def best_torch(row):
    """(variant, img/s) of the fastest PyTorch variant of the row's precision, or (None, None)."""
    precision = row.get("precision", "float32")
    rates = [
        (result["images_per_second"], variant)
        for variant, result in torch_variants(row).items()
        if "images_per_second" in result and variant in TORCH_VARIANTS.get(precision, ())
    ]
    if not rates:
        return None, None
    rate, variant = max(rates)
    return variant, rate


def derive(row, limits):
    """Ratios, FLOP rates and the full-epoch projection of one (preset, step, precision) row.

    Args:
        row: the measurements of the row.
        limits: GFLOP/s of the matmul limit by precision ("float32", "mixed_bfloat16"); a rate is
            compared with the limit of its own precision.
    """
    paired, alone = row.get("paired", {}), row.get("ganlib", {})
    eager = torch_variants(row).get("eager", {})
    flops = row["export"].get("flops_per_image", {}).get(row["step"])
    out = {}
    for key, result, _, precision in implementations(row):
        if "images_per_second" in result and flops:
            gflops = result["images_per_second"] * flops / 1e9
            limit = limits.get(result.get("precision", precision))
            out[f"{key}_gflops"] = gflops
            out[f"{key}_peak_fraction"] = gflops / limit if limit else None
    xla, plain = row.get("xla", {}).get("ganlib", {}), paired.get("ganlib", {})
    if "images_per_second" in xla and "images_per_second" in plain:
        out["xla_speedup"] = xla["images_per_second"] / plain["images_per_second"]
    if "ratio" in row.get("xla", {}):
        out["xla_steady_ratio"] = row["xla"]["ratio"]
    if "ratios" in paired and "full_images" in alone:
        hand, fit = paired["hand"], paired["ganlib"]
        full_steps = max(alone["full_images"] // paired["batch_size"], 1)
        fixed = fit["per_epoch_seconds"]
        fit_epoch = full_steps * fit["ms_per_step"] / 1000 + fixed
        hand_epoch = full_steps * hand["ms_per_step"] / 1000
        out["full_epoch_images"] = full_steps * paired["batch_size"]
        out["ganlib_full_epoch_seconds"] = fit_epoch
        out["ganlib_full_images_per_second"] = full_steps * paired["batch_size"] / fit_epoch
        out["ganlib_over_hand"] = hand_epoch / fit_epoch
        out["steady_ratio"] = paired["ratio"]
        out["steady_ratio_min"], out["steady_ratio_max"] = (
            min(paired["ratios"]),
            max(paired["ratios"]),
        )
        out["overhead_percent"] = 100 * (1 - hand_epoch / fit_epoch)
        out["fixed_percent"] = 100 * fixed / fit_epoch
        out["pipeline_alone_percent"] = (
            100 * fit["pipeline_seconds_per_epoch"] / (paired["steps"] * fit["ms_per_step"] / 1000)
        )
        # Against float32 eager whatever the row's precision: the figure the target was set on.
        if "images_per_second" in eager:
            out["ganlib_over_torch"] = (
                out["ganlib_full_images_per_second"] / eager["images_per_second"]
            )
        variant, rate = best_torch(row)
        if variant:
            out["best_torch"] = variant
            out["ganlib_over_best_torch"] = out["ganlib_full_images_per_second"] / rate
    return out


def _rate(result):
    if "images_per_second" not in result:
        if result.get("failed"):
            return f"failed: {result['failed']}"[:60]
        return (result.get("skipped") or result.get("error") or "-")[:60]
    return (
        f"{result['images_per_second']:8.1f} ({result['images_per_second_min']:.1f}-"
        f"{result['images_per_second_max']:.1f})"
    )


def _number(value, digits=2, width=7):
    return f"{value:{width}.{digits}f}" if isinstance(value, (int, float)) else f"{'-':>{width}}"


def print_tables(rows, limits, out=print):
    out("")
    out(
        "Per implementation: img/s of the training step, median of the timed runs (min-max). "
        "ganlib and hand ran side by side in one process, their runs interleaved; ganlib's is the "
        "steady state inside fit's epochs (per-epoch costs are in the next table). alone: ganlib "
        "in a process of its own, as a user runs it (its peak MB is ganlib's memory). peak MB: "
        "the process's peak RSS (the side-by-side process holds both, so it is not shown). "
        "prec: the precision (f32 float32, bf16 mixed_bfloat16). % limit: GFLOP/s against the "
        "matmul limit of the same precision (float32 or bfloat16 tf.matmul). ganlib-xla, "
        "hand-xla: both XLA-compiled, side by side in one more process. torch:<variant>: PyTorch "
        "eager (float32 NCHW), channels_last, bf16_channels_last (bf16 autocast), compile, "
        "compile_bf16 (torch.compile of those)"
    )
    header = (
        f"{'preset':22} {'step':12} {'prec':4} {'impl':24} {'img/s (min-max)':>26} "
        f"{'ms/step':>8} {'peak MB':>8} {'GFLOP/s':>8} {'% limit':>7}  data"
    )
    out(header)
    out("-" * len(header))
    for row in rows:
        derived = row["derived"]
        precision = SHORT.get(row.get("precision", "float32"), "?")
        for key, result, data, _ in implementations(row):
            fraction = derived.get(f"{key}_peak_fraction")
            memory = result.get("peak_mb") if key == "alone" or key.startswith("torch") else None
            out(
                f"{row['preset']:22} {row['step']:12} {precision:4} {key:24} {_rate(result):>26} "
                f"{_number(result.get('ms_per_step'), 1, 8)} {_number(memory, 0, 8)} "
                f"{_number(derived.get(f'{key}_gflops'), 1, 8)} "
                f"{_number(100 * fraction if fraction else None, 1, 7)}  {data}"
            )
    out("")
    out(
        "ganlib against hand, side by side: steady = hand's time over ganlib's steady time for "
        "the same steps, median of the rounds (min-max); full epoch = the same ratio on one "
        "full epoch of the preset's data, projected from the steady steps plus ganlib's measured "
        "per-epoch costs (iterator start, first batch, epoch-end callbacks); outside-step % = "
        "1 - full-epoch ratio; pipeline alone % = reading the data with no training, against "
        "the steps' time; ganlib/torch = ganlib's full-epoch img/s over PyTorch float32 eager's "
        "(the target's figure, whatever the row's precision); /best torch = the same over the "
        "fastest PyTorch variant of the row's precision, named in 'best torch'; xla x = "
        "ganlib-xla's steady img/s over ganlib's; xla steady = hand-xla over ganlib-xla"
    )
    header = (
        f"{'preset':22} {'step':12} {'prec':4} {'images':>7} {'s/epoch':>8} "
        f"{'steady (min-max)':>20} {'full epoch':>10} {'ganlib/torch':>12} {'/best torch':>11} "
        f"{'best torch':>18} {'xla x':>6} {'xla steady':>10} {'outside-step %':>14} "
        f"{'pipeline alone %':>16} {'per-epoch s':>11}"
    )
    out(header)
    out("-" * len(header))
    for row in rows:
        derived, fit = row["derived"], row.get("paired", {}).get("ganlib", {})
        steady = (
            f"{derived['steady_ratio']:.3f} ({derived['steady_ratio_min']:.3f}-"
            f"{derived['steady_ratio_max']:.3f})"
            if "steady_ratio" in derived
            else (row.get("paired", {}).get("error") or "-")[:20]
        )
        out(
            f"{row['preset']:22} {row['step']:12} {SHORT.get(row.get('precision'), 'f32'):4} "
            f"{derived.get('full_epoch_images', '-'):>7} "
            f"{_number(derived.get('ganlib_full_epoch_seconds'), 1, 8)} {steady:>20} "
            f"{_number(derived.get('ganlib_over_hand'), 3, 10)} "
            f"{_number(derived.get('ganlib_over_torch'), 3, 12)} "
            f"{_number(derived.get('ganlib_over_best_torch'), 3, 11)} "
            f"{derived.get('best_torch', '-'):>18} "
            f"{_number(derived.get('xla_speedup'), 2, 6)} "
            f"{_number(derived.get('xla_steady_ratio'), 3, 10)} "
            f"{_number(derived.get('overhead_percent'), 2, 14)} "
            f"{_number(derived.get('pipeline_alone_percent'), 2, 16)} "
            f"{_number(fit.get('per_epoch_seconds'), 2, 11)}"
        )
    # The table cuts a reason to its column; here it is whole.
    failed = {
        (row["preset"], row["step"], variant): result["failed"]
        for row in rows
        for variant, result in torch_variants(row).items()
        if result.get("failed")
    }
    if failed:
        out("")
        out("PyTorch variants that failed")
        for (preset, step, variant), reason in failed.items():
            out(f"  {preset} {step} {variant}: failed: {reason}")
    port = {}
    for row in rows:
        for result in torch_variants(row).values():
            if "check" in result and row["preset"] not in port:
                port[row["preset"]] = result["check"]
    port = list(port.items())
    if port:
        out("")
        out("PyTorch port check (inference outputs on the same inputs and weights; weight counts)")
        for name, check in port:
            same = check["weights_keras"] == check["weights_torch"]
            out(
                f"  {name:22} max |G diff| {check['generator_max_difference']:.2e}  "
                f"max |D diff| {check['discriminator_max_difference']:.2e}  "
                f"weights {'equal' if same else 'DIFFER'} {check['weights_torch']}"
            )


def _name(row):
    """The preset's name, marked with its precision where that is not float32."""
    precision = row.get("precision", "float32")
    return row["preset"] if precision == "float32" else f"{row['preset']}[{SHORT[precision]}]"


def print_targets(rows, out=print):
    out("")
    out("Targets (read from the figures above)")
    checks = [
        ("ganlib / hand-written step (full epoch)", "ganlib_over_hand", lambda v, t: v >= t, ">="),
        ("ganlib / PyTorch eager", "ganlib_over_torch", lambda v, t: v >= t, ">="),
        ("pipeline + callbacks, % of a full epoch", "overhead_percent", lambda v, t: v <= t, "<="),
    ]
    for label, key, passes, sign in checks:
        target = TARGETS[label]
        values = [(_name(r), r["step"], r["derived"].get(key)) for r in rows]
        values = [(p, s, v) for p, s, v in values if isinstance(v, (int, float))]
        missed = [f"{p}/{s} {v:.3g}" for p, s, v in values if not passes(v, target)]
        verdict = "met" if values and not missed else ("no figures" if not values else "MISSED")
        out(f"  {label} {sign} {target}: {verdict} ({len(values) - len(missed)} of {len(values)})")
        for miss in missed:
            out(f"      missed: {miss}")
    label = "peak memory of the 28x28 presets, MB"
    small = [
        (_name(r), r["step"], r["ganlib"].get("peak_mb"))
        for r in rows
        if r["ganlib"].get("image_shape", [0])[0] == 28 and r["ganlib"].get("peak_mb")
    ]
    missed = [f"{p}/{s} {v:.0f}" for p, s, v in small if v >= TARGETS[label]]
    verdict = "no figures" if not small else ("met" if not missed else "MISSED")
    out(f"  {label} < {TARGETS[label]}: {verdict} ({len(small) - len(missed)} of {len(small)})")
    for miss in missed:
        out(f"      missed: {miss}")


def measure_scaling(args, log):
    """Epoch times against the number of images and against the image size."""
    results = {"images": [], "sides": []}
    for images in args.scaling_images:
        spec = {"kind": "epoch", "preset": args.scaling_preset, "train_images": images}
        results["images"].append(worker("tf_worker.py", spec, args.timeout))
        log(f"  scaling: {images} images done")
    for side in args.image_sizes:
        spec = {
            "kind": "epoch",
            "preset": args.scaling_preset,
            "train_images": args.image_size_images,
            "image_side": side,
        }
        results["sides"].append(worker("tf_worker.py", spec, args.timeout))
        log(f"  scaling: {side}x{side} done")
    return results


def print_scaling(results, preset, out=print):
    out("")
    out(f"Epoch time against the number of images ({preset}, one epoch after a warm-up one)")
    out(f"{'images':>8} {'s/epoch':>9} {'ms/image':>9} {'x first':>8}  data")
    first = None
    for result in results["images"]:
        if "epoch_seconds" not in result:
            out(f"{'-':>8} {result.get('error', '')}")
            continue
        per_image = 1000 * result["epoch_seconds"] / result["images"]
        first = first or per_image
        out(
            f"{result['images']:>8} {result['epoch_seconds']:>9.2f} {per_image:>9.2f} "
            f"{result['epoch_seconds'] / (first * result['images'] / 1000):>8.2f}  {result['source']}"
        )
    out("")
    out(f"Epoch time against the image size ({preset} networks at each size, MNIST resized)")
    out(f"{'size':>9} {'images':>7} {'s/epoch':>9} {'x 28x28':>8} {'pixels x':>9}  peak MB")
    base = None
    for result in results["sides"]:
        if "epoch_seconds" not in result:
            out(f"{'-':>9} {result.get('error', '')}")
            continue
        side = result["image_shape"][0]
        per_image = result["epoch_seconds"] / result["images"]
        base = base or (per_image, side)
        out(
            f"{side:>4}x{side:<4} {result['images']:>7} {result['epoch_seconds']:>9.2f} "
            f"{per_image / base[0]:>8.2f} {(side / base[1]) ** 2:>9.1f}  {result['peak_mb']:.0f}"
        )


def cpu_seconds():
    """(busy CPU seconds of the whole machine, CPU seconds of this process and its finished
    children), or None where /proc/stat is missing."""
    try:
        with open("/proc/stat") as handle:
            values = [int(v) for v in handle.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    busy = sum(values) - values[3] - values[4]  # all but idle and iowait
    ours = sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )
    return busy / os.sysconf("SC_CLK_TCK"), ours


def limits_of(matmul) -> dict:
    """GFLOP/s of the matmul limit each precision is compared with (runs saved before the
    bfloat16 limit have the float32 one only)."""
    measured = matmul.get("limits", {})
    limits = {"float32": measured.get("float32", {}).get("gflops", matmul.get("gflops"))}
    limits["mixed_bfloat16"] = measured.get("bfloat16", {}).get("gflops")
    return limits


def limit_lines(matmul) -> list:
    """The machine's limits and what the CPU flags say of bfloat16, as printed lines."""
    measured = matmul.get("limits") or {"float32": matmul}
    names = {
        "float32": "TensorFlow float32 matmul",
        "bfloat16": "TensorFlow bfloat16 matmul",
        "numpy_float32": "NumPy float32 matmul",
    }
    lines = ["machine limits, GFLOP/s (median of the runs at the best size; best run; per size):"]
    for kind, name in names.items():
        if kind not in measured:
            continue
        limit = measured[kind]
        if "gflops" not in limit or limit["gflops"] is None:
            lines.append(f"  {name:27} {limit.get('error', 'not measured')}")
            continue
        best = f"best {_number(limit.get('best_gflops'), 1, 0)}" if "best_gflops" in limit else ""
        lines.append(f"  {name:27} {limit['gflops']:7.1f}  {best}  {limit.get('per_size', '')}")
    flags = matmul.get("cpu_flags")
    if flags is None:
        return lines
    present = [flag for flag, has in flags.items() if has]
    absent = [flag for flag, has in flags.items() if not has]
    lines.append(
        f"CPU flags: present {', '.join(present) or 'none'}; absent {', '.join(absent) or 'none'}"
    )
    f32, bf16 = (measured.get(k, {}).get("gflops") for k in ("float32", "bfloat16"))
    speed = f" (bfloat16 matmul at {bf16 / f32:.2f} x float32)" if f32 and bf16 else ""
    if has_bf16_hardware(flags):
        lines.append(f"bfloat16: computed in hardware ({', '.join(BF16_FLAGS)}){speed}")
    else:
        lines.append(
            f"bfloat16: EMULATED on this CPU (no {' or '.join(BF16_FLAGS)}){speed}: its bf16 "
            "figures show the emulation's cost, not what bfloat16 gives on a CPU that has it"
        )
    return lines


def report(data, out=print):
    """Print the benchmark's tables from its figures (as saved by --json)."""
    meta, matmul, rows = data["meta"], data["matmul"], data["rows"]
    limits = limits_of(matmul)
    out(
        f"Training benchmark ({'SMOKE RUN: too few steps for real figures' if meta['smoke'] else 'full'})"
    )
    torch_info = next((t for r in rows for t in torch_variants(r).values() if "torch" in t), {})
    out(f"machine: {matmul.get('device', '-')}; {meta['cpus']} logical CPUs")
    out(
        f"software: TensorFlow {matmul.get('tensorflow')}, Keras {matmul.get('keras')}, "
        f"PyTorch {torch_info.get('torch', '-')} (intra-op threads: {torch_info.get('threads', '-')}); "
        f"TF_ENABLE_ONEDNN_OPTS={matmul.get('onednn')}"
    )
    out(f"GANLIB_DATA_DIR={meta['data_dir']}")
    for line in limit_lines(matmul):
        out(line)
    if meta.get("precisions_note"):
        out(meta["precisions_note"])
    if meta.get("compiler_note"):
        out(meta["compiler_note"])
    other = meta.get("other_cores")
    # The load average trails by minutes (a job that just ended still counts), so it decides only
    # where /proc/stat cannot say what other processes took during the run.
    busy = other > 0.1 if other is not None else meta["load_before"] > 0.5 * meta["cpus"]
    out(
        f"load average before: {meta['load_before']:.2f}; other processes used "
        f"{_number(other, 2, 0)} cores on average during the run"
        + ("  (a busy machine: these timings are not valid)" if busy else "")
    )
    out(f"command: {meta['command']}")
    out(f"wall time: {meta['wall_seconds'] / 60:.1f} min")
    print_tables(rows, limits, out=out)
    print_targets(rows, out=out)
    if data.get("scaling") is not None:
        print_scaling(data["scaling"], meta["scaling_preset"], out=out)


def parse_precisions(text: str) -> list:
    """`--precisions`' value: a comma-separated list of PRECISIONS, in the order given."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    wrong = [name for name in names if name not in PRECISIONS]
    if wrong or not names:
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of {', '.join(PRECISIONS)}, received {text!r}"
        )
    return list(dict.fromkeys(names))


def default_precisions(flags: dict) -> tuple:
    """(precisions, note): bfloat16 is timed by default only where the CPU computes it."""
    if has_bf16_hardware(flags):
        present = ", ".join(flag for flag in BF16_FLAGS if flags.get(flag))
        return list(PRECISIONS), (
            f"precisions: float32 and mixed_bfloat16 (default: this CPU has {present})"
        )
    return ["float32"], (
        f"precisions: float32 only (default: this CPU has no {' or '.join(BF16_FLAGS)}, so "
        "bfloat16 would be emulated; --precisions float32,mixed_bfloat16 times it anyway)"
    )


def compiler_note() -> str:
    """Whether torch.compile can work here: Inductor builds C++ for the CPU at run time."""
    import shutil

    found = next((c for c in ("g++", "c++", "cc") if shutil.which(c)), None)
    if found:
        return f"C++ compiler for torch.compile: {shutil.which(found)}"
    return "no C++ compiler (g++, c++, cc) on PATH: torch.compile cannot run, its rows say failed"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--presets", nargs="+", help="preset names, 'all' (default) or 'small' (the 28x28 ones)"
    )
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--runs", type=int, default=3, help="timed runs (epochs for ganlib)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved rounds of hand and ganlib side by side"
    )
    parser.add_argument("--warmup", type=int, default=2, help="warm-up steps of hand and torch")
    parser.add_argument("--run-seconds", type=float, default=5.0, help="target length of a run")
    parser.add_argument(
        "--steps-per-run", type=int, help="steps per run (default: from --run-seconds)"
    )
    parser.add_argument("--batch-size", type=int, help="override every preset's batch size")
    parser.add_argument(
        "--precisions",
        type=parse_precisions,
        help=f"comma-separated, of {', '.join(PRECISIONS)} (default: both on a CPU with "
        f"{' or '.join(BF16_FLAGS)}, float32 elsewhere)",
    )
    parser.add_argument(
        "--xla",
        action="store_true",
        help="also time hand and ganlib side by side XLA-compiled (jit_compile=True)",
    )
    parser.add_argument("--no-torch", dest="torch", action="store_false")
    parser.add_argument(
        "--torch-threads", type=int, help="PyTorch's intra-op threads (default: its own choice)"
    )
    parser.add_argument("--no-scaling", dest="scaling", action="store_false")
    parser.add_argument("--scaling-preset", default="stiff_mnist")
    parser.add_argument("--scaling-images", type=int, nargs="+", default=[1024, 4096, 16384])
    parser.add_argument("--image-sizes", type=int, nargs="+", default=[28, 64, 128])
    parser.add_argument("--image-size-images", type=int, default=1024)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per measurement")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    parser.add_argument(
        "--smoke", action="store_true", help="two small presets, 2 steps per run, one run"
    )
    parser.add_argument(
        "--report", metavar="JSON", help="print the tables of a saved --json run, measuring nothing"
    )
    args = parser.parse_args(argv)
    if args.report:
        report(json.loads(Path(args.report).read_text()))
        return 0
    if args.presets is None:
        args.presets = ["sharma_fashion_mnist", "li_ye_cgan_mnist"] if args.smoke else ["all"]
    if args.smoke:
        args.runs, args.rounds, args.warmup, args.steps_per_run = 1, 2, 1, 2
        args.scaling_images, args.image_size_images = [256, 512], 256
    names = [p for name in args.presets for p in {"all": PRESETS, "small": SMALL}.get(name, [name])]
    if args.torch and not torch_available():
        print("PyTorch is not installed (pip install -r bench/requirements.txt): no torch column.")
        args.torch = False
    flags = cpu_flags()
    chosen, note = default_precisions(flags)
    if args.precisions is None:
        args.precisions = chosen
    else:
        note = f"precisions: {', '.join(args.precisions)} (asked for; {note.split('(', 1)[1]}"
    # On stderr with the progress lines; the report repeats it on stdout.
    print(note, file=sys.stderr, flush=True)

    def log(message):
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    started, cpu_before = time.time(), cpu_seconds()
    load_before = os.getloadavg()
    matmul = worker(
        "tf_worker.py",
        {"kind": "matmul", "sizes": [512, 1024] if args.smoke else [1024, 2048, 4096], "runs": 5},
        args.timeout,
    )
    limits = limits_of(matmul)
    log(f"matmul limits {limits} GFLOP/s")
    rows = []
    with tempfile.TemporaryDirectory() as work_dir:
        for name in names:
            for row in measure_preset(name, args, work_dir, log):
                row["derived"] = derive(row, limits)
                rows.append(row)
    scaled = measure_scaling(args, log) if args.scaling else None
    cpu_after, wall = cpu_seconds(), time.time() - started
    meta = {
        "smoke": args.smoke,
        "command": "python bench/train_speed.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "cpus": os.cpu_count(),
        "data_dir": os.environ.get("GANLIB_DATA_DIR", "(unset: data/ only, else download)"),
        "load_before": load_before[0],
        "wall_seconds": wall,
        # CPU the machine spent beyond this benchmark and its workers, in cores on average.
        "other_cores": None
        if cpu_before is None or cpu_after is None
        else ((cpu_after[0] - cpu_before[0]) - (cpu_after[1] - cpu_before[1])) / wall,
        "scaling_preset": args.scaling_preset,
        "precisions": args.precisions,
        "precisions_note": note,
        "compiler_note": compiler_note() if args.torch else None,
    }
    data = {"meta": meta, "matmul": matmul, "rows": rows, "scaling": scaled}
    report(data)
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
