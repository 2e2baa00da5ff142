"""Helpers shared by the benchmark's driver and workers: timing, memory, model FLOPs, CPU flags."""

from __future__ import annotations

import resource
import statistics
import time

# Forward passes' worth of work in one training step, per image of the batch (G: generator, D:
# discriminator), with the usual rule that a backward pass costs two forwards (gradients for the
# inputs and for the weights) and one forward when only the inputs' gradients are needed.
#   alternating GAN: G(z) outside any tape; D on real and fake, forward and backward (2 x 3 D);
#                    G step: G forward and backward (3 G), D forward and input-backward (2 D).
#   simultaneous:    one G(z) for both tapes, D on real and fake (2 D), D's weight gradients
#                    (2 x 2 D), G's: input-backward through D on fake (1 D), G backward (2 G).
#   conditional alternating (Milošević's Algorithm 1): G forward in the generator's tape, the D
#                    step (6 D), D on the same fakes, input-backward (2 D), G backward (2 G).
FORWARDS_PER_STEP = {
    ("unconditional", "alternating"): (4, 8),
    ("unconditional", "simultaneous"): (3, 7),
    ("conditional", "alternating"): (3, 8),
    ("conditional", "simultaneous"): (3, 7),
}


def forward_flops(model) -> int:
    """Floating-point operations of one forward pass of a Keras model, per image.

    Counts 2 x multiply-adds of Dense, Conv2D and Conv2DTranspose layers, the layers that hold
    nearly all the work of these networks; normalisation, activations and resizing are left out.

    Args:
        model: a built Functional `keras.Model`.

    Returns:
        FLOPs for one image.
    """
    flops = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            flops += 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
        elif kind == "Conv2D":
            height, width = layer.output.shape[1:3]
            flops += 2 * _kernel_size(layer) * height * width
        elif kind == "Conv2DTranspose":
            height, width = layer.input.shape[1:3]
            flops += 2 * _kernel_size(layer) * height * width
    return int(flops)


def _kernel_size(layer) -> int:
    size = 1
    for dimension in layer.kernel.shape:
        size *= int(dimension)
    return size


def step_flops(generator, discriminator, conditional: bool, step: str) -> int:
    """Approximate FLOPs of one training step per image (see FORWARDS_PER_STEP)."""
    g_forwards, d_forwards = FORWARDS_PER_STEP[
        ("conditional" if conditional else "unconditional", step)
    ]
    return g_forwards * forward_flops(generator) + d_forwards * forward_flops(discriminator)


# The /proc/cpuinfo flags that decide how fast bfloat16 can be: without avx512_bf16 or amx_bf16,
# oneDNN emulates bfloat16 arithmetic in float32 units plus conversions, slower than float32 itself.
BF16_FLAGS = ("avx512_bf16", "amx_bf16")
REPORTED_FLAGS = ("avx2", "avx512f", *BF16_FLAGS, "amx_tile")


def cpu_flags() -> dict:
    """Which of REPORTED_FLAGS this CPU has ({} where /proc/cpuinfo is missing).

    The same reading as `ganlib.precision.cpu_has_bf16`, without importing TensorFlow (the driver
    decides its default precisions before any worker starts).
    """
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return {flag: flag in flags for flag in REPORTED_FLAGS}
    except OSError:
        pass
    return {}


def has_bf16_hardware(flags: dict) -> bool:
    return any(flags.get(flag) for flag in BF16_FLAGS)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_runs(step, *, warmup: int, runs: int, steps: int | None, run_seconds: float, sync):
    """Time `runs` runs of `steps` calls of `step()` after `warmup` calls.

    Args:
        step: the function to time (one training step).
        warmup: calls before timing (the first traces a tf.function).
        runs: timed runs.
        steps: calls per run; None chooses enough for about `run_seconds` per run, from the last
            warm-up call's time.
        run_seconds: target length of a run when `steps` is None.
        sync: called with the last step's result before the clock stops (waits for the device).

    Returns:
        A dict: `steps` per run, `run_seconds` (one per run), `warmup_seconds`.
    """
    start = time.perf_counter()
    last = start
    for _ in range(max(warmup, 1)):
        last = time.perf_counter()
        sync(step())
    end = time.perf_counter()
    warmup_seconds = end - start
    if steps is None:
        steps = max(1, min(200, round(run_seconds / max(end - last, 1e-6))))
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(steps):
            result = step()
        sync(result)
        seconds.append(time.perf_counter() - start)
    return {"steps": steps, "run_seconds": seconds, "warmup_seconds": warmup_seconds}


def summarise(run_seconds, steps: int, batch_size: int) -> dict:
    """Images per second (median, min, max over runs) and median ms per step."""
    rates = [steps * batch_size / seconds for seconds in run_seconds]
    return {
        "images_per_second": statistics.median(rates),
        "images_per_second_min": min(rates),
        "images_per_second_max": max(rates),
        "ms_per_step": 1000 * statistics.median(run_seconds) / steps,
    }
