"""Inception-v3 extraction (resize to 299, gray → RGB, batching) with random weights; loading errors.

The ImageNet weights cannot be downloaded in CI, so the numbers here mean nothing: the tests check
the path images take, and that a missing weights file is reported with the way to fix it.
"""

import keras
import numpy as np
import pytest

from ganlib import metrics
from ganlib.metrics import inception


@pytest.fixture(scope="module")
def random_inception():
    keras.utils.set_random_seed(0)
    return metrics.load_inception(weights=None)


@pytest.fixture(scope="module")
def gray_outputs(random_inception, images):
    return random_inception.outputs(images, batch_size=3)


@pytest.fixture(scope="module")
def images():
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, size=(3, 28, 28, 1)).astype(np.float32)


def test_gray_images_are_resized_to_299_and_repeated_to_rgb(random_inception, images, gray_outputs):
    features, probabilities = gray_outputs
    assert features.shape == (3, 2048) and probabilities.shape == (3, 1000)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    rgb_features, _ = random_inception.outputs(np.repeat(images, 3, axis=-1), batch_size=3)
    np.testing.assert_allclose(features, rgb_features, rtol=1e-5, atol=1e-6)
    # The network saw 299×299 inputs: the model's input says so, whatever the images' size.
    assert tuple(random_inception.model.input.shape[1:]) == (299, 299, 3)
    assert random_inception.name == "inception_v3/random"


def test_batching_does_not_change_the_features(random_inception, images, gray_outputs):
    whole, _ = gray_outputs
    in_batches, _ = random_inception.outputs(images, batch_size=2)
    np.testing.assert_allclose(whole, in_batches, rtol=1e-4, atol=1e-5)


def test_inception_metrics_through_the_registry(random_inception, images):
    reference = metrics.Reference(real_images=images[::-1], inception_weights=None)
    results = metrics.compute_metrics(images, ["kid", "inception_score"], reference=reference)
    assert results["kid"].extractor == "inception_v3/random" and results["kid"].samples == 3
    assert np.isfinite(results["kid"].value) and "std" in results["kid"].extra
    assert 1.0 <= results["inception_score"].value <= 3.0  # at most the number of samples
    with pytest.raises(ValueError, match="real features has 3 samples of 2048-dimensional"):
        metrics.compute_metrics(images, "fid", reference=reference)


def test_bad_images_are_refused(random_inception, images):
    with pytest.raises(ValueError, match="1- or 3-channel images; received shape"):
        random_inception.outputs(np.zeros((2, 28, 28, 2), np.float32))
    with pytest.raises(ValueError, match="must be in \\[-1, 1\\]; received values in \\[0, 255\\]"):
        random_inception.outputs(np.stack([np.zeros((28, 28, 1)), np.full((28, 28, 1), 255.0)]))
    with pytest.raises(ValueError, match="rank 4"):
        random_inception.outputs(images[0])


def test_a_missing_weights_file_names_itself_and_the_fix(tmp_path, monkeypatch):
    missing = tmp_path / "inception.h5"
    monkeypatch.setenv(inception.WEIGHTS_ENV, str(missing))
    with pytest.raises(FileNotFoundError) as error:
        metrics.load_inception()
    message = str(error.value)
    assert str(missing) in message and "GANLIB_INCEPTION_WEIGHTS" in message
    assert inception.WEIGHTS_FILE in message and "domain_fid" in message


def test_no_file_and_no_download_says_exactly_that(monkeypatch):
    def offline(*args, **kwargs):
        raise OSError("URL fetch failure: no network")

    monkeypatch.delenv(inception.WEIGHTS_ENV, raising=False)
    monkeypatch.setattr(keras.applications, "InceptionV3", offline)
    monkeypatch.setattr(inception, "_LOADED", {})
    with pytest.raises(FileNotFoundError) as error:
        metrics.load_inception()
    message = str(error.value)
    assert "GANLIB_INCEPTION_WEIGHTS is not set and Keras could not download them" in message
    assert "no network" in message and inception.WEIGHTS_URL in message
