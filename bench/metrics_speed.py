"""Speed of the offline metrics: domain FID on 10,000 samples, and the per-epoch callback's overhead.

    GANLIB_DATA_DIR=../shared/data .venv/bin/python bench/metrics_speed.py

Targets (issue "Evaluation"): domain FID on 10,000 samples in under a minute on 2 CPU cores; the
`EpochMetrics` callback at its default settings adds at most 10 % to a sharma Fashion-MNIST epoch.
The sharma generator is freshly initialised: its speed does not depend on its weights. The figures
depend on what else the machine runs, so the load average is printed with them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time

import numpy as np

import ganlib
from ganlib import metrics
from ganlib.metrics import registry
from ganlib.runs import Run, device_description
from ganlib.training import build_gan


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def bench_domain_fid(generator, samples: int):
    reference = metrics.Reference("fashion_mnist")
    classifier, load_seconds = timed(lambda: reference.classifier)
    _, real_seconds = timed(reference.real_outputs, "domain")
    images, generate_seconds = timed(metrics.generate_images, generator, samples, seed=0)
    features, feature_seconds = timed(classifier.outputs, images)
    real_features = reference.real_outputs("domain")[0]
    value, fid_seconds = timed(metrics.fid_from_features, real_features, features[0])
    print(f"domain FID of {samples:,} generated vs {len(real_features):,} real test images")
    print(f"  load classifier             {load_seconds:6.1f} s")
    print(f"  real features (once)        {real_seconds:6.1f} s")
    print(f"  generate {samples:,} images      {generate_seconds:6.1f} s")
    print(f"  their features              {feature_seconds:6.1f} s")
    print(f"  Fréchet distance            {fid_seconds:6.1f} s")
    metric_only = real_seconds + feature_seconds + fid_seconds
    print(f"  metric (features + FID)     {metric_only:6.1f} s   (target < 60 s)")
    print(f"  with generation             {metric_only + generate_seconds:6.1f} s")
    print(f"  value (untrained generator) {value:.1f}")


def bench_callback(preset, steps: int):
    gan = build_gan(preset)
    x_train, _ = ganlib.data.load_arrays("fashion_mnist", "train")
    batch = x_train[: preset.batch_size].astype(np.float32) / 127.5 - 1.0
    gan.train_on_batch(batch)  # compile and trace once, outside the timing
    start = time.perf_counter()
    for _ in range(steps):
        gan.train_on_batch(batch)
    step_seconds = (time.perf_counter() - start) / steps
    steps_per_epoch = len(x_train) // preset.batch_size
    epoch_seconds = step_seconds * steps_per_epoch
    registry._DEFAULT_REAL_OUTPUTS.clear()  # time the real features afresh
    with tempfile.TemporaryDirectory() as folder:
        Run(folder).create(preset)
        callback = metrics.EpochMetrics(folder, verbose=False)
        callback.set_model(gan)
        _, begin_seconds = timed(callback.on_train_begin)
        callback.on_epoch_end(0)  # first call traces the generator and classifier
        evaluations = [timed(callback.on_epoch_end, epoch)[1] for epoch in range(1, 4)]
    evaluation = float(np.median(evaluations))
    print(f"EpochMetrics at defaults ({callback.samples} samples, {', '.join(callback.metrics)})")
    print(f"  training step (batch {preset.batch_size})     {step_seconds * 1000:6.1f} ms")
    print(f"  epoch of {steps_per_epoch} steps (extrapolated) {epoch_seconds:6.1f} s")
    print(f"  once per run: real features {begin_seconds:6.1f} s")
    print(f"  per evaluation (median of 3) {evaluation:6.1f} s")
    print(f"  overhead per epoch          {evaluation / epoch_seconds:6.1%}   (target ≤ 10 %)")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100, help="training steps timed")
    arguments = parser.parse_args()
    preset = dataclasses.replace(ganlib.get_preset("sharma_fashion_mnist"))
    print(f"{device_description()}; load average {os.getloadavg()[0]:.1f} at start")
    generator = ganlib.build_models(preset)[0]
    bench_domain_fid(generator, arguments.samples)
    bench_callback(preset, arguments.steps)
    print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
