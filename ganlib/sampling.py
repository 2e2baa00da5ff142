"""Images from a generator: the one way ganlib draws noise and runs a generator on it.

A conditional generator is either a Keras model with two inputs, [noise, labels] (integer labels
of shape (N,) or (N, 1), or one-hot (N, classes), as its second input declares), or any callable
mapping an (N,) array of integer labels to (N, H, W, C) images in [-1, 1]. Generators built by
ganlib (`build_generator`, `restore_epoch`) remember the noise distribution their preset trains
with, so `sample` draws the right one by default.
"""

from __future__ import annotations

import numpy as np

from ganlib.data.checks import check_labels, check_positive_int
from ganlib.images import image_grid
from ganlib.models import NOISE_ATTRIBUTE

NOISE_DISTRIBUTIONS = ("normal", "uniform")


def draw_latents(count: int, noise_dim: int, noise: str = "normal", seed=None) -> np.ndarray:
    """A float32 (count, noise_dim) array of normal or uniform [-1, 1] noise, from NumPy's RNG."""
    rng = np.random.default_rng(seed)
    if noise == "normal":
        return rng.standard_normal((count, noise_dim), dtype=np.float32)
    if noise == "uniform":
        return rng.uniform(-1.0, 1.0, (count, noise_dim)).astype(np.float32)
    raise ValueError(f"noise must be one of {NOISE_DISTRIBUTIONS}, received {noise!r}.")


def noise_of(generator) -> str:
    """The noise distribution a generator was built for ("normal" when it does not say)."""
    return getattr(generator, NOISE_ATTRIBUTE, "normal")


def is_conditional(generator) -> bool:
    """True for a Keras model with two inputs or a plain callable (both take labels)."""
    inputs = getattr(generator, "inputs", None)
    if inputs is None:
        return callable(generator)
    return len(inputs) == 2


def generator_classes(generator) -> int:
    """The number of labels a conditional generator accepts (from its label layer or input)."""
    for layer in getattr(generator, "layers", ()):
        if layer.name == "label_embedding":
            return int(layer.input_dim)
        if layer.name == "label_one_hot":
            return int(layer.num_tokens)
    raise ValueError(
        f"Model {getattr(generator, 'name', generator)!r} has no label_embedding or label_one_hot "
        "layer; expected a conditional generator from ganlib.models.conditional."
    )


def balanced_labels(count: int, classes: int) -> np.ndarray:
    """Labels 0, 1, …, classes−1, 0, 1, … : `count` of them, every class equally often (±1)."""
    check_positive_int(count, "count")
    return (np.arange(count) % classes).astype(np.int32)


def _label_input(generator, labels: np.ndarray):
    shape = tuple(generator.inputs[1].shape)
    if len(shape) == 2 and shape[1] not in (None, 1):
        return np.eye(shape[1], dtype=np.float32)[labels]
    if len(shape) == 2:
        return labels.reshape(-1, 1)
    return labels


def sample(
    generator,
    count: int | None = None,
    *,
    labels=None,
    latents=None,
    noise: str | None = None,
    seed=None,
    batch_size: int = 250,
) -> np.ndarray:
    """Images from a generator, from new noise (or given latents), in batches.

    Args:
        generator: a Keras generator (noise → images, or [noise, labels] → images), or a
            callable labels → images.
        count: number of images; for a conditional generator, by default one per label.
        labels: (N,) integer labels, for conditional generators.
        latents: fixed (N, noise_dim) noise to use instead of a new draw.
        noise: "normal" or "uniform" (in [-1, 1]); by default the distribution the generator's
            preset trains with (recorded by `ganlib.models.build_generator`).
        seed: seed of the noise, for a repeatable draw.
        batch_size: images per forward pass: a few thousand 28×28 images in one pass take GBs.

    Returns:
        A float32 NumPy array (N, H, W, C) in [-1, 1].

    Example:
        >>> generator = ganlib.restore_epoch("runs/milosevic_mnist", 50)
        >>> digits = ganlib.sample(generator, labels=[7, 4, 1, 9, 0, 6, 6, 3, 2], seed=0)
    """
    check_positive_int(batch_size, "batch_size")
    check_positive_int(count, "count", allow_none=True)
    conditional = is_conditional(generator)
    if labels is not None:
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0 or not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(
                f"labels must be a non-empty 1-D integer array; received shape {labels.shape}, "
                f"dtype {labels.dtype}."
            )
        if count is not None and count != labels.size:
            raise ValueError(f"count {count} differs from the {labels.size} labels given.")
    if conditional and labels is None:
        raise ValueError("This generator is conditional: pass labels= (one per image).")
    if not conditional and labels is not None:
        raise ValueError("This generator takes no labels; received labels=.")
    if not hasattr(generator, "inputs"):
        return np.asarray(generator(labels), dtype=np.float32)
    if conditional and any(layer.name.startswith("label_") for layer in generator.layers):
        check_labels(labels, generator_classes(generator))
    if latents is None:
        count = labels.size if labels is not None else count
        if count is None:
            raise ValueError("Pass count= or latents= to say how many images to draw.")
        latents = draw_latents(
            count, int(generator.inputs[0].shape[-1]), noise or noise_of(generator), seed
        )
    latents = np.asarray(latents, dtype=np.float32)
    if labels is not None and len(labels) != len(latents):
        raise ValueError(
            f"latents must have one row per label ({len(labels)}); received shape {latents.shape}."
        )
    images = []
    for start in range(0, latents.shape[0], batch_size):
        inputs = latents[start : start + batch_size]
        if conditional:
            inputs = [inputs, _label_input(generator, labels[start : start + batch_size])]
        images.append(np.asarray(generator(inputs, training=False), dtype=np.float32))
    return np.concatenate(images)


def render_grid(generator, latents, columns: int, labels=None) -> np.ndarray:
    """The picture of a fixed grid (`latents`, and `labels` for a conditional generator), uint8."""
    return image_grid(sample(generator, latents=latents, labels=labels), columns=columns)


def conditional_grid(rows: int, columns: int, classes: int, noise_dim: int, noise="normal", seed=0):
    """The fixed latents × labels grid of a conditional run's snapshots.

    Row r shows label r mod `classes`. Rows that show the same pass over the labels share one set
    of `columns` latents, so a column holds the same noise under every label (the label's effect,
    seen alone); once the labels repeat (fewer classes than rows) the next rows get new latents.

    Args:
        rows, columns: the grid (the preset's `snapshot_grid`).
        classes: number of labels.
        noise_dim: length of the noise vector.
        noise: "normal" or "uniform".
        seed: seed of the latents.

    Returns:
        (latents, labels): float32 (rows·columns, noise_dim) and int32 (rows·columns,), row by row.

    Example:
        >>> latents, labels = conditional_grid(10, 8, 10, 20)  # row r: eight images of digit r
    """
    check_positive_int(classes, "classes")
    passes = -(-rows // classes)
    pool = draw_latents(passes * columns, noise_dim, noise, seed=seed)
    row = np.repeat(np.arange(rows), columns)
    column = np.tile(np.arange(columns), rows)
    latents = pool[(row // classes) * columns + column]
    return latents, (row % classes).astype(np.int32)


def snapshot_grid(preset):
    """The fixed grid a run's snapshots are drawn from: (latents, labels or None)."""
    rows, columns = preset.snapshot_grid
    if preset.conditional:
        return conditional_grid(
            rows, columns, preset.classes, preset.noise_dim, preset.noise, seed=preset.seed
        )
    return draw_latents(rows * columns, preset.noise_dim, preset.noise, seed=preset.seed), None
