"""The mathematics of the metrics, on features and class probabilities already extracted.

Pure NumPy/SciPy, so each function is checked against a reference or a hand-worked case whatever
network produced its inputs (Inception-v3 or a domain classifier).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import pdist
from scipy.special import rel_entr


def _features(features, what: str) -> np.ndarray:
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or features.shape[0] == 0 or features.shape[1] == 0:
        raise ValueError(
            f"{what} must be a non-empty (samples, dimensions) array; received shape "
            f"{features.shape}."
        )
    if not np.all(np.isfinite(features)):
        raise ValueError(f"{what} holds NaN or infinite values.")
    return features


def feature_statistics(features, what: str = "features") -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of a feature set, refusing sets too small for a meaningful covariance.

    A covariance of D-dimensional features estimated from N samples has rank at most N − 1, so it
    can be full rank only when N > D. Fewer samples give a singular matrix and an FID that depends
    more on N than on the images.

    Args:
        features: (N, D) array.
        what: how error messages name the set.

    Returns:
        (mean (D,), covariance (D, D)), the covariance with the unbiased N − 1 normalisation.
    """
    features = _features(features, what)
    samples, dimensions = features.shape
    if samples <= dimensions:
        raise ValueError(
            f"FID needs more samples than feature dimensions for a full-rank covariance; {what} "
            f"has {samples} samples of {dimensions}-dimensional features. Use at least "
            f"{dimensions + 1} samples (several times more for a stable value)."
        )
    return features.mean(axis=0), np.cov(features, rowvar=False)


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (tiny negative eigenvalues → 0)."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(mean_1, covariance_1, mean_2, covariance_2) -> float:
    """Fréchet distance between two Gaussians: |μ1 − μ2|² + tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½).

    tr((Σ1 Σ2)^½) is computed as tr((Σ1^½ Σ2 Σ1^½)^½): the two matrices are similar, and the
    second is symmetric positive semi-definite, so symmetric eigendecompositions suffice and no
    complex round-off appears (the usual `scipy.linalg.sqrtm` of a non-symmetric product can
    return small imaginary parts, or fail, when Σ is singular).

    Args:
        mean_1, covariance_1: mean (D,) and covariance (D, D) of the first set.
        mean_2, covariance_2: the same for the second set.

    Returns:
        The distance, a float ≥ 0 (round-off below zero is clipped).
    """
    mean_1, mean_2 = np.asarray(mean_1, np.float64), np.asarray(mean_2, np.float64)
    covariance_1 = np.asarray(covariance_1, np.float64)
    covariance_2 = np.asarray(covariance_2, np.float64)
    dimensions = mean_1.shape[0]
    for name, value, shape in (
        ("mean_2", mean_2, (dimensions,)),
        ("covariance_1", covariance_1, (dimensions, dimensions)),
        ("covariance_2", covariance_2, (dimensions, dimensions)),
    ):
        if value.shape != shape:
            raise ValueError(f"{name} must have shape {shape}; received {value.shape}.")
    root_1 = _sqrt_psd(covariance_1)
    middle = root_1 @ covariance_2 @ root_1
    trace_root = np.sum(np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0.0, None)))
    difference = mean_1 - mean_2
    distance = (
        difference @ difference + np.trace(covariance_1) + np.trace(covariance_2) - 2.0 * trace_root
    )
    return float(max(distance, 0.0))


def fid_from_features(real_features, generated_features) -> float:
    """Fréchet distance between the Gaussians fitted to two feature sets (Heusel et al., 2017).

    Args:
        real_features: (N, D) features of real images.
        generated_features: (M, D) features of generated images.

    Returns:
        The FID, a float ≥ 0; lower is closer.
    """
    real = _features(real_features, "real features")
    generated = _features(generated_features, "generated features")
    if real.shape[1] != generated.shape[1]:
        raise ValueError(
            f"Real and generated features must have the same dimension; received {real.shape} "
            f"and {generated.shape}."
        )
    return frechet_distance(
        *feature_statistics(real, "real features"),
        *feature_statistics(generated, "generated features"),
    )


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """KID's kernel k(x, y) = (x·y / D + 1)³ between the rows of x and y."""
    kernel = x @ y.T
    kernel /= x.shape[1]
    kernel += 1.0
    # Two products are several times faster than `** 3` on a large float array.
    return kernel * kernel * kernel


def _within(x: np.ndarray) -> float:
    """Σ_{i≠j} k(x_i, x_j) / (m(m−1)): the mean kernel value between distinct samples of a set."""
    kernel, m = polynomial_kernel(x, x), x.shape[0]
    return float((kernel.sum() - np.trace(kernel)) / (m * (m - 1)))


def unbiased_mmd2(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased estimate of the squared MMD between two sets under the polynomial kernel.

    MMD² = Σ_{i≠j} k(x_i, x_j) / (m(m−1)) + Σ_{i≠j} k(y_i, y_j) / (n(n−1)) − 2 Σ_{i,j} k(x_i, y_j) / (mn).
    """
    return _within(x) + _within(y) - 2.0 * float(polynomial_kernel(x, y).mean())


def kid_from_features(
    real_features, generated_features, subset_size: int = 1000, subsets: int = 100, seed: int = 0
) -> tuple[float, float]:
    """Kernel Inception Distance (Bińkowski et al., 2018): the unbiased MMD², averaged over subsets.

    Each subset draws `subset_size` real and `subset_size` generated features without replacement
    (fewer when a set is smaller); when both whole sets fit in one subset, it is computed once.

    Args:
        real_features: (N, D) features of real images.
        generated_features: (M, D) features of generated images.
        subset_size: samples per subset.
        subsets: number of subsets.
        seed: seed of the subset draws.

    Returns:
        (mean, standard deviation) over the subsets. Unbiased, so it can be slightly negative
        when the sets are alike; lower is closer.
    """
    real = _features(real_features, "real features")
    generated = _features(generated_features, "generated features")
    if real.shape[1] != generated.shape[1]:
        raise ValueError(
            f"Real and generated features must have the same dimension; received {real.shape} "
            f"and {generated.shape}."
        )
    size = min(subset_size, real.shape[0], generated.shape[0])
    if size < 2:
        raise ValueError(
            f"KID needs at least 2 samples in each set; received {real.shape[0]} real and "
            f"{generated.shape[0]} generated."
        )
    whole_real, whole_generated = size == real.shape[0], size == generated.shape[0]
    if whole_real and whole_generated:
        return unbiased_mmd2(real, generated), 0.0
    # A set used whole in every subset has the same within-set term each time: compute it once.
    real_term = _within(real) if whole_real else None
    generated_term = _within(generated) if whole_generated else None
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(subsets):
        x = real if whole_real else real[rng.choice(real.shape[0], size, replace=False)]
        y = (
            generated
            if whole_generated
            else generated[rng.choice(generated.shape[0], size, replace=False)]
        )
        values.append(
            (real_term if real_term is not None else _within(x))
            + (generated_term if generated_term is not None else _within(y))
            - 2.0 * float(polynomial_kernel(x, y).mean())
        )
    return float(np.mean(values)), float(np.std(values))


def _probabilities(probabilities) -> np.ndarray:
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if probabilities.ndim != 2 or probabilities.shape[0] == 0 or probabilities.shape[1] < 2:
        raise ValueError(
            "probabilities must be a (samples, classes) array with at least 2 classes; received "
            f"shape {probabilities.shape}."
        )
    sums = probabilities.sum(axis=1)
    if probabilities.min() < -1e-6 or not np.allclose(sums, 1.0, atol=1e-3):
        raise ValueError(
            "probabilities must be non-negative rows that sum to 1 (softmax outputs, not logits); "
            f"received row sums in [{sums.min():g}, {sums.max():g}]."
        )
    return np.clip(probabilities, 0.0, None)


def inception_score_from_probabilities(probabilities, splits: int = 1) -> tuple[float, float]:
    """Inception Score (Salimans et al., 2016): exp(E_x KL(p(y|x) ‖ p(y))).

    With a domain classifier in place of Inception-v3 this is TF-GAN's "MNIST score". It lies
    between 1 (every image gets the same prediction, or every prediction is uniform) and the number
    of classes (confident predictions spread evenly over all classes).

    Args:
        probabilities: (N, classes) class probabilities of the generated images.
        splits: the score is computed on this many equal parts and averaged, as the original
            implementation does with 10.

    Returns:
        (mean, standard deviation) over the splits.
    """
    probabilities = _probabilities(probabilities)
    if not isinstance(splits, int) or not 1 <= splits <= probabilities.shape[0]:
        raise ValueError(
            f"splits must be an integer between 1 and the {probabilities.shape[0]} samples; "
            f"received {splits!r}."
        )
    scores = []
    for part in np.array_split(probabilities, splits):
        marginal = part.mean(axis=0, keepdims=True)
        scores.append(np.exp(rel_entr(part, marginal).sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))


@dataclass(frozen=True)
class ClassHistogram:
    """How predicted classes spread over a set of images.

    Attributes:
        counts: images predicted in each class.
        fractions: counts divided by the number of images.
        entropy: Shannon entropy of the fractions divided by log(classes): 1 when uniform, 0 when
            every image falls in one class.
        missing: classes whose fraction is below `min_share` of the uniform share 1/classes.
    """

    counts: tuple[int, ...]
    fractions: tuple[float, ...]
    entropy: float
    missing: tuple[int, ...]


def class_histogram(predicted, classes: int, min_share: float = 0.1) -> ClassHistogram:
    """The class histogram of predicted labels, with its normalised entropy and missing classes.

    Args:
        predicted: (N,) predicted class indices, or (N, classes) probabilities (argmax is taken).
        classes: number of classes.
        min_share: a class counts as missing when it receives less than `min_share / classes` of
            the images (0.1: under 1 % of the images for 10 classes).

    Returns:
        A `ClassHistogram`.
    """
    predicted = np.asarray(predicted)
    if predicted.ndim == 2:
        predicted = predicted.argmax(axis=1)
    if predicted.ndim != 1 or predicted.size == 0:
        raise ValueError(
            f"predicted must be (N,) labels or (N, classes) probabilities; received {predicted.shape}."
        )
    if predicted.min() < 0 or predicted.max() >= classes:
        raise ValueError(
            f"predicted labels must lie in [0, {classes - 1}]; received [{predicted.min()}, "
            f"{predicted.max()}]."
        )
    counts = np.bincount(predicted.astype(np.int64), minlength=classes)
    fractions = counts / counts.sum()
    nonzero = fractions[fractions > 0]
    # `0.0 +` turns the −0.0 of a single class into 0.0.
    entropy = 0.0 + float(-(nonzero * np.log(nonzero)).sum() / np.log(classes))
    missing = tuple(int(c) for c in np.flatnonzero(fractions < min_share / classes))
    return ClassHistogram(
        tuple(int(c) for c in counts), tuple(float(f) for f in fractions), entropy, missing
    )


def mean_pairwise_distance(features, limit: int = 1000, seed: int = 0) -> float:
    """Mean Euclidean distance between the feature vectors of distinct samples.

    A spread-out sample set gives a large value; a generator that draws the same image every time
    gives 0. Divided by the same quantity on real images it is the "diversity" of the collapse
    alarm.

    Args:
        features: (N, D) features, N ≥ 2.
        limit: at most this many samples (a seeded random subset) are compared.
        seed: seed of the subset.

    Returns:
        The mean distance, a float ≥ 0.
    """
    features = _features(features, "features")
    if features.shape[0] < 2:
        raise ValueError(f"Diversity needs at least 2 samples; received {features.shape[0]}.")
    if features.shape[0] > limit:
        rng = np.random.default_rng(seed)
        features = features[rng.choice(features.shape[0], limit, replace=False)]
    return float(pdist(features).mean())
