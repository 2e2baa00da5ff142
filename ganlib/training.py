"""Training: the `GAN` model (one class per algorithm, trained with `fit`) and `train(preset)`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import ops

from ganlib import augment, losses
from ganlib import data as data_module
from ganlib.augment import random_cutmix
from ganlib.experiments import STEPS, Experiment, get_preset
from ganlib.losses import binary_cross_entropy, discriminator_loss, generator_loss
from ganlib.models import build_models
from ganlib.precision import resolve
from ganlib.runs import Run


class RunningMeans(keras.metrics.Metric):
    """Running means of several scalars, kept in one variable.

    `fit` logs a GAN's losses and scores as epoch means. One `keras.metrics.Mean` per scalar
    costs two variable updates and a division each per step; for the 35 ms step of the fully
    connected cGAN, six of them took about 2 % of the step, which one update of a stacked
    vector does not.

    Args:
        names: the scalars' names, in the order of the stacked vector.
    """

    def __init__(self, names, name="means", **kwargs):
        super().__init__(name=name, **kwargs)
        self.names = tuple(names)
        self.total = self.add_variable(shape=(len(self.names),), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values):
        """Add one value of each scalar; `values` maps every name to a scalar tensor."""
        if set(values) != set(self.names):
            raise ValueError(f"expected values for {self.names}; received {sorted(values)}.")
        stacked = ops.stack([ops.cast(values[name], self.dtype) for name in self.names])
        self.total.assign_add(stacked)
        self.count.assign_add(ops.cast(1, self.dtype))

    def result(self):
        """The means so far as a dict of scalars (zeros before any update)."""
        means = ops.divide_no_nan(self.total, self.count)
        return {name: means[index] for index, name in enumerate(self.names)}


class GAN(keras.Model):
    """An unconditional GAN trained with `fit`: binary cross-entropy on logits, two Adam optimizers.

    Two step algorithms are available:

    - "alternating" (the reports'): the discriminator learns on real images and on generated images
      (the generator's forward runs outside any gradient tape, since only D is updated), then the
      generator learns through the updated discriminator on fresh noise.
    - "simultaneous" (the TensorFlow DCGAN tutorial's): one generator forward on one noise batch
      feeds both gradient tapes, and both networks are updated from the same forward pass. One
      generator forward per step instead of two, but the generator's gradient comes from the
      discriminator before its update.

    Built and compiled in a `tf.distribute` strategy's scope, it trains on every replica with
    losses averaged over the global batch (see `sample_noise` and docs/performance.md).

    Args:
        generator: maps (batch, noise_dim) noise to images in [-1, 1].
        discriminator: maps images to (batch, 1) logits.
        noise_dim: length of the noise vector; by default the generator's input size.
        noise: "normal" or "uniform" noise in [-1, 1].
        real_label: target for real images (0.9 for one-sided label smoothing).
        step: "alternating" or "simultaneous".
        seed: seed of the noise generator.
        cutmix_probability: chance per batch that the discriminator learns on CutMix pairs
            (`ganlib.augment.random_cutmix`: a box of each generated image pasted into a real one
            and the reverse, targets mixed by the box's area) instead of the plain pair. The
            `d_real`/`d_fake` metrics then average over the images D saw. Default 0: off.

    Example:
        >>> gan = GAN(generator, discriminator, real_label=0.9)
        >>> gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        ...             g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
        >>> gan.fit(dataset_of_image_batches, epochs=20)
    """

    # The scalars fit logs each epoch (their means over the epoch's steps).
    LOGGED = ("d_loss", "g_loss", "d_real", "d_fake")

    def __init__(
        self,
        generator,
        discriminator,
        *,
        noise_dim=None,
        noise="normal",
        real_label=1.0,
        step="alternating",
        seed=None,
        cutmix_probability=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if step not in STEPS:
            raise ValueError(f"step must be one of {STEPS}, received {step!r}.")
        if noise not in ("normal", "uniform"):
            raise ValueError(f"noise must be 'normal' or 'uniform', received {noise!r}.")
        self.generator = generator
        self.discriminator = discriminator
        self.noise_dim = int(noise_dim or generator.input_shape[-1])
        self.noise = noise
        self.real_label = float(real_label)
        self.step = step
        if not 0.0 <= cutmix_probability <= 1.0:
            raise ValueError(
                f"cutmix_probability must be in [0, 1], received {cutmix_probability!r}."
            )
        self.cutmix_probability = float(cutmix_probability)
        self.seed_generator = keras.random.SeedGenerator(seed)
        # With CutMix on, the share of batches it mixed is logged too (so its use can be seen).
        self.logged = (*self.LOGGED, "cutmix_share") if self.cutmix_probability > 0 else self.LOGGED
        self.means = RunningMeans(self.logged)
        # Both networks arrive built and the GAN has no call() of its own: nothing is left to build,
        # and save_weights (used for resuming) needs the flag.
        self.built = True

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        """Set the two optimizers (any other `keras.Model.compile` argument is passed on)."""
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        # Keras builds only the optimizer it knows of before the first step; these two would be
        # built lazily inside the step, which a tf.distribute strategy refuses (their slots must
        # be created in the strategy's scope, where the model is compiled).
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    @property
    def metrics(self):
        return [self.means]

    def sample_noise(self, batch_size):
        """Noise for `batch_size` images, drawn from the model's seed generator.

        Inside a step replicated by a `tf.distribute` strategy, `batch_size` is this replica's share
        of the global batch: every replica draws the noise of the whole global batch (their seed
        generators are in step) and keeps its own slice, so replicas get different noise and the
        step matches the same global batch trained on one device.
        """
        replicas, replica = _replica_position()
        shape = (batch_size * replicas, self.noise_dim)
        if self.noise == "uniform":
            noise = keras.random.uniform(shape, -1.0, 1.0, seed=self.seed_generator)
        else:
            noise = keras.random.normal(shape, seed=self.seed_generator)
        if replicas == 1:
            return noise
        return ops.slice(noise, (replica * batch_size, 0), (batch_size, self.noise_dim))

    def _update(self, optimizer, model, tape, loss):
        replicas, _ = _replica_position()
        # The optimizer sums the replicas' gradients; each replica's loss is the mean over its
        # share of the batch, so 1/replicas makes the sum the gradient of the global-batch mean.
        scale = None if replicas == 1 else ops.cast(1.0 / replicas, loss.dtype)
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            # The loss scale multiplies the gradient from its source; apply_gradients divides it
            # out again and skips a step whose scaled gradients overflowed.
            loss_scale = ops.cast(optimizer.dynamic_scale, loss.dtype)
            scale = loss_scale if scale is None else scale * loss_scale
        gradients = tape.gradient(loss, model.trainable_weights, output_gradients=scale)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))

    def _discriminator_loss(self, real_images, fake_images):
        """D's loss and its logits on the images it saw (CutMix pairs when enabled)."""
        if self.cutmix_probability > 0:
            real_images, fake_images, real_targets, fake_targets, self._coin = random_cutmix(
                real_images,
                fake_images,
                self.cutmix_probability,
                real_label=self.real_label,
                seed=self.seed_generator,
                with_coin=True,
            )
            real_logits = self.discriminator(real_images, training=True)
            fake_logits = self.discriminator(fake_images, training=True)
            d_loss = binary_cross_entropy(real_targets, real_logits) + binary_cross_entropy(
                fake_targets, fake_logits
            )
            return d_loss, real_logits, fake_logits
        real_logits = self.discriminator(real_images, training=True)
        fake_logits = self.discriminator(fake_images, training=True)
        return (
            discriminator_loss(real_logits, fake_logits, self.real_label),
            real_logits,
            fake_logits,
        )

    def train_step(self, data):
        real_images = data[0] if isinstance(data, (tuple, list)) else data
        batch_size = ops.shape(real_images)[0]
        if self.step == "simultaneous":
            with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
                fake_images = self.generator(self.sample_noise(batch_size), training=True)
                d_loss, real_logits, fake_logits = self._discriminator_loss(
                    real_images, fake_images
                )
                g_loss = generator_loss(
                    self.discriminator(fake_images, training=True)
                    if self.cutmix_probability > 0
                    else fake_logits
                )
            self._update(self.d_optimizer, self.discriminator, d_tape, d_loss)
            self._update(self.g_optimizer, self.generator, g_tape, g_loss)
        else:
            # No tape watches this forward: the discriminator step needs no generator gradient.
            fake_images = self.generator(self.sample_noise(batch_size), training=True)
            with tf.GradientTape() as d_tape:
                d_loss, real_logits, fake_logits = self._discriminator_loss(
                    real_images, fake_images
                )
            self._update(self.d_optimizer, self.discriminator, d_tape, d_loss)
            with tf.GradientTape() as g_tape:
                g_fake_images = self.generator(self.sample_noise(batch_size), training=True)
                g_loss = generator_loss(self.discriminator(g_fake_images, training=True))
            self._update(self.g_optimizer, self.generator, g_tape, g_loss)
        values = {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": ops.mean(ops.sigmoid(real_logits)),
            "d_fake": ops.mean(ops.sigmoid(fake_logits)),
        }
        if self.cutmix_probability > 0:
            values["cutmix_share"] = self._coin
        self.means.update_state(values)
        return self.means.result()


def _replica_position():
    """(replicas in sync, this replica's index) inside a replicated step; (1, 0) elsewhere."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return 1, 0
    return context.num_replicas_in_sync, context.replica_id_in_sync_group


class ConditionalGAN(GAN):
    """A GAN conditioned on class labels, trained with `fit` on (images, labels) batches.

    Labels go to both networks: the generator takes `[noise, labels]`, the discriminator
    `[images, labels]`. The step is Algorithm 1 of Milošević (and of Li & Ye): one noise draw per
    batch; the discriminator learns on real and generated images with the batch's labels; then the
    generator learns on the same generated images through the updated discriminator, with the loss
    BCE(1, D(G(z, y), y)) + λ·L1(x, G(z, y)). With step="simultaneous" both updates come from one
    forward pass before either network changes.

    Args:
        generator: maps [noise, labels] to images in [-1, 1].
        discriminator: maps [images, labels] to (batch, 1) logits.
        classes: number of labels; labels outside [0, classes) are refused.
        l1_lambda: weight λ of the L1 term; 0 leaves it out of the loss entirely.
        **kwargs: as `GAN` (noise, real_label, step, seed, name ...).

    Metrics: those of `GAN`, plus `d_real_accuracy` and `d_fake_accuracy`, the discriminator's
    accuracy on real and on generated images (logit > 0 read as "real").

    Example:
        >>> gan = ConditionalGAN(generator, discriminator, classes=10, l1_lambda=5.0)
        >>> gan.compile(d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        ...             g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
        >>> gan.fit(dataset_of_image_and_label_batches, epochs=50)
    """

    LOGGED = (*GAN.LOGGED, "d_real_accuracy", "d_fake_accuracy")

    def __init__(self, generator, discriminator, *, classes, l1_lambda=0.0, **kwargs):
        if isinstance(classes, bool) or not isinstance(classes, int) or classes <= 0:
            raise ValueError(f"classes must be a positive integer, received {classes!r}.")
        if not l1_lambda >= 0:
            raise ValueError(f"l1_lambda must be >= 0, received {l1_lambda!r}.")
        if kwargs.get("cutmix_probability"):
            raise ValueError(
                "ConditionalGAN does not use CutMix; received cutmix_probability="
                f"{kwargs['cutmix_probability']!r}, expected 0."
            )
        kwargs.setdefault("noise_dim", generator.input_shape[0][-1])
        super().__init__(generator, discriminator, **kwargs)
        self.classes = classes
        self.l1_lambda = float(l1_lambda)

    def _checked_labels(self, labels):
        labels = ops.cast(ops.reshape(labels, (-1,)), "int32")
        if tf.executing_eagerly():
            data_module.check_labels(np.asarray(labels), self.classes, what="training labels")
            return labels
        # Inside fit's graph the check runs with the step; it raises InvalidArgumentError.
        message = f"training labels must be in [0, {self.classes})"
        checks = [
            tf.debugging.assert_non_negative(labels, message=message),
            tf.debugging.assert_less(labels, self.classes, message=message),
        ]
        with tf.control_dependencies(checks):
            return tf.identity(labels)

    def _generator_loss(self, fake_logits, real_images, fake_images):
        g_loss = generator_loss(fake_logits)
        if self.l1_lambda > 0:
            g_loss = g_loss + self.l1_lambda * losses.l1_loss(real_images, fake_images)
        return g_loss

    def train_step(self, data):
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError(
                "ConditionalGAN trains on (images, labels) batches; received a dataset of "
                "images alone (load it with with_labels=True)."
            )
        real_images = ops.convert_to_tensor(data[0], dtype="float32")
        labels = self._checked_labels(data[1])
        noise = self.sample_noise(ops.shape(real_images)[0])
        if self.step == "simultaneous":
            with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
                fake_images = self.generator([noise, labels], training=True)
                real_logits = self.discriminator([real_images, labels], training=True)
                fake_logits = self.discriminator([fake_images, labels], training=True)
                d_loss = discriminator_loss(real_logits, fake_logits, self.real_label)
                g_loss = self._generator_loss(fake_logits, real_images, fake_images)
            self._update(self.d_optimizer, self.discriminator, d_tape, d_loss)
        else:
            with tf.GradientTape() as g_tape:
                fake_images = self.generator([noise, labels], training=True)
                # The discriminator's step is not part of the generator's gradient.
                with g_tape.stop_recording():
                    with tf.GradientTape() as d_tape:
                        real_logits = self.discriminator([real_images, labels], training=True)
                        fake_logits = self.discriminator([fake_images, labels], training=True)
                        d_loss = discriminator_loss(real_logits, fake_logits, self.real_label)
                    self._update(self.d_optimizer, self.discriminator, d_tape, d_loss)
                g_logits = self.discriminator([fake_images, labels], training=True)
                g_loss = self._generator_loss(g_logits, real_images, fake_images)
        self._update(self.g_optimizer, self.generator, g_tape, g_loss)
        self.means.update_state(
            {
                "d_loss": d_loss,
                "g_loss": g_loss,
                "d_real": ops.mean(ops.sigmoid(real_logits)),
                "d_fake": ops.mean(ops.sigmoid(fake_logits)),
                "d_real_accuracy": ops.mean(ops.cast(real_logits > 0, "float32")),
                "d_fake_accuracy": ops.mean(ops.cast(fake_logits < 0, "float32")),
            }
        )
        return self.means.result()


def make_optimizer(learning_rate, preset: Experiment):
    """Adam with the preset's β1, and its exponential learning-rate decay when it has one."""
    if preset.lr_decay_steps is not None:
        learning_rate = keras.optimizers.schedules.ExponentialDecay(
            learning_rate,
            decay_steps=preset.lr_decay_steps,
            decay_rate=preset.lr_decay_rate,
            staircase=preset.lr_decay_staircase,
        )
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate, beta_1=preset.beta_1)
    if resolve(preset.precision) == "mixed_float16":
        # float16's range needs loss scaling; bfloat16 has float32's range and does not.
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


def build_gan(preset: Experiment) -> GAN:
    """The compiled `GAN` of a preset (a `ConditionalGAN` when it has classes), with fresh weights."""
    generator, discriminator = build_models(preset)
    common = dict(
        noise=preset.noise,
        real_label=preset.real_label,
        step=preset.step,
        seed=preset.seed,
        name=f"{preset.name}_gan",
    )
    if preset.conditional:
        gan = ConditionalGAN(
            generator,
            discriminator,
            classes=preset.classes,
            l1_lambda=preset.l1_lambda,
            **common,
        )
    else:
        gan = GAN(generator, discriminator, cutmix_probability=preset.cutmix_probability, **common)
    gan.compile(
        d_optimizer=make_optimizer(preset.d_learning_rate or preset.learning_rate, preset),
        g_optimizer=make_optimizer(preset.learning_rate, preset),
        steps_per_execution=preset.steps_per_execution,
    )
    return gan


@dataclass
class TrainResult:
    """What `train` returns: the run directory, the trained model, the history and the wall time."""

    run: Run
    gan: GAN | None
    history: dict
    wall_time: float
    images: int
    diverged: str | None = None

    @classmethod
    def load(cls, run: Run, epochs: int | None = None) -> TrainResult:
        """The result of a run's first `epochs` epochs (all by default), read from its directory.

        `gan` is None; `wall_time` sums those epochs' times from history.csv.
        """
        history = run.history()
        count = len(history["epoch"]) if epochs is None else epochs
        history = {k: v[:count] for k, v in history.items() if k != "epoch"}
        card = run.card()
        images = card.get("train_images")
        if not images:
            preset = run.preset()
            available = len(data_module.load_arrays(preset.dataset, "train")[1])
            images = min(preset.train_images or available, available)
            images -= images % preset.batch_size
        return cls(
            run,
            None,
            history,
            float(sum(history.get("epoch_seconds", []))),
            images,
            card.get("diverged"),
        )


def preset_dataset(preset: Experiment, folder=None):
    """The training pipeline of a preset and its image count (full batches only).

    Args:
        preset: the `Experiment`.
        folder: a folder of images to read instead of the preset's dataset location (for the
            hand-downloaded sets; the benchmark points it at stand-in pictures).

    Returns:
        (dataset, images): batches of the preset's size, shuffled with its seed, augmented as it
        says, with labels when it is conditional.
    """
    dataset = data_module.load(
        preset.dataset,
        "train",
        folder=folder,
        limit=preset.train_images,
        batch_size=preset.batch_size,
        shuffle=True,
        seed=preset.seed,
        with_labels=preset.conditional,
        image_size=preset.image_shape[:2],
        augment=augment.rotate_and_crop(preset.rotation_degrees, preset.crop_padding)
        if preset.rotation_degrees or preset.crop_padding
        else None,
    )
    class_names = getattr(dataset, "class_names", None)
    if preset.conditional and class_names is not None and len(class_names) != preset.classes:
        raise ValueError(
            f"Preset {preset.name!r} is conditional with {preset.classes} classes, but its folder "
            f"has {len(class_names)} class folders {class_names[:10]}; expected one subfolder per "
            "class."
        )
    return dataset, int(dataset.cardinality()) * preset.batch_size


def check_dataset(dataset, preset: Experiment) -> int | None:
    """Check a dataset's first batch against the preset; returns its image count when known.

    Raises:
        ValueError: naming what was received and what the preset expects.
    """
    first = next(iter(dataset), None)
    if first is None:
        raise ValueError("The dataset is empty; expected at least one batch of images.")
    first_images = first[0] if isinstance(first, (tuple, list)) else first
    data_module.check_images(first_images, preset.image_shape, what="training images")
    if preset.conditional:
        if not isinstance(first, (tuple, list)) or len(first) < 2:
            raise ValueError(
                f"Preset {preset.name!r} is conditional ({preset.classes} classes): the dataset "
                "must yield (images, labels) batches; received images alone."
            )
        data_module.check_labels(np.asarray(first[1]), preset.classes, what="training labels")
    batches = int(dataset.cardinality())
    return int(first_images.shape[0]) * batches if batches > 0 else None


def train(
    preset: Experiment | str,
    run_dir,
    *,
    epochs: int | None = None,
    dataset=None,
    overwrite: bool = False,
    resume: bool = False,
    callbacks=(),
    verbose="auto",
    mode: str | None = None,
    strategy=None,
    tensorboard: bool = False,
) -> TrainResult:
    """Train a preset end to end into a run directory: a short convenience over `fit`.

    It is `build_gan(preset).fit(dataset, callbacks=Run(run_dir).callbacks(preset))` after the
    checks that must come before anything is written: the data are loaded and checked, and the
    run directory is checked for what it holds.

    Args:
        preset: an `Experiment` or a preset name.
        run_dir: the run directory to create (see `ganlib.runs`).
        epochs: overrides the preset's epoch count.
        dataset: a `tf.data.Dataset` of image batches in [-1, 1] to use instead of the preset's
            dataset; its batches must have the preset's image shape. For a conditional preset
            (one with `classes`), batches of (images, labels).
        overwrite: replace the ganlib run in `run_dir` (its own files only; a folder that is not
            a ganlib run is never cleared).
        resume: continue the run in `run_dir` after its last completed epoch (both networks,
            both optimizers with their learning-rate step, the random generators and the snapshot
            latents are restored); a finished run of exactly this preset (for instance one trained
            from the shell) is returned without training; an empty `run_dir` starts a new run.
            A run of another experiment is refused. Raising `epochs` resumes a finished run to
            train further.
        callbacks: extra Keras callbacks.
        verbose: passed to `fit` ("auto" shows Keras' progress bar).
        mode: "full" or "quick", recorded in config.json; by default "quick" when GANLIB_QUICK is
            set, else "full".
        strategy: a `tf.distribute` strategy (`MirroredStrategy` over several GPUs or logical
            CPUs, `TPUStrategy`, `MultiWorkerMirroredStrategy`) to train under; the preset's
            `batch_size` is the global batch, split evenly over the replicas. By default the
            strategy in scope, if any.
        tensorboard: also write TensorBoard event files (losses every few steps, each epoch's
            logs, metrics and snapshot) to `run_dir/tensorboard/`; open them with
            `%load_ext tensorboard` then `%tensorboard --logdir RUN_DIR/tensorboard` in Jupyter
            or Colab, or `tensorboard --logdir RUN_DIR/tensorboard` in a shell.

    Returns:
        A `TrainResult`.
    """
    if isinstance(preset, str):
        preset = get_preset(preset)
    if epochs is not None:
        preset = dataclasses.replace(preset, epochs=epochs)
    strategy = strategy or tf.distribute.get_strategy()
    if preset.batch_size % strategy.num_replicas_in_sync:
        raise ValueError(
            f"batch_size {preset.batch_size} does not split evenly over the strategy's "
            f"{strategy.num_replicas_in_sync} replicas; expected a multiple of "
            f"{strategy.num_replicas_in_sync}."
        )
    run = Run(run_dir)
    if resume and not overwrite and run.finished(preset):
        return TrainResult.load(run, preset.epochs)
    # Before the data: tf.data's shuffle order depends on TensorFlow's global seed as well as its
    # own, so a pipeline made before any seed was set (a process's first run) shuffled otherwise.
    keras.utils.set_random_seed(preset.seed)
    images = None
    if dataset is None:
        dataset, images = preset_dataset(preset)
    images = check_dataset(dataset, preset) if images is None else images
    run.prepare(preset, overwrite=overwrite, resume=resume)
    # Variables made in the strategy's scope are mirrored on its replicas; `fit` then runs each
    # step on every replica's share of the batch.
    with strategy.scope():
        gan = build_gan(preset)
    history = gan.fit(
        dataset,
        epochs=preset.epochs,
        callbacks=run.callbacks(preset, extra=callbacks, mode=mode, tensorboard=tensorboard),
        verbose=verbose,
        shuffle=False,
    )
    if run.diverged:
        saved = run.saved_epochs()
        print(
            f"Training stopped: the loss diverged at {run.diverged}. The {len(saved)} completed "
            f"epochs are kept; the last good one is epoch {saved[-1] if saved else 0}."
        )
    return TrainResult(
        run=run,
        gan=gan,
        history=history.history,
        wall_time=run.wall_time(),
        images=images or run.card().get("train_images"),
        diverged=run.diverged,
    )
