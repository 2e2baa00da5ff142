"""The image-folder loader, the hand-downloaded dataset table, CIFAR-10/100 and label checks."""

import numpy as np
import pytest
from conftest import requires_data
from PIL import Image

from ganlib import data

RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def _save(path, pixels):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(path)


@pytest.fixture
def animal_folder(tmp_path):
    """AFHQ's layout: three class folders, PNG and JPEG files, one corrupt file in dog/."""
    rng = np.random.default_rng(0)
    for name in ("cat", "dog", "wild"):
        for index in range(3):
            suffix = "png" if index % 2 else "jpg"
            _save(tmp_path / name / f"{index}.{suffix}", rng.integers(0, 256, (48, 40, 3)))
    (tmp_path / "dog" / "broken.jpg").write_bytes(b"\x89PNG but not really an image")
    return tmp_path


def test_class_subfolders_give_sorted_labels_and_the_corrupt_file_is_skipped(animal_folder):
    with pytest.warns(UserWarning, match=r"Skipped 1 unreadable image files.*broken\.jpg"):
        dataset = data.load_folder(animal_folder, 32, with_labels=True)
    assert dataset.class_names == ["cat", "dog", "wild"]
    pairs = [(image.numpy(), int(label)) for image, label in dataset]
    assert [label for _, label in pairs] == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    for image, _ in pairs:
        assert image.shape == (32, 32, 3) and image.dtype == np.float32
        assert image.min() >= -1.0 and image.max() <= 1.0


def test_a_plain_folder_is_one_class(tmp_path):
    for index in range(4):
        _save(tmp_path / f"face_{index}.png", np.full((10, 10, 3), 60 * index))
    dataset = data.load_folder(tmp_path, 8, with_labels=True, batch_size=2)
    assert dataset.class_names == [tmp_path.name]
    batches = list(dataset)
    assert len(batches) == 2 and all(labels.numpy().tolist() == [0, 0] for _, labels in batches)
    # 0, 60, 120, 180 scale to -1 + 2·v/255 exactly: the resize of a flat image changes nothing.
    means = [float(images[i].numpy().mean()) for images, _ in batches for i in range(2)]
    np.testing.assert_allclose(means, [-1.0 + v / 127.5 for v in (0, 60, 120, 180)], atol=1e-5)


def test_center_crop_keeps_the_middle_of_a_wide_image(tmp_path):
    # 20×40: columns 0-9 red, 10-29 green, 30-39 blue; the central 20×20 square is all green.
    picture = np.zeros((20, 40, 3), np.uint8)
    picture[:, :10], picture[:, 10:30], picture[:, 30:] = RED, GREEN, BLUE
    _save(tmp_path / "wide.png", picture)
    cropped = next(iter(data.load_folder(tmp_path, 10))).numpy()
    np.testing.assert_allclose(cropped[..., 1], 1.0, atol=1e-5)
    np.testing.assert_allclose(cropped[..., [0, 2]], -1.0, atol=1e-5)
    stretched = next(iter(data.load_folder(tmp_path, 10, center_crop=False))).numpy()
    assert stretched[:, 0, 0].mean() > 0.9 and stretched[:, -1, 2].mean() > 0.9


def test_skimage_resize_matches_scikit_image(tmp_path):
    from skimage.transform import resize

    picture = np.random.default_rng(1).integers(0, 256, (30, 30, 3)).astype(np.uint8)
    _save(tmp_path / "a.png", picture)
    loaded = next(iter(data.load_folder(tmp_path, 12, resize="skimage"))).numpy()
    expected = resize(picture.astype(np.float32), (12, 12), anti_aliasing=True, preserve_range=True)
    np.testing.assert_allclose(loaded, expected / 127.5 - 1.0, atol=1e-5)


def test_limit_keeps_every_class(animal_folder):
    # The files are chosen before they are decoded: the corrupt one is not among these three.
    dataset = data.load_folder(animal_folder, 8, with_labels=True, limit=3)
    assert sorted(int(label) for _, label in dataset) == [0, 1, 2]


def test_shuffled_batches_cover_every_file_once(animal_folder):
    with pytest.warns(UserWarning):
        dataset = data.load_folder(animal_folder, 8, with_labels=True, batch_size=3, shuffle=True)
    labels = sorted(int(y) for _, batch in dataset for y in batch)
    assert labels == [0, 0, 0, 1, 1, 1, 2, 2, 2]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"resize": "nearest"}, r"resize must be one of .*'nearest'"),
        ({"channels": 2}, "channels must be 1 or 3, received 2"),
        ({"batch_size": 50}, "batch_size 50 is larger than the 9 images"),
        ({"limit": 0}, "limit must be a positive integer or None, received 0"),
    ],
)
@pytest.mark.filterwarnings("ignore:Skipped 1 unreadable")
def test_bad_arguments_name_the_value(animal_folder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.load_folder(animal_folder, 8, **kwargs)


def test_a_folder_without_images_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("no images here")
    with pytest.raises(FileNotFoundError, match="No readable image files"):
        data.load_folder(tmp_path, 8)


def test_a_missing_manual_dataset_says_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError) as raised:
        data.load("afhq")
    message = str(raised.value)
    assert (
        "'afhq'" in message and "stargan-v2" in message and "afhq/train/{cat,dog,wild}" in message
    )
    assert str(tmp_path / "afhq") in message
    with pytest.raises(FileNotFoundError, match=r"'celeba'.*img_align_celeba"):
        data.load("celeba")


def test_load_finds_a_dataset_in_the_data_dir_and_its_split_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    for split, count in (("seg_train/seg_train", 2), ("seg_test/seg_test", 1)):
        for name in ("buildings", "forest"):
            for index in range(count):
                _save(
                    tmp_path / "intel_scenes" / split / name / f"{index}.jpg", np.zeros((9, 9, 3))
                )
    train = data.load("intel_scenes", with_labels=True)
    test = data.load("intel_scenes", "test", with_labels=True)
    assert train.class_names == ["buildings", "forest"]
    assert [int(y) for _, y in train] == [0, 0, 1, 1] and [int(y) for _, y in test] == [0, 1]
    assert next(iter(train))[0].shape == (64, 64, 3)


def test_an_explicit_folder_without_a_test_split_is_refused(animal_folder):
    with pytest.warns(UserWarning):
        assert len(list(data.load("afhq", folder=animal_folder, image_size=16))) == 9
    with pytest.raises(FileNotFoundError, match=r"has no test split.*\['test', 'val'\]"):
        data.load("afhq", "test", folder=animal_folder)


@requires_data("cifar10")
def test_cifar10_reads_the_verified_partial_copy():
    images, labels = data.load_arrays("cifar10", "test")
    assert images.shape == (932, 32, 32, 3) and images.dtype == np.uint8
    # PROVENANCE.md: the first test labels and the first test pixel of the official set.
    assert labels[:10].tolist() == [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]
    assert images[0, 0, 0].tolist() == [158, 112, 49]


def test_cifar100_loads_through_tfds_without_network(tmp_path, monkeypatch):
    import tensorflow_datasets as tfds

    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    with tfds.testing.mock_data(num_examples=6):
        dataset = data.load("cifar100", with_labels=True, batch_size=3)
        images, labels = next(iter(dataset))
    assert images.shape == (3, 32, 32, 3) and labels.dtype == "int32"
    assert float(np.min(images)) >= -1.0 and float(np.max(images)) <= 1.0
    assert np.all((labels.numpy() >= 0) & (labels.numpy() < 100))


def test_resize_on_load_gives_the_requested_size():
    images = next(iter(data.load("fashion_mnist_sample", limit=4, image_size=64, batch_size=4)))
    assert images.shape == (4, 64, 64, 1)
    assert float(np.min(images)) >= -1.0 and float(np.max(images)) <= 1.0


@pytest.mark.parametrize(
    "labels, message",
    [
        (np.array([0, 3, 10]), r"in \[0, 10\); received \[10\] \(1 of 3"),
        (np.array([-1, 2]), r"received \[-1\]"),
        (np.array([0.5, 1.0]), "must be integers; received dtype float64"),
    ],
)
def test_labels_outside_the_classes_are_refused(labels, message):
    with pytest.raises(ValueError, match=message):
        data.check_labels(labels, 10)
