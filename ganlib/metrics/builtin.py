"""The registered metrics. Each is a function of `Samples` returning a value (and extra facts).

Inception metrics: fid, kid, inception_score. Offline domain-classifier metrics: domain_fid,
domain_kid, domain_is, label_accuracy, class_entropy, missing_classes, diversity. Pixel metric: ssim.
`docs/metrics.md` says what each means and its caveats.
"""

from __future__ import annotations

import numpy as np

from ganlib.metrics import statistics
from ganlib.metrics.registry import Samples, register
from ganlib.metrics.ssim import mean_ssim

# A class counts as missing below this fraction of its uniform share (under 1 % of 10 classes).
MISSING_SHARE = 0.1
KID_SUBSET = 1000
KID_SUBSETS = 100


def _fid(samples: Samples, kind: str):
    return statistics.fid_from_features(
        samples.reference.real_outputs(kind)[0], samples.outputs(kind)[0]
    )


def _kid(samples: Samples, kind: str):
    mean, std = statistics.kid_from_features(
        samples.reference.real_outputs(kind)[0],
        samples.outputs(kind)[0],
        subset_size=KID_SUBSET,
        subsets=KID_SUBSETS,
    )
    return mean, {"std": std}


def _inception_score(samples: Samples, kind: str):
    mean, std = statistics.inception_score_from_probabilities(samples.outputs(kind)[1])
    return mean, {"std": std}


@register("fid", better="lower", extractor="inception", summary="Fréchet Inception Distance")
def fid(samples: Samples):
    return _fid(samples, "inception")


@register("kid", better="lower", extractor="inception", summary="Kernel Inception Distance")
def kid(samples: Samples):
    return _kid(samples, "inception")


@register(
    "inception_score", better="higher", extractor="inception", summary="Inception Score (1 split)"
)
def inception_score(samples: Samples):
    return _inception_score(samples, "inception")


@register(
    "domain_fid",
    better="lower",
    extractor="domain",
    summary="Fréchet distance of the domain classifier's penultimate features",
)
def domain_fid(samples: Samples):
    return _fid(samples, "domain")


@register("domain_kid", better="lower", extractor="domain", summary="KID on domain features")
def domain_kid(samples: Samples):
    return _kid(samples, "domain")


@register(
    "domain_is",
    better="higher",
    extractor="domain",
    summary="Inception Score with the domain classifier (TF-GAN's MNIST score)",
)
def domain_is(samples: Samples):
    return _inception_score(samples, "domain")


@register(
    "label_accuracy",
    better="higher",
    extractor="domain",
    needs_labels=True,
    summary="fraction of conditional samples classified as the label they were generated for",
)
def label_accuracy(samples: Samples):
    predicted = samples.outputs("domain")[1].argmax(axis=1)
    return float(np.mean(predicted == samples.labels))


def _histogram(samples: Samples):
    return statistics.class_histogram(
        samples.outputs("domain")[1], samples.reference.domain.classes, MISSING_SHARE
    )


@register(
    "class_entropy",
    better="higher",
    extractor="domain",
    summary="entropy of the predicted-class histogram / log(classes); 1 = uniform",
)
def class_entropy(samples: Samples):
    histogram = _histogram(samples)
    return histogram.entropy, {"counts": list(histogram.counts)}


@register(
    "missing_classes",
    better="lower",
    extractor="domain",
    summary="classes predicted for under 1 % of the samples (10 classes)",
)
def missing_classes(samples: Samples):
    histogram = _histogram(samples)
    return len(histogram.missing), {"missing": list(histogram.missing)}


@register(
    "diversity",
    better="higher",
    extractor="domain",
    summary="mean pairwise feature distance of the samples / that of the real images",
)
def diversity(samples: Samples):
    generated = statistics.mean_pairwise_distance(samples.outputs("domain")[0])
    real = samples.reference.real_diversity("domain")
    return generated / real, {"mean_distance": generated, "real_mean_distance": real}


@register(
    "ssim",
    better="higher",
    extractor="pixels",
    summary="mean SSIM between each generated image and a random real image",
)
def ssim(samples: Samples):
    return mean_ssim(samples.images, samples.reference.real_images, pairing="random")
