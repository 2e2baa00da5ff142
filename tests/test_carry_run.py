"""tools/carry_run.py: an unfinished run copied where git keeps it, then resumed from the copy."""

import importlib.util
import shutil
from pathlib import Path

import pytest
from conftest import sample_preset

import ganlib
from ganlib import metrics
from ganlib.runs import Run

TOOL = Path(__file__).resolve().parents[1] / "tools" / "carry_run.py"
spec = importlib.util.spec_from_file_location("carry_run", TOOL)
carry_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(carry_run)

SAMPLES = 150  # more than the domain classifier's 128 feature dimensions


def _cut_off(tmp_path_factory, schedule, epochs):
    """`epochs` of a `schedule`-epoch run on 64 sample images: a run cut off by a session's end."""
    preset = sample_preset(schedule)
    run_dir = tmp_path_factory.mktemp("runs") / "sharma"
    ganlib.train(preset, run_dir, epochs=epochs, verbose=0)
    return preset, Run(run_dir)


def _carry(source, destination, *options):
    """tools/carry_run.py's exit status, evaluating SAMPLES images an epoch."""
    return carry_run.main([str(source), str(destination), "--samples", str(SAMPLES), *options])


@pytest.fixture(scope="module")
def unfinished(tmp_path_factory):
    return _cut_off(tmp_path_factory, 2, 1)


@pytest.fixture(scope="module")
def three_of_four(tmp_path_factory):
    """Enough epochs for a carry to keep some and drop some."""
    return _cut_off(tmp_path_factory, 4, 3)


def test_a_carried_run_keeps_its_record_in_float16_and_resumes_to_the_end(unfinished, tmp_path):
    preset, source = unfinished
    destination = tmp_path / "unfinished" / "sharma"
    assert _carry(source.directory, destination) == 0
    carried = Run(destination)
    assert not (destination / ".lock").exists() and not (destination / ".lock.json").exists()
    assert carried.saved_epochs() == [1] and carried.state_epoch() == 1
    size, original = carried.weights_path(1).stat().st_size, source.weights_path(1).stat().st_size
    assert size < 0.6 * original  # float16: about half
    # The epoch was evaluated from its float32 generator, in the source and in the copy.
    logged = [r for r in metrics.read_metrics(destination) if r["metric"] == "domain_fid"]
    assert [r["epoch"] for r in logged] == [1] and logged == [
        r for r in metrics.read_metrics(source.directory) if r["metric"] == "domain_fid"
    ]
    result = ganlib.train(preset, destination, resume=True, verbose=0)
    assert list(result.history["d_loss"]) and carried.saved_epochs() == [1, 2]
    assert carried.finished(preset) and carried.snapshot_epochs() == [0, 1, 2]


def test_carrying_again_replaces_the_earlier_copy_of_the_same_run(unfinished, tmp_path):
    _, source = unfinished
    destination = tmp_path / "sharma"
    for _ in range(2):
        assert _carry(source.directory, destination) == 0
    assert Run(destination).saved_epochs() == [1]


def test_carrying_refuses_a_folder_of_other_files_before_writing(unfinished, tmp_path, capsys):
    _, source = unfinished
    destination = tmp_path / "mine"
    destination.mkdir()
    (destination / "notes.txt").write_text("keep me")
    assert carry_run.main([str(source.directory), str(destination)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "not a ganlib run directory" in error
    assert sorted(p.name for p in destination.iterdir()) == ["notes.txt"]
    assert carry_run.main([str(tmp_path / "nothing"), str(tmp_path / "copy")]) == 2
    assert "is not a ganlib run directory" in capsys.readouterr().err
    assert not (tmp_path / "copy").exists()


def test_a_pruned_carry_keeps_the_best_and_asked_epochs_and_still_resumes(three_of_four, tmp_path):
    preset, source = three_of_four
    destination = tmp_path / "unfinished" / "sharma"
    assert _carry(source.directory, destination, "--prune", "--keep", "2") == 0
    best = metrics.suggest_best_epoch(source.directory, "domain_fid").epoch
    carried = Run(destination)
    assert carried.saved_epochs() == sorted({best, 2})
    assert carried.dropped_epochs() == sorted({1, 2, 3} - {best, 2})
    assert source.saved_epochs() == [1, 2, 3]  # the source keeps every generator
    # Every epoch's record stays: its snapshot and its logged value.
    assert carried.snapshot_epochs() == [0, 1, 2, 3]
    logged = {r["epoch"] for r in metrics.read_metrics(destination) if r["metric"] == "domain_fid"}
    assert logged == {1, 2, 3}
    dropped = carried.dropped_epochs()[0]
    with pytest.raises(ValueError, match=f"epoch {dropped} .*dropped on purpose"):
        ganlib.restore_epoch(destination, dropped)
    # The copy trains to the end; carrying it on keeps the record of the earlier drop.
    ganlib.train(preset, destination, resume=True, verbose=0)
    assert carried.saved_epochs() == sorted({best, 2, 4}) and carried.finished(preset)
    assert carried.card()["epochs_completed"] == 4
    again = tmp_path / "again"
    assert _carry(destination, again, "--prune") == 0
    best = metrics.suggest_best_epoch(destination, "domain_fid").epoch
    assert Run(again).saved_epochs() == [best] and Run(again).finished(preset)
    assert Run(again).dropped_epochs() == sorted({1, 2, 3, 4} - {best})


def test_keep_without_prune_or_a_bad_keep_is_refused_before_anything_is_written(
    three_of_four, tmp_path, capsys
):
    _, source = three_of_four
    for extra, expected in (
        (["--keep", "2"], "needs --prune"),
        (["--prune", "--keep", "x"], "'x'"),
    ):
        with pytest.raises(SystemExit) as exit_:
            carry_run.main([str(source.directory), str(tmp_path / "copy"), *extra])
        assert exit_.value.code == 2 and expected in capsys.readouterr().err
    assert not (tmp_path / "copy").exists()


def test_weights_missing_without_a_record_still_stop_a_resume(three_of_four, tmp_path):
    preset, source = three_of_four
    copy = tmp_path / "copy"
    shutil.copytree(source.directory, copy, ignore=shutil.ignore_patterns(".lock*"))
    run = Run(copy)
    with pytest.raises(ValueError, match=r"epochs \[7\].*nothing was deleted"):
        run.drop_weights([1, 7], why="test")
    assert run.saved_epochs() == [1, 2, 3] and run.dropped_epochs() == []
    run.weights_path(1).unlink()
    with pytest.raises(ValueError, match="files of its completed epochs are missing"):
        run.check_resumable(preset)
    assert run.drop_weights([2], why="test") == [2]
    with pytest.raises(ValueError, match="generator_epoch_001"):
        run.check_resumable(preset)  # epoch 2's gap is recorded, epoch 1's is not
    run.dropped_path.write_text("{not json")
    with pytest.raises(ValueError, match="dropped.json is damaged"):
        run.dropped_epochs()
