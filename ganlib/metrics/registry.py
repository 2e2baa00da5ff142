"""The metrics registry (name → function) and the run directory's `metrics.jsonl`.

A metric is a function of a `Samples` object: the generated images, their conditioning labels,
and the real side (`Reference`). Features are extracted once per set of images and per network,
however many metrics use them, and the real set's features once per `Reference`.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ganlib import data as data_module
from ganlib.metrics import statistics
from ganlib.metrics.domain import get_domain, load_domain_arrays, load_domain_classifier
from ganlib.metrics.inception import load_inception
from ganlib.runs import Run

BETTER = ("lower", "higher")
EXTRACTORS = ("domain", "inception", "pixels")
SSIM_EXTRACTOR = "skimage.structural_similarity"


@dataclass(frozen=True)
class Metric:
    """A registered metric.

    Args:
        name: its key in `METRICS` and in metrics.jsonl.
        function: maps a `Samples` to a float, or to (float, dict of extra facts to log).
        better: "lower" or "higher", for `suggest_best_epoch`.
        extractor: the network it reads ("domain", "inception") or "pixels".
        needs_labels: it needs the labels the images were generated for.
        summary: one line on what it measures.
    """

    name: str
    function: Callable
    better: str
    extractor: str
    needs_labels: bool = False
    summary: str = ""


METRICS: dict[str, Metric] = {}


def register(name: str, *, better: str, extractor: str, needs_labels=False, summary=""):
    """Decorator adding a function to `METRICS` under `name`."""
    if better not in BETTER:
        raise ValueError(f"better must be one of {BETTER}, received {better!r}.")
    if extractor not in EXTRACTORS:
        raise ValueError(f"extractor must be one of {EXTRACTORS}, received {extractor!r}.")

    def decorate(function):
        METRICS[name] = Metric(name, function, better, extractor, needs_labels, summary)
        return function

    return decorate


def get_metric(name: str) -> Metric:
    """The registered metric called `name`."""
    if name not in METRICS:
        raise ValueError(f"Unknown metric {name!r}; expected one of {sorted(METRICS)}.")
    return METRICS[name]


def _float_images(images, what: str) -> np.ndarray:
    images = np.asarray(images)
    if images.dtype == np.uint8:
        raise ValueError(
            f"{what} are uint8 pixels; expected floats in [-1, 1] (convert with x / 127.5 - 1)."
        )
    images = images.astype(np.float32)
    data_module.check_images(images, what=what)
    if images.min() >= 0.0 and images.max() <= 1.0 and images.max() > 0.0:
        # Real or generated images in [-1, 1] always reach below 0; these look scaled to [0, 1],
        # which every metric here would score as a different distribution.
        raise ValueError(
            f"{what} lie in [0, 1] (values in [{images.min():g}, {images.max():g}]); expected "
            "[-1, 1]: convert with x * 2 - 1."
        )
    return images


# (domain, extractor name) -> (features, probabilities) of the domain's test split.
_DEFAULT_REAL_OUTPUTS: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}


class Reference:
    """The real side of the metrics: real images and their features, computed once.

    Args:
        domain: a domain with an offline classifier ("mnist", "fashion_mnist", "cifar10", or a
            dataset name of one, such as "fashion_mnist_sample"); None if only Inception metrics
            or SSIM are wanted.
        real_images: real images in [-1, 1] to compare against; by default the whole test split
            of the domain's dataset (10,000 images for MNIST and Fashion-MNIST, 932 for the
            partial CIFAR-10), or where that set is not on this machine, the test split of its
            committed sample (`mnist_sample` ...), named so in every record.
        inception_weights: passed to `ganlib.metrics.inception.load_inception`.
        classifier_weights: a weights file for the domain classifier instead of the shipped one.

    Example:
        >>> reference = Reference("fashion_mnist")
        >>> compute_metrics(images, ["domain_fid", "domain_is"], reference=reference)
    """

    def __init__(
        self, domain=None, real_images=None, *, inception_weights="auto", classifier_weights=None
    ):
        self.domain = get_domain(domain) if domain is not None else None
        # A committed sample ("fashion_mnist_sample") is compared with its own test split.
        self.dataset = (
            domain
            if isinstance(domain, str) and getattr(data_module.DATASETS.get(domain), "full", None)
            else None
        )
        self._real_images = (
            _float_images(real_images, "real_images") if real_images is not None else None
        )
        self._default_real = real_images is None and self.domain is not None
        if self._default_real and self.dataset is None and not self.domain.available():
            # Offline without the full set: the committed sample's test split, and the label
            # written beside every value says so.
            self.dataset = self.domain.sample
        self.inception_weights = inception_weights
        self.classifier_weights = classifier_weights
        self._outputs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._diversity: dict[str, float] = {}

    def __repr__(self):
        domain = self.domain.name if self.domain else None
        return f"Reference(domain={domain!r}, real_images={self.real_count()})"

    @property
    def label(self) -> str:
        """How metrics.jsonl names the real set: "<domain> test split" or "<N> given images"."""
        if self._default_real:
            return f"{self.dataset or self.domain.name} test split"
        if self._real_images is None:
            return "none"
        return f"{self._real_images.shape[0]} given images"

    def real_count(self):
        return None if self._real_images is None else self._real_images.shape[0]

    @property
    def real_images(self) -> np.ndarray:
        """The real images in [-1, 1] (loaded from the domain's test split on first use)."""
        if self._real_images is None:
            if self.domain is None:
                raise ValueError(
                    "This metric compares with real images: pass real_images=, or a domain= whose "
                    "test split is used."
                )
            images, _ = load_domain_arrays(self.dataset or self.domain, "test")
            self._real_images = images.astype(np.float32) / 127.5 - 1.0
        return self._real_images

    @property
    def classifier(self):
        """The domain's `DomainClassifier`."""
        if self.domain is None:
            raise ValueError(
                "Domain metrics need a domain classifier: pass domain= (one of 'mnist', "
                "'fashion_mnist', 'cifar10')."
            )
        return load_domain_classifier(self.domain, self.classifier_weights)

    @property
    def inception(self):
        """The `InceptionExtractor` (loaded on first use)."""
        return load_inception(self.inception_weights)

    def extractor(self, kind: str):
        """The network object of an extractor kind ("domain" or "inception")."""
        if kind == "domain":
            return self.classifier
        if kind == "inception":
            return self.inception
        raise ValueError(f"kind must be 'domain' or 'inception', received {kind!r}.")

    def extractor_name(self, kind: str) -> str:
        """How metrics.jsonl names the extractor of a kind."""
        return SSIM_EXTRACTOR if kind == "pixels" else self.extractor(kind).name

    def real_outputs(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(features, probabilities) of the real images under an extractor, cached.

        Outputs on a domain's default test split are also kept for the whole process, so that
        several calls (evaluate_epochs, then collapse_alarm) extract them only once.
        """
        if kind not in self._outputs:
            shared_key = None
            if self._default_real:
                shared_key = (self.domain.name, self.extractor_name(kind))
            if shared_key in _DEFAULT_REAL_OUTPUTS:
                self._outputs[kind] = _DEFAULT_REAL_OUTPUTS[shared_key]
            else:
                self._outputs[kind] = self.extractor(kind).outputs(self.real_images)
                if shared_key is not None:
                    _DEFAULT_REAL_OUTPUTS[shared_key] = self._outputs[kind]
        return self._outputs[kind]

    def real_diversity(self, kind: str = "domain") -> float:
        """Mean pairwise feature distance of the real images (the diversity of real data)."""
        if kind not in self._diversity:
            self._diversity[kind] = statistics.mean_pairwise_distance(self.real_outputs(kind)[0])
        return self._diversity[kind]


@dataclass
class Samples:
    """Generated images, the labels they were generated for, and the `Reference` to compare with.

    Extractor outputs are computed on first use and kept, so several metrics share them.
    """

    images: np.ndarray
    reference: Reference
    labels: np.ndarray | None = None
    _outputs: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.images = _float_images(self.images, "generated images")
        if self.labels is not None:
            self.labels = np.asarray(self.labels)
            if self.labels.shape != (self.images.shape[0],) or not np.issubdtype(
                self.labels.dtype, np.integer
            ):
                raise ValueError(
                    f"labels must be ({self.images.shape[0]},) integers, one per image; received "
                    f"shape {self.labels.shape} and dtype {self.labels.dtype}."
                )
            if self.reference.domain is not None:
                data_module.check_labels(
                    self.labels, self.reference.domain.classes, what="labels of the samples"
                )

    @property
    def count(self) -> int:
        return int(self.images.shape[0])

    def outputs(self, kind: str) -> tuple[np.ndarray, np.ndarray]:
        """(features, probabilities) of the generated images under an extractor, cached."""
        if kind not in self._outputs:
            self._outputs[kind] = self.reference.extractor(kind).outputs(self.images)
        return self._outputs[kind]


@dataclass(frozen=True)
class MetricResult:
    """One computed metric: value, number of samples, the extractor, and extra facts."""

    metric: str
    value: float
    samples: int
    extractor: str
    extra: dict = field(default_factory=dict)

    def as_record(self, epoch=None, **context) -> dict:
        """The JSON object metrics.jsonl stores for it."""
        record = {
            "epoch": epoch,
            "metric": self.metric,
            "value": self.value,
            "samples": self.samples,
            "extractor": self.extractor,
        }
        record.update(self.extra)
        record.update(context)
        return record


def compute_metrics(
    images,
    metrics=("domain_fid",),
    *,
    domain=None,
    real_images=None,
    labels=None,
    reference: Reference | None = None,
) -> dict[str, MetricResult]:
    """Compute registered metrics of a set of generated images.

    Args:
        images: (N, H, W, C) generated images in [-1, 1].
        metrics: a metric name or a sequence of names (see `METRICS`).
        domain: the domain of the offline classifier ("fashion_mnist", ...); ignored when
            `reference` is given.
        real_images: real images to compare with; by default the domain's test split.
        labels: (N,) labels the images were generated for (label_accuracy needs them).
        reference: a `Reference` to reuse, so the real features are computed only once.

    Returns:
        {metric name: `MetricResult`}.

    Example:
        >>> results = compute_metrics(images, ["domain_fid", "domain_is"], domain="fashion_mnist")
        >>> results["domain_fid"].value
    """
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    specs = [get_metric(name) for name in names]
    if reference is None:
        reference = Reference(domain, real_images)
    samples = Samples(images, reference, labels)
    results = {}
    for spec in specs:
        if spec.needs_labels and samples.labels is None:
            raise ValueError(
                f"Metric {spec.name!r} needs the labels the images were generated for; pass labels=."
            )
        output = spec.function(samples)
        value, extra = output if isinstance(output, tuple) else (output, {})
        results[spec.name] = MetricResult(
            spec.name, float(value), samples.count, reference.extractor_name(spec.extractor), extra
        )
    return results


def log_metric(run_dir, record: dict):
    """Append one JSON object as a line of the run's metrics.jsonl.

    The line is written with a single `write` and flushed, so concurrent appenders and crashes
    leave whole lines (a torn last line is skipped by `read_metrics`).

    Args:
        run_dir: the run directory.
        record: at least epoch, metric, value, samples and extractor.
    """
    missing = {"epoch", "metric", "value", "samples", "extractor"} - set(record)
    if missing:
        raise ValueError(f"A metrics record needs the keys {sorted(missing)}; received {record}.")
    path = Run(run_dir).metrics_path
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, sort_keys=True, allow_nan=True) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def read_metrics(run_dir, metric: str | None = None) -> list[dict]:
    """The records of a run's metrics.jsonl, in the order they were written.

    Args:
        run_dir: the run directory.
        metric: keep only this metric's records.

    Returns:
        A list of dicts (empty when the run has no metrics.jsonl yet).
    """
    path = Run(run_dir).metrics_path
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            if number == len(lines) and not text.endswith("\n"):
                warnings.warn(f"{path}: skipped a torn last line ({line[:60]!r}).", stacklevel=2)
                continue
            raise ValueError(f"{path}, line {number}, is not valid JSON: {error}") from error
        if metric is None or record.get("metric") == metric:
            records.append(record)
    return records


@dataclass(frozen=True)
class MetricSeries:
    """One metric over the epochs of a run, all computed alike (samples, extractor, seed, real set)."""

    metric: str
    epochs: tuple[int, ...]
    values: tuple[float, ...]
    samples: int
    extractor: str
    seed: int | None
    better: str

    def best(self, exclude=()) -> tuple[int, float]:
        """(epoch, value) of the best finite value, leaving out the epochs in `exclude`."""
        pairs = [
            (e, v)
            for e, v in zip(self.epochs, self.values)
            if e not in set(exclude) and math.isfinite(v)
        ]
        if not pairs:
            raise ValueError(
                f"No finite {self.metric} value left among epochs {list(self.epochs)} "
                f"after excluding {sorted(exclude)}."
            )
        choose = min if self.better == "lower" else max
        return choose(pairs, key=lambda pair: pair[1])


def metric_series(run_dir, metric: str) -> MetricSeries:
    """A metric's per-epoch values from metrics.jsonl, as one comparable series.

    Values computed with other sample counts, extractors, seeds or real sets do not compare: the
    series keeps those computed like the most recent record, and for an epoch logged twice the
    later value.

    Args:
        run_dir: the run directory.
        metric: a registered metric name.

    Returns:
        A `MetricSeries` sorted by epoch.
    """
    spec = get_metric(metric)
    records = [r for r in read_metrics(run_dir, metric) if r.get("epoch") is not None]
    if not records:
        raise ValueError(
            f"{Run(run_dir).metrics_path} holds no per-epoch {metric!r} values; compute them with "
            f"ganlib.metrics.evaluate_epochs({str(run_dir)!r}, {metric!r}) or the EpochMetrics "
            "callback."
        )

    def settings(record):
        return (record["samples"], record["extractor"], record.get("seed"), record.get("reference"))

    key = settings(records[-1])
    by_epoch = {int(r["epoch"]): float(r["value"]) for r in records if settings(r) == key}
    epochs = tuple(sorted(by_epoch))
    return MetricSeries(
        metric, epochs, tuple(by_epoch[e] for e in epochs), key[0], key[1], key[2], spec.better
    )
