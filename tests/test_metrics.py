"""The metrics' mathematics against NumPy/SciPy references and hand-worked cases; metrics.jsonl."""

import json
import math

import numpy as np
import pytest
import scipy.linalg
from conftest import legends_clear_of_panels

from ganlib import metrics
from ganlib.metrics import statistics
from ganlib.metrics.registry import log_metric, metric_series, read_metrics


def reference_fid(x, y):
    """FID as the original implementations write it, with scipy.linalg.sqrtm of Σ1·Σ2."""
    mean_x, mean_y = x.mean(axis=0), y.mean(axis=0)
    cov_x, cov_y = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
    root = scipy.linalg.sqrtm(cov_x @ cov_y).real
    return float(((mean_x - mean_y) ** 2).sum() + np.trace(cov_x + cov_y - 2 * root))


@pytest.fixture
def features():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(600, 16))
    mixing = rng.normal(scale=0.4, size=(16, 16)) + np.eye(16)
    generated = rng.normal(size=(500, 16)) @ mixing + rng.normal(scale=0.3, size=16)
    return real, generated


def test_fid_matches_the_scipy_reference_on_fixed_random_features(features):
    real, generated = features
    expected = reference_fid(real, generated)
    assert expected > 1.0  # the two sets really differ
    assert metrics.fid_from_features(real, generated) == pytest.approx(expected, abs=1e-4)


def test_fid_of_identical_sets_is_zero(features):
    real, _ = features
    assert metrics.fid_from_features(real, real) == pytest.approx(0.0, abs=1e-8)


def test_fid_of_a_set_shifted_by_d_in_every_feature_is_d_squared_times_dims(features):
    real, _ = features
    # Same covariance, means apart by d in each of the 16 dimensions: 0.5² · 16 = 4.
    assert metrics.fid_from_features(real, real + 0.5) == pytest.approx(4.0, abs=1e-8)


def test_frechet_distance_of_gaussians_worked_by_hand():
    # Σ1 = I, Σ2 = 4I in 2-D, means (0,0) and (1,2): 5 + tr(I + 4I − 2·2I) = 5 + 2 = 7.
    distance = metrics.frechet_distance(np.zeros(2), np.eye(2), np.array([1.0, 2.0]), 4 * np.eye(2))
    assert distance == pytest.approx(7.0, abs=1e-12)


def test_fid_refuses_fewer_samples_than_feature_dimensions():
    rng = np.random.default_rng(1)
    with pytest.raises(ValueError, match=r"generated features has 16 samples of 16-dimensional"):
        metrics.fid_from_features(rng.normal(size=(100, 16)), rng.normal(size=(16, 16)))
    with pytest.raises(ValueError, match="same dimension"):
        metrics.fid_from_features(rng.normal(size=(100, 16)), rng.normal(size=(100, 8)))
    with pytest.raises(ValueError, match="NaN"):
        metrics.fid_from_features(np.full((100, 4), np.nan), rng.normal(size=(100, 4)))


def test_kid_hand_worked_case():
    # 1-D features, k(x, y) = (x·y + 1)³. real {0, 1}, generated {1, 2}:
    # real pairs k(0,1) = 1 → 2·1 / (2·1) = 1; generated pairs k(1,2) = 27 → 27;
    # cross k(0,1) + k(0,2) + k(1,1) + k(1,2) = 1 + 1 + 8 + 27 = 37 → 2·37/4 = 18.5.
    # MMD² = 1 + 27 − 18.5 = 9.5.
    mean, std = metrics.kid_from_features([[0.0], [1.0]], [[1.0], [2.0]])
    assert mean == pytest.approx(9.5, abs=1e-12) and std == 0.0


def test_kid_unbiased_estimator_against_explicit_sums():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(6, 3)), rng.normal(loc=0.5, size=(5, 3))

    def k(a, b):
        return (a @ b / 3 + 1) ** 3

    same_x = sum(k(x[i], x[j]) for i in range(6) for j in range(6) if i != j) / (6 * 5)
    same_y = sum(k(y[i], y[j]) for i in range(5) for j in range(5) if i != j) / (5 * 4)
    cross = sum(k(x[i], y[j]) for i in range(6) for j in range(5)) / (6 * 5)
    assert statistics.unbiased_mmd2(x, y) == pytest.approx(same_x + same_y - 2 * cross, abs=1e-10)


def test_kid_over_subsets_is_small_for_one_distribution_and_large_for_two(features):
    real, generated = features
    rng = np.random.default_rng(3)
    alike, _ = metrics.kid_from_features(real, rng.normal(size=(500, 16)), subset_size=200)
    apart, spread = metrics.kid_from_features(real, generated, subset_size=200, subsets=20)
    assert abs(alike) < 0.05 < apart and spread > 0


def test_inception_score_hand_worked_cases():
    # Confident predictions spread evenly over k classes score k; one class for all scores 1.
    assert metrics.inception_score_from_probabilities(np.eye(4)[[0, 1, 2, 3] * 5])[0] == (
        pytest.approx(4.0)
    )
    assert metrics.inception_score_from_probabilities(np.eye(4)[[2] * 10])[0] == pytest.approx(1.0)
    assert metrics.inception_score_from_probabilities(np.full((8, 4), 0.25))[0] == pytest.approx(
        1.0
    )
    # p = [[.5, .5], [1, 0]], marginal [.75, .25]:
    # KL1 = .5 ln(.5/.75) + .5 ln(.5/.25), KL2 = ln(1/.75); IS = exp((KL1 + KL2) / 2) = 1.240806
    kl1 = 0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25)
    kl2 = math.log(1 / 0.75)
    score, std = metrics.inception_score_from_probabilities([[0.5, 0.5], [1.0, 0.0]])
    assert score == pytest.approx(math.exp((kl1 + kl2) / 2), abs=1e-12)
    assert score == pytest.approx(1.240806, abs=1e-6) and std == 0.0


def test_inception_score_splits_average_the_parts():
    probabilities = np.concatenate([np.eye(2)[[0, 1] * 3], np.eye(2)[[0] * 6]])
    mean, std = metrics.inception_score_from_probabilities(probabilities, splits=2)
    assert (mean, std) == (pytest.approx(1.5), pytest.approx(0.5))  # parts score 2 and 1


def test_inception_score_refuses_logits_and_bad_splits():
    with pytest.raises(ValueError, match="softmax outputs, not logits"):
        metrics.inception_score_from_probabilities([[2.0, -1.0], [0.3, 0.1]])
    with pytest.raises(ValueError, match="splits must be an integer between 1 and the 2 samples"):
        metrics.inception_score_from_probabilities([[0.5, 0.5], [1.0, 0.0]], splits=3)


def test_class_histogram_hand_worked():
    histogram = metrics.class_histogram([0, 0, 1, 2], classes=4)
    assert histogram.counts == (2, 1, 1, 0)
    # −(.5 ln .5 + 2 · .25 ln .25) / ln 4 = 0.75
    assert histogram.entropy == pytest.approx(0.75, abs=1e-12)
    assert histogram.missing == (3,)
    assert metrics.class_histogram(np.eye(3)[[0, 1, 2]], classes=3).entropy == pytest.approx(1.0)
    with pytest.raises(ValueError, match=r"must lie in \[0, 3\]; received \[0, 5\]"):
        metrics.class_histogram([0, 5], classes=4)


def test_mean_pairwise_distance_hand_worked():
    # A 3-4-5 triangle: distances 5, 3 and 4, mean 4.
    assert metrics.mean_pairwise_distance([[0, 0], [3, 4], [0, 4]]) == pytest.approx(4.0)
    assert metrics.mean_pairwise_distance(np.ones((10, 3))) == 0.0


def test_ssim_of_identical_images_is_one_and_of_constant_images_is_worked_by_hand():
    rng = np.random.default_rng(4)
    images = rng.uniform(-1, 1, size=(3, 16, 16, 1)).astype(np.float32)
    assert metrics.mean_ssim(images[:1], images[:1]) == pytest.approx(1.0)
    # Constant images a and b: SSIM = (2ab + C1) / (a² + b² + C1), C1 = (0.01 · range 2)².
    first, second = np.full((1, 16, 16, 1), 0.5), np.full((1, 16, 16, 1), -0.5)
    c1 = (0.01 * 2) ** 2
    expected = (2 * 0.5 * -0.5 + c1) / (0.25 + 0.25 + c1)
    # (computed in float32, hence the tolerance)
    assert metrics.mean_ssim(first, second) == pytest.approx(expected, abs=1e-6)


def test_ssim_pairings():
    rng = np.random.default_rng(5)
    real = rng.uniform(-1, 1, size=(5, 12, 12, 3)).astype(np.float32)
    generated = real[[2, 4]]
    # "nearest" finds each image's own copy among the real ones.
    assert metrics.mean_ssim(generated, real, pairing="nearest") == pytest.approx(1.0)
    assert metrics.mean_ssim(generated, real, pairing="random", seed=0) < 0.5
    with pytest.raises(ValueError, match="pairing must be one of"):
        metrics.mean_ssim(generated, real, pairing="best")
    with pytest.raises(ValueError, match=r"real images must have shape \(batch, 12, 12, 3\)"):
        metrics.mean_ssim(generated, real[..., :1])
    with pytest.raises(ValueError, match="must be in \\[-1, 1\\]"):
        metrics.mean_ssim(generated * 255, real)


def test_log_metric_appends_whole_lines_and_read_metrics_reads_them(tmp_path):
    for epoch, value in ((1, 5.0), (2, 3.0), (3, 4.0)):
        record = {"epoch": epoch, "metric": "domain_fid", "value": value, "samples": 100}
        log_metric(tmp_path, {**record, "extractor": "domain:x/1", "seed": 0})
    log_metric(
        tmp_path,
        {"epoch": 1, "metric": "domain_is", "value": 2.0, "samples": 100, "extractor": "e"},
    )
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["value"] == 5.0
    assert [r["epoch"] for r in read_metrics(tmp_path, "domain_fid")] == [1, 2, 3]
    best = metrics.suggest_best_epoch(tmp_path, "domain_fid")
    assert (best.epoch, best.value, best.better) == (2, 3.0, "lower")
    assert metrics.suggest_best_epoch(tmp_path, "domain_fid", exclude=[2]).epoch == 3
    assert "epoch 2: domain_fid = 3" in str(best)
    with pytest.raises(ValueError, match="needs the keys \\['extractor', 'samples'\\]"):
        log_metric(tmp_path, {"epoch": 1, "metric": "fid", "value": 1.0})


def test_metric_series_compares_only_values_computed_alike(tmp_path):
    def log(epoch, value, samples):
        log_metric(
            tmp_path,
            {
                "epoch": epoch,
                "metric": "domain_is",
                "value": value,
                "samples": samples,
                "extractor": "e",
            },
        )

    log(1, 9.0, 100)  # an old evaluation with fewer samples: not compared with the rest
    log(1, 2.0, 1000)
    log(2, 3.0, 1000)
    log(2, 3.5, 1000)  # the later value of an epoch wins
    series = metric_series(tmp_path, "domain_is")
    assert series.epochs == (1, 2) and series.values == (2.0, 3.5) and series.samples == 1000
    assert metrics.suggest_best_epoch(tmp_path, "domain_is").epoch == 2  # higher is better


def test_read_metrics_skips_a_torn_last_line_but_not_a_damaged_one(tmp_path):
    good = json.dumps({"epoch": 1, "metric": "fid", "value": 1.0, "samples": 2, "extractor": "e"})
    (tmp_path / "metrics.jsonl").write_text(good + "\n" + '{"epoch": 2, "met')
    with pytest.warns(UserWarning, match="torn last line"):
        assert len(read_metrics(tmp_path)) == 1
    (tmp_path / "metrics.jsonl").write_text('{"epoch": 2, "met\n' + good + "\n")
    with pytest.raises(ValueError, match="line 1, is not valid JSON"):
        read_metrics(tmp_path)


def test_suggest_best_epoch_without_values_says_how_to_compute_them(tmp_path):
    with pytest.raises(
        ValueError, match=r"holds no per-epoch 'domain_fid' values.*evaluate_epochs"
    ):
        metrics.suggest_best_epoch(tmp_path, "domain_fid")
    with pytest.raises(ValueError, match="Unknown metric 'fidd'"):
        metrics.suggest_best_epoch(tmp_path, "fidd")


def test_registry_lists_each_metric_with_its_direction_and_extractor():
    expected = {
        "fid": ("lower", "inception"),
        "kid": ("lower", "inception"),
        "inception_score": ("higher", "inception"),
        "domain_fid": ("lower", "domain"),
        "domain_kid": ("lower", "domain"),
        "domain_is": ("higher", "domain"),
        "label_accuracy": ("higher", "domain"),
        "class_entropy": ("higher", "domain"),
        "missing_classes": ("lower", "domain"),
        "diversity": ("higher", "domain"),
        "ssim": ("higher", "pixels"),
    }
    assert {n: (m.better, m.extractor) for n, m in metrics.METRICS.items()} == expected
    with pytest.raises(ValueError, match="better must be one of"):
        metrics.register("x", better="smaller", extractor="domain")


def test_ssim_through_the_registry_uses_the_given_real_images():
    rng = np.random.default_rng(6)
    real = rng.uniform(-1, 1, size=(4, 8, 8, 1)).astype(np.float32)
    result = metrics.compute_metrics(real, "ssim", real_images=real[[0]])["ssim"]
    assert result.extractor == "skimage.structural_similarity" and result.samples == 4
    assert result.value == pytest.approx(metrics.mean_ssim(real, real[[0]]))
    with pytest.raises(ValueError, match="uint8 pixels; expected floats in \\[-1, 1\\]"):
        metrics.compute_metrics((real * 100).astype(np.uint8), "ssim", real_images=real)
    with pytest.raises(ValueError, match="pass real_images=, or a domain="):
        metrics.compute_metrics(real, "ssim")


def test_metric_curve_plots_the_logged_values_and_marks_the_best_epoch(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from ganlib.plotting import metric_curve

    for epoch, value in ((1, 9.0), (2, 4.0), (3, 6.0)):
        log_metric(
            tmp_path,
            {
                "epoch": epoch,
                "metric": "domain_fid",
                "value": value,
                "samples": 500,
                "extractor": "e",
            },
        )
    figure = metric_curve(tmp_path, "domain_fid")
    curve, star = figure.axes[0].get_lines()
    assert list(curve.get_xdata()) == [1, 2, 3] and list(curve.get_ydata()) == [9.0, 4.0, 6.0]
    assert (list(star.get_xdata()), list(star.get_ydata())) == ([2], [4.0])
    assert star.get_label() == "suggested: epoch 2"
    assert "500 samples" in figure.axes[0].get_title()
    assert legends_clear_of_panels(figure)
