"""`Run`, the one owner of a run directory: `fit` with its callbacks is a complete training run,
and the directory survives misuse (a second trainer, overwrite of a folder that is not a run,
resumes that fail, an epoch whose weights turn NaN)."""

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time

import keras
import numpy as np
import pytest
from test_reliability import _check_consistent, _kill_when

import ganlib
from ganlib.files import is_temporary
from ganlib.images import read_png
from ganlib.runs import Run
from ganlib.training import build_gan, preset_dataset


def _fit(preset, run_dir, **fit_options):
    keras.utils.set_random_seed(preset.seed)
    gan = build_gan(preset)
    dataset, _ = preset_dataset(preset)
    return gan.fit(
        dataset,
        epochs=preset.epochs,
        callbacks=Run(run_dir).callbacks(preset),
        verbose=0,
        shuffle=False,
        **fit_options,
    )


def _files(folder):
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (".lock", ".lock.json")
    )


def _digests(folder):
    return {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in _files(folder)
    }


@pytest.fixture
def preset(tiny_preset):
    return dataclasses.replace(tiny_preset, epochs=2)


def test_fit_with_the_run_callbacks_writes_what_train_writes(preset, tmp_path):
    trained = ganlib.train(preset, tmp_path / "train", verbose=0).run
    _fit(preset, tmp_path / "fit")
    fitted = Run(tmp_path / "fit")
    assert _files(fitted.directory) == _files(trained.directory)
    assert fitted.saved_epochs() == [1, 2] and fitted.snapshot_epochs() == [0, 1, 2]
    for epoch in (0, 1, 2):
        np.testing.assert_array_equal(
            read_png(fitted.snapshot_path(epoch)), read_png(trained.snapshot_path(epoch))
        )
    ours, theirs = fitted.history(), trained.history()
    assert ours["epoch"] == theirs["epoch"] == [1, 2]
    np.testing.assert_allclose(ours["d_loss"], theirs["d_loss"], rtol=1e-5)
    config, reference = fitted.read_config(), trained.read_config()
    for key in ("preset", "overrides", "seed", "mode", "base_preset", "versions"):
        assert config[key] == reference[key]
    card = fitted.card()
    assert card["epochs_completed"] == 2 and card["train_images"] == 64
    assert card["wall_time_seconds"] > 0 and card["diverged"] is None


_SCRIPT = textwrap.dedent(
    """
    import dataclasses, sys
    import keras, ganlib
    from ganlib.runs import Run
    from ganlib.training import build_gan, preset_dataset

    preset = dataclasses.replace(
        ganlib.get_preset("sharma_fashion_mnist"), dataset="fashion_mnist_sample",
        train_images=64, batch_size=16, epochs=5, snapshot_grid=(2, 3),
    )
    keras.utils.set_random_seed(preset.seed)
    gan = build_gan(preset)
    gan.fit(preset_dataset(preset)[0], epochs=preset.epochs, verbose=0, shuffle=False,
            callbacks=Run(sys.argv[1]).callbacks(preset))
    """
)


def test_fit_with_the_run_callbacks_resumes_after_sigkill(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    run = Run(tmp_path / "run")

    def state():
        try:
            return run.state_epoch()
        except ValueError:
            return 0

    process = subprocess.Popen(
        [sys.executable, str(script), str(run.directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _kill_when(process, lambda: state() >= 2)
    completed = state()
    assert 2 <= completed < 5
    _check_consistent(run, completed)
    finished = subprocess.run(
        [sys.executable, str(script), str(run.directory)], capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert f"Resuming {run.directory} after epoch {completed} of 5" in finished.stdout
    _check_consistent(run, 5)
    assert not [p for p in run.directory.rglob("*") if is_temporary(p)]


def test_overwrite_replaces_only_a_ganlib_run(preset, tmp_path):
    folder = tmp_path / "thesis"
    (folder / "sub").mkdir(parents=True)
    (folder / "thesis.tex").write_text("x")
    with pytest.raises(ValueError, match=r"not a ganlib run directory.*'sub/', 'thesis.tex'"):
        ganlib.train(preset, folder, overwrite=True, verbose=0)
    assert (folder / "thesis.tex").read_text() == "x" and (folder / "sub").is_dir()
    # A ganlib run with a file of the user's beside it: overwrite replaces the run, keeps the file.
    run_dir = tmp_path / "run"
    ganlib.train(dataclasses.replace(preset, epochs=1), run_dir, verbose=0)
    (run_dir / ".notes.txt").write_text("mine")
    ganlib.train(preset, run_dir, overwrite=True, verbose=0)
    assert (run_dir / ".notes.txt").read_text() == "mine"
    assert Run(run_dir).saved_epochs() == [1, 2]


def test_a_second_trainer_fails_at_once_naming_the_first(preset, tmp_path):
    run = Run(tmp_path / "run")
    run.lock()
    try:
        start = time.monotonic()
        with pytest.raises(ValueError, match=rf"being trained by process {os.getpid()} on "):
            ganlib.train(preset, run.directory, resume=True, verbose=0)
        with pytest.raises(ValueError, match="being trained by process"):
            Run(run.directory).lock()
        assert time.monotonic() - start < 30
    finally:
        run.unlock()
    ganlib.train(preset, run.directory, resume=True, verbose=0)  # free again
    with pytest.raises(ValueError, match="being trained by"):
        held = Run(run.directory)
        held.lock()
        try:
            ganlib.train(preset, run.directory, overwrite=True, verbose=0)
        finally:
            held.unlock()
    assert Run(run.directory).saved_epochs() == [1, 2], "a refused overwrite deleted nothing"


def test_resume_keeps_the_users_dotfiles_and_removes_only_its_temporaries(preset, tmp_path):
    run_dir = tmp_path / "run"
    ganlib.train(dataclasses.replace(preset, epochs=1), run_dir, verbose=0)
    (run_dir / ".notes.txt").write_text("mine")
    (run_dir / "snapshots" / ".keep").write_text("")
    stale = run_dir / "checkpoints" / ".generator_epoch_002.ganlib-tmp-abc.weights.h5"
    stale.write_text("half")
    with pytest.raises(ValueError, match="different experiment"):
        ganlib.train(dataclasses.replace(preset, seed=5), run_dir, resume=True, verbose=0)
    assert stale.exists(), "a refused resume touches nothing"
    ganlib.train(preset, run_dir, resume=True, verbose=0)
    assert (run_dir / ".notes.txt").read_text() == "mine" and (run_dir / "snapshots/.keep").exists()
    assert not stale.exists()


def test_a_refused_resume_changes_nothing(preset, tmp_path):
    run_dir = tmp_path / "run"
    ganlib.train(dataclasses.replace(preset, epochs=1), run_dir, verbose=0)
    weights = run_dir / "state" / "epoch_001" / "gan.weights.h5"
    weights.write_bytes(weights.read_bytes()[:200])  # a truncated training state
    before = _digests(run_dir)
    with pytest.raises(ValueError, match=r"Could not load the training state .*epoch_001"):
        ganlib.train(dataclasses.replace(preset, epochs=3), run_dir, resume=True, verbose=0)
    assert _digests(run_dir) == before
    assert Run(run_dir).preset().epochs == 1, "config.json keeps its planned epochs"


def test_a_run_interrupted_in_its_first_epoch_resumes(preset, tmp_path):
    run = Run(tmp_path / "run")
    run.create(preset)  # as a kill during epoch 1 leaves it: config and grid, no epoch
    with pytest.raises(ValueError, match=r"already holds a run .* 0 saved epochs.*resume=True"):
        ganlib.train(preset, run.directory, verbose=0)
    result = ganlib.train(preset, run.directory, resume=True, verbose=0)
    assert result.run.saved_epochs() == [1, 2] and result.gan is not None


def test_a_missing_epoch_file_is_reported_not_vouched_for(preset, tmp_path):
    run_dir = tmp_path / "run"
    ganlib.train(preset, run_dir, verbose=0)
    (run_dir / "checkpoints" / "generator_epoch_001.weights.h5").unlink()
    with pytest.raises(ValueError, match=r"files of its completed epochs are missing: "):
        ganlib.train(dataclasses.replace(preset, epochs=3), run_dir, resume=True, verbose=0)
    (run_dir / "history.csv").unlink()
    with pytest.raises(ValueError, match=r"history.csv rows of epochs \[1, 2\]"):
        ganlib.train(dataclasses.replace(preset, epochs=3), run_dir, resume=True, verbose=0)


class _PoisonLastStep(keras.callbacks.Callback):
    """Makes the generator's weights NaN after the last step of epoch 2 (its losses stay finite)."""

    def on_train_batch_end(self, batch, logs=None):
        if self._epoch == 1 and batch == self.params["steps"] - 1:
            variable = self.model.generator.trainable_variables[0]
            variable.assign(np.full(variable.shape, np.nan, np.float32))

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch


def test_an_epoch_whose_weights_turn_nan_is_not_saved(preset, tmp_path):
    run_dir = tmp_path / "run"
    result = ganlib.train(
        dataclasses.replace(preset, epochs=3), run_dir, callbacks=[_PoisonLastStep()], verbose=0
    )
    run = result.run
    assert run.saved_epochs() == [1] and run.state_epoch() == 1
    assert result.diverged.startswith("epoch 2: the weights are not finite")
    assert json.loads(run.card_path.read_text())["diverged"] == result.diverged
    assert run.history()["epoch"] == [1] and run.snapshot_epochs() == [0, 1]


def test_a_processs_first_run_equals_its_later_runs(tmp_path):
    # tf.data's shuffle order depends on TensorFlow's global seed; `train` sets it before building
    # the pipeline, so the first run of a fresh process no longer differs from later ones.
    script = textwrap.dedent(
        """
        import dataclasses, sys
        import ganlib
        preset = dataclasses.replace(
            ganlib.get_preset("sharma_fashion_mnist"), dataset="fashion_mnist_sample",
            train_images=64, epochs=2, snapshot_grid=(2, 3),
        )
        for name in ("first", "second"):
            result = ganlib.train(preset, f"{sys.argv[1]}/{name}", verbose=0)
            print(name, *result.history["d_loss"], *result.history["g_loss"])
        """
    )
    (tmp_path / "twice.py").write_text(script)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "twice.py"), str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line[:1] in "fs")
    assert lines["first"] == lines["second"]
    for epoch in (0, 1, 2):
        np.testing.assert_array_equal(
            read_png(Run(tmp_path / "first").snapshot_path(epoch)),
            read_png(Run(tmp_path / "second").snapshot_path(epoch)),
        )


def test_the_device_line_says_when_the_run_is_pinned_to_fewer_cores(monkeypatch):
    from ganlib import runs

    monkeypatch.setattr(runs.tf.config, "list_physical_devices", lambda kind: [])
    monkeypatch.setattr(runs.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(runs.os, "sched_getaffinity", lambda pid: {1}, raising=False)
    assert runs.device_description().startswith("CPU, 2 cores, this run pinned to 1 (")
    monkeypatch.setattr(runs.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert runs.device_description().startswith("CPU, 2 cores (")
