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

import os

from ganlib import _env  # noqa: F401
from ganlib.experiments import quick_mode
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
    "diversity_alarm",
    "comparison_table",
    "compute_metrics",
    "evaluate_epochs",
    "evaluate_generator",
    "fid_from_features",
    "frechet_distance",
    "get_domain",
    "get_metric",
    "inception_fid",
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


def inception_fid(generated, real, quick=None) -> tuple:
    """Inception FID of generated against real images, or the reason it cannot be computed here.

    Inception-v3's ImageNet weights are a download: in quick mode (CI, no network) FID is only
    computed when `GANLIB_INCEPTION_WEIGHTS` names a local copy, and anywhere a missing file is
    reported rather than raised, so a notebook can print either.

    Args:
        generated: generated images in [-1, 1], (N, H, W, C).
        real: real images in [-1, 1], (M, H, W, C).
        quick: whether this is a quick run; None reads `ganlib.quick_mode()`.

    Returns:
        (value, reason): the FID and "", or None and why it was not computed.

    Example:
        >>> value, why = inception_fid(generated, real)
        >>> print("Inception FID", f"{value:.1f}" if value is not None else why)
    """
    quick = quick_mode() if quick is None else quick
    if quick and not os.environ.get("GANLIB_INCEPTION_WEIGHTS"):
        return None, "not computed in quick mode (CI has no network for Inception-v3's weights)"
    try:
        reference = Reference(None, real)
        return compute_metrics(generated, ["fid"], reference=reference)["fid"].value, ""
    except FileNotFoundError as error:
        return None, f"not computed: {error}"


def diversity_alarm(run_dir, real_images, *, domain: str = "cifar10", samples: int = 500) -> tuple:
    """The collapse alarm on diversity and D saturation alone, for images no classifier knows.

    Every epoch's sample diversity is measured with the features of `domain`'s classifier (any
    images, resized to its input), relative to the diversity of `real_images`, and logged to
    metrics.jsonl; `domain`'s classes are not the run's, so the alarm neither shows nor flags
    them. A line names the flagged epochs; without the classifier's weights nothing is computed
    and a line says so.

    Args:
        run_dir: the run directory.
        real_images: training images in [-1, 1], the diversity's reference.
        domain: the domain classifier whose features measure diversity.
        samples: images generated per epoch.

    Returns:
        (alarm, flagged): the `CollapseReport` (None without weights) and the sorted epochs
        flagged for a fall of diversity or a saturated discriminator.
    """
    if not get_domain(domain).weights_path.is_file():
        print(
            f"COLLAPSE ALARM PENDING: no {domain} classifier weights in this ganlib; compare "
            "epochs by eye."
        )
        return None, []
    evaluate_epochs(
        run_dir,
        ["missing_classes", "class_entropy", "diversity"],
        domain=domain,
        real_images=real_images,
        samples=samples,
        verbose=False,
    )
    alarm = collapse_alarm(run_dir, domain=domain, samples=samples, classes=False)
    flagged = sorted(alarm.flagged)
    print("diversity or saturation flagged at epochs:", flagged or "none")
    return alarm, flagged


def comparison_table(
    generators: dict,
    real_images,
    *,
    samples: int,
    reported=None,
    epochs=None,
    noise="normal",
    seed: int = 0,
    ssim_seed: int = 0,
    quick=None,
) -> tuple:
    """SSIM and Inception FID of several generators on images from new noise, as a text table.

    Args:
        generators: name → generator (e.g. each model's restored best epoch).
        real_images: real images in [-1, 1], the reference of both metrics.
        samples: images drawn from each generator.
        reported: name → (SSIM, FID) of the report, printed beside ganlib's.
        epochs: name → the epoch each generator was restored from.
        noise: "normal" or "uniform", or name → either.
        seed: seed of the noise; ssim_seed: seed of SSIM's random pairing.
        quick: whether this is a quick run (see `inception_fid`); None reads `quick_mode()`.

    Returns:
        (table, images): the text (a line on the sample counts, why FID is missing if it is, a
        header and one row per generator), and name → the generated images.
    """
    reported, epochs = reported or {}, epochs or {}
    rows, images, why = [], {}, ""
    for name, generator in generators.items():
        kind = noise.get(name, "normal") if isinstance(noise, dict) else noise
        images[name] = sample(generator, samples, noise=kind, seed=seed)
        fid, why = inception_fid(images[name], real_images, quick=quick)
        ssim = mean_ssim(images[name], real_images, seed=ssim_seed)
        report_ssim, report_fid = reported.get(name, (float("nan"), float("nan")))
        fid_text = f"{fid:8.1f}" if fid is not None else f"{'—':>8}"
        rows.append(
            f"{name:<20} {epochs.get(name, '?'):>5} {ssim:7.4f} {fid_text}   "
            f"{report_ssim:11.4f} {report_fid:10.1f}"
        )
    header = f"{'model':<20} {'epoch':>5} {'SSIM':>7} {'FID':>8}   {'report SSIM':>11} {'report FID':>10}"
    counts = f"{samples} generated vs {len(real_images)} real images" + (
        f"; FID {why}" if why else ""
    )
    return "\n".join([counts, header, *rows]), images
