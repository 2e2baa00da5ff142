"""Time training steps of the unconditional presets (sharma Pretty Face, stiff, vemuri) on this machine.

Prints ms per step, images per second and the implied time of one epoch of the preset's full
dataset. Data are random images in memory, so only the step is timed (no decoding). The first epoch
(graph tracing) is not timed.

    python bench/unconditional_steps.py                       # every preset, 10 timed steps
    python bench/unconditional_steps.py stiff_mnist --steps 30
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import ganlib  # noqa: F401  (sets TensorFlow's environment first)

# Images per epoch of the full datasets, from the reports and EXPERIMENTS.md.
FULL_IMAGES = {
    "stiff_mnist": 60_000,
    "stiff_flowers": 8_189,
    "stiff_cat": 9_997,
    "sharma_pretty_face": 3_318,
    "vemuri_basic": 1_000,
    "vemuri_unet": 1_000,
    "vemuri_unet_cutmix": 1_000,
}


def time_preset(name: str, steps: int, batch_size: int | None) -> dict:
    import keras
    import numpy as np

    from ganlib.data import from_arrays
    from ganlib.runs import device_description
    from ganlib.training import build_gan

    preset = ganlib.get_preset(name)
    if batch_size:
        preset = dataclasses.replace(preset, batch_size=batch_size)
    images = np.random.default_rng(0).uniform(
        -1, 1, (preset.batch_size * steps, *preset.image_shape)
    )
    dataset = from_arrays(images.astype("float32"), batch_size=preset.batch_size)
    gan = build_gan(preset)

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds = time.perf_counter() - self.start

    timer = Timer()
    gan.fit(dataset, epochs=1, verbose=0, steps_per_epoch=1, shuffle=False)  # traces the step
    gan.fit(dataset, epochs=1, verbose=0, callbacks=[timer], shuffle=False)
    per_step = timer.seconds / steps
    full_steps = FULL_IMAGES[name] // preset.batch_size
    return {
        "preset": name,
        "batch": preset.batch_size,
        "ms_per_step": 1000 * per_step,
        "images_per_s": preset.batch_size / per_step,
        "epoch_s": per_step * full_steps,
        "device": device_description(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="*", default=list(FULL_IMAGES))
    parser.add_argument("--steps", type=int, default=10, help="timed steps per preset")
    parser.add_argument("--batch-size", type=int, help="override the presets' batch sizes")
    args = parser.parse_args()
    print(f"{'preset':<20} {'batch':>5} {'ms/step':>9} {'img/s':>7} {'s/epoch (full set)':>19}")
    for name in args.presets:
        row = time_preset(name, args.steps, args.batch_size)
        print(
            f"{row['preset']:<20} {row['batch']:>5} {row['ms_per_step']:>9.0f} "
            f"{row['images_per_s']:>7.1f} {row['epoch_s']:>19.0f}",
            flush=True,
        )
    print(f"device: {row['device']}")


if __name__ == "__main__":
    main()
