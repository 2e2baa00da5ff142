"""Input that used to be taken silently: folders that mislabel, images that crash training
mid-epoch, metrics fed wrongly scaled images or labels, and sampling without batching."""

import dataclasses
import os
import re
import shutil
import zlib

import numpy as np
import pytest
from PIL import Image

import ganlib
from ganlib import data, metrics
from ganlib.__main__ import main
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


T = ["train", "sharma_fashion_mnist", "--dataset", "fashion_mnist_sample", "--images", "64",
     "--batch-size", "32", "--epochs", "1"]  # fmt: skip


@pytest.fixture(scope="module")
def one_epoch_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("cli") / "run"
    assert main([*T, "--run-dir", str(run_dir)]) == 0
    return run_dir


def _damaged(one_epoch_run, tmp_path, name, content):
    run_dir = tmp_path / "run"
    shutil.copytree(one_epoch_run, run_dir)
    (run_dir / name).write_text(content)
    return run_dir


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("config.json", "{not json", r"config.json is not valid JSON"),
        ("config.json", '{"seed": 0}', r"config.json is damaged: it holds no 'preset'"),
        ("config.json", '{"preset": {"name": 3}}', r"config.json holds an unreadable preset"),
        ("state/latest.json", '{"epoch": "one"}', r"latest.json is damaged"),
        (
            "history.csv",
            "epoch,d_loss\n1,abc\n",
            r"history.csv, line 2: column 'd_loss' holds 'abc'",
        ),
    ],
)
def test_a_damaged_run_file_is_one_error_line_naming_it(
    one_epoch_run, tmp_path, capsys, name, content, message
):
    run_dir = _damaged(one_epoch_run, tmp_path, name, content)
    before = {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file()}
    code = main([*T[:-1], "2", "--run-dir", str(run_dir), "--resume"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1, err
    assert re.search(message, err) and "Traceback" not in err
    after = {p: p.read_bytes() for p in run_dir.rglob("*") if p.is_file() and p.name[0] != "."}
    assert after == {p: b for p, b in before.items() if p.name[0] != "."}


def test_a_damaged_dataset_file_is_one_error_line_naming_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "fashion_mnist_sample.npz").write_bytes(b"PK\x03\x04 not a zip")
    monkeypatch.setenv("GANLIB_DATA_DIR", str(tmp_path))
    code = main([*T, "--run-dir", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "fashion_mnist_sample.npz is not a readable .npz file" in err


def test_a_run_dir_below_a_file_is_one_error_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    code = main([*T, "--run-dir", str(tmp_path / "file" / "run")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "which is a file" in err


def test_a_folder_that_cannot_be_written_is_one_error_line(tmp_path, monkeypatch, capsys):
    # As root, permissions cannot make a folder read-only here; the OS error is raised instead.
    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self.lock_path))

    monkeypatch.setattr(ganlib.runs.Run, "lock", refuse)
    code = main([*T, "--run-dir", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: [Errno 13] Permission denied") and ".lock" in err


def test_transparent_pixels_are_composited_over_white(tmp_path):
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[..., 0] = 255  # red everywhere, but the left half fully transparent
    rgba[:, 4:, 3] = 255
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    gray_alpha = np.zeros((8, 8, 2), np.uint8)
    gray_alpha[:, 4:, 1] = 255  # black, left half transparent
    Image.fromarray(gray_alpha, "LA").save(tmp_path / "b.png")
    rgb, gray = (next(iter(data.load_folder(tmp_path, 8, channels=c, batch_size=2))).numpy()
                 for c in (3, 1))  # fmt: skip
    np.testing.assert_allclose(rgb[0, :, :4], 1.0, atol=1e-5)  # white where transparent
    red = np.broadcast_to([1.0, -1.0, -1.0], (8, 4, 3))
    np.testing.assert_allclose(rgb[0, :, 4:], red, atol=1e-5)  # red where opaque
    np.testing.assert_allclose(rgb[1, :, :4], 1.0, atol=1e-5)
    np.testing.assert_allclose(rgb[1, :, 4:], -1.0, atol=1e-5)
    assert gray.shape == (2, 8, 8, 1)
    np.testing.assert_allclose(gray[1, :, 4:], -1.0, atol=1e-5)


def test_a_full_disk_mid_run_is_one_error_line_and_keeps_the_finished_epochs(
    tmp_path, monkeypatch, capsys
):
    run_dir = tmp_path / "run"
    original = ganlib.runs.Run.write_weights

    def full_at_epoch_two(self, epoch, generator):
        if epoch == 2:
            raise OSError(28, "No space left on device", str(self.weights_path(epoch)))
        return original(self, epoch, generator)

    monkeypatch.setattr(ganlib.runs.Run, "write_weights", full_at_epoch_two)
    code = main([*T[:-1], "3", "--run-dir", str(run_dir)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: [Errno 28] No space left on device") and "epoch_002" in err
    run = ganlib.Run(run_dir)
    assert run.saved_epochs() == [1] and run.state_epoch() == 1
    monkeypatch.setattr(ganlib.runs.Run, "write_weights", original)
    assert main([*T[:-1], "3", "--run-dir", str(run_dir), "--resume"]) == 0
    assert run.saved_epochs() == [1, 2, 3]


def test_a_run_without_training_state_says_what_can_still_be_done(one_epoch_run, tmp_path):
    run_dir = _damaged(
        one_epoch_run, tmp_path, "config.json", (one_epoch_run / "config.json").read_text()
    )
    shutil.rmtree(run_dir / "state")
    with pytest.raises(ValueError, match=r"no training state.*restored and evaluated.*new run_dir"):
        ganlib.train(ganlib.Run(run_dir).preset(), run_dir, epochs=2, resume=True, verbose=0)
    assert ganlib.Run(run_dir).saved_epochs() == [1]


def test_every_written_file_is_synced_before_it_is_renamed(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    from ganlib.files import write_json

    write_json(tmp_path / "a.json", {"x": 1})
    assert len(synced) == 2  # the file, then its folder (so the rename itself is durable)
