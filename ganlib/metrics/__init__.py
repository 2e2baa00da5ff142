"""Evaluation of generated images, offline: which epoch is best, and has the generator collapsed?

Metrics sit in a registry (`METRICS`, name → function) and their results are appended as JSON
lines to the run directory's metrics.jsonl (epoch, metric, value, samples, extractor). The
domain metrics use small classifiers shipped with ganlib and need no network; the Inception
metrics need Inception-v3's ImageNet weights (see `ganlib.metrics.inception`). docs/metrics.md
says what each metric means and its caveats.

Typical use in a notebook::

    from ganlib import metrics
    metrics.evaluate_epochs(run_dir, "domain_fid")          # every saved epoch → metrics.jsonl
    best = metrics.suggest_best_epoch(run_dir, "domain_fid")
    report = metrics.collapse_alarm(run_dir)                 # report.flagged: {epoch: reasons}
    generator = ganlib.restore_epoch(run_dir, best.epoch)
"""

from ganlib import _env  # noqa: F401
from ganlib.metrics import builtin  # noqa: F401  (registers the metrics)
from ganlib.metrics.domain import DOMAINS, DomainClassifier, get_domain, load_domain_classifier
from ganlib.metrics.epochs import (
    DEFAULT_METRICS,
    BestEpoch,
    CollapseReport,
    CollapseSignals,
    EpochMetrics,
    collapse_alarm,
    collapse_check,
    evaluate_epochs,
    suggest_best_epoch,
)
from ganlib.metrics.inception import load_inception
from ganlib.metrics.protocol import classifier_protocol, protocol_table, softmax_regression
from ganlib.metrics.registry import (
    METRICS,
    MetricResult,
    Reference,
    compute_metrics,
    get_metric,
    log_metric,
    metric_series,
    read_metrics,
    register,
)
from ganlib.metrics.ssim import mean_ssim
from ganlib.metrics.statistics import (
    class_histogram,
    fid_from_features,
    frechet_distance,
    inception_score_from_probabilities,
    kid_from_features,
    mean_pairwise_distance,
)
from ganlib.sampling import balanced_labels, is_conditional, sample


def evaluate_generator(
    generator,
    metrics=("domain_fid",),
    *,
    domain=None,
    samples: int = 1000,
    labels=None,
    noise: str = "normal",
    seed: int = 0,
    real_images=None,
    reference=None,
) -> dict:
    """Compute metrics of one generator (e.g. the restored best epoch) on freshly drawn images.

    For a conditional generator ([noise, labels] Keras model, or a callable labels → images),
    `labels` default to every class equally often, and "label_accuracy" can be asked for.

    Args:
        generator: a generator model or callable (see `ganlib.sample`).
        metrics: a metric name or names.
        domain: the domain classifier ("mnist", "fashion_mnist", "cifar10").
        samples: images to draw (when `labels` is not given).
        labels: labels to generate for, conditional generators only.
        noise: "normal" or "uniform", as the generator was trained with.
        seed: seed of the noise.
        real_images: real images to compare with; by default the domain's test split.
        reference: a `Reference` to reuse instead of domain and real_images.

    Returns:
        {metric name: `MetricResult`}.

    Example:
        >>> evaluate_generator(cgan_generator, ["label_accuracy", "domain_fid"], domain="mnist")
    """
    reference = reference or Reference(domain, real_images)
    if labels is None and is_conditional(generator):
        if reference.domain is None:
            raise ValueError("A conditional generator needs domain= or labels= to be evaluated.")
        labels = balanced_labels(samples, reference.domain.classes)
    images = sample(generator, samples, labels=labels, noise=noise, seed=seed)
    return compute_metrics(images, metrics, labels=labels, reference=reference)


__all__ = [
    "DEFAULT_METRICS",
    "DOMAINS",
    "METRICS",
    "BestEpoch",
    "CollapseReport",
    "CollapseSignals",
    "DomainClassifier",
    "EpochMetrics",
    "MetricResult",
    "Reference",
    "balanced_labels",
    "class_histogram",
    "classifier_protocol",
    "collapse_alarm",
    "collapse_check",
    "compute_metrics",
    "evaluate_epochs",
    "evaluate_generator",
    "fid_from_features",
    "frechet_distance",
    "get_domain",
    "get_metric",
    "inception_score_from_probabilities",
    "kid_from_features",
    "load_domain_classifier",
    "load_inception",
    "log_metric",
    "mean_pairwise_distance",
    "mean_ssim",
    "metric_series",
    "protocol_table",
    "read_metrics",
    "register",
    "softmax_regression",
    "suggest_best_epoch",
]
