"""tf.distribute: a step under MirroredStrategy over two logical CPUs equals the step on one device.

TensorFlow's logical devices must be configured before it initialises, so the checks run in a
fresh Python process (this file run as a script, `python tests/test_distribute.py OUT_DIR`) and the
tests read the JSON report it prints.

The networks of the step comparisons have no batch normalization or dropout: under a strategy
those use each replica's share of the batch (per-replica statistics, per-replica masks), so the
same step on one device is not expected to match them. The comparisons use SGD, whose update is
proportional to the gradient; Adam's first update hardly depends on the gradient's scale, so it
would not show a gradient summed over replicas instead of averaged. `ConditionalGAN` is compared
with its alternating step only: its simultaneous step draws noise and applies gradients through
the same `GAN` methods the other cases check, and each case costs a trace under the strategy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GLOBAL_BATCH = 8
TOLERANCE = 1e-5
STEPS = ("alternating", "simultaneous")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("distribute")
    result = subprocess.run(
        [sys.executable, __file__, str(out_dir)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=Path(__file__).resolve().parents[1],
    )
    if result.returncode != 0:
        pytest.fail(f"the distribute script failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_strategy_has_two_replicas(report):
    assert report["replicas"] == 2


def test_replicas_draw_their_own_slices_of_the_global_noise(report):
    noise = report["noise"]
    # The two replicas' noise, side by side, is the noise one device draws for the global batch.
    assert noise["max_difference_to_single_device"] == 0.0
    assert noise["shapes"] == [[GLOBAL_BATCH // 2, 16]] * 2
    assert noise["replicas_differ"]


@pytest.mark.parametrize("case", [f"gan_{step}" for step in STEPS])
def test_gan_step_matches_one_device(report, case):
    _check_same_step(report[case])


def test_conditional_gan_step_matches_one_device(report):
    _check_same_step(report["conditional_alternating"])


def _check_same_step(result):
    assert set(result["losses_single"]) >= {"d_loss", "g_loss", "d_real", "d_fake"}
    for name, single in result["losses_single"].items():
        assert result["losses_mirrored"][name] == pytest.approx(single, abs=TOLERANCE), name
    assert result["weights"] > 0
    assert result["max_weight_difference"] < TOLERANCE
    # The comparison means something only if the step moved the weights well beyond the tolerance.
    assert result["max_weight_update"] > 100 * TOLERANCE


def test_train_writes_a_run_under_the_strategy(report):
    run = report["train"]
    assert run["epochs"] == [1]
    assert {"d_loss", "g_loss", "epoch_seconds"} <= set(run["history"])
    assert all(run["finite"])
    assert run["files"] == [True, True, True]


def test_train_refuses_a_batch_that_does_not_split_over_the_replicas(report):
    assert "batch_size 9 does not split evenly" in report["odd_batch_error"]
    assert "multiple of 2" in report["odd_batch_error"]


# --- The script, run in its own process ------------------------------------------------------


def _stiff_gan(step, seed):
    import keras

    from ganlib.models import dcgan
    from ganlib.training import GAN

    keras.utils.set_random_seed(seed)
    generator = dcgan.stiff_generator((28, 28, 1), noise_dim=16, batch_norm=False)
    discriminator = dcgan.stiff_discriminator((28, 28, 1), batch_norm=False)
    return GAN(generator, discriminator, noise="uniform", real_label=0.9, step=step, seed=seed)


def _conditional_gan(step, seed):
    import keras
    from keras import layers

    from ganlib.training import ConditionalGAN

    keras.utils.set_random_seed(seed)
    noise, labels = keras.Input((8,)), keras.Input((), dtype="int32")
    embedded = layers.Flatten()(layers.Embedding(3, 4)(labels))
    x = layers.Dense(32, activation="relu")(layers.Concatenate()([noise, embedded]))
    image = layers.Reshape((8, 8, 1))(layers.Dense(64, activation="tanh")(x))
    generator = keras.Model([noise, labels], image)
    image_in, labels_in = keras.Input((8, 8, 1)), keras.Input((), dtype="int32")
    embedded = layers.Flatten()(layers.Embedding(3, 4)(labels_in))
    x = layers.Concatenate()([layers.Flatten()(image_in), embedded])
    logit = layers.Dense(1)(layers.LeakyReLU(0.2)(layers.Dense(32)(x)))
    discriminator = keras.Model([image_in, labels_in], logit)
    return ConditionalGAN(
        generator, discriminator, classes=3, l1_lambda=5.0, real_label=0.9, step=step, seed=seed
    )


def _one_step(make, strategy, dataset):
    """Build and compile a GAN in `strategy`'s scope, fit one step; losses and weights before/after."""
    import keras

    with strategy.scope():
        gan = make()
        gan.compile(
            d_optimizer=keras.optimizers.SGD(learning_rate=0.05),
            g_optimizer=keras.optimizers.SGD(learning_rate=0.05),
        )
    before = [w.copy() for w in gan.get_weights()]
    history = gan.fit(dataset, epochs=1, verbose=0, shuffle=False).history
    return {k: float(v[-1]) for k, v in history.items()}, before, gan.get_weights()


def _compare(make, strategy, dataset):
    import numpy as np
    import tensorflow as tf

    losses_single, before, single = _one_step(make, tf.distribute.get_strategy(), dataset)
    losses_mirrored, before_mirrored, mirrored = _one_step(make, strategy, dataset)
    if any(not np.array_equal(a, b) for a, b in zip(before, before_mirrored)):
        raise RuntimeError("The two GANs did not start from the same weights.")
    return {
        "losses_single": losses_single,
        "losses_mirrored": losses_mirrored,
        "weights": len(single),
        "max_weight_difference": max(float(np.abs(a - b).max()) for a, b in zip(single, mirrored)),
        "max_weight_update": max(float(np.abs(a - b).max()) for a, b in zip(single, before)),
    }


def _noise_split(strategy):
    import numpy as np
    import tensorflow as tf

    single = np.asarray(_stiff_gan("alternating", seed=5).sample_noise(GLOBAL_BATCH))
    with strategy.scope():
        gan = _stiff_gan("alternating", seed=5)
    per_replica = strategy.run(tf.function(lambda: gan.sample_noise(GLOBAL_BATCH // 2)))
    parts = [np.asarray(part) for part in strategy.experimental_local_results(per_replica)]
    return {
        "max_difference_to_single_device": float(np.abs(np.concatenate(parts) - single).max()),
        "shapes": [list(part.shape) for part in parts],
        "replicas_differ": bool(np.abs(parts[0] - parts[1]).max() > 0),
    }


def _train_under(strategy, out_dir):
    import dataclasses

    import numpy as np

    import ganlib

    preset = dataclasses.replace(
        ganlib.get_preset("stiff_mnist"),
        dataset="fashion_mnist_sample",
        train_images=32,
        batch_size=16,
        epochs=1,
        snapshot_grid=(2, 2),
    )
    result = ganlib.train(preset, Path(out_dir) / "mirrored", verbose=0, strategy=strategy)
    try:
        ganlib.train(
            dataclasses.replace(preset, batch_size=9),
            Path(out_dir) / "odd",
            verbose=0,
            strategy=strategy,
        )
        error = ""
    except ValueError as caught:
        error = str(caught)
    run = result.run
    return {
        "train": {
            "epochs": run.saved_epochs(),
            "history": sorted(result.history),
            "finite": [bool(np.isfinite(v).all()) for v in result.history.values()],
            "files": [
                run.snapshot_path(1).is_file(),
                run.weights_path(1).is_file(),
                run.history_path.is_file(),
            ],
        },
        "odd_batch_error": error,
    }


def main(out_dir):
    import tensorflow as tf

    import ganlib  # noqa: F401  (sets TensorFlow's environment first)

    (cpu,) = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import numpy as np

    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (GLOBAL_BATCH, 28, 28, 1)).astype("float32")
    small = rng.uniform(-1, 1, (GLOBAL_BATCH, 8, 8, 1)).astype("float32")
    labels = (np.arange(GLOBAL_BATCH) % 3).astype("int32")
    gan_data = tf.data.Dataset.from_tensor_slices(images).batch(GLOBAL_BATCH)
    conditional_data = tf.data.Dataset.from_tensor_slices((small, labels)).batch(GLOBAL_BATCH)
    report = {"replicas": strategy.num_replicas_in_sync, "noise": _noise_split(strategy)}
    for step in STEPS:
        report[f"gan_{step}"] = _compare(
            lambda step=step: _stiff_gan(step, seed=1), strategy, gan_data
        )
    report["conditional_alternating"] = _compare(
        lambda: _conditional_gan("alternating", seed=2), strategy, conditional_data
    )
    report.update(_train_under(strategy, out_dir))
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
