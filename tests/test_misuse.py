"""Input that used to be taken silently: folders that mislabel, images that crash training
mid-epoch, metrics fed wrongly scaled images or labels, and sampling without batching."""

import dataclasses
import os
import zlib

import numpy as np
import pytest
from PIL import Image

import ganlib
from ganlib import data, metrics
from ganlib.sampling import draw_latents, noise_of


def _save(path, pixels=None, format=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(len(str(path)))
    pixels = rng.integers(0, 256, (24, 24, 3)) if pixels is None else pixels
    Image.fromarray(np.asarray(pixels, np.uint8)).save(path, format=format)


def test_an_empty_class_folder_is_refused_rather_than_shifting_the_labels(tmp_path):
    for name in ("cat", "wild"):
        _save(tmp_path / name / "0.png")
    (tmp_path / "dog").mkdir()
    with pytest.raises(ValueError, match=r"class folders without images: \['dog'\]"):
        data.folder_files(tmp_path)


def test_a_symlink_to_an_ancestor_is_refused(tmp_path):
    _save(tmp_path / "cat" / "0.png")
    os.symlink(tmp_path, tmp_path / "loop")
    with pytest.raises(
        ValueError, match=r"loop' links to .*, the folder itself or a folder above it"
    ):
        data.folder_files(tmp_path)


def test_a_conditional_preset_refuses_a_folder_with_another_number_of_classes(tmp_path):
    for name in ("cat", "dog"):
        for index in range(4):
            _save(tmp_path / "afhq" / "train" / name / f"{index}.png", np.zeros((64, 64, 3)))
    preset = dataclasses.replace(
        ganlib.get_preset("milosevic_animal_faces"), classes=10, batch_size=4, train_images=8
    )
    with pytest.raises(ValueError, match=r"10 classes.*2 class folders \['cat', 'dog'\]"):
        ganlib.training.preset_dataset(preset, folder=tmp_path / "afhq" / "train")


def test_images_the_header_check_passes_but_training_cannot_decode_are_skipped(tmp_path):
    for index in range(3):
        _save(tmp_path / f"good_{index}.png")
    _save(tmp_path / "whole.jpg")
    (tmp_path / "truncated.jpg").write_bytes((tmp_path / "whole.jpg").read_bytes()[:300])
    _save(tmp_path / "tiff_named.png", format="TIFF")
    png = bytearray((tmp_path / "good_0.png").read_bytes())
    start = png.index(b"IDAT") + 4
    png[start : start + 20] = zlib.compress(b"x")[:20].ljust(20, b"\0")
    (tmp_path / "bad_zlib.png").write_bytes(bytes(png))
    with pytest.warns(UserWarning) as caught:
        paths, _, _ = data.folder_files(tmp_path)
    message = str(caught[0].message)
    assert sorted(os.path.basename(p) for p in paths) == [
        "good_0.png", "good_1.png", "good_2.png", "whole.jpg"
    ]  # fmt: skip
    for name in ("truncated.jpg", "tiff_named.png", "bad_zlib.png"):
        assert name in message
    images = list(data.load_folder(tmp_path, 16, batch_size=4))  # decodes every kept file
    assert len(images) == 1


def test_an_image_too_large_to_decode_is_skipped_not_fatal(tmp_path, monkeypatch):
    _save(tmp_path / "small.png")
    _save(tmp_path / "huge.png", np.zeros((64, 64, 3)))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 64×64 > 2× this: a decompression bomb
    with pytest.warns(UserWarning, match="huge.png"):
        paths, _, _ = data.folder_files(tmp_path)
    assert [os.path.basename(p) for p in paths] == ["small.png"]


def test_metrics_refuse_images_in_zero_one(tmp_path):
    images = np.random.default_rng(0).uniform(0, 1, (200, 28, 28, 1)).astype(np.float32)
    with pytest.raises(ValueError, match=r"real_images lie in \[0, 1\].*x \* 2 - 1"):
        metrics.Reference("fashion_mnist_sample", real_images=images)
    with pytest.raises(ValueError, match=r"generated images lie in \[0, 1\]"):
        metrics.compute_metrics(images, "domain_fid", domain="fashion_mnist_sample")


def test_label_accuracy_refuses_labels_outside_the_domains_classes():
    images = np.zeros((20, 28, 28, 1), np.float32) - 0.5
    with pytest.raises(ValueError, match=r"labels .* in \[0, 10\); received \[10, 11"):
        metrics.compute_metrics(
            images, "label_accuracy", domain="mnist_sample", labels=np.arange(20)
        )


def test_sample_draws_in_batches_and_the_generators_own_noise(monkeypatch):
    preset = ganlib.get_preset("stiff_mnist")  # uniform noise
    generator, _ = ganlib.build_models(preset)
    calls, original = [], type(generator).__call__

    def counting(self, inputs, *args, **kwargs):
        calls.append(len(inputs))
        return original(self, inputs, *args, **kwargs)

    monkeypatch.setattr(type(generator), "__call__", counting)
    images = ganlib.sample(generator, 600, seed=0, batch_size=250)
    assert images.shape == (600, 28, 28, 1) and images.dtype == np.float32
    assert calls == [250, 250, 100]
    assert noise_of(generator) == "uniform"
    expected = np.asarray(original(generator, draw_latents(3, preset.noise_dim, "uniform", seed=4)))
    np.testing.assert_allclose(ganlib.sample(generator, 3, seed=4), expected, atol=1e-5)
