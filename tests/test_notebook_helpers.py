"""The helpers the notebooks share: presets, data or stand-ins, run cards, FID, history tables."""

import dataclasses

import numpy as np
import pytest

import ganlib
from ganlib import data, experiments, metrics, plotting
from ganlib.runs import run_card


@pytest.fixture(scope="module")
def one_epoch_run(tmp_path_factory):
    """One 1-epoch run on 64 committed Fashion-MNIST sample images."""
    preset = dataclasses.replace(
        ganlib.get_preset("sharma_fashion_mnist"),
        dataset="fashion_mnist_sample",
        train_images=64,
        epochs=1,
        snapshot_grid=(2, 3),
    )
    run_dir = tmp_path_factory.mktemp("runs") / "one_epoch"
    ganlib.train(preset, run_dir, verbose=0)
    return run_dir


def test_quick_preset_applies_the_per_preset_overrides():
    quick = ganlib.quick_preset(ganlib.get_preset("sharma_pretty_face"))
    assert (quick.train_images, quick.batch_size, quick.snapshot_grid) == (4, 4, (2, 4))
    assert quick.epochs == experiments.QUICK_EPOCHS
    vemuri = ganlib.quick_preset(ganlib.get_preset("vemuri_unet_cutmix"))
    assert (vemuri.train_images, vemuri.epochs, vemuri.snapshot_grid) == (4, 1, (1, 4))
    assert vemuri.image_shape == ganlib.get_preset("vemuri_unet_cutmix").image_shape


def test_notebook_preset_keeps_none_and_shrinks_in_quick_mode(monkeypatch):
    monkeypatch.setenv("GANLIB_QUICK", "0")
    full = experiments.notebook_preset("stiff_flowers", epochs=None, seed=3)
    assert full.epochs == ganlib.get_preset("stiff_flowers").epochs and full.seed == 3
    monkeypatch.setenv("GANLIB_QUICK", "1")
    quick = experiments.notebook_preset("stiff_flowers", epochs=40, seed=3)
    assert (quick.train_images, quick.batch_size, quick.epochs, quick.seed) == (64, 32, 2, 3)


def test_notebook_preset_refuses_an_unknown_field():
    with pytest.raises(ValueError, match="epoch"):
        experiments.notebook_preset("stiff_flowers", epoch=3)


def test_describe_one_preset_and_several(monkeypatch):
    monkeypatch.setenv("GANLIB_QUICK", "1")
    preset = ganlib.get_preset("sharma_pretty_face")
    text = experiments.describe(preset, "dataset batch_size")
    assert text.splitlines() == [
        "mode: QUICK MODE (smoke run, not a result)",
        "         dataset: pretty_face",
        f"      batch_size: {preset.batch_size}",
    ]
    monkeypatch.setenv("GANLIB_QUICK", "0")
    names = ("vemuri_basic", "vemuri_unet")
    table = experiments.describe({n: ganlib.get_preset(n) for n in names}, ["architecture"])
    lines = table.splitlines()
    assert lines[0] == "mode: full" and lines[1].split() == ["preset", "architecture"]
    assert [line.split()[0] for line in lines[2:]] == list(names)
    with pytest.raises(ValueError, match="no_such_field"):
        experiments.describe(preset, ["no_such_field"])


def test_folder_or_stand_in_finds_the_real_folder(tmp_path):
    folder = tmp_path / "pretty_face"
    data.write_stand_in_folder(folder, count=2, image_size=16)
    found, stand_in = data.folder_or_stand_in(
        "pretty_face", folder, quick=True, kind="faces", count=4, image_size=16
    )
    assert (found, stand_in) == (folder, False)


def test_folder_or_stand_in_raises_outside_quick_mode(tmp_path):
    with pytest.raises(FileNotFoundError, match="pretty_face"):
        data.folder_or_stand_in(
            "pretty_face", tmp_path / "missing", quick=False, kind="faces", count=4, image_size=16
        )


def test_folder_or_stand_in_writes_one_folder_or_one_per_class(tmp_path, capsys):
    folder, stand_in = data.folder_or_stand_in(
        "pretty_face",
        tmp_path / "missing",
        quick=True,
        kind="faces",
        count=3,
        image_size=16,
        directory=tmp_path / "plain",
    )
    assert stand_in and len(list(folder.glob("*.png"))) == 3
    assert "STAND-IN DATA" in capsys.readouterr().out
    folder, stand_in = data.folder_or_stand_in(
        "afhq",
        tmp_path / "missing",
        quick=True,
        kind="faces",
        count=6,
        image_size=16,
        class_names=["cat", "dog", "wild"],
        directory=tmp_path / "classes",
    )
    assert stand_in and sorted(p.name for p in folder.iterdir()) == ["cat", "dog", "wild"]
    assert all(len(list((folder / c).glob("*.png"))) == 2 for c in ("cat", "dog", "wild"))
    dataset = ganlib.load("afhq", folder=folder, with_labels=True, batch_size=6)
    assert dataset.class_names == ["cat", "dog", "wild"]


def test_folder_or_stand_in_names_a_bad_kind(tmp_path):
    with pytest.raises(ValueError, match="'cats'"):
        data.folder_or_stand_in("afhq", tmp_path, quick=True, kind="cats", count=4, image_size=16)


def test_run_card_keeps_one_run_and_adds_banners(one_epoch_run):
    single = run_card(one_epoch_run)
    assert single.startswith("**Run card**") and "QUICK MODE" not in single
    assert run_card([one_epoch_run]) == single
    both = run_card([one_epoch_run, str(one_epoch_run)], quick=True, stand_in=True)
    assert both.startswith("**QUICK MODE**") and "**STAND-IN DATA**" in both
    assert both.count("**Run card**") == 2
    assert run_card(one_epoch_run, quick=False).startswith("**Full run**")
    with pytest.raises(ValueError, match=r"\[\]"):
        run_card([])


def test_history_table_prints_one_row_per_epoch(one_epoch_run):
    lines = plotting.history_table(one_epoch_run).splitlines()
    assert lines[0].split()[:3] == ["epoch", "d_loss", "g_loss"] and len(lines) == 2
    assert lines[1].split()[0] == "1"
    assert plotting.history_table(one_epoch_run, ["epoch"]).splitlines() == ["epoch", "    1"]
    with pytest.raises(ValueError, match="nonsense"):
        plotting.history_table(one_epoch_run, ["nonsense"])


def test_inception_fid_says_why_in_quick_mode(monkeypatch):
    monkeypatch.delenv("GANLIB_INCEPTION_WEIGHTS", raising=False)
    images = np.zeros((2, 8, 8, 3), np.float32)
    value, why = metrics.inception_fid(images, images, quick=True)
    assert value is None and "quick mode" in why


def test_inception_fid_reports_missing_weights(monkeypatch):
    def missing(*args, **kwargs):
        raise FileNotFoundError("no Inception-v3 weights here")

    monkeypatch.setattr(metrics, "compute_metrics", missing)
    images = np.zeros((2, 8, 8, 3), np.float32)
    value, why = metrics.inception_fid(images, images, quick=False)
    assert value is None and why == "not computed: no Inception-v3 weights here"


def test_comparison_table_and_diversity_alarm(one_epoch_run):
    generator = ganlib.restore_epoch(one_epoch_run, 1)
    real = np.concatenate(
        [b.numpy() for b, _ in zip(data.load("fashion_mnist_sample", batch_size=16), range(1))]
    )
    table, images = metrics.comparison_table(
        {"g": generator},
        real[:8],
        samples=8,
        reported={"g": (0.5, 100.0)},
        epochs={"g": 1},
        quick=True,
    )
    lines = table.splitlines()
    assert lines[0].startswith("8 generated vs 8 real images; FID not computed in quick mode")
    assert lines[2].split()[:2] == ["g", "1"] and lines[2].split()[-2:] == ["0.5000", "100.0"]
    assert images["g"].shape == (8, 28, 28, 1)
    alarm, flagged = metrics.diversity_alarm(
        one_epoch_run, real[:16], domain="fashion_mnist", samples=16
    )
    assert alarm is not None and all(epoch in (0, 1) for epoch in flagged)
    # Another domain's classifier measures diversity only: no class column, no class flag.
    assert "missing classes" not in alarm.markdown() and "diversity" in alarm.markdown()
    assert not any("class" in r for reasons in alarm.flagged.values() for r in reasons)


@pytest.mark.parametrize(
    "epochs, expected",
    [
        (range(1, 201), [1, 50, 100, 150, 200]),  # Sharma's Fig 5.2
        (range(0, 21), [0, 5, 10, 15, 20]),
        (range(1, 11), [1, 3, 5, 8, 10]),
        ([0, 1, 2], [0, 1, 2]),
    ],
)
def test_spread_picks_the_epochs_the_reports_show(epochs, expected):
    assert plotting.spread(epochs, 5) == expected
