"""One TensorFlow measurement of the training benchmark, run in its own process.

Usage: python bench/tf_worker.py '<JSON spec>'; prints `RESULT <JSON>` as its last line.
`train_speed.py` starts one process per measurement, so each reports its own peak memory and no
measurement warms up another's caches. Kinds:

- "matmul": the machine's limits: TensorFlow float32 and bfloat16 matmul GFLOP/s and NumPy float32
  matmul, with the CPU's bfloat16 flags (each training figure is compared with its precision's).
- "export": the preset's two networks as a plan PyTorch can rebuild (`torch_worker.py`), their
  weights and reference outputs, and the model FLOPs of one training step.
- "paired": a plain hand-written `tf.function` step of the same algorithm as `GAN` /
  `ConditionalGAN`, on batches held in memory, and ganlib's training (`GAN.fit` with the callbacks
  of `ganlib.train` on `ganlib.data`'s pipeline), timed side by side in alternating rounds; with
  "jit_compile", both are XLA-compiled (ganlib's through `GAN.compile(jit_compile=True)`).
  "precision" (here and in "ganlib") sets the preset's precision, e.g. "mixed_bfloat16".
- "ganlib": `ganlib.train`, i.e. `GAN.fit` with ganlib's callbacks on the preset's data from
  `ganlib.data` (stand-in images where a hand-downloaded set is missing), one epoch per timed run.
- "epoch": the time of one epoch of `ganlib.train` on a given number of images at a given size.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import cpu_flags, peak_rss_mb, step_flops, summarise, time_runs

import ganlib  # noqa: F401  (sets TensorFlow's environment, oneDNN on, before TF loads)

# Side of the stand-in images written for a hand-downloaded set that is missing, near the side of
# the real files (so decoding and resizing cost about what they would).
STAND_IN_SIDES = {
    "pretty_face": 512,
    "afhq": 512,
    "cat": 512,
    "oxford_flowers102": 512,
    "celeba": 192,
    "intel_scenes": 150,
    "ffhq": 128,
}


def bench_preset(spec):
    """The preset of a spec with its step algorithm, batch size, precision (images, epochs) set."""
    preset = ganlib.get_preset(spec["preset"])
    changes = {"step": spec.get("step", preset.step)}
    for key in ("batch_size", "train_images", "epochs", "precision"):
        if spec.get(key):
            changes[key] = spec[key]
    if spec.get("image_side"):
        side = spec["image_side"]
        changes["image_shape"] = (side, side, preset.image_shape[2])
    return dataclasses.replace(preset, **changes)


# --- matmul peak ------------------------------------------------------------------------------


def _matmul_rates(product, size, runs, make):
    """GFLOP/s of `runs` timed runs of `product` on two size x size matrices from `make`."""
    a, b = make(size), make(size)
    np.asarray(product(a, b))
    start = time.perf_counter()
    np.asarray(product(a, b))
    one = max(time.perf_counter() - start, 1e-6)
    # About 20 GFLOP per run, so that the clock's resolution and call overhead do not count; but
    # at most about 2 s, since emulated bfloat16 can run ten times slower than float32.
    repeats = max(1, min(round(2e10 / (2 * size**3)), round(2.0 / one)))
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeats):
            result = product(a, b)
        np.asarray(result)
        rates.append(2 * size**3 * repeats / (time.perf_counter() - start) / 1e9)
    return rates


def _limit(per_size_rates):
    """The limit of one kind of matmul: the median of the best size's runs, and the best run."""
    medians = {size: statistics.median(rates) for size, rates in per_size_rates.items()}
    return {
        "gflops": round(max(medians.values()), 1),
        "best_gflops": round(max(max(rates) for rates in per_size_rates.values()), 1),
        "per_size": {size: round(value, 1) for size, value in medians.items()},
    }


def matmul(spec):
    """The machine's limits: TensorFlow float32 and bfloat16 matmul, and NumPy float32 matmul."""
    import tensorflow as tf

    product = tf.function(lambda a, b: tf.matmul(a, b))
    kinds = {
        "float32": (product, lambda n: tf.random.normal((n, n))),
        "bfloat16": (product, lambda n: tf.cast(tf.random.normal((n, n)), tf.bfloat16)),
        "numpy_float32": (
            np.matmul,
            lambda n: np.random.default_rng(0).standard_normal((n, n), dtype=np.float32),
        ),
    }
    limits = {}
    for kind, (function, make) in kinds.items():
        try:
            limits[kind] = _limit(
                {
                    str(size): _matmul_rates(function, size, spec["runs"], make)
                    for size in spec["sizes"]
                }
            )
        except Exception as error:  # a missing kernel is a figure to report, not a crash
            limits[kind] = {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    import keras

    from ganlib.runs import device_description

    return {
        # The float32 figures stay at the top level, where runs saved before the limits read them.
        "gflops": limits["float32"].get("gflops"),
        "per_size": limits["float32"].get("per_size"),
        "limits": limits,
        "cpu_flags": cpu_flags(),
        "device": device_description(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
    }


# --- export for PyTorch -----------------------------------------------------------------------


def _plan(model) -> dict:
    """A Functional model as plain data: each layer's class, config, input and output shapes."""
    config = model.get_config()

    def refs(value):
        # Keras writes a layer's inputs as {"class_name": "__keras_tensor__", "config":
        # {"keras_history": [layer, node, index]}}, nested in lists for multi-input layers.
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer, node, index = value["config"]["keras_history"]
            return [f"{layer}:{node}:{index}"]
        if isinstance(value, (list, tuple)):
            return [key for item in value for key in refs(item)]
        if isinstance(value, dict):
            return [key for item in value.values() for key in refs(item)]
        return []

    def endpoints(value):
        if value and isinstance(value[0], str):
            value = [value]
        return [f"{layer}:{node}:{index}" for layer, node, index in value]

    layers = []
    for entry in config["layers"]:
        layer = model.get_layer(entry["name"])
        inputs = [key for node in entry["inbound_nodes"] for key in refs(node["args"])]
        layers.append(
            {
                "name": entry["name"],
                "kind": entry["class_name"],
                "config": layer.get_config(),
                "inputs": inputs,
                "input_shapes": [list(t.shape[1:]) for t in _as_list(layer.input)]
                if inputs
                else [],
                "output_shape": list(layer.output.shape[1:]),
            }
        )
    return {
        "name": model.name,
        "inputs": endpoints(config["input_layers"]),
        "outputs": endpoints(config["output_layers"]),
        "layers": json.loads(json.dumps(layers, default=str)),
        "params": int(model.count_params()),
    }


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def export(spec):
    from ganlib.models import build_models

    preset = bench_preset(spec)
    generator, discriminator = build_models(preset)
    folder = Path(spec["dir"])
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((4, preset.noise_dim)).astype("float32")
    labels = (np.arange(4) % (preset.classes or 1)).astype("int32")
    images = rng.uniform(-1, 1, (4, *preset.image_shape)).astype("float32")
    g_inputs = [noise, labels] if preset.conditional else noise
    d_inputs = [images, labels] if preset.conditional else images
    arrays = {"noise": noise, "labels": labels, "images": images}
    arrays["generated"] = np.asarray(generator(g_inputs, training=False))
    arrays["logits"] = np.asarray(discriminator(d_inputs, training=False))
    for model, prefix in ((generator, "g"), (discriminator, "d")):
        for layer in model.layers:
            for index, weight in enumerate(layer.get_weights()):
                arrays[f"{prefix}/{layer.name}/{index}"] = weight
    np.savez(folder / "arrays.npz", **arrays)
    plan = {
        "preset": preset.to_dict(),
        "generator": _plan(generator),
        "discriminator": _plan(discriminator),
    }
    (folder / "plan.json").write_text(json.dumps(plan))
    return {
        "flops_per_image": {
            step: step_flops(generator, discriminator, preset.conditional, step)
            for step in ("alternating", "simultaneous")
        },
        "params": {
            "generator": plan["generator"]["params"],
            "discriminator": plan["discriminator"]["params"],
        },
    }


# --- hand-written step ------------------------------------------------------------------------


def hand_step(preset, generator, discriminator, jit_compile=False):
    """The step of `GAN` / `ConditionalGAN` written out by hand, as the TF DCGAN tutorial does.

    Returns a `tf.function` (XLA-compiled with `jit_compile`) taking (images, labels) and
    returning (d_loss, g_loss).
    """
    import keras
    import tensorflow as tf

    from ganlib.augment import random_cutmix

    d_optimizer = keras.optimizers.Adam(
        preset.d_learning_rate or preset.learning_rate, beta_1=preset.beta_1
    )
    g_optimizer = keras.optimizers.Adam(preset.learning_rate, beta_1=preset.beta_1)
    d_variables, g_variables = discriminator.trainable_variables, generator.trainable_variables
    d_optimizer.build(d_variables)
    g_optimizer.build(g_variables)
    conditional, cutmix = preset.conditional, preset.cutmix_probability > 0
    seed = keras.random.SeedGenerator(preset.seed)

    def noise():
        shape = (preset.batch_size, preset.noise_dim)
        if preset.noise == "uniform":
            return tf.random.uniform(shape, -1.0, 1.0)
        return tf.random.normal(shape)

    def bce(targets, logits):
        targets = tf.broadcast_to(tf.cast(targets, logits.dtype), tf.shape(logits))
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(targets, logits))

    def G(z, labels):
        return generator([z, labels] if conditional else z, training=True)

    def D(x, labels):
        return discriminator([x, labels] if conditional else x, training=True)

    def d_loss_of(images, fake, labels):
        if cutmix:
            real_mixed, fake_mixed, real_targets, fake_targets = random_cutmix(
                images, fake, preset.cutmix_probability, real_label=preset.real_label, seed=seed
            )
            return bce(real_targets, D(real_mixed, labels)) + bce(
                fake_targets, D(fake_mixed, labels)
            ), None
        fake_logits = D(fake, labels)
        return bce(preset.real_label, D(images, labels)) + bce(0.0, fake_logits), fake_logits

    def g_loss_of(fake_logits, images, fake):
        loss = bce(1.0, fake_logits)
        if preset.l1_lambda > 0:
            loss += preset.l1_lambda * tf.reduce_mean(tf.abs(images - fake))
        return loss

    def apply(optimizer, tape, loss, variables):
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

    def alternating(images, labels):
        if conditional:
            # Algorithm 1: one generator forward, the D step, then G through the updated D.
            with tf.GradientTape() as g_tape:
                fake = G(noise(), labels)
                with g_tape.stop_recording():
                    with tf.GradientTape() as d_tape:
                        d_loss, _ = d_loss_of(images, fake, labels)
                    apply(d_optimizer, d_tape, d_loss, d_variables)
                g_loss = g_loss_of(D(fake, labels), images, fake)
            apply(g_optimizer, g_tape, g_loss, g_variables)
            return d_loss, g_loss
        fake = G(noise(), labels)
        with tf.GradientTape() as d_tape:
            d_loss, _ = d_loss_of(images, fake, labels)
        apply(d_optimizer, d_tape, d_loss, d_variables)
        with tf.GradientTape() as g_tape:
            g_loss = bce(1.0, D(G(noise(), labels), labels))
        apply(g_optimizer, g_tape, g_loss, g_variables)
        return d_loss, g_loss

    def simultaneous(images, labels):
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = G(noise(), labels)
            d_loss, fake_logits = d_loss_of(images, fake, labels)
            if fake_logits is None:
                fake_logits = D(fake, labels)
            g_loss = g_loss_of(fake_logits, images, fake)
        apply(d_optimizer, d_tape, d_loss, d_variables)
        apply(g_optimizer, g_tape, g_loss, g_variables)
        return d_loss, g_loss

    step = alternating if preset.step == "alternating" else simultaneous
    return tf.function(step, jit_compile=jit_compile)


def hand_runner(preset, jit_compile=False):
    """A no-argument function running one hand-written step on the next of four in-memory batches.

    It returns the step's losses; `float` of the first waits for the step to finish.
    """
    import keras
    import tensorflow as tf

    from ganlib.models import build_models

    keras.utils.set_random_seed(preset.seed)
    generator, discriminator = build_models(preset)
    step_function = hand_step(preset, generator, discriminator, jit_compile)
    rng = np.random.default_rng(0)
    batches = [
        (
            tf.constant(rng.uniform(-1, 1, (preset.batch_size, *preset.image_shape)), tf.float32),
            tf.constant(rng.integers(0, preset.classes or 1, preset.batch_size), tf.int32),
        )
        for _ in range(4)
    ]
    counter = iter(range(10**9))

    def step():
        return step_function(*batches[next(counter) % len(batches)])

    return step


# --- ganlib.train -----------------------------------------------------------------------------


def bench_dataset(preset, work_dir):
    """The preset's training pipeline from `ganlib.data`; stand-in images when its folder is missing.

    Returns:
        (dataset, source): source names the data, with "STAND-IN" when it is not the real set.
    """
    from ganlib import data
    from ganlib.training import preset_dataset

    try:
        return preset_dataset(preset)[0], preset.dataset
    except FileNotFoundError:
        pass
    side = STAND_IN_SIDES.get(preset.dataset, max(preset.image_shape[:2]))
    kind = "flowers" if preset.dataset == "oxford_flowers102" else "faces"
    folder = data.write_stand_in_folder(
        Path(work_dir) / "stand_in", count=preset.train_images, image_size=side, kind=kind
    )
    dataset = preset_dataset(preset, folder=folder)[0]
    return dataset, f"STAND-IN {side}x{side} PNGs (no {preset.dataset} on this machine)"


class EpochClock:
    """Times `fit`'s epochs: whole (start to the next one's start), and their steady steps.

    An epoch's steady per-step time runs from the end of its first step (of its first execution,
    with `steps_per_execution`) to the end of its last;
    what the epoch spends besides (starting the data iterator, the first batch, callbacks at its
    end) is a fixed cost per epoch, which a full-size epoch spreads over many more steps.
    """

    def __new__(cls):
        import keras

        class Clock(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.begins, self.step_seconds, self.steady = [], [], []
                self.begins_of_epochs, self.ends = [], []

            def on_epoch_begin(self, epoch, logs=None):
                self.begins.append(time.perf_counter())
                self.begins_of_epochs.append(self.begins[-1])
                self.first = None

            def on_train_batch_end(self, batch, logs=None):
                # With steps_per_execution = k, Keras calls this after every k-th step only.
                now = time.perf_counter()
                if self.first is None:
                    self.first = (batch, now)
                self.last = (batch, now)

            def on_epoch_end(self, epoch, logs=None):
                # EpochTimer (first in ganlib's list) measured the epoch up to its last step;
                # without ganlib's callbacks, this clock's own reading stands in.
                seconds = logs.get("epoch_seconds", time.perf_counter() - self.begins[-1])
                self.step_seconds.append(float(seconds))
                (first_batch, first_end), (last_batch, last_end) = self.first, self.last
                if last_batch > first_batch:
                    self.steady.append((last_end - first_end) / (last_batch - first_batch))
                else:
                    self.steady.append(self.step_seconds[-1])
                self.ends.append(time.perf_counter())

            def on_train_end(self, logs=None):
                self.begins.append(time.perf_counter())

        return Clock()


def _pipeline_seconds(dataset, passes=2):
    """Seconds to read one epoch of the pipeline alone (the last of `passes` passes)."""
    seconds = 0.0
    for _ in range(passes):
        start = time.perf_counter()
        for _ in dataset:
            pass
        seconds = time.perf_counter() - start
    return seconds


def ganlib_fit(spec):
    preset = bench_preset(spec)
    steps, runs = spec["steps"], spec["runs"]
    preset = dataclasses.replace(
        preset, train_images=steps * preset.batch_size, epochs=spec["warmup_epochs"] + runs
    )
    with tempfile.TemporaryDirectory() as work_dir:
        dataset, source = bench_dataset(preset, work_dir)
        steps = int(dataset.cardinality())
        pipeline = _pipeline_seconds(dataset)
        clock = EpochClock()
        start = time.perf_counter()
        ganlib.train(
            preset,
            Path(work_dir) / "run",
            dataset=dataset,
            verbose=0,
            callbacks=[clock],
            overwrite=True,
        )
        total = time.perf_counter() - start
    warm = spec["warmup_epochs"]
    epochs = np.diff(clock.begins)[warm:]
    step_seconds = np.asarray(clock.step_seconds[warm:])
    steady = np.asarray(clock.steady[warm:])
    return {
        "steps": steps,
        "batch_size": preset.batch_size,
        "image_shape": list(preset.image_shape),
        "precision": preset.precision,
        "full_images": full_images(spec),
        "source": source,
        # Steady state, comparable with the in-memory steps of hand and torch.
        **summarise(list(steady * steps), steps, preset.batch_size),
        "epoch": summarise(list(epochs), steps, preset.batch_size),
        "in_epoch_fixed_seconds": float(np.median(step_seconds - steady * steps)),
        "epoch_end_seconds": float(np.median(epochs - step_seconds)),
        "pipeline_seconds_per_epoch": pipeline,
        "warmup_seconds": float(np.sum(np.diff(clock.begins)[: spec["warmup_epochs"]])),
        "total_seconds": total,
        "peak_mb": peak_rss_mb(),
    }


def full_images(spec) -> int:
    """Images in one epoch of the preset's full training data (its own limit applied)."""
    from ganlib import data

    preset = ganlib.get_preset(spec["preset"])
    try:
        available = len(data.load_arrays(preset.dataset, "train")[1])
    except (FileNotFoundError, ValueError):
        available = spec["full_images"].get(preset.dataset, 0)
    return min(preset.train_images or available, available)


def epoch(spec):
    """Seconds of one epoch of `ganlib.train` (after one warm-up epoch) on `train_images` images."""
    preset = dataclasses.replace(bench_preset(spec), epochs=2)
    with tempfile.TemporaryDirectory() as work_dir:
        dataset, source = bench_dataset(preset, work_dir)
        clock = EpochClock()
        ganlib.train(preset, Path(work_dir) / "run", dataset=dataset, verbose=0, callbacks=[clock])
    images = int(dataset.cardinality()) * preset.batch_size
    return {
        "images": images,
        "source": source,
        "image_shape": list(preset.image_shape),
        "epoch_seconds": float(np.diff(clock.begins)[-1]),
        "peak_mb": peak_rss_mb(),
    }


def timed_steps(step, steps: int, sync) -> float:
    """Seconds for `steps` calls of `step()`, until `sync` has the last one's result."""
    start = time.perf_counter()
    for _ in range(steps):
        result = step()
    sync(result)
    return time.perf_counter() - start


def run_callbacks(preset, directory):
    """`ganlib.train`'s callbacks for a new run of `preset` written to `directory`."""
    from ganlib.runs import Run

    run = Run(directory)
    run.prepare(preset, overwrite=True)
    return run.callbacks(preset)


def epoch_trainer(gan, dataset, callbacks=(), steps_per_epoch=None):
    """(train_epoch, clock): each call of train_epoch() runs `fit` for one more epoch.

    The `EpochClock` goes after `callbacks`, so an epoch's end includes every one of them.
    """
    clock = EpochClock()
    callbacks = [*callbacks, clock]
    epochs = iter(range(10**6))

    def train_epoch():
        epoch = next(epochs)
        gan.fit(
            dataset,
            epochs=epoch + 1,
            initial_epoch=epoch,
            steps_per_epoch=steps_per_epoch,
            callbacks=callbacks,
            verbose=0,
            shuffle=False,
        )

    return train_epoch, clock


def bench_gan(preset, jit_compile=False):
    """`build_gan(preset)`, compiled again with `jit_compile=True` when asked.

    `build_gan` takes no jit_compile, but `GAN.compile` passes any `keras.Model.compile` argument
    on, so the same networks are compiled once more, with fresh optimizers as build_gan makes them
    (Keras leaves XLA off on a CPU unless asked).
    """
    from ganlib.training import build_gan, make_optimizer

    gan = build_gan(preset)
    if jit_compile:
        gan.compile(
            d_optimizer=make_optimizer(preset.d_learning_rate or preset.learning_rate, preset),
            g_optimizer=make_optimizer(preset.learning_rate, preset),
            steps_per_execution=preset.steps_per_execution,
            jit_compile=True,
        )
    return gan


def paired(spec):
    """The hand-written step and ganlib's training in one process, their timed runs interleaved.

    Separate processes of the same step differ by up to ±20 % on this machine (memory placement,
    threads, a neighbour's load), more than the 5 % the ganlib/hand target allows: only runs taken
    side by side in one process, alternating, can resolve it. Each round times `steps` hand steps and
    one ganlib epoch of `steps` batches (`GAN.fit` on `ganlib.data`'s pipeline with the callbacks
    of `ganlib.train`, writing a real run directory), in alternating order. The ratio of a round
    compares the steady steps; the per-epoch costs (iterator start, first batch, epoch-end
    callbacks) are measured apart, for the full-epoch projection.
    """
    preset = bench_preset(spec)
    jit = bool(spec.get("jit_compile"))
    step = hand_runner(preset, jit)
    sync = lambda losses: float(losses[0])  # noqa: E731
    # Its one run is more warm-up: a process's first seconds of steps run slow.
    steps = time_runs(
        step,
        warmup=spec["warmup"],
        runs=1,
        steps=spec.get("steps"),
        run_seconds=spec["run_seconds"],
        sync=sync,
    )["steps"]
    # The steady time of an epoch runs from the end of its first execution to the end of its last.
    steps = max(steps, 2 * preset.steps_per_execution)
    preset = dataclasses.replace(preset, train_images=steps * preset.batch_size)
    with tempfile.TemporaryDirectory() as work_dir:
        dataset, source = bench_dataset(preset, work_dir)
        steps = int(dataset.cardinality())
        pipeline = _pipeline_seconds(dataset)
        gan = bench_gan(preset, jit)
        ganlib_epoch, clock = epoch_trainer(
            gan, dataset, run_callbacks(preset, Path(work_dir) / "run")
        )
        for _ in range(spec["warmup_epochs"]):
            ganlib_epoch()
        hand_seconds, ganlib_index = [], []
        for round_ in range(spec["rounds"]):
            order = ("hand", "ganlib") if round_ % 2 == 0 else ("ganlib", "hand")
            for which in order:
                if which == "hand":
                    hand_seconds.append(timed_steps(step, steps, sync))
                else:
                    ganlib_epoch()
                    ganlib_index.append(len(clock.steady) - 1)
    steady = np.asarray(clock.steady)[ganlib_index]
    epoch_seconds = (
        np.asarray(clock.ends)[ganlib_index] - np.asarray(clock.begins_of_epochs)[ganlib_index]
    )
    ratios = np.asarray(hand_seconds) / (steady * steps)
    return {
        "steps": steps,
        "rounds": spec["rounds"],
        "batch_size": preset.batch_size,
        "source": source,
        "hand": summarise(hand_seconds, steps, preset.batch_size),
        "ganlib": {
            **summarise(list(steady * steps), steps, preset.batch_size),
            "epoch": summarise(list(epoch_seconds), steps, preset.batch_size),
            # Whatever an epoch spends besides its steady steps: one per epoch at full size.
            "per_epoch_seconds": float(np.median(epoch_seconds - steady * steps)),
            "pipeline_seconds_per_epoch": pipeline,
        },
        "ratios": ratios.tolist(),
        "ratio": float(np.median(ratios)),
        "precision": preset.precision,
        # What Keras kept: it turns jit_compile off (with a warning) where a layer cannot be
        # XLA-compiled, and then this row times the plain step.
        "jit_compile": bool(gan.jit_compile),
        "peak_mb": peak_rss_mb(),
    }


KINDS = {
    "matmul": matmul,
    "export": export,
    "paired": paired,
    "ganlib": ganlib_fit,
    "epoch": epoch,
}


def main(argv):
    spec = json.loads(argv[1])
    result = KINDS[spec["kind"]](spec)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
