import numpy as np
import pytest
from conftest import requires_data

from ganlib import data


def test_load_sample_gives_float_images_in_unit_range():
    images = next(iter(data.load("fashion_mnist_sample", batch_size=50)))
    assert images.dtype == "float32"
    assert tuple(images.shape) == (50, 28, 28, 1)
    assert float(np.min(images)) >= -1.0 and float(np.max(images)) <= 1.0
    # Fashion-MNIST has black backgrounds and white pixels: both ends of the range occur.
    assert float(np.min(images)) == -1.0 and float(np.max(images)) == 1.0


def test_load_with_labels_and_limit():
    dataset = data.load("fashion_mnist_sample", "test", with_labels=True, limit=10)
    pairs = list(dataset)
    assert len(pairs) == 10
    image, label = pairs[0]
    assert tuple(image.shape) == (28, 28, 1) and label.dtype == "int32"


@requires_data("fashion_mnist")
def test_load_reads_the_full_sets_from_the_data_dir():
    images, labels = data.load_arrays("fashion_mnist", "test")
    assert images.shape == (10000, 28, 28, 1) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == [1000] * 10


def test_unknown_dataset_names_the_value():
    with pytest.raises(ValueError, match=r"Unknown dataset 'fashion-mnist'.*fashion_mnist"):
        data.load("fashion-mnist")


def test_unknown_split_names_the_value():
    with pytest.raises(ValueError, match="'validation'"):
        data.load("fashion_mnist_sample", "validation")


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((28, 28, 1), "float32"), r"rank 4.*\(28, 28, 1\)"),
        (np.zeros((2, 32, 32, 1), "float32"), r"shape \(batch, 28, 28, 1\).*\(2, 32, 32, 1\)"),
        (np.zeros((2, 28, 28, 3), "float32"), r"\(2, 28, 28, 3\)"),
        (np.full((2, 28, 28, 1), 255.0, "float32"), r"\[-1, 1\].*\[255, 255\].*127\.5"),
        (np.zeros((0, 28, 28, 1), "float32"), "empty"),
    ],
)
def test_check_images_rejects_bad_images(images, message):
    with pytest.raises(ValueError, match=message):
        data.check_images(images, (28, 28, 1))


def test_from_arrays_rejects_mismatched_labels():
    with pytest.raises(ValueError, match=r"labels must have shape \(3,\).*\(2,\)"):
        data.from_arrays(np.zeros((3, 28, 28, 1), "float32"), np.zeros(2, "int32"))


def test_from_arrays_rejects_a_batch_larger_than_the_data():
    with pytest.raises(ValueError, match="batch_size 8 is larger than the 3 images"):
        data.from_arrays(np.zeros((3, 28, 28, 1), "float32"), batch_size=8)
