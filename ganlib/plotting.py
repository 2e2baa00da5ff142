"""Pictures of a run: image grids, epoch collages, loss curves, the epoch browser and animation.

The figure functions return a `matplotlib.figure.Figure` for notebooks to show; the array
helpers they use (`image_grid`, `read_png`, `to_uint8`) live in `ganlib.images`.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from ganlib.browser import (  # noqa: F401  (re-exported: the epoch browser and the animation)
    epoch_browser,
    epoch_ticks,
    export_epoch_browser,
    legend_beside,
    show_epochs,
    show_training_animation,
    training_animation,
)
from ganlib.images import image_grid, read_png, to_uint8
from ganlib.metrics import metric_series
from ganlib.metrics.domain import get_domain
from ganlib.runs import Run, read_history, restore_epoch
from ganlib.sampling import draw_latents, sample


def _imshow(axis, picture, title=None):
    picture = np.asarray(picture)
    if picture.ndim == 3 and picture.shape[-1] == 1:
        axis.imshow(picture[..., 0], cmap="gray", vmin=0, vmax=255)
    else:
        axis.imshow(picture)
    axis.set_axis_off()
    if title:
        axis.set_title(title)


def show_images(images, rows=None, columns=None, title=None, size=6.0):
    """A figure of a batch of images as one grid.

    Args:
        images: (N, H, W, C) floats in [-1, 1] or uint8.
        rows, columns: grid size, as in `image_grid`.
        title: figure title.
        size: figure width and height in inches.

    Returns:
        A matplotlib Figure.
    """

    figure, axis = plt.subplots(figsize=(size, size))
    _imshow(axis, image_grid(images, rows, columns), title)
    figure.tight_layout()
    return figure


def epoch_collage(run_dir, epochs=None, highlight=None, size=3.0, flagged=(), *, title=None):
    """Snapshots of chosen epochs side by side, as the reports' Fig 5.1 and 5.2.

    Args:
        run_dir: a run directory.
        epochs: the epochs to show; by default up to five spread over the run, 0 and the last
            included.
        highlight: an epoch to mark (e.g. the suggested best one).
        size: inches per panel.
        flagged: epochs a collapse alarm flagged, titled so (a suggested epoch among them too).
        title: a title above the panels (e.g. the model's name), laid out clear of theirs.

    Returns:
        A matplotlib Figure.
    """

    run = Run(run_dir)
    available = run.snapshot_epochs()
    if not available:
        raise ValueError(f"Run directory {run.directory} holds no snapshots.")
    if epochs is None:
        epochs = spread(available, 5)
    missing = [epoch for epoch in epochs if epoch not in available]
    if missing:
        raise ValueError(
            f"No snapshot for epochs {missing} in {run.directory}; available epochs: {available}."
        )
    pictures = [read_png(run.snapshot_path(epoch)) for epoch in epochs]
    # Panels as tall as the snapshots are (a 1×4 strip is a quarter of its width), so that
    # neither the panels' titles nor the figure's float in empty space.
    aspect = pictures[0].shape[0] / pictures[0].shape[1]
    height = size * aspect + 0.4 + (0.35 if title else 0.0)
    figure, axes = plt.subplots(1, len(epochs), figsize=(size * len(epochs), height))
    for axis, epoch, picture in zip(np.atleast_1d(axes), epochs, pictures):
        notes = [
            n for n, on in (("suggested", epoch == highlight), ("flagged", epoch in flagged)) if on
        ]
        _imshow(axis, picture, f"epoch {epoch}" + (f" ({', '.join(notes)})" if notes else ""))
        if epoch == highlight:
            axis.title.set_color("tab:red")
    if title:
        figure.suptitle(title)  # before tight_layout, which then keeps the panels' titles below it
    figure.tight_layout()
    return figure


def spread(values, count):
    """Up to `count` epochs of a sorted list, evenly spaced as the reports pick them.

    The first and last are kept; the others are the ones nearest to the multiples of
    last / (count - 1), so epochs 1..200 give 1, 50, 100, 150, 200 (Sharma's Fig 5.2) and 0..20
    give 0, 5, 10, 15, 20.
    """
    values = sorted(values)
    if len(values) <= count:
        return values
    if count < 2:
        return values[-count:] if count > 0 else []
    first, last = values[0], values[-1]
    targets = [last * i / (count - 1) for i in range(1, count - 1)]
    # Ties go to the later (more trained) epoch; no epoch is picked twice.
    inner = [min(values[1:-1], key=lambda v, t=t: (abs(v - t), -v)) for t in targets]
    return sorted({first, *inner, last})


def loss_curves(history, size=(11.0, 3.6), *, title=None):
    """Per-epoch losses and discriminator outputs of a run.

    Args:
        history: a run directory (its history.csv) or a dict of lists as `keras.callbacks.History`
            holds (`history.history`).
        size: figure size in inches.
        title: a title above both panels (e.g. the model's name), laid out clear of theirs.

    Returns:
        A matplotlib Figure with two panels: d_loss and g_loss; D's mean probability on real and
        generated images.
    """

    if not isinstance(history, dict):
        history = read_history(history)
    if not history or not history.get("d_loss"):
        raise ValueError("The history holds no epochs yet; nothing to plot.")
    epochs = history.get("epoch") or list(range(1, len(history["d_loss"]) + 1))
    figure, (loss_axis, prob_axis) = plt.subplots(1, 2, figsize=size)
    for key in ("d_loss", "g_loss"):
        if key in history:
            loss_axis.plot(epochs, history[key], marker="o", label=key)
    loss_axis.set_xlabel("epoch")
    loss_axis.set_ylabel("loss")
    loss_axis.set_title("losses")
    legend_beside(loss_axis)
    for key, label in (("d_real", "D(x), real"), ("d_fake", "D(G(z)), generated")):
        if key in history:
            prob_axis.plot(epochs, history[key], marker="o", label=label)
    prob_axis.set_ylim(0, 1)
    prob_axis.set_xlabel("epoch")
    prob_axis.set_title("discriminator's mean probability")
    legend_beside(prob_axis)
    for axis in (loss_axis, prob_axis):
        epoch_ticks(axis)
    if title:
        # Before tight_layout, which then keeps the panels' titles below it.
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def traversal_latents(base, elements, steps: int = 8, low: float = -1.0, high: float = 1.0):
    """Noise vectors for a latent traversal: row i sweeps element `elements[i]` of its base.

    Args:
        base: one noise vector (noise_dim,) that every row starts from, or one per row
            (rows, noise_dim).
        elements: indices of the elements to move, one per row.
        steps: vectors per row.
        low, high: the first and last value the moved element takes (evenly spaced between).

    Returns:
        A float32 array (len(elements)·steps, noise_dim), row by row; each vector equals its
        row's base except at its row's element.
    """
    base = np.asarray(base, dtype=np.float32)
    elements = [int(e) for e in elements]
    if base.ndim == 1:
        base = np.tile(base, (max(len(elements), 1), 1))
    if base.ndim != 2 or base.shape[0] != len(elements):
        raise ValueError(
            f"base must be one noise vector (noise_dim,) or one per row ({len(elements)}, "
            f"noise_dim); received shape {base.shape}."
        )
    noise_dim = base.shape[1]
    bad = [e for e in elements if not 0 <= e < noise_dim]
    if bad or not elements:
        raise ValueError(
            f"elements must be a non-empty list of indices in [0, {noise_dim}); received {elements}."
        )
    if not isinstance(steps, int) or steps < 2:
        raise ValueError(f"steps must be an integer of at least 2, received {steps!r}.")
    latents = np.repeat(base[:, None, :], steps, axis=1)
    for row, element in enumerate(elements):
        latents[row, :, element] = np.linspace(low, high, steps, dtype=np.float32)
    return latents.reshape(len(elements) * steps, noise_dim)


def strongest_elements(generator, bases, low: float = -1.0, high: float = 1.0) -> list[int]:
    """For each base vector, the element whose sweep from `low` to `high` changes the image most.

    Each candidate is judged by the mean absolute pixel difference between the images at the two
    ends of its sweep: 2·noise_dim images per base, one batch.
    """
    bases = np.asarray(bases, dtype=np.float32)
    noise_dim = bases.shape[1]
    choices = []
    for base in bases:
        ends = np.tile(base, (2 * noise_dim, 1))
        ends[np.arange(noise_dim), np.arange(noise_dim)] = low
        ends[noise_dim + np.arange(noise_dim), np.arange(noise_dim)] = high
        images = np.asarray(generator(ends, training=False))
        change = np.abs(images[:noise_dim] - images[noise_dim:]).mean(axis=(1, 2, 3))
        choices.append(int(np.argmax(change)))
    return choices


def latent_traversal(
    generator,
    *,
    elements=None,
    rows: int = 5,
    steps: int = 8,
    low: float = -1.0,
    high: float = 1.0,
    base=None,
    noise: str = "uniform",
    seed: int = 0,
    size: float = 1.1,
):
    """Each row moves one element of a noise vector in steps, as Stiff et al.'s Fig 6 and 9.

    Reading of Fig 6 ("in each row ... we gradually update one element of the input vector"; its
    rows show different digits, one of which "gets turned into a 9"): every row starts from its
    own noise vector, and by default moves the element that changes that row's image most
    (`strongest_elements`) over the noise's range, so a row shows one digit turning into
    another. Most single elements of a 100-value vector barely change the image.

    Args:
        generator: maps (batch, noise_dim) noise to images in [-1, 1].
        elements: the elements to move, one per row; by default each row's strongest one.
        rows: number of rows when `elements` is None.
        steps: images per row.
        low, high: the range the moved element sweeps (the uniform noise's [-1, 1] by default).
        base: one noise vector all rows start from, or one per row; by default one per row drawn
            with `noise` and `seed`.
        noise: "normal" or "uniform", the distribution `base` is drawn from.
        seed: seed of the bases.
        size: inches per image.

    Returns:
        A matplotlib Figure; each row is labelled with the element it moves.
    """

    noise_dim = int(generator.input_shape[-1])
    count = rows if elements is None else len(elements)
    if base is None:
        base = draw_latents(count, noise_dim, noise, seed)
    base = np.asarray(base, dtype=np.float32)
    if base.ndim == 1:
        base = np.tile(base, (count, 1))
    if elements is None:
        elements = strongest_elements(generator, base, low, high)
    latents = traversal_latents(base, elements, steps, low, high)
    images = np.asarray(generator(latents, training=False))
    count = len(latents) // steps
    picture = image_grid(images, rows=count, columns=steps)
    height = images.shape[1] + 2
    figure, axis = plt.subplots(figsize=(size * steps + 1.0, size * count + 0.5))
    _imshow(axis, picture)
    axis.set_axis_on()
    axis.set_xticks([2 + height * (i + 0.5) - 1 for i in range(steps)])
    axis.set_xticklabels([f"{v:+.2f}" for v in np.linspace(low, high, steps)])
    axis.set_yticks([2 + height * (i + 0.5) - 1 for i in range(count)])
    axis.set_yticklabels([f"z[{int(e)}]" for e in elements])
    axis.tick_params(length=0)
    for spine in axis.spines.values():
        spine.set_visible(False)
    axis.set_xlabel("value of the moved element (each row: its own noise vector)")
    figure.tight_layout()
    return figure


def generated_beside_real(
    generated, real, columns: int = 8, size: float = 5.0, real_title: str = "real"
):
    """Generated images left, real ones right, as Stiff et al.'s Fig 5.

    Args:
        generated, real: (N, H, W, C) batches in [-1, 1] (or uint8) of the same image size.
        columns: tiles per row of each grid.
        size: inches per grid.
        real_title: title of the right panel (say so when the "real" images are stand-ins).

    Returns:
        A matplotlib Figure with two panels.
    """

    figure, axes = plt.subplots(1, 2, figsize=(2 * size, size))
    _imshow(axes[0], image_grid(generated, columns=columns), "generated")
    _imshow(axes[1], image_grid(real, columns=columns), real_title)
    figure.tight_layout()
    return figure


def _label_text(label, class_names):
    return str(class_names[int(label)]) if class_names is not None else str(int(label))


def labeled_snapshot(run_dir, epoch: int, class_names=None, size: float = 0.8, *, title=None):
    """One epoch's snapshot of a conditional run, each row titled with the label it was asked for.

    The PNG on disk stays a plain grid; the labels come from the run's `snapshots/labels.npy`.

    Args:
        run_dir: a conditional run directory.
        epoch: an epoch with a snapshot (0: before training).
        class_names: names to show instead of the label numbers; by default those of the run's
            dataset where ganlib knows them (Fashion-MNIST's "T-shirt/top" ...), else the numbers.
        size: inches per tile.
        title: a first title line (e.g. the model's name), above the epoch's.

    Returns:
        A matplotlib Figure.
    """

    run = Run(run_dir)
    if class_names is None:
        try:
            class_names = get_domain(run.preset().dataset).class_names
        except ValueError:  # a dataset without a domain classifier: label numbers
            pass
    labels = run.labels()
    if labels is None:
        raise ValueError(
            f"{run.directory} is not a conditional run: it has no snapshots/labels.npy."
        )
    if epoch not in run.snapshot_epochs():
        raise ValueError(
            f"No snapshot for epoch {epoch!r} in {run.directory}; available: {run.snapshot_epochs()}."
        )
    rows, columns = run.preset().snapshot_grid
    picture = read_png(run.snapshot_path(epoch))
    tile = (picture.shape[0] - 2) / rows
    figure, axis = plt.subplots(figsize=(size * columns + 1.2, size * rows + 0.5))
    _imshow(axis, picture)
    axis.set_axis_on()
    axis.set_xticks([])
    axis.set_yticks([2 + tile * (r + 0.5) - 1 for r in range(rows)])
    axis.set_yticklabels([_label_text(labels[r * columns], class_names) for r in range(rows)])
    axis.tick_params(length=0)
    for spine in axis.spines.values():
        spine.set_visible(False)
    # One title of two lines rather than a figure title, which would sit on top of this one.
    caption = f"epoch {epoch}: one label per row, one latent per column"
    axis.set_title(f"{title}\n{caption}" if title else caption)
    figure.tight_layout()
    return figure


def show_labeled(
    images, labels, class_names=None, columns: int | None = None, size=1.3, title=None
):
    """Images each titled with its label, as Milošević's "Generated images for labels [...]".

    Args:
        images: (N, H, W, C) floats in [-1, 1] or uint8.
        labels: the N labels the images were generated for.
        class_names: names to show instead of the label numbers.
        columns: tiles per row; by default as square as N allows.
        size: inches per tile.
        title: figure title; by default the list of labels, as in the report's figures.

    Returns:
        A matplotlib Figure.
    """

    images = to_uint8(images) if np.asarray(images).dtype != np.uint8 else np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 4 or labels.shape != (images.shape[0],):
        raise ValueError(
            f"images must be (N, H, W, C) with one label each; received images {images.shape} "
            f"and labels {labels.shape}."
        )
    columns = columns or math.ceil(math.sqrt(len(images)))
    rows = math.ceil(len(images) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows + 0.6))
    for index, axis in enumerate(np.atleast_1d(axes).ravel()):
        if index < len(images):
            _imshow(axis, images[index], _label_text(labels[index], class_names))
        else:
            axis.set_axis_off()
    figure.suptitle(title or f"Generated images for labels {labels.tolist()}", fontsize="small")
    figure.tight_layout()
    return figure


def labels_figure(run_dir, epoch: int, labels, *, class_names=None, seed: int = 2024, columns=3):
    """Milošević's "Epoch N Generated images for labels [...]" (Fig 1, 2, 5, 7), from a run.

    The generator of `epoch` (or of the saved epoch nearest to it, which the title then names as
    such) draws one image per label from new noise.

    Args:
        run_dir: a conditional run directory with saved weights.
        epoch: the report's epoch.
        labels: the labels of the report's figure.
        class_names: names to show instead of the label numbers.
        seed: seed of the noise.
        columns: tiles per row.

    Returns:
        A matplotlib Figure.
    """
    saved = Run(run_dir).saved_epochs()
    if not saved:
        raise ValueError(f"Run {str(run_dir)!r} has no saved epochs to draw from.")
    nearest = min(saved, key=lambda e: (abs(e - epoch), -e))
    generator = restore_epoch(run_dir, nearest)
    images = sample(generator, labels=list(labels), seed=seed)
    note = "" if nearest == epoch else f" (the report's epoch {epoch} was not saved here)"
    title = f"Epoch {nearest} Generated images for labels {list(labels)}{note}"
    return show_labeled(images, labels, class_names=class_names, columns=columns, title=title)


# The three training sets of li_ye's classifier protocol, in the order of its Table 2 columns, and
# a colour each (the same in every panel, so a set is followed from model to model).
PROTOCOL_SETS = {"generated": "tab:blue", "mixed": "tab:orange", "real": "tab:green"}


def classifier_accuracy_curves(results: dict, *, title=None, size=None, path=None):
    """Training and validation accuracy per epoch of li_ye's classifiers, as the report's Fig 8.

    Args:
        results: {panel title, e.g. "cDCGANs": a `ganlib.metrics.classifier_protocol` result};
            one panel each, from the result's "history".
        title: the figure's title, above the panels' own.
        size: figure size in inches; by default 4.2 wide per panel and 3.6 high.
        path: a file to save the figure to as PNG as well (line art stays sharp in PNG).

    Returns:
        A matplotlib Figure: in each panel, one colour per training set (generated, mixed, real
        images), its training accuracy as a solid line and its validation accuracy (on the real
        test images) dashed, over the classifier's epochs; one legend below the panels.

    Raises:
        ValueError: for no results, or a result without the per-epoch history (one made before
            `classifier_protocol` kept it).
    """
    if not results:
        raise ValueError(f"classifier_accuracy_curves needs results to draw; received {results!r}.")
    for name, result in results.items():
        missing = [k for k in PROTOCOL_SETS if k not in result.get("history", {})]
        if missing:
            raise ValueError(
                f"The result {name!r} has no per-epoch history of the classifiers {missing}; "
                "expected a result of classifier_protocol from this version of ganlib."
            )
    size = size or (4.2 * len(results), 3.6)
    # Constrained layout places the figure title and the outside legend clear of the panels.
    figure, axes = plt.subplots(
        1, len(results), figsize=size, sharey=True, squeeze=False, layout="constrained"
    )
    for axis, (name, result) in zip(axes[0], results.items()):
        for key, color in PROTOCOL_SETS.items():
            history = result["history"][key]
            for kind, style in (("training", "-"), ("validation", "--")):
                values = history[kind]
                axis.plot(
                    range(1, len(values) + 1),
                    values,
                    style,
                    marker="o",
                    markersize=3,
                    color=color,
                    label=f"trained on {key} images: {kind}",
                )
        axis.set_title(name)
        axis.set_xlabel("classifier epoch")
        epoch_ticks(axis)
        axis.grid(alpha=0.3)
    axes[0][0].set_ylabel("accuracy")
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=3, fontsize="small")
    if title:
        figure.suptitle(title)
    if path is not None:
        figure.savefig(path, format="png", dpi=100)
    return figure


def metric_curve(
    run_dir, metric: str = "domain_fid", *, best: bool = True, axis=None, size=(5.5, 3.6)
):
    """A metric over the epochs of a run, read from its metrics.jsonl, with the best epoch marked.

    Args:
        run_dir: a run directory whose metrics.jsonl holds per-epoch values of `metric` (from
            `ganlib.metrics.evaluate_epochs` or the `EpochMetrics` callback).
        metric: a registered metric name ("domain_fid", "domain_is", "diversity", ...).
        best: mark the epoch `ganlib.metrics.suggest_best_epoch` would suggest.
        axis: a matplotlib Axes to draw on, e.g. beside the loss curves; by default a new figure.
        size: figure size in inches, when a new figure is made.

    Returns:
        The matplotlib Figure.

    Example:
        >>> metric_curve("runs/sharma_fashion_mnist", "domain_fid")
    """
    series = metric_series(run_dir, metric)
    if axis is None:
        figure, axis = plt.subplots(figsize=size)
    else:
        figure = axis.figure
    axis.plot(series.epochs, series.values, marker="o", label=metric)
    if best:
        epoch, value = series.best()
        axis.plot(
            [epoch],
            [value],
            marker="*",
            markersize=15,
            color="tab:red",
            linestyle="none",
            label=f"suggested: epoch {epoch}",
        )
    epoch_ticks(axis)
    axis.set_xlabel("epoch")
    axis.set_ylabel(f"{metric} ({series.better} is better)")
    axis.set_title(f"{metric} on {series.samples} samples\n{series.extractor}", fontsize="small")
    legend_beside(axis)
    figure.tight_layout()
    return figure


# history.csv columns `history_table` prints: header and format of each.
HISTORY_COLUMNS = {
    "epoch": ("epoch", "{:>5d}"),
    "d_loss": (" d_loss", "{:>7.4f}"),
    "g_loss": (" g_loss", "{:>7.4f}"),
    "d_real": ("D(real)", "{:>7.3f}"),
    "d_fake": ("D(fake)", "{:>7.3f}"),
    "d_real_accuracy": ("acc(real)", "{:>9.3f}"),
    "d_fake_accuracy": ("acc(fake)", "{:>9.3f}"),
    "cutmix_share": ("cutmix", "{:>6.2f}"),
    "epoch_seconds": ("seconds", "{:>7.0f}"),
}


def history_table(run_dir, columns=None) -> str:
    """The per-epoch table of a run's history.csv: losses, D's mean outputs, seconds.

    Args:
        run_dir: the run directory, or its history as a dict of lists (as `loss_curves` takes).
        columns: keys of `HISTORY_COLUMNS` to print; None prints those the history holds.

    Returns:
        The text, a header line then one line per completed epoch.

    Raises:
        ValueError: for a column `HISTORY_COLUMNS` does not know or the history does not hold.

    Example:
        >>> print(history_table("runs/sharma_pretty_face"))
    """
    history = run_dir if isinstance(run_dir, dict) else read_history(run_dir)
    if columns is None:
        columns = [key for key in HISTORY_COLUMNS if key in history]
    missing = [key for key in columns if key not in HISTORY_COLUMNS or key not in history]
    if missing:
        raise ValueError(
            f"history_table cannot print columns {missing} of {str(run_dir)!r}; it knows "
            f"{list(HISTORY_COLUMNS)} and the history holds {sorted(history)}."
        )
    lines = ["  ".join(HISTORY_COLUMNS[key][0] for key in columns)]
    for row in zip(*(history[key] for key in columns)):
        cells = (HISTORY_COLUMNS[key][1].format(value) for key, value in zip(columns, row))
        lines.append("  ".join(cells))
    return "\n".join(lines)


def step_curves(run_dir, size=(11.0, 3.6)):
    """The losses and D's scores every few steps (steps.csv), the per-epoch values on top.

    A short run has a few epochs, so its `loss_curves` are a few points; steps.csv holds about 25
    rows an epoch. Each row is the running mean of the epoch so far (as Keras' progress bar shows),
    so the curve restarts each epoch and ends on that epoch's point.

    Args:
        run_dir: a run directory with a steps.csv (runs trained with this version of ganlib).
        size: figure size in inches.

    Returns:
        A matplotlib Figure with two panels, x in epochs (integer ticks): d_loss and g_loss; D's
        mean probability on real and generated images.

    Raises:
        FileNotFoundError: when the run has no steps.csv rows yet.

    Example:
        >>> step_curves("runs/sharma_fashion_mnist")
    """
    run = Run(run_dir)
    steps = run.steps()
    try:
        history = run.history()
    except FileNotFoundError:
        history = {}
    # Every epoch's last step is a row, so an epoch's length is its last step over its number.
    epoch, step = np.asarray(steps["epoch"]), np.asarray(steps["step"])
    first = int(epoch.min())
    per_epoch = step[epoch == first].max() / first
    position = step / per_epoch
    figure, (loss_axis, prob_axis) = plt.subplots(1, 2, figsize=size)
    panels = (
        (loss_axis, (("d_loss", "d_loss"), ("g_loss", "g_loss"))),
        (prob_axis, (("d_real", "D(x), real"), ("d_fake", "D(G(z)), generated"))),
    )
    for axis, keys in panels:
        for key, label in keys:
            if key not in steps:
                continue
            values = np.asarray(steps[key], dtype=float)
            line = None
            for number in np.unique(epoch):
                # One line per epoch: the running mean restarts there, joining them would mislead.
                chosen = epoch == number
                (line,) = axis.plot(
                    position[chosen],
                    values[chosen],
                    color=line.get_color() if line is not None else None,
                    label=label if line is None else None,
                    linewidth=1.2,
                )
            if key in history:
                axis.plot(
                    history["epoch"],
                    history[key],
                    "o",
                    color=line.get_color(),
                    markeredgecolor="black",
                    zorder=3,
                )
        axis.set_xlabel("epoch")
        epoch_ticks(axis)
        axis.set_xlim(left=first - 1)
        legend_beside(axis)
    loss_axis.set_ylabel("loss")
    loss_axis.set_title("losses every few steps (dots: epoch means)")
    prob_axis.set_ylim(0, 1)
    prob_axis.set_title("discriminator's mean probability")
    figure.tight_layout()
    return figure
