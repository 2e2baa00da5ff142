"""The committed domain classifiers and the metrics built on them, on real data and on stand-ins."""

import numpy as np
import pytest
from conftest import data_marks

from ganlib import metrics
from ganlib.metrics.domain import (
    DomainClassifier,
    file_digest,
    load_domain_arrays,
    read_record,
)

RECORD = read_record()


def scaled(images):
    return images.astype(np.float32) / 127.5 - 1.0


@pytest.mark.parametrize(
    "domain",
    [pytest.param(name, marks=data_marks(name)) for name in ("mnist", "fashion_mnist", "cifar10")],
)
def test_recorded_accuracy_is_reproduced_from_the_committed_weights(domain):
    record = RECORD[domain]
    classifier = DomainClassifier(domain)  # a fresh load, not the process-wide one
    images, labels = load_domain_arrays(domain, "test")
    assert len(images) == record["test_images"]  # the whole test split
    accuracy = float(np.mean(classifier.predict_labels(scaled(images)) == labels))
    assert accuracy == pytest.approx(record["test_accuracy"], abs=0.005)
    assert file_digest(classifier.weights_path) == record["weights_sha256_12"]
    assert classifier.name == f"domain:{domain}/{record['weights_sha256_12']}"


def test_recorded_accuracy_meets_the_targets():
    assert RECORD["mnist"]["test_accuracy"] >= 0.99
    assert RECORD["fashion_mnist"]["test_accuracy"] >= 0.91
    # 4,660 training images only; a figure well above chance (10 %) is what it allows.
    assert RECORD["cifar10"]["test_accuracy"] >= 0.5


@pytest.fixture(scope="module")
def reference():
    return metrics.Reference("fashion_mnist_sample")  # its 500 committed test images


@pytest.fixture(scope="module")
def real_train():
    images, labels = load_domain_arrays("fashion_mnist_sample", "train")
    return scaled(images[:2000]), labels[:2000]


def test_domain_metrics_tell_real_images_from_noise(reference, real_train):
    names = ["domain_fid", "domain_is", "class_entropy", "missing_classes"]
    real = metrics.compute_metrics(real_train[0][:1000], names, reference=reference)
    rng = np.random.default_rng(0)
    noise = rng.uniform(-1, 1, size=(1000, 28, 28, 1)).astype(np.float32)
    fake = metrics.compute_metrics(noise, names, reference=reference)
    assert real["domain_fid"].value * 20 < fake["domain_fid"].value
    # Real images: confident and spread over all 10 classes; noise: few classes.
    assert real["domain_is"].value > 7.0 > 2 * fake["domain_is"].value
    assert real["class_entropy"].value > 0.98 and real["missing_classes"].value == 0
    assert fake["missing_classes"].value >= 5
    assert real["domain_fid"].samples == 1000
    digest = file_digest(reference.classifier.weights_path)
    assert real["domain_fid"].extractor == f"domain:fashion_mnist/{digest}"


def test_domain_kid_against_a_small_real_set(real_train):
    images = real_train[0]
    small = metrics.Reference("fashion_mnist", real_images=images[1000:1400])
    alike = metrics.compute_metrics(images[:400], "domain_kid", reference=small)["domain_kid"]
    rng = np.random.default_rng(1)
    noise = rng.uniform(-1, 1, size=(400, 28, 28, 1)).astype(np.float32)
    apart = metrics.compute_metrics(noise, "domain_kid", reference=small)["domain_kid"]
    assert abs(alike.value) * 20 < apart.value and alike.extra["std"] == 0.0  # one whole subset


def test_label_accuracy_of_faithful_and_careless_conditional_generators(reference, real_train):
    images, labels = real_train
    by_class = {c: images[labels == c] for c in range(10)}

    def faithful(asked):
        # Stand-in conditional generator: a real image of each requested class.
        return np.stack([by_class[c][i % len(by_class[c])] for i, c in enumerate(asked)])

    def careless(asked):
        return faithful((np.asarray(asked) + 3) % 10)

    good = metrics.evaluate_generator(faithful, "label_accuracy", reference=reference, samples=500)
    bad = metrics.evaluate_generator(careless, "label_accuracy", reference=reference, samples=500)
    assert good["label_accuracy"].value > 0.88  # the classifier's own accuracy, about
    assert bad["label_accuracy"].value < 0.1
    with pytest.raises(ValueError, match="needs the labels the images were generated for"):
        metrics.compute_metrics(images[:10], "label_accuracy", reference=reference)


def test_collapse_check_fires_on_one_repeated_image_and_is_silent_on_real_data(
    reference, real_train
):
    real = metrics.collapse_check(real_train[0][:1000], reference=reference)
    assert real.reasons == () and not real.collapsed
    assert 0.8 < real.diversity < 1.2 and real.missing_classes == ()
    same = np.repeat(real_train[0][:1], 500, axis=0)
    collapsed = metrics.collapse_check(same, reference=reference)
    # Identical inputs give features equal up to round-off between batch positions.
    assert collapsed.collapsed and collapsed.diversity == pytest.approx(0.0, abs=1e-6)
    assert len(collapsed.missing_classes) == 9
    assert collapsed.reasons[0].startswith("lost 9 classes")
    assert collapsed.reasons[1] == "diversity 0.00 of real data's (below 0.5)"


def test_larger_images_are_resized_to_the_classifiers_input():
    # MNIST at 64×64, as milosevic generates it.
    import tensorflow as tf

    images, labels = load_domain_arrays("mnist_sample", "test")
    large = tf.image.resize(scaled(images[:500]), (64, 64)).numpy()
    predicted = metrics.load_domain_classifier("mnist").predict_labels(large)
    assert np.mean(predicted == labels[:500]) > 0.95


def test_bad_input_is_refused_with_the_value_and_the_expectation(tmp_path, real_train):
    classifier = metrics.load_domain_classifier("mnist")
    with pytest.raises(
        ValueError, match=r"takes 1-channel images; received shape \(2, 28, 28, 3\)"
    ):
        classifier.outputs(np.zeros((2, 28, 28, 3), np.float32))
    with pytest.raises(ValueError, match=r"must be in \[-1, 1\]; received values in \[0, 255\]"):
        classifier.outputs(np.stack([np.zeros((28, 28, 1)), np.full((28, 28, 1), 255.0)]))
    with pytest.raises(ValueError, match="uint8 pixels"):
        metrics.compute_metrics(np.zeros((2, 28, 28, 1), np.uint8), "domain_is", domain="mnist")
    with pytest.raises(ValueError, match="FID needs more samples than feature dimensions"):
        metrics.compute_metrics(real_train[0][:100], "domain_fid", domain="fashion_mnist")
    with pytest.raises(FileNotFoundError, match="train them with `python -m ganlib.metrics"):
        DomainClassifier("mnist", weights_path=tmp_path / "absent.weights.h5")
    with pytest.raises(ValueError, match="No domain classifier for 'celeba'"):
        metrics.Reference("celeba")
