"""The one lookup order for datasets: $GANLIB_DATA_DIR, data/, ganlib's cache, then a download."""

import dataclasses

import keras
import numpy as np
import pytest
import tensorflow_datasets as tfds

import ganlib
from ganlib import data
from ganlib.__main__ import main


def _write_npz(path, value, count=4, shape=(28, 28)):
    path.parent.mkdir(parents=True, exist_ok=True)
    images = np.full((count, *shape), value, np.uint8)
    labels = np.arange(count, dtype=np.uint8) % 10
    np.savez(path, x_train=images, y_train=labels, x_test=images, y_test=labels)


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """No data folder and an empty cache (downloads fail at the probe: see conftest)."""
    monkeypatch.delenv("GANLIB_DATA_DIR", raising=False)
    monkeypatch.setenv("GANLIB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    return tmp_path


def test_the_data_dir_comes_before_the_repository_folder(tmp_path, monkeypatch):
    _write_npz(tmp_path / "mnist_sample.npz", 7)
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    images, _ = data.load_arrays("mnist_sample", "train")
    assert images.shape == (4, 28, 28, 1) and int(images.max()) == 7
    assert data.data_dirs()[:2] == [tmp_path, data.REPO_DATA_DIR]


def test_the_committed_samples_are_found_without_a_data_dir(offline):
    for name, shape, train, test in (
        ("mnist_sample", (28, 28, 1), 3000, 500),
        ("fashion_mnist_sample", (28, 28, 1), 3000, 500),
        ("cifar10_sample", (32, 32, 3), 1000, 300),
    ):
        images, labels = data.load_arrays(name, "train")
        assert images.shape == (train, *shape) and images.dtype == np.uint8
        assert set(np.unique(labels)) == set(range(10))
        assert data.load_arrays(name, "test")[0].shape == (test, *shape)


def test_the_cache_comes_after_the_repository_folder(offline):
    _write_npz(offline / "cache" / "mnist.npz", 9)
    assert data.data_dirs() == [data.REPO_DATA_DIR, offline / "cache"]
    images, _ = data.load_arrays("mnist", "test")
    assert int(images.max()) == 9


def test_a_downloaded_set_is_kept_in_the_cache(offline, monkeypatch):
    monkeypatch.setattr(data.locate, "probe", lambda host: None)
    small = np.zeros((3, 28, 28), np.uint8), np.array([0, 1, 2], np.uint8)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (small, small))
    images, labels = data.load_arrays("mnist", "train")
    assert images.shape == (3, 28, 28, 1) and labels.tolist() == [0, 1, 2]
    assert (offline / "cache" / "mnist.npz").is_file()
    assert not list((offline / "cache").glob(".*")), "no temporary file is left behind"


def test_a_missing_set_names_the_folders_and_the_ways_out(offline):
    with pytest.raises(data.DatasetUnavailable) as raised:
        data.load("fashion_mnist")
    message = str(raised.value)
    assert "'fashion_mnist'" in message and "no connection to storage.googleapis.com" in message
    assert "$GANLIB_DATA_DIR (unset)" in message and str(data.REPO_DATA_DIR) in message
    assert str(offline / "cache") in message and "--dataset fashion_mnist_sample" in message
    assert isinstance(raised.value, FileNotFoundError)


def test_a_data_dir_that_does_not_exist_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path / "absent"))
    with pytest.raises(data.DatasetUnavailable, match=r"GANLIB_DATA_DIR is set to '.*absent'"):
        data.load_arrays("fashion_mnist_sample")


def test_the_cli_gives_one_error_line_for_a_missing_set(offline, capsys):
    code = main(["train", "sharma_fashion_mnist", "--epochs", "1", "--run-dir", str(offline / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: Dataset 'fashion_mnist' is not on this machine")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "--dataset fashion_mnist_sample" in err
    assert not (offline / "r").exists(), "nothing is written before the data is found"


def test_the_cli_refuses_a_data_dir_that_does_not_exist(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path / "absent"))
    code = main(["train", "sharma_fashion_mnist", "--quick", "--run-dir", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: GANLIB_DATA_DIR is set to") and err.count("\n") == 1


def test_a_failed_keras_download_is_reported(offline, monkeypatch):
    def no_network():
        raise Exception("URL fetch failure on https://example.invalid/: None -- offline")

    monkeypatch.setattr(data.locate, "probe", lambda host: None)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_network)
    with pytest.raises(data.DatasetUnavailable, match=r"the download failed: Exception: URL fetch"):
        data.load_arrays("mnist")


def test_a_missing_cifar10_names_the_committed_sample(offline):
    with pytest.raises(data.DatasetUnavailable, match=r"--dataset cifar10_sample"):
        data.load_arrays("cifar10", "train")


@pytest.mark.parametrize(
    "name, shape",
    [("cifar10", (32, 32, 3)), ("cifar100", (32, 32, 3)), ("oxford_flowers102", (128, 128, 3))],
)
def test_tfds_sets_load_on_a_fresh_install(name, shape, tmp_path, monkeypatch):
    monkeypatch.delenv("GANLIB_DATA_DIR", raising=False)
    monkeypatch.setenv("GANLIB_CACHE_DIR", str(tmp_path))
    with tfds.testing.mock_data(num_examples=6):
        dataset = data.load(name, with_labels=True, batch_size=3)
        images, labels = next(iter(dataset))
    assert tuple(images.shape) == (3, *shape) and images.dtype == "float32"
    assert float(np.min(images)) >= -1.0 and float(np.max(images)) <= 1.0
    assert labels.dtype in ("int32", "int64")


def test_quick_mode_trains_on_the_committed_sample():
    for name, sample in (
        ("sharma_fashion_mnist", "fashion_mnist_sample"),
        ("stiff_mnist", "mnist_sample"),
        ("li_ye_cdcgan_cifar10", "cifar10_sample"),
    ):
        quick = ganlib.quick_preset(ganlib.get_preset(name))
        assert quick.dataset == sample
        assert dataclasses.replace(quick, dataset=ganlib.get_preset(name).dataset).image_shape == (
            ganlib.get_preset(name).image_shape
        )


@pytest.mark.parametrize("value, quick", [("1", True), ("on", True), ("0", False), ("", False)])
def test_quick_mode_values(value, quick, monkeypatch):
    monkeypatch.setenv("GANLIB_QUICK", value)
    assert ganlib.quick_mode() is quick


def test_an_unknown_quick_mode_value_is_refused(monkeypatch):
    monkeypatch.setenv("GANLIB_QUICK", "maybe")
    with pytest.raises(ValueError, match=r"GANLIB_QUICK is 'maybe'; expected 1/true/yes/on"):
        ganlib.quick_mode()


@pytest.mark.parametrize("name", sorted(data.MANUAL_DATASETS))
def test_how_to_get_explains_every_hand_downloaded_set(name):
    manual = data.MANUAL_DATASETS[name]
    text = data.how_to_get(name)
    assert text.strip() and manual.layout in text and "$GANLIB_DATA_DIR" in text
    if manual.kaggle:
        assert f"kaggle datasets download -d {manual.kaggle} -p" in text and "--unzip" in text
    if manual.tfds_name:
        assert manual.tfds_name in text


def test_how_to_get_celeba_names_the_tfds_quota_and_manual_folder():
    text = data.how_to_get("celeba")
    assert "celeb_a" in text and "quota" in text and "downloads/manual" in text
    assert data.MANUAL_DATASETS["cat"].kaggle == "crawford/cat-dataset"


def test_how_to_get_refuses_an_unknown_name_listing_the_known_ones():
    with pytest.raises(ValueError, match=r"'imagenet'.*'afhq'.*'mnist'"):
        data.how_to_get("imagenet")
