"""Train the offline domain classifiers and record their test accuracy beside their weights.

    python -m ganlib.metrics.train_classifiers                 # all domains
    python -m ganlib.metrics.train_classifiers --domain mnist  # one

Reads the datasets from `$GANLIB_DATA_DIR` (or the repository's `data/`), never downloads. Writes
`ganlib/metrics/weights/<domain>.weights.h5` and updates `classifiers.json` there with the test
accuracy, the data, the epochs, the hardware and the wall time.
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganlib import _env  # noqa: F401
from ganlib.files import atomic_path, write_json
from ganlib.metrics.domain import (
    DOMAINS,
    RECORD_PATH,
    build_domain_classifier,
    file_digest,
    load_domain_arrays,
    read_record,
)
from ganlib.runs import device_description, library_versions

# Epochs and augmentation per domain: enough to pass the targets (MNIST ≥ 99 %, Fashion-MNIST
# ≥ 91 %) with a small network. CIFAR-10 has only 4,660 training images here, so it gets more
# epochs, and flips and shifts to make up for them. classifiers.json records each training's wall
# time (the committed weights were trained on 2 CPU cores shared with other jobs).
SETTINGS = {
    "mnist": {"epochs": 6, "flip": False, "shift": 0},
    "fashion_mnist": {"epochs": 8, "flip": True, "shift": 0},
    "cifar10": {"epochs": 30, "flip": True, "shift": 4},
}
BATCH_SIZE = 128
LEARNING_RATE = 2e-3


def _augment(flip: bool, shift: int, seed: int):
    def apply(images, labels):
        if flip:
            images = tf.image.random_flip_left_right(images, seed=seed)
        if shift:
            height, width = images.shape[1], images.shape[2]
            padded = tf.pad(images, [[0, 0], [shift, shift], [shift, shift], [0, 0]], "REFLECT")
            images = tf.image.random_crop(padded, tf.shape(images), seed=seed)
            images = tf.ensure_shape(images, [None, height, width, images.shape[-1]])
        return images, labels

    return apply


def evaluate_accuracy(model, images_uint8, labels, batch_size: int = 500) -> float:
    """Top-1 accuracy of a classifier on uint8 images (scaled to [-1, 1] here)."""
    images = images_uint8.astype(np.float32) / 127.5 - 1.0
    logits = model.predict(images, batch_size=batch_size, verbose=0)
    return float(np.mean(logits.argmax(axis=1) == labels))


def train_domain(name: str, epochs: int | None = None, seed: int = 0, output_dir=None) -> dict:
    """Train one domain's classifier, save its weights and return its record.

    Args:
        name: a key of `ganlib.metrics.domain.DOMAINS`.
        epochs: overrides the domain's default epochs.
        seed: the one seed of the training.
        output_dir: where to write the weights; by default the shipped weights folder.

    Returns:
        A dict: test accuracy, data sizes, epochs, hardware, wall time, weights digest.
    """
    if name not in DOMAINS:
        raise ValueError(f"Unknown domain {name!r}; expected one of {sorted(DOMAINS)}.")
    domain = DOMAINS[name]
    settings = dict(SETTINGS[name])
    if epochs is not None:
        settings["epochs"] = epochs
    keras.utils.set_random_seed(seed)
    x_train, y_train = load_domain_arrays(domain, "train")
    x_test, y_test = load_domain_arrays(domain, "test")
    steps = int(np.ceil(len(x_train) / BATCH_SIZE)) * settings["epochs"]
    dataset = (
        tf.data.Dataset.from_tensor_slices((x_train, y_train))
        .shuffle(len(x_train), seed=seed, reshuffle_each_iteration=True)
        .batch(BATCH_SIZE)
        .map(lambda x, y: (tf.cast(x, tf.float32) / 127.5 - 1.0, y))
        .map(_augment(settings["flip"], settings["shift"], seed))
        .prefetch(tf.data.AUTOTUNE)
    )
    model = build_domain_classifier(domain)
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(LEARNING_RATE, steps)
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    model.fit(dataset, epochs=settings["epochs"], verbose=2)
    wall_time = time.perf_counter() - start
    output_dir = Path(output_dir) if output_dir is not None else domain.weights_path.parent
    path = output_dir / domain.weights_path.name
    # An uncompiled copy, so the file holds the weights only and not Adam's two moments as well.
    inference_model = build_domain_classifier(domain)
    inference_model.set_weights(model.get_weights())
    with atomic_path(path) as temporary:
        inference_model.save_weights(temporary)
    accuracy = evaluate_accuracy(model, x_test, y_test)
    return {
        "test_accuracy": round(accuracy, 4),
        "test_images": int(len(x_test)),
        "test_split": f"all of x_test in {domain.dataset_file}.npz",
        "train_images": int(len(x_train)),
        "epochs": settings["epochs"],
        "batch_size": BATCH_SIZE,
        "augmentation": {"flip": settings["flip"], "shift": settings["shift"]},
        "parameters": int(model.count_params()),
        "weights_file": path.name,
        "weights_sha256_12": file_digest(path),
        "wall_time_seconds": round(wall_time, 1),
        "device": device_description(),
        "trained": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "seed": seed,
        "versions": {k: v for k, v in library_versions().items() if k != "ganlib"},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ganlib.metrics.train_classifiers", description=__doc__
    )
    parser.add_argument(
        "--domain", action="append", choices=sorted(DOMAINS), help="domain(s) to train"
    )
    parser.add_argument("--epochs", type=int, help="override the default epochs")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args(argv)
    record = read_record()
    for name in arguments.domain or sorted(DOMAINS):
        record[name] = train_domain(name, epochs=arguments.epochs, seed=arguments.seed)
        # Written after each domain, so a later failure keeps the earlier results.
        write_json(RECORD_PATH, record)
        print(json.dumps({name: record[name]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
