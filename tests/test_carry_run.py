"""tools/carry_run.py: an unfinished run copied where git keeps it, then resumed from the copy."""

import importlib.util
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


@pytest.fixture(scope="module")
def unfinished(tmp_path_factory):
    """One epoch of a 2-epoch schedule, on 64 sample images: a run cut off by a session's end."""
    preset = sample_preset(2)
    run_dir = tmp_path_factory.mktemp("runs") / "sharma"
    ganlib.train(preset, run_dir, epochs=1, verbose=0)
    return preset, Run(run_dir)


def test_a_carried_run_keeps_its_record_in_float16_and_resumes_to_the_end(unfinished, tmp_path):
    preset, source = unfinished
    destination = tmp_path / "unfinished" / "sharma"
    assert carry_run.main([str(source.directory), str(destination), "--samples", str(SAMPLES)]) == 0
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
        assert carry_run.main([str(source.directory), str(destination), "--samples", "150"]) == 0
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
