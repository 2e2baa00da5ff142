"""Which epoch is best, and has it collapsed? Per-epoch metrics of a run, during or after training.

- `EpochMetrics`: a callback that every k epochs computes cheap metrics on fixed samples and
  appends them to the run's metrics.jsonl.
- `evaluate_epochs`: the same, after training, from the saved generator of every epoch.
- `suggest_best_epoch`: the best epoch of a logged metric.
- `collapse_check` / `collapse_alarm`: mode-collapse signals of a set of images / of every epoch.

Both the callback and `evaluate_epochs` draw the same latents (seeded) every epoch, so epochs are
compared on the same noise, and values computed either way with the same settings are reused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import keras

from ganlib.metrics.domain import get_domain, load_domain_classifier
from ganlib.metrics.registry import (
    Reference,
    compute_metrics,
    get_metric,
    log_metric,
    metric_series,
    read_metrics,
)
from ganlib.runs import Run, read_history, restore_epoch
from ganlib.sampling import balanced_labels, draw_latents, is_conditional, sample

DEFAULT_METRICS = ("domain_fid", "missing_classes", "class_entropy", "diversity")
COLLAPSE_METRICS = ("missing_classes", "class_entropy", "diversity")
DEFAULT_SAMPLES = 1000


def _names(metrics) -> list[str]:
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    if not names:
        raise ValueError("metrics is empty; expected at least one metric name.")
    for name in names:
        get_metric(name)
    return names


def _check_samples(samples):
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise ValueError(f"samples must be an integer ≥ 2, received {samples!r}.")


def _reference_for(names, preset, domain, real_images) -> Reference:
    """A Reference with the run's domain when one of the metrics needs a domain classifier."""
    needs_domain = any(get_metric(n).extractor == "domain" for n in names)
    if domain is None and (needs_domain or real_images is None):
        try:
            get_domain(preset.dataset)
            domain = preset.dataset  # a committed sample keeps its own test split as reference
        except ValueError:
            if needs_domain:
                raise
    return Reference(domain, real_images)


def _labels_for(generator, samples: int, reference: Reference):
    if not is_conditional(generator):
        return None
    if reference.domain is None:
        raise ValueError(
            "A conditional generator needs a domain= (for its number of classes) to be evaluated."
        )
    return balanced_labels(samples, reference.domain.classes)


class EpochMetrics(keras.callbacks.Callback):
    """Compute metrics every `every` epochs on fixed samples and append them to metrics.jsonl.

    The real images' features are computed once, at the start of training; each evaluation then
    generates `samples` images from the same latents and classifies them.

    Args:
        run_dir: the run directory `ganlib.train` writes (the same path passed to it).
        metrics: a metric name or names; by default domain FID and the collapse signals
            (missing classes, class entropy, diversity), which reuse its features.
        every: evaluate after every `every`-th epoch.
        samples: images generated per evaluation.
        seed: seed of the fixed latents.
        domain: the domain classifier to use; by default the one of the run's dataset.
        real_images: real images to compare with; by default the domain's test split.
        batch_size: images per generator forward pass.
        verbose: print one line per evaluation.

    Example:
        >>> ganlib.train(preset, run_dir, callbacks=[EpochMetrics(run_dir)])
        >>> suggest_best_epoch(run_dir, "domain_fid")
    """

    def __init__(
        self,
        run_dir,
        metrics=DEFAULT_METRICS,
        *,
        every: int = 1,
        samples: int = DEFAULT_SAMPLES,
        seed: int = 0,
        domain=None,
        real_images=None,
        batch_size: int = 250,
        verbose: bool = True,
    ):
        super().__init__()
        if isinstance(every, bool) or not isinstance(every, int) or every <= 0:
            raise ValueError(f"every must be a positive integer, received {every!r}.")
        _check_samples(samples)
        self.run = Run(run_dir)
        self.metrics = _names(metrics)
        self.every, self.samples, self.seed = every, samples, seed
        self.domain = get_domain(domain).name if domain is not None else None
        self.real_images = real_images
        self.batch_size = batch_size
        self.verbose = verbose
        self.seconds: list[float] = []

    def on_train_begin(self, logs=None):
        preset = self.run.preset()
        self.reference = _reference_for(self.metrics, preset, self.domain, self.real_images)
        generator = self.model.generator
        self.labels = _labels_for(generator, self.samples, self.reference)
        self.latents = draw_latents(
            self.samples, int(generator.inputs[0].shape[-1]), preset.noise, self.seed
        )
        start = time.perf_counter()
        for name in self.metrics:
            extractor = get_metric(name).extractor
            if extractor != "pixels":
                self.reference.real_outputs(extractor)
        self.reference_seconds = time.perf_counter() - start

    def on_epoch_end(self, epoch, logs=None):
        epoch += 1
        if epoch % self.every:
            return
        start = time.perf_counter()
        images = sample(
            self.model.generator,
            latents=self.latents,
            labels=self.labels,
            batch_size=self.batch_size,
        )
        results = compute_metrics(
            images, self.metrics, labels=self.labels, reference=self.reference
        )
        seconds = time.perf_counter() - start
        self.seconds.append(seconds)
        for result in results.values():
            log_metric(
                self.run.directory,
                result.as_record(
                    epoch, seed=self.seed, reference=self.reference.label, source="EpochMetrics"
                ),
            )
        if self.verbose:
            values = ", ".join(f"{r.metric} {r.value:.4g}" for r in results.values())
            print(f"epoch {epoch}: {values} ({self.samples} samples, {seconds:.1f} s)")


def evaluate_epochs(
    run_dir,
    metrics="domain_fid",
    *,
    epochs=None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    domain=None,
    real_images=None,
    recompute: bool = False,
    batch_size: int = 250,
    verbose: bool = True,
):
    """Compute metrics for every saved epoch of a run, from its per-epoch generator weights.

    Each epoch's generator is restored with `ganlib.restore_epoch`, draws `samples` images from
    the same seeded latents, and the results are appended to metrics.jsonl. Values already logged
    with the same samples, seed and extractor (by an earlier call or by `EpochMetrics`) are reused
    unless `recompute` is set, so a notebook can call this again cheaply.

    Args:
        run_dir: a run directory written by `ganlib.train`.
        metrics: a metric name, or a sequence of names.
        epochs: the epochs to evaluate; by default every saved one, and every one whose values
            are logged already (a shipped run keeps few weights but all its metrics).
        samples: images generated per epoch.
        seed: seed of the latents.
        domain: the domain classifier; by default the one of the run's dataset.
        real_images: real images to compare with; by default the domain's test split.
        recompute: compute again even where a logged value exists.
        batch_size: images per generator forward pass.
        verbose: print one line per epoch.

    Returns:
        {epoch: value} for one metric name, {metric: {epoch: value}} for a sequence.

    Example:
        >>> fid_by_epoch = evaluate_epochs("runs/sharma_fashion_mnist", "domain_fid")
        >>> suggest_best_epoch("runs/sharma_fashion_mnist", "domain_fid")
    """
    names = _names(metrics)
    _check_samples(samples)
    run = Run(run_dir)
    preset = run.preset()
    saved = run.saved_epochs()
    every_epoch = epochs is None
    if every_epoch:
        epochs = saved
    else:
        epochs = list(epochs)
        unsaved = [e for e in epochs if e not in saved]
        if unsaved:
            raise ValueError(
                f"Run {str(run.directory)!r} has no saved generator for epochs {unsaved}; saved "
                f"epochs: {saved}."
            )
    if not epochs and not (every_epoch and run.shipped()):
        raise ValueError(f"Run {str(run.directory)!r} has no saved epochs to evaluate.")
    reference = _reference_for(names, preset, domain, real_images)
    extractors = {n: reference.extractor_name(get_metric(n).extractor) for n in names}
    values: dict[str, dict[int, float]] = {n: {} for n in names}
    if not recompute and real_images is None:
        # Only values computed alike are reused: same samples, seed, network and real set.
        for record in read_metrics(run.directory):
            name = record.get("metric")
            if (
                name in values
                and (record.get("epoch") in epochs or every_epoch)
                and record.get("samples") == samples
                and record.get("seed") == seed
                and record.get("extractor") == extractors[name]
                and record.get("reference") == reference.label
            ):
                values[name][record["epoch"]] = float(record["value"])
    if every_epoch:
        # A shipped run keeps a few epochs' weights but the metrics of all: those count too.
        logged = set.intersection(*(set(v) for v in values.values()))
        epochs = sorted(set(epochs) | logged)
    latents = draw_latents(samples, preset.noise_dim, preset.noise, seed)
    for epoch in epochs:
        todo = [n for n in names if epoch not in values[n]]
        if not todo:
            continue
        start = time.perf_counter()
        generator = restore_epoch(run.directory, epoch)
        labels = _labels_for(generator, samples, reference)
        images = sample(generator, latents=latents, labels=labels, batch_size=batch_size)
        results = compute_metrics(images, todo, labels=labels, reference=reference)
        for result in results.values():
            values[result.metric][epoch] = result.value
            record = result.as_record(
                epoch, seed=seed, reference=reference.label, source="evaluate_epochs"
            )
            log_metric(run.directory, record)
        if verbose:
            shown = ", ".join(f"{r.metric} {r.value:.4g}" for r in results.values())
            print(f"epoch {epoch}: {shown} ({time.perf_counter() - start:.1f} s)")
    ordered = {n: {e: values[n][e] for e in epochs} for n in names}
    return ordered[names[0]] if isinstance(metrics, str) else ordered


@dataclass(frozen=True)
class BestEpoch:
    """The suggested epoch of a run for one metric, and how that metric was computed."""

    epoch: int
    value: float
    metric: str
    better: str
    samples: int
    extractor: str
    note: str = ""

    def __str__(self):
        return (
            f"epoch {self.epoch}: {self.metric} = {self.value:.4g} ({self.better} is better; "
            f"{self.samples} samples, {self.extractor})" + (f"; {self.note}" if self.note else "")
        )


def suggest_best_epoch(
    run_dir, metric: str = "domain_fid", *, exclude=(), fallback: bool = False
) -> BestEpoch:
    """The epoch with the best logged value of a metric.

    Only values computed alike (the same samples, extractor and seed as the most recent record)
    are compared. Epochs in `exclude`, e.g. those the collapse alarm flags, are left out.

    Args:
        run_dir: a run directory whose metrics.jsonl holds per-epoch values of `metric`
            (from `evaluate_epochs` or `EpochMetrics`).
        metric: a registered metric name.
        exclude: epochs not to suggest.
        fallback: when `exclude` leaves no epoch (the alarm flags them all), suggest among all
            epochs instead of raising, and say so in the result's `note`.

    Returns:
        A `BestEpoch` (epoch, value, metric, better, samples, extractor).

    Example:
        >>> best = suggest_best_epoch(run_dir, "domain_fid", exclude=collapse_alarm(run_dir).flagged)
        >>> generator = ganlib.restore_epoch(run_dir, best.epoch)
    """
    series = metric_series(run_dir, metric)
    note = ""
    if fallback and not set(series.epochs) - set(exclude):
        exclude, note = (), f"every epoch is excluded ({sorted(exclude)}): this ignores the flags"
    epoch, value = series.best(exclude=list(exclude))
    return BestEpoch(epoch, value, metric, series.better, series.samples, series.extractor, note)


@dataclass(frozen=True)
class CollapseSignals:
    """Mode-collapse signals of one set of images (one epoch), and the reasons for an alarm.

    Attributes:
        epoch: the epoch, or None for images checked directly.
        missing_classes: classes predicted for under 1 % of the samples (10 classes).
        class_entropy: normalised entropy of the predicted classes (1 = uniform).
        diversity: mean pairwise feature distance relative to real images (≈ 1 for real data).
        d_real, d_fake: the discriminator's mean probability on real and generated images that
            epoch (from history.csv), when known.
        reasons: why the alarm fires; empty when it does not.
    """

    epoch: int | None
    missing_classes: tuple[int, ...]
    class_entropy: float
    diversity: float
    d_real: float | None = None
    d_fake: float | None = None
    reasons: tuple[str, ...] = ()

    @property
    def collapsed(self) -> bool:
        return bool(self.reasons)


def _sample_reasons(missing, diversity, domain, diversity_floor) -> list[str]:
    reasons = []
    if missing:
        # MNIST's class names are its labels: "3", not "3 3".
        names = ", ".join(
            str(c) if str(domain.class_names[c]) == str(c) else f"{c} {domain.class_names[c]}"
            for c in missing
        )
        reasons.append(f"lost {len(missing)} classes ({names}): each under 1 % of the samples")
    if diversity < diversity_floor:
        reasons.append(f"diversity {diversity:.2f} of real data's (below {diversity_floor})")
    return reasons


def collapse_check(
    images, domain=None, *, reference: Reference | None = None, diversity_floor: float = 0.5
) -> CollapseSignals:
    """Mode-collapse signals of a set of generated images.

    Args:
        images: (N, H, W, C) generated images in [-1, 1], N ≥ 2 (a few hundred or more).
        domain: the domain classifier to use; ignored when `reference` is given.
        reference: a `Reference` to reuse (its real images set the diversity scale).
        diversity_floor: alarm when the diversity falls below this fraction of real data's.

    Returns:
        `CollapseSignals`; `.collapsed` is True and `.reasons` says why when classes are lost or
        diversity is below the floor.

    Example:
        >>> collapse_check(ganlib.sample(generator, 1000, seed=0), "fashion_mnist").reasons
    """
    reference = reference or Reference(domain)
    results = compute_metrics(images, COLLAPSE_METRICS, reference=reference)
    missing = tuple(results["missing_classes"].extra["missing"])
    diversity = results["diversity"].value
    return CollapseSignals(
        None,
        missing,
        results["class_entropy"].value,
        diversity,
        reasons=tuple(_sample_reasons(missing, diversity, reference.domain, diversity_floor)),
    )


@dataclass(frozen=True)
class CollapseReport:
    """The collapse signals of every evaluated epoch of a run."""

    signals: tuple[CollapseSignals, ...]
    # False when the classifier's classes are not the run's (diversity measured with another
    # domain's features): the class columns are left out rather than shown with foreign names.
    classes: bool = True

    @property
    def flagged(self) -> dict[int, tuple[str, ...]]:
        """{epoch: reasons} of the epochs where the alarm fires."""
        return {s.epoch: s.reasons for s in self.signals if s.reasons}

    def markdown(self) -> str:
        """A markdown table: one row per epoch, with its signals and the alarm's reasons."""
        if self.classes:
            rows = [
                "| epoch | missing classes | class entropy | diversity | D(x) | D(G(z)) | alarm |",
                "|---:|---|---:|---:|---:|---:|---|",
            ]
        else:
            rows = ["| epoch | diversity | D(x) | D(G(z)) | alarm |", "|---:|---:|---:|---:|---|"]
        for s in self.signals:
            d_real = "" if s.d_real is None else f"{s.d_real:.3f}"
            d_fake = "" if s.d_fake is None else f"{s.d_fake:.3f}"
            missing = ", ".join(map(str, s.missing_classes)) or "none"
            classes = f" {missing} | {s.class_entropy:.3f} |" if self.classes else ""
            rows.append(
                f"| {s.epoch} |{classes} {s.diversity:.3f} | "
                f"{d_real} | {d_fake} | {'; '.join(s.reasons) or '—'} |"
            )
        return "\n".join(rows)

    def _repr_markdown_(self):
        return self.markdown()


def collapse_alarm(
    run_dir,
    *,
    epochs=None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    domain=None,
    diversity_floor: float = 0.5,
    diversity_drop: float = 0.5,
    saturation: float = 0.02,
    verbose: bool = False,
    classes: bool = True,
) -> CollapseReport:
    """Flag the epochs of a run that show signs of mode collapse.

    An epoch is flagged when
    - its class histogram loses classes: a class gets under 1 % of the samples (10 classes);
    - its sample diversity drops sharply: below `diversity_floor` of real data's, or below
      `diversity_drop` times the previous evaluated epoch's;
    - the discriminator's outputs saturate: its mean probability on real or on generated images
      (history.csv's d_real, d_fake) is within `saturation` of 0 or 1.

    The sample signals are computed with `evaluate_epochs` (reusing logged values).

    Args:
        run_dir: a run directory.
        epochs: the epochs to check; by default every saved one.
        samples, seed, domain: as in `evaluate_epochs`.
        diversity_floor, diversity_drop, saturation: the thresholds above.
        verbose: print one line per newly evaluated epoch.
        classes: False when `domain`'s classes are not the run's (its features only measure
            diversity): lost classes are then neither flagged nor shown.

    Returns:
        A `CollapseReport`; `.flagged` is {epoch: reasons}, and it shows as a table in a notebook.

    Example:
        >>> report = collapse_alarm("runs/sharma_fashion_mnist")
        >>> report.flagged  # {} when no epoch looks collapsed
    """
    values = evaluate_epochs(
        run_dir,
        COLLAPSE_METRICS,
        epochs=epochs,
        samples=samples,
        seed=seed,
        domain=domain,
        verbose=verbose,
    )
    run = Run(run_dir)
    dataset = domain if domain is not None else run.preset().dataset
    reference_label = Reference(dataset).label
    domain = get_domain(dataset)
    extractor = load_domain_classifier(domain).name
    missing_by_epoch = {}
    for record in read_metrics(run.directory, "missing_classes"):
        if (record.get("samples"), record.get("seed"), record.get("extractor")) == (
            samples,
            seed,
            extractor,
        ) and record.get("reference") == reference_label:
            missing_by_epoch[record["epoch"]] = tuple(record.get("missing", ()))
    try:
        history = read_history(run.directory)
        outputs = {
            e: (r, f)
            for e, r, f in zip(
                history["epoch"], history.get("d_real", []), history.get("d_fake", [])
            )
        }
    except FileNotFoundError:
        outputs = {}
    signals, previous = [], None
    for epoch, diversity in values["diversity"].items():
        missing = missing_by_epoch.get(epoch, ()) if classes else ()
        reasons = _sample_reasons(missing, diversity, domain, diversity_floor)
        if previous is not None and diversity < diversity_drop * previous[1]:
            reasons.append(
                f"diversity fell to {diversity / previous[1]:.0%} of epoch {previous[0]}'s"
            )
        d_real, d_fake = outputs.get(epoch, (None, None))
        for label, value in (("D(x)", d_real), ("D(G(z))", d_fake)):
            if value is not None and (value < saturation or value > 1 - saturation):
                reasons.append(f"discriminator saturated: mean {label} = {value:.3f}")
        signals.append(
            CollapseSignals(
                epoch,
                missing,
                values["class_entropy"][epoch],
                diversity,
                d_real,
                d_fake,
                tuple(reasons),
            )
        )
        previous = (epoch, diversity)
    return CollapseReport(tuple(signals), classes=classes)
