"""The hand-downloaded datasets of the unconditional experiments, and their stand-in folders."""

import numpy as np
import pytest
from PIL import Image

import ganlib
from ganlib import data


@pytest.mark.parametrize(
    "preset", ["sharma_pretty_face", "stiff_flowers", "stiff_cat", "vemuri_unet_cutmix"]
)
def test_a_missing_folder_says_where_to_download_it(preset, tmp_path, monkeypatch):
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(data, "REPO_DATA_DIR", tmp_path / "repo_data")
    name = ganlib.get_preset(preset).dataset
    manual = data.MANUAL_DATASETS[name]
    assert tuple(manual.image_size) == ganlib.get_preset(preset).image_shape[:2]
    with pytest.raises(FileNotFoundError) as error:
        data.load(name, batch_size=4)
    message = str(error.value)
    assert repr(name) in message and manual.download in message and manual.layout in message


def test_pretty_face_is_resized_whole_with_skimage(tmp_path):
    folder = data.write_stand_in_folder(tmp_path / "faces", count=6, image_size=96, kind="faces")
    manual = data.MANUAL_DATASETS["pretty_face"]
    assert (manual.resize, manual.center_crop) == ("skimage", False)
    images = next(iter(data.load("pretty_face", folder=folder, batch_size=6))).numpy()
    assert images.shape == (6, 64, 64, 3) and images.min() >= -1.0 and images.max() <= 1.0
    from skimage.transform import resize

    first = np.asarray(Image.open(folder / "stand_in_00000.png"), np.float32)
    expected = resize(first, (64, 64), anti_aliasing=True, preserve_range=True) / 127.5 - 1.0
    np.testing.assert_allclose(images[0], np.clip(expected, -1, 1), atol=1e-4)


@pytest.mark.parametrize("kind", ["faces", "flowers"])
def test_stand_in_folders_are_deterministic_and_varied(tmp_path, kind):
    first = data.write_stand_in_folder(tmp_path / "a", count=4, image_size=32, kind=kind, seed=1)
    second = data.write_stand_in_folder(tmp_path / "b", count=4, image_size=32, kind=kind, seed=1)
    paths, _, _ = data.folder_files(first)
    assert len(paths) == 4
    images = [np.asarray(Image.open(p)) for p in paths]
    assert images[0].shape == (32, 32, 3)
    assert not np.array_equal(images[0], images[1])
    for name in ("stand_in_00000.png", "stand_in_00003.png"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    with pytest.raises(ValueError, match=r"kind must be one of .*received 'cats'"):
        data.write_stand_in_folder(tmp_path / "c", kind="cats")
