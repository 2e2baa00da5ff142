"""Shipping a run: its record and a few epochs' weights (float16), restorable on a fresh clone."""

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

import ganlib
from ganlib.runs import SHIPPED_TOLERANCE, Run

RESULTS = Path(__file__).resolve().parents[1] / "results"
SHIPPED = sorted(
    card.parent
    for card in RESULTS.rglob("run_card.json")
    if json.loads(card.read_text()).get("shipped")
)


@pytest.fixture(scope="module")
def shipped(trained_run, tmp_path_factory):
    destination = tmp_path_factory.mktemp("shipped") / "sharma"
    return trained_run.run.ship(destination, [2])


def test_a_shipped_run_keeps_its_record_and_the_chosen_weights_only(trained_run, shipped):
    source = trained_run.run
    assert shipped.saved_epochs() == [2]
    assert not shipped.state_dir.exists()
    assert shipped.snapshot_epochs() == source.snapshot_epochs() == [0, 1, 2]
    assert shipped.history() == source.history()
    size = shipped.weights_path(2).stat().st_size
    assert size < 0.6 * source.weights_path(2).stat().st_size  # float16: about half
    card = shipped.shipped()
    assert card["epochs"] == [2] and card["weights"] == "float16"
    assert set(card["snapshot_difference"]) == {"2"}


def test_a_restored_float16_generator_draws_its_snapshot_within_the_tolerance(shipped):
    generator = ganlib.restore_epoch(shipped.directory, 2)
    largest, mean = shipped.snapshot_difference(generator, 2)
    assert largest <= SHIPPED_TOLERANCE["largest"] and mean <= SHIPPED_TOLERANCE["mean"]
    assert shipped.reproduces_snapshot(generator, 2)
    # The card records what ship measured, which is what a restore on another machine gives too.
    recorded = shipped.shipped()["snapshot_difference"]["2"]
    assert recorded == {"largest": largest, "mean": round(mean, 4)}


def test_a_shipped_run_counts_as_finished_and_says_what_it_keeps(trained_run, shipped):
    preset = trained_run.run.preset()
    assert shipped.finished(preset)
    card = ganlib.runs.run_card(shipped.directory)
    assert "epochs completed: 2 of 2" in card
    assert "weights kept for epochs [2] (float16)" in card
    # Training the same preset there shows it instead of training again.
    result = ganlib.train(preset, shipped.directory, resume=True, verbose=0)
    history = {k: v for k, v in trained_run.run.history().items() if k != "epoch"}
    assert result.gan is None and result.history == history


def test_shipping_refuses_unsaved_epochs_and_foreign_folders_before_writing(trained_run, tmp_path):
    run = trained_run.run
    with pytest.raises(ValueError, match=r"cannot ship epochs \[5\].*saved epochs \[1, 2\]"):
        run.ship(tmp_path / "new", [5])
    assert not (tmp_path / "new").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="holds files and no ganlib run"):
        run.ship(foreign, [2])
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    # A trained run is never replaced by a shipped copy: its weights and state stay.
    other = tmp_path / "trained"
    shutil.copytree(run.directory, other)
    with pytest.raises(ValueError, match="holds a trained run, not a shipped copy"):
        run.ship(other, [2])
    assert Run(other).saved_epochs() == [1, 2] and Run(other).state_epoch() == 2


def test_a_long_run_ships_every_nth_snapshot_and_says_which(trained_run, tmp_path):
    run = trained_run.run
    with pytest.raises(ValueError, match=r"snapshot_every must be a positive integer, received 0"):
        run.ship(tmp_path / "none", [2], snapshot_every=0)
    assert not (tmp_path / "none").exists()
    thin = run.ship(tmp_path / "thin", [2], snapshot_every=2)
    assert thin.snapshot_epochs() == [0, 2]  # epoch 1 left out; 0, the last, the shipped kept
    assert (thin.snapshots_dir / "latents.npy").is_file()  # the grid, to check a restore
    assert thin.shipped()["snapshot_every"] == 2 and thin.shipped()["snapshot_epochs"] == [0, 2]
    assert thin.reproduces_snapshot(ganlib.restore_epoch(thin.directory, 2), 2)


@pytest.mark.parametrize("run_dir", SHIPPED, ids=[str(p.relative_to(RESULTS)) for p in SHIPPED])
def test_every_committed_run_restores_its_shipped_epochs(run_dir):
    run = Run(run_dir)
    assert run.saved_epochs() == run.shipped()["epochs"]
    for epoch in run.saved_epochs():
        assert run.reproduces_snapshot(ganlib.restore_epoch(run_dir, epoch), epoch), epoch


def test_a_notebook_finds_the_shipped_run_before_its_own_folder(trained_run, shipped, tmp_path):
    preset = trained_run.run.preset()
    own = tmp_path / "own"
    assert ganlib.runs.first_finished(preset, shipped.directory, own) == shipped.directory
    assert ganlib.runs.first_finished(preset, tmp_path / "absent", own) == own
    longer = dataclasses.replace(preset, epochs=3)  # not finished there: train in its own folder
    assert ganlib.runs.first_finished(longer, shipped.directory, own) == own
    # A long run may ship its best epoch only: still a finished run, shown, not trained again.
    best_only = trained_run.run.ship(tmp_path / "best_only", [1])
    assert best_only.saved_epochs() == [1] and best_only.finished(preset)
    assert ganlib.runs.first_finished(preset, best_only.directory, own) == best_only.directory


def test_the_shipped_weights_stay_within_60_mb_in_all():
    weights = sorted(RESULTS.rglob("*.weights.h5"))
    assert weights, "results/ holds shipped generators"
    total = sum(path.stat().st_size for path in weights)
    assert total <= 60_000_000, f"shipped weights are {total / 1e6:.1f} MB in all, above 60 MB"
