"""One frozen preset per experiment of the reports; notebooks override fields with `dataclasses.replace`.

Every preset cites where its values come from. Values a report leaves open are chosen once here, and
the "Reading" line of the preset's docstring (shown in its notebook) says which choice was made.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

from ganlib.data.registry import SAMPLES

STEPS = ("alternating", "simultaneous")
# "auto": bfloat16 where the CPU or GPU computes it, float16 on older GPUs, float32 elsewhere
# (`ganlib.precision.resolve`).
PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16", "auto")
NOISE_DISTRIBUTIONS = ("normal", "uniform")


@dataclass(frozen=True)
class Experiment:
    """Everything that defines one experiment: data, architecture, optimisation and snapshots.

    Args:
        name: preset key, e.g. "sharma_fashion_mnist".
        report: report key of EXPERIMENTS.md ("sharma", "milosevic", ...).
        reference: section, figures and tables of the report the values come from.
        dataset: name understood by `ganlib.data.load`.
        architecture: key of `ganlib.models.ARCHITECTURES`.
        image_shape: (height, width, channels) of the generated images.
        noise_dim: length of the generator's noise vector.
        noise: "normal" or "uniform" (in [-1, 1]) noise.
        batch_size: images per training step.
        epochs: passes over the training images.
        learning_rate: Adam learning rate of the generator (and of the discriminator unless
            `d_learning_rate` is set).
        d_learning_rate: Adam learning rate of the discriminator, when it differs.
        beta_1: Adam's first-moment decay.
        lr_decay_steps, lr_decay_rate: `keras.optimizers.schedules.ExponentialDecay` arguments;
            None for a constant learning rate.
        lr_decay_staircase: whether the rate drops in steps of `lr_decay_steps`.
        real_label: target for real images in the discriminator loss (0.9 is one-sided smoothing).
        dropout: discriminator dropout rates, in layer order.
        leaky_relu_alpha: negative slope of the discriminator's LeakyReLU.
        step: "alternating" (D step, then G step on fresh noise, as the reports train) or
            "simultaneous" (one generator forward feeds both updates, as the TF DCGAN tutorial).
        train_images: use only the first N training images; None for all.
        seed: the one seed of the run (weights, noise, shuffling, snapshot latents).
        snapshot_grid: (rows, columns) of the fixed latent grid drawn for per-epoch snapshots.
            For conditional presets each row is one label (see `ganlib.sampling.conditional_grid`).
        classes: number of classes a conditional GAN is conditioned on; None for an
            unconditional GAN (`ganlib.training.GAN`), an integer for `ConditionalGAN`.
        embed_dim: size of the label embedding of Milošević's networks (Table 1).
        l1_lambda: weight λ of the generator's L1(real, generated) term (Milošević's Algorithm 1);
            0 turns it off.
        feature_maps: base channel count of the conditional convolutional networks (Milošević's
            "feature map dimension", Table 1); None for the architecture's default.
        rotation_degrees: random rotation of the training images, up to this many degrees.
        crop_padding: random crop with this many pixels of padding on each side.
        steps_per_execution: training steps per call of Keras' training function (`compile`'s
            `steps_per_execution`). Above 1, `fit`'s per-step Python loop is paid once per that
            many steps, and the progress bar and batch-level callbacks (the divergence check
            included) see only every that-many-th step. It changes the speed, not the result; 8
            for the fully connected li_ye cGAN, whose 35 ms step lost about 3 % to that loop.
        cutmix_probability: chance per batch that the discriminator trains on CutMix pairs
            (`ganlib.augment.cutmix`, Vemuri & Babu) instead of plain real and generated images;
            0 turns CutMix off.
        precision: "float32", "mixed_bfloat16", "mixed_float16" or "auto" (`ganlib.precision`):
            how, not what, is computed, so a run resumes under another precision; config.json
            and the run card record the policy each run trained with.
    """

    name: str
    report: str
    reference: str
    dataset: str
    architecture: str
    image_shape: tuple[int, int, int]
    batch_size: int
    epochs: int
    learning_rate: float
    noise_dim: int = 100
    noise: str = "normal"
    d_learning_rate: float | None = None
    beta_1: float = 0.5
    lr_decay_steps: int | None = None
    lr_decay_rate: float | None = None
    lr_decay_staircase: bool = False
    real_label: float = 1.0
    dropout: tuple[float, ...] = ()
    leaky_relu_alpha: float = 0.2
    step: str = "alternating"
    train_images: int | None = None
    seed: int = 0
    snapshot_grid: tuple[int, int] = (8, 8)
    classes: int | None = None
    embed_dim: int | None = None
    l1_lambda: float = 0.0
    feature_maps: int | None = None
    rotation_degrees: float = 0.0
    crop_padding: int = 0
    cutmix_probability: float = 0.0
    # How fast, not what is trained: two runs that differ only here are the same experiment (a
    # run made with one value resumes with another).
    steps_per_execution: int = dataclasses.field(default=1, compare=False)
    precision: str = dataclasses.field(default="float32", compare=False)

    def __post_init__(self):
        for field in ("batch_size", "epochs", "noise_dim", "steps_per_execution"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"{field} must be a positive integer, received {value!r}.")
        for field in ("learning_rate", "d_learning_rate"):
            value = getattr(self, field)
            if value is not None and not (isinstance(value, (int, float)) and value > 0):
                raise ValueError(f"{field} must be a positive number, received {value!r}.")
        if self.train_images is not None and (
            not isinstance(self.train_images, int) or self.train_images <= 0
        ):
            raise ValueError(
                f"train_images must be a positive integer or None, received {self.train_images!r}."
            )
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, received {self.precision!r}.")
        if self.step not in STEPS:
            raise ValueError(f"step must be one of {STEPS}, received {self.step!r}.")
        if self.noise not in NOISE_DISTRIBUTIONS:
            raise ValueError(
                f"noise must be one of {NOISE_DISTRIBUTIONS}, received {self.noise!r}."
            )
        if not 0.0 <= self.cutmix_probability <= 1.0:
            raise ValueError(
                f"cutmix_probability must be in [0, 1], received {self.cutmix_probability!r}."
            )
        if not 0.0 < self.real_label <= 1.0:
            raise ValueError(f"real_label must be in (0, 1], received {self.real_label!r}.")
        if (self.lr_decay_steps is None) != (self.lr_decay_rate is None):
            raise ValueError(
                "lr_decay_steps and lr_decay_rate go together; received "
                f"lr_decay_steps={self.lr_decay_steps!r}, lr_decay_rate={self.lr_decay_rate!r}."
            )
        if len(self.image_shape) != 3 or min(self.image_shape) <= 0:
            raise ValueError(
                f"image_shape must be (height, width, channels), received {self.image_shape!r}."
            )
        for field in ("classes", "embed_dim", "feature_maps"):
            value = getattr(self, field)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value <= 0
            ):
                raise ValueError(f"{field} must be a positive integer or None, received {value!r}.")
        for field in ("l1_lambda", "rotation_degrees", "crop_padding"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{field} must be a number >= 0, received {value!r}.")
        if not isinstance(self.crop_padding, int):
            raise ValueError(f"crop_padding must be an integer, received {self.crop_padding!r}.")

    @property
    def conditional(self) -> bool:
        """True for presets trained with labels (`ConditionalGAN`)."""
        return self.classes is not None

    def to_dict(self) -> dict:
        """The preset as plain JSON-serialisable values."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> Experiment:
        """Inverse of `to_dict` (tuples come back from JSON as lists)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"Unknown preset fields {unknown}; expected a subset of {sorted(known)}."
            )
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        return cls(**values)


SHARMA_FASHION_MNIST = Experiment(
    name="sharma_fashion_mnist",
    report="sharma",
    reference="Sharma (2021), section 4.3, Fig 4.3.1, Table 4.3.1; collage Fig 5.1",
    dataset="fashion_mnist",
    architecture="sharma_28",
    image_shape=(28, 28, 1),
    batch_size=32,
    epochs=20,
    learning_rate=0.001,
    beta_1=0.5,
    noise_dim=100,
    real_label=0.9,
    # Reading: the report gives "0.3 and 0.4" for three dropout layers; as in its Pretty Face code,
    # 0.4 is the last one before the dense output, 0.3 the others.
    dropout=(0.3, 0.3, 0.4),
    leaky_relu_alpha=0.2,
)

SHARMA_PRETTY_FACE = Experiment(
    name="sharma_pretty_face",
    report="sharma",
    reference="Sharma (2021), section 4.4, Fig 4.4.1 and 4.4.2, Table 4.4.1; Fig 5.2-5.4",
    dataset="pretty_face",
    architecture="sharma_64",
    image_shape=(64, 64, 3),
    batch_size=128,
    epochs=200,
    learning_rate=0.002,
    beta_1=0.5,
    # Reading: "0.002 with exponential decay on step 40,000" names no rate. The rate is 0.96, the
    # value of the ExponentialDecay example in the TensorFlow docs, applied smoothly
    # (0.002 * 0.96 ** (step / 40000)). With 3,318 images in batches of 128 the report's 200
    # epochs are 5,000 steps, so the rate ends at 0.00199: the decay barely acts.
    lr_decay_steps=40_000,
    lr_decay_rate=0.96,
    noise_dim=100,
    real_label=0.9,
    dropout=(0.3, 0.3, 0.3, 0.3, 0.3, 0.4),
    leaky_relu_alpha=0.2,
)

# Reading (stiff): the report states Adam but no learning rate or batch size; these are DCGAN's
# (Radford et al., whom the report follows): lr 2e-4, beta_1 0.5, batches of 128.
STIFF_MNIST = Experiment(
    name="stiff_mnist",
    report="stiff",
    reference="Stiff et al., sections 3.4 and 4.1, Fig 3-6",
    dataset="mnist",
    architecture="stiff",
    image_shape=(28, 28, 1),
    batch_size=128,
    epochs=25,
    learning_rate=2e-4,
    beta_1=0.5,
    noise_dim=100,
    noise="uniform",
    leaky_relu_alpha=0.2,
)
STIFF_FLOWERS = dataclasses.replace(
    STIFF_MNIST,
    name="stiff_flowers",
    reference="Stiff et al., sections 3.4 and 4.2, Fig 3, 4, 7-9",
    dataset="oxford_flowers102",
    image_shape=(128, 128, 3),
    epochs=40,
)
# Reading (stiff CAT): the report trained "with 55 epochs" and shows the samples after 55 (Fig 11)
# and after 60 (Fig 12, the collapse): one run of 60 epochs holds both.
STIFF_CAT = dataclasses.replace(
    STIFF_MNIST,
    name="stiff_cat",
    reference="Stiff et al., sections 3.4, 4.3 and 5.2, Fig 3, 4, 10-12",
    dataset="cat",
    image_shape=(128, 128, 3),
    epochs=60,
)

# Reading (vemuri): 1,000 FFHQ faces at 128x128; Adam with the report's two learning rates and
# Keras' default beta_1 0.9 (the report names no other); batch size and epochs are not stated:
# 32 and 100. All three models share the basic discriminator.
VEMURI_BASIC = Experiment(
    name="vemuri_basic",
    report="vemuri",
    reference="Vemuri & Babu, 'Results and Discussion', model 1 (basic GAN)",
    dataset="ffhq",
    architecture="vemuri_basic",
    image_shape=(128, 128, 3),
    batch_size=32,
    epochs=100,
    learning_rate=1e-5,
    d_learning_rate=1e-4,
    beta_1=0.9,
    noise_dim=100,
    train_images=1000,
    snapshot_grid=(4, 4),
)
VEMURI_UNET = dataclasses.replace(
    VEMURI_BASIC,
    name="vemuri_unet",
    reference="Vemuri & Babu, 'U-Net Generator', 'Results and Discussion', model 2",
    architecture="vemuri_unet",
    noise_dim=128 * 128 * 3,
)
# Reading: CutMix on half of the batches, the rate U-Net GAN (Schoenfeld et al., the report's [1])
# ends its schedule at.
VEMURI_UNET_CUTMIX = dataclasses.replace(
    VEMURI_UNET,
    name="vemuri_unet_cutmix",
    reference="Vemuri & Babu, 'Results and Discussion', model 3 (U-Net + CutMix discriminator)",
    cutmix_probability=0.5,
)
# Reading: the report shows this model by its images alone ("Output Images": "Using UNet
# architecture with self attention(output 64*64)"), with no table, losses or training details. It
# trains as model 2 (the U-Net: same data, loss, optimizers, batch and epochs, no CutMix), on the
# same 1,000 faces resized to 64x64, with a noise image of that size; the attention's place is the
# builder's reading (`ganlib.models.unet.vemuri_unet_attention_generator`).
VEMURI_UNET_ATTENTION = dataclasses.replace(
    VEMURI_UNET,
    name="vemuri_unet_attention",
    reference="Vemuri & Babu, 'Output Images' (U-Net with self-attention, output 64x64)",
    architecture="vemuri_unet_attention",
    image_shape=(64, 64, 3),
    noise_dim=64 * 64 * 3,
)

PRESETS: dict[str, Experiment] = {
    p.name: p
    for p in (
        SHARMA_FASHION_MNIST,
        SHARMA_PRETTY_FACE,
        STIFF_MNIST,
        STIFF_FLOWERS,
        STIFF_CAT,
        VEMURI_BASIC,
        VEMURI_UNET,
        VEMURI_UNET_CUTMIX,
        VEMURI_UNET_ATTENTION,
    )
}


# --- Conditional experiments: milosevic (Table 1) and li_ye (Table 2) ----------------------------

# Milošević (2024), Table 1, one column per dataset. Reading (EXPERIMENTS.md): the optimizer is not
# stated, so Adam lr 2e-4, beta_1 0.5 (DCGAN's); "feature map dimension" is the base channel count.
MILOSEVIC_MNIST = Experiment(
    name="milosevic_mnist",
    report="milosevic",
    reference="Milošević (2024), sections 3.1-3.2, Algorithm 1, Table 1 (MNIST); Fig 1-3",
    dataset="mnist",
    architecture="milosevic",
    image_shape=(64, 64, 1),
    batch_size=256,
    epochs=50,
    learning_rate=2e-4,
    beta_1=0.5,
    noise_dim=20,
    classes=10,
    embed_dim=5,
    l1_lambda=5.0,
    feature_maps=64,
    rotation_degrees=30.0,
    crop_padding=4,
    snapshot_grid=(10, 8),
)
MILOSEVIC_ANIMAL_FACES = dataclasses.replace(
    MILOSEVIC_MNIST,
    name="milosevic_animal_faces",
    reference="Milošević (2024), Table 1 (Animal-faces); Fig 4-6",
    dataset="afhq",
    image_shape=(64, 64, 3),
    batch_size=64,
    # Reading: the report shows epochs 47 and 74 and states no total; 74 is the last one shown.
    epochs=74,
    noise_dim=100,
    classes=3,
    embed_dim=5,
    l1_lambda=5.0,
    feature_maps=96,
    rotation_degrees=0.0,
    crop_padding=0,
    snapshot_grid=(6, 8),
)
MILOSEVIC_CELEBA = dataclasses.replace(
    MILOSEVIC_ANIMAL_FACES,
    name="milosevic_celeba",
    reference="Milošević (2024), Table 1 (CelebA); Fig 7-8",
    dataset="celeba",
    batch_size=256,
    epochs=60,
    classes=1,
    embed_dim=1,
    l1_lambda=0.0,
    feature_maps=64,
    snapshot_grid=(8, 8),
)

# Li & Ye, section 4.2 and Table 2: Adam lr 2e-4, beta_1 0.5; 10 epochs for grayscale sets, 100
# for RGB. Reading: batch size and layer widths are not given; batches of 128 and 64 base feature
# maps (DCGAN's), noise of 100. Intel Natural Scene (150x150) is trained at 64x64.
LI_YE_MODELS = {"cgan": "cGANs", "cdcgan": "cDCGANs", "cdcgan2": "cDCGANs2"}
LI_YE_DATASETS = {
    "mnist": ((28, 28, 1), 10, 10, (10, 10)),
    "fashion_mnist": ((28, 28, 1), 10, 10, (10, 10)),
    "cifar10": ((32, 32, 3), 10, 100, (10, 10)),
    "cifar100": ((32, 32, 3), 100, 100, (10, 10)),
    "intel_scenes": ((64, 64, 3), 6, 100, (6, 10)),
}
LI_YE_PRESETS = tuple(
    Experiment(
        name=f"li_ye_{model}_{dataset}",
        report="li_ye",
        reference=f"Li & Ye, sections 3-4, Fig 3-4, Table 2 ({LI_YE_MODELS[model]}, {dataset})",
        dataset=dataset,
        architecture=f"li_ye_{model}",
        image_shape=image_shape,
        batch_size=128,
        epochs=epochs,
        learning_rate=2e-4,
        beta_1=0.5,
        noise_dim=100,
        classes=classes,
        feature_maps=64,
        snapshot_grid=grid,
        steps_per_execution=8 if model == "cgan" else 1,
    )
    for dataset, (image_shape, classes, epochs, grid) in LI_YE_DATASETS.items()
    for model in LI_YE_MODELS
)
PRESETS.update(
    {p.name: p for p in (MILOSEVIC_MNIST, MILOSEVIC_ANIMAL_FACES, MILOSEVIC_CELEBA, *LI_YE_PRESETS)}
)


def get_preset(name: str) -> Experiment:
    """Return the preset called `name`.

    Raises:
        ValueError: if no preset has that name; the message lists the known ones.
    """
    if name not in PRESETS:
        raise ValueError(f"Unknown preset {name!r}; expected one of {sorted(PRESETS)}.")
    return PRESETS[name]


QUICK_IMAGES = 256
QUICK_EPOCHS = 2


def quick_mode() -> bool:
    """True when the environment variable GANLIB_QUICK asks for a quick run (CI, smoke tests).

    1/true/yes/on ask for it, 0/false/no/off or unset do not; anything else is an error rather
    than a silent full run.
    """
    value = os.environ.get("GANLIB_QUICK", "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(
        f"GANLIB_QUICK is {os.environ['GANLIB_QUICK']!r}; expected 1/true/yes/on or 0/false/no/off."
    )


# Per-preset quick-mode overrides, on top of the shrinking `quick_preset` does: the 64×64 and
# 128×128 networks of these reports take seconds per image on a CPU, so their smoke runs keep the
# architecture and shrink the data (and the batch, the snapshot grid, the epochs) further.
# Vemuri: two batches, so that the CutMix run's coin (p = 0.5 a batch) has two chances to come up.
_VEMURI_QUICK = {"train_images": 8, "batch_size": 4, "epochs": 1, "snapshot_grid": (1, 4)}
_MILOSEVIC_QUICK = {"train_images": 30, "batch_size": 15}
QUICK_OVERRIDES = {
    "sharma_pretty_face": {"train_images": 4, "batch_size": 4, "snapshot_grid": (2, 4)},
    "stiff_flowers": {"train_images": 64, "batch_size": 32},
    "stiff_cat": {"train_images": 64, "batch_size": 32},
    "vemuri_basic": _VEMURI_QUICK,
    "vemuri_unet": _VEMURI_QUICK,
    "vemuri_unet_cutmix": _VEMURI_QUICK,
    "vemuri_unet_attention": _VEMURI_QUICK,
    "milosevic_mnist": {"train_images": 32, "batch_size": 16},
    "milosevic_animal_faces": _MILOSEVIC_QUICK,
    "milosevic_celeba": _MILOSEVIC_QUICK,
}


def quick_preset(preset: Experiment) -> Experiment:
    """The same experiment shrunk for a smoke run: few images and epochs, same architecture.

    A dataset with a committed sample (`ganlib.data.SAMPLES`: mnist, fashion_mnist, cifar10) is
    replaced by that sample, so a quick run needs no download. The preset's entry of
    `QUICK_OVERRIDES`, if any, is applied last.
    """
    images = min(preset.train_images or QUICK_IMAGES, QUICK_IMAGES)
    shrunk = {
        "dataset": SAMPLES.get(preset.dataset, preset.dataset),
        "train_images": images,
        "epochs": min(preset.epochs, QUICK_EPOCHS),
        "batch_size": min(preset.batch_size, images),
    }
    return dataclasses.replace(preset, **{**shrunk, **QUICK_OVERRIDES.get(preset.name, {})})


def notebook_preset(name: str, **overrides) -> Experiment:
    """The preset a notebook runs: `get_preset(name)`, its parameters applied, shrunk in quick mode.

    Args:
        name: a preset key, e.g. "sharma_pretty_face".
        **overrides: fields to replace; a value of None keeps the preset's (a notebook parameter
            left at None means "the report's").

    Returns:
        The `Experiment`, passed through `quick_preset` when `quick_mode()` is on.

    Raises:
        ValueError: for an unknown preset or a field `Experiment` does not have.

    Example:
        >>> preset = notebook_preset("stiff_flowers", epochs=None, seed=0)
    """
    preset = get_preset(name)
    fields = {field.name for field in dataclasses.fields(Experiment)}
    unknown = sorted(set(overrides) - fields)
    if unknown:
        raise ValueError(f"Experiment has no field(s) {unknown}; received overrides {overrides}.")
    preset = dataclasses.replace(preset, **{k: v for k, v in overrides.items() if v is not None})
    return quick_preset(preset) if quick_mode() else preset


def describe(presets, fields) -> str:
    """The "mode: ..." line and a table of preset fields, as a notebook's first print shows them.

    Args:
        presets: one `Experiment` (one line per field), or several (a sequence, or a dict of
            name → `Experiment`: one row per preset, one column per field).
        fields: names of `Experiment` fields, a sequence or one string of names separated by
            spaces (as `collections.namedtuple` takes them).

    Returns:
        The text, mode line first.

    Raises:
        ValueError: for a name that is not a field of `Experiment`.
    """
    fields = tuple(fields.split() if isinstance(fields, str) else fields)
    known = {field.name for field in dataclasses.fields(Experiment)}
    unknown = [field for field in fields if field not in known]
    if unknown:
        raise ValueError(f"Experiment has no field(s) {unknown}; received fields {fields}.")
    lines = [f"mode: {'QUICK MODE (smoke run, not a result)' if quick_mode() else 'full'}"]
    if isinstance(presets, Experiment):
        width = max(16, *(len(field) for field in fields))
        lines += [f"{field:>{width}}: {getattr(presets, field)}" for field in fields]
        return "\n".join(lines)
    presets = list(presets.values() if isinstance(presets, dict) else presets)
    rows = [["preset", *fields]] + [
        [p.name, *(str(getattr(p, f)) for f in fields)] for p in presets
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
