"""The helpers the notebooks share: presets, data or stand-ins, run cards, FID, history tables."""

import dataclasses

import numpy as np
import pytest

import ganlib
from ganlib import data, experiments, metrics, notebook, plotting
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
    assert (vemuri.train_images, vemuri.epochs, vemuri.snapshot_grid) == (8, 1, (1, 4))
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
    shares = {"epoch": [1, 2], "d_loss": [1.0, 1.1], "cutmix_share": [0.5, 0.25]}
    assert plotting.history_table(shares).splitlines()[1:] == [
        "    1   1.0000    0.50",
        "    2   1.1000    0.25",
    ]
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


def test_notebook_run_dir_is_quick_shipped_or_the_default(one_epoch_run, monkeypatch, tmp_path):
    from ganlib import notebook

    preset = ganlib.Run(one_epoch_run).preset()
    monkeypatch.setattr(notebook.colab, "notebook_setup", lambda p, d, drive=True: d)
    monkeypatch.setenv("GANLIB_QUICK", "1")
    assert notebook.run_dir(preset, tmp_path / "mine") == f"{tmp_path / 'mine'}_quick"
    monkeypatch.setenv("GANLIB_QUICK", "0")
    assert notebook.run_dir(preset, tmp_path / "mine", shipped=one_epoch_run) == str(one_epoch_run)
    longer = dataclasses.replace(preset, epochs=2)  # the shipped run is not finished for it
    assert notebook.run_dir(longer, tmp_path / "mine", shipped=one_epoch_run) == str(
        tmp_path / "mine"
    )
    with pytest.raises(ValueError, match="''"):
        notebook.run_dir(preset, "")


def test_notebook_train_shows_a_finished_run_and_fills_the_card(one_epoch_run, monkeypatch, capsys):
    from ganlib import notebook

    monkeypatch.setenv("GANLIB_QUICK", "0")
    card = notebook.RunCard()  # outside IPython display() returns no handle: update still works
    result = notebook.train(ganlib.Run(one_epoch_run).preset(), one_epoch_run, card, verbose=0)
    assert result.gan is None and "Found a finished run" in capsys.readouterr().out
    assert card.update(one_epoch_run).startswith("**Full run**")
    generator = notebook.restore(one_epoch_run, 1)
    assert generator.output_shape[1:] == (28, 28, 1)
    assert "regenerates its snapshot exactly: True" in capsys.readouterr().out


def test_notebook_summary_reads_the_run(one_epoch_run, monkeypatch):
    from ganlib import notebook

    monkeypatch.setenv("GANLIB_QUICK", "1")
    text = notebook.summary(one_epoch_run, stand_in=True)
    history = ganlib.read_history(one_epoch_run)
    assert text.startswith("This run (full run on STAND-IN DATA")  # its config says how it ran
    assert f"1 of the report's {ganlib.get_preset('sharma_fashion_mnist').epochs} epochs" in text
    assert f"d_loss {history['d_loss'][-1]:.3f}" in text


def test_notebook_first_images_with_and_without_labels():
    from ganlib import notebook

    labelled = data.load("fashion_mnist_sample", with_labels=True, batch_size=5)
    images, labels = notebook.first_images(labelled, 12)
    assert images.shape == (12, 28, 28, 1) and labels.shape == (12,)
    plain = data.load("fashion_mnist_sample", batch_size=5)
    assert notebook.first_images(plain, 3).shape == (3, 28, 28, 1)
    shown = notebook.show_real(plain, "sample", count=4, stand_in=True)
    assert shown.shape == (4, 28, 28, 1)
    with pytest.raises(ValueError, match="0"):
        notebook.first_images(plain, 0)


def test_show_real_names_the_classes_of_a_dataset_ganlib_knows(monkeypatch):
    from ganlib import notebook, plotting

    seen = []
    monkeypatch.setattr(
        plotting, "show_labeled", lambda images, labels, names, **kw: seen.append(names)
    )
    labelled = data.load("fashion_mnist_sample", with_labels=True, batch_size=5)
    for names in ("fashion_mnist", "intel_scenes", None, ("a",) * 10):
        notebook.show_real(labelled, "sample", count=2, class_names=names)
    assert seen[0][0] == "T-shirt/top" and seen[1:3] == [None, None] and seen[3] == ("a",) * 10


def test_notebook_show_collapse_draws_the_flagged_pair_or_the_quiet_one(one_epoch_run):
    from ganlib import notebook

    class Alarm:  # what show_collapse reads of a CollapseReport
        def __init__(self, flagged):
            self.flagged = flagged

    assert notebook.show_collapse(one_epoch_run, Alarm({1: ["diversity"]})) == [0, 1]
    assert notebook.show_collapse(one_epoch_run, None, quiet_pair=[55, 60]) == [1]
    assert notebook.show_collapse(one_epoch_run, Alarm({}), quiet_pair=[1]) == [1]


def test_suggest_best_epoch_falls_back_when_every_epoch_is_excluded(one_epoch_run):
    metrics.evaluate_epochs(one_epoch_run, "class_entropy", samples=16, verbose=False)
    with pytest.raises(ValueError, match="excluding"):
        metrics.suggest_best_epoch(one_epoch_run, "class_entropy", exclude=[1])
    best = metrics.suggest_best_epoch(one_epoch_run, "class_entropy", exclude=[1], fallback=True)
    assert best.epoch == 1 and "ignores the flags" in str(best)


def test_training_data_is_the_cli_pipeline_on_the_folder_or_on_stand_ins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # stand-in pictures go to runs/ under the current folder
    monkeypatch.setenv("GANLIB_QUICK", "1")
    preset = experiments.notebook_preset("sharma_pretty_face", epochs=1)
    dataset, stand_in = notebook.training_data(preset, tmp_path / "missing", kind="faces")
    (images,) = [np.asarray(batch) for batch in dataset]
    assert stand_in and images.shape == (preset.batch_size, *preset.image_shape)
    folder = tmp_path / "pretty_face"
    data.write_stand_in_folder(folder, count=preset.train_images, image_size=64, seed=5)
    dataset, stand_in = notebook.training_data(preset, folder, kind="faces")
    expected, _ = ganlib.training.preset_dataset(preset, folder)
    assert not stand_in
    np.testing.assert_array_equal(np.concatenate(list(dataset)), np.concatenate(list(expected)))
    monkeypatch.setenv("GANLIB_QUICK", "0")
    with pytest.raises(FileNotFoundError, match="pretty_face"):
        notebook.training_data(preset, tmp_path / "missing", kind="faces")
