"""Seconds per training step and estimated seconds per epoch of the conditional presets.

Usage: python bench/conditional_speed.py [PRESET ...] [--steps N]

Times `ConditionalGAN.train_step` (compiled by `fit`'s machinery, i.e. `make_train_function`) on
random batches of the preset's full batch size, after one warm-up step, with the preset's own
architecture. The data pipeline is not included (it runs in parallel, prefetching). Prints the
figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

DEFAULT = (
    "milosevic_mnist",
    "li_ye_cgan_mnist",
    "li_ye_cdcgan_mnist",
    "li_ye_cdcgan2_mnist",
)
TRAIN_IMAGES = {"mnist": 60_000, "fashion_mnist": 60_000, "cifar10": 4_660, "afhq": 14_630}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="*", default=DEFAULT)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args(argv)

    import tensorflow as tf

    import ganlib
    from ganlib.runs import device_description
    from ganlib.training import build_gan

    print(f"device: {device_description()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'preset':28s} {'batch':>5s} {'s/step':>8s} {'img/s':>7s} {'s/epoch (est.)':>15s}")
    for name in args.presets:
        preset = ganlib.get_preset(name)
        gan = build_gan(preset)
        rng = np.random.default_rng(0)
        images = tf.constant(
            rng.uniform(-1, 1, (preset.batch_size, *preset.image_shape)).astype("float32")
        )
        labels = tf.constant((np.arange(preset.batch_size) % preset.classes).astype("int32"))
        step = tf.function(gan.train_step)
        step((images, labels))  # trace and warm up
        start = time.perf_counter()
        for _ in range(args.steps):
            logs = step((images, labels))
        float(logs["d_loss"])
        seconds = (time.perf_counter() - start) / args.steps
        images_per_epoch = TRAIN_IMAGES.get(preset.dataset, 0)
        epoch = seconds * (images_per_epoch // preset.batch_size)
        print(
            f"{name:28s} {preset.batch_size:5d} {seconds:8.2f} {preset.batch_size / seconds:7.1f} "
            f"{epoch:15.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
