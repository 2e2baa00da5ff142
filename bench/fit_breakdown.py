"""Where ganlib's training loses time against the hand-written step, one layer at a time.

In one process, interleaved round by round, it times the same number of steps of:

- hand:      the hand-written `tf.function` step (`tf_worker.hand_step`) on in-memory batches;
- step:      ganlib's own `train_step` wrapped in `tf.function`, on the same batches (the step's
             bookkeeping: logged means, seed generator, label checks);
- fit:       `fit` on the same batches as an in-memory `tf.data` pipeline, no callbacks (adds
             Keras' per-step loop);
- train:     `fit` on the preset's real pipeline from `ganlib.data` with `ganlib.train`'s
             callbacks (adds the data pipeline and the callbacks);
- train_spe: as train, compiled with Keras' `steps_per_execution=8` (runs 8 steps per call of
             the training function, so the per-step Python loop is paid once per 8 steps).
             The other fit variants run one step per call, whatever the preset sets.

fit variants are timed on their steady steps (from the first batch's end to the last's), so
fixed per-epoch costs are left out; `train_speed.py` measures those.

    python bench/fit_breakdown.py li_ye_cgan_mnist simultaneous --steps 120 --rounds 5

Nothing is asserted: it prints each variant's time and its ratio to hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import statistics
import sys
import tempfile
from functools import partial
from pathlib import Path

import numpy as np
from tf_worker import (
    bench_dataset,
    bench_preset,
    epoch_trainer,
    hand_runner,
    run_callbacks,
    timed_steps,
)

import ganlib  # noqa: F401  (sets TensorFlow's environment before TF loads)

VARIANTS = ("hand", "step", "fit", "train", "train_spe")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset")
    parser.add_argument("step", choices=("alternating", "simultaneous"))
    parser.add_argument("--steps", type=int, default=50, help="steps per timed run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    args = parser.parse_args(argv)

    import tensorflow as tf

    from ganlib.training import build_gan

    preset = bench_preset({"preset": args.preset, "step": args.step})
    preset = dataclasses.replace(preset, train_images=args.steps * preset.batch_size)
    steps = args.steps
    rng = np.random.default_rng(0)
    images = [
        tf.constant(rng.uniform(-1, 1, (preset.batch_size, *preset.image_shape)), tf.float32)
        for _ in range(4)
    ]
    labels = [
        tf.constant(rng.integers(0, preset.classes or 1, preset.batch_size), tf.int32)
        for _ in range(4)
    ]
    work = tempfile.mkdtemp()

    def fitted(gan, dataset, callbacks=()):
        train_epoch, clock = epoch_trainer(gan, dataset, callbacks, steps_per_epoch=steps)

        def run():
            train_epoch()
            return clock.steady[-1] * steps

        return run

    def make(variant):
        if variant == "hand":
            return partial(timed_steps, hand_runner(preset), steps, lambda r: float(r[0]))
        gan = build_gan(preset)
        # Whatever the preset sets (8 for the li_ye cGAN), fit and train run one step per call.
        gan.compile(
            d_optimizer=gan.d_optimizer,
            g_optimizer=gan.g_optimizer,
            steps_per_execution=8 if variant == "train_spe" else 1,
        )
        if variant == "step":
            step = tf.function(gan.train_step)
            count = itertools.count()

            def next_step():
                i = next(count) % 4
                return step((images[i], labels[i]) if preset.conditional else images[i])

            return partial(timed_steps, next_step, steps, lambda r: float(r["d_loss"]))
        if variant == "fit":
            elements = (
                (tf.concat(images, 0), tf.concat(labels, 0))
                if preset.conditional
                else tf.concat(images, 0)
            )
            dataset = tf.data.Dataset.from_tensor_slices(elements)
            dataset = dataset.batch(preset.batch_size, drop_remainder=True).repeat().prefetch(2)
            return fitted(gan, dataset)
        dataset, _ = bench_dataset(preset, work)
        return fitted(gan, dataset, run_callbacks(preset, Path(work) / variant))

    runs = {variant: make(variant) for variant in args.variants}
    for run in runs.values():  # tracing, then a warm run
        run()
        run()
    seconds = {variant: [] for variant in runs}
    for round_ in range(args.rounds):
        order = list(runs) if round_ % 2 == 0 else list(runs)[::-1]
        for variant in order:
            seconds[variant].append(runs[variant]())
    hand = statistics.median(seconds[args.variants[0]])
    print(
        f"{args.preset} {args.step}: {steps} steps per run, {args.rounds} rounds, batch "
        f"{preset.batch_size}; ratio = {args.variants[0]}'s median time / the variant's"
    )
    for variant, values in seconds.items():
        median = statistics.median(values)
        print(
            f"  {variant:10} {1000 * median / steps:8.2f} ms/step  ratio {hand / median:.3f}  "
            f"(runs {min(values):.2f}-{max(values):.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
