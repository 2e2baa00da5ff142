"""Faults and bad input: kills at any moment, divergence, and a matrix of wrong arguments."""

import dataclasses
import os
import signal
import subprocess
import sys
import time

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganlib
from ganlib import data
from ganlib.files import is_temporary
from ganlib.images import read_png

EPOCHS = 6


def _command(run_dir):
    return [
        sys.executable, "-m", "ganlib", "train", "sharma_fashion_mnist",
        "--dataset", "fashion_mnist_sample", "--images", "64", "--batch-size", "16",
        "--epochs", str(EPOCHS), "--run-dir", str(run_dir), "--resume",
    ]  # fmt: skip


def _start(run_dir):
    return subprocess.Popen(
        _command(run_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy()
    )


def _kill_when(process, condition, timeout=240.0):
    """SIGKILL `process` as soon as `condition()` holds (polled every millisecond)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"training ended before the kill point: {process.stderr.read()[-2000:]}")
        if condition():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.001)
    process.kill()
    pytest.fail("the kill point was never reached")


def _check_consistent(run, completed):
    """Every completed epoch has its snapshot, weights and one history row; nothing else is there."""
    assert run.saved_epochs() == list(range(1, completed + 1))
    assert run.snapshot_epochs() == list(range(0, completed + 1))
    history = ganlib.read_history(run.directory) if completed else {"epoch": []}
    assert history["epoch"] == list(range(1, completed + 1))
    assert run.state_epoch() == completed
    for epoch in run.snapshot_epochs():
        read_png(run.snapshot_path(epoch))  # raises on a damaged file


def test_training_survives_sigkill_at_several_points_and_resumes(tmp_path):
    run = ganlib.Run(tmp_path / "run")

    def state_epoch():
        try:
            return run.state_epoch()
        except ValueError:
            return 0

    # 1. mid-epoch: as soon as the first epoch is complete, while the second is training.
    process = _start(run.directory)
    _kill_when(process, lambda: state_epoch() >= 1)
    # 2. while a snapshot is being written: its temporary file exists, the PNG is not yet renamed.
    process = _start(run.directory)
    _kill_when(
        process,
        lambda: (
            run.snapshots_dir.is_dir()
            and any(name.startswith(".epoch_") for name in os.listdir(run.snapshots_dir))
        ),
    )
    # 3. right after an epoch's training state was written.
    reached = state_epoch()
    process = _start(run.directory)
    _kill_when(process, lambda: state_epoch() > reached)
    completed = state_epoch()
    assert 1 <= completed < EPOCHS
    _check_consistent(run, completed)

    finished = subprocess.run(_command(run.directory), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert f"Resuming {run.directory} after epoch {completed} of {EPOCHS}" in finished.stdout
    _check_consistent(run, EPOCHS)
    assert not [p for p in run.directory.rglob("*") if is_temporary(p)], "temporaries were left"
    # The resumed generator still reproduces each epoch's snapshot from the stored latent grid.
    from ganlib.sampling import render_grid

    generator = ganlib.restore_epoch(run.directory, EPOCHS)
    picture = render_grid(generator, run.latents(), columns=8)
    np.testing.assert_array_equal(picture, read_png(run.snapshot_path(EPOCHS)))


def test_resume_continues_from_the_saved_state(tmp_path, tiny_preset):
    """Resuming restores both optimizers' step counts and continues the epoch numbering."""
    preset = dataclasses.replace(tiny_preset, epochs=1)
    first = ganlib.train(preset, tmp_path / "run", verbose=0)
    steps = int(first.gan.g_optimizer.iterations.numpy())
    resumed = ganlib.train(
        dataclasses.replace(preset, epochs=2), tmp_path / "run", resume=True, verbose=0
    )
    assert int(resumed.gan.g_optimizer.iterations.numpy()) == 2 * steps
    assert int(resumed.gan.d_optimizer.iterations.numpy()) == 2 * steps
    assert resumed.run.saved_epochs() == [1, 2]
    assert ganlib.read_history(resumed.run.directory)["epoch"] == [1, 2]
    assert ganlib.Run(tmp_path / "run").preset().epochs == 2


class _PoisonDiscriminator(keras.callbacks.Callback):
    """Injects a NaN into the discriminator's last weights when the second epoch starts."""

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == 1:
            kernel = self.model.discriminator.layers[-1].kernel
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))


def test_divergence_stops_training_and_keeps_the_completed_epochs(tmp_path, tiny_preset, capsys):
    preset = dataclasses.replace(tiny_preset, epochs=4)
    result = ganlib.train(preset, tmp_path / "run", callbacks=[_PoisonDiscriminator()], verbose=0)
    assert result.diverged is not None and result.diverged.startswith("epoch 2, batch 1")
    assert "the last good one is epoch 1" in capsys.readouterr().out
    _check_consistent(result.run, 1)


def test_same_seed_gives_the_same_first_epoch_snapshot(tmp_path, tiny_preset):
    first = ganlib.train(tiny_preset, tmp_path / "a", verbose=0).run
    second = ganlib.train(tiny_preset, tmp_path / "b", verbose=0).run
    for epoch in (0, 1):
        np.testing.assert_array_equal(
            read_png(first.snapshot_path(epoch)), read_png(second.snapshot_path(epoch))
        )


# The bad-input matrix: each case must raise before anything of an existing run is touched.


@pytest.fixture(scope="module")
def existing_run(tmp_path_factory):
    preset = dataclasses.replace(
        ganlib.get_preset("sharma_fashion_mnist"),
        dataset="fashion_mnist_sample", train_images=32, epochs=1, snapshot_grid=(1, 2),
    )  # fmt: skip
    return ganlib.train(preset, tmp_path_factory.mktemp("existing") / "run", verbose=0).run


def _damaged_copy(run, tmp_path, relative, keep_bytes):
    """A copy of `run` in which the file `relative` is truncated to `keep_bytes`."""
    import shutil

    copy = tmp_path / "damaged"
    shutil.copytree(run.directory, copy)
    path = copy / relative
    path.write_bytes(path.read_bytes()[:keep_bytes])
    return ganlib.Run(copy)


def _preset(**changes):
    return dataclasses.replace(ganlib.get_preset("sharma_fashion_mnist"), **changes)


def _dataset(images, labels=None):
    elements = images if labels is None else (images, labels)
    return tf.data.Dataset.from_tensor_slices(elements).batch(4)


def _corrupt_folder(folder):
    (folder / "broken.png").write_bytes(b"\x89PNG not really an image")
    return folder


BAD_INPUTS = {
    "unknown preset": (lambda r, t: ganlib.get_preset("sharma_mnist"), r"'sharma_mnist'"),
    "unknown dataset": (lambda r, t: data.load("fashionmnist"), r"'fashionmnist'"),
    "images of rank 3": (
        lambda r, t: data.check_images(np.zeros((28, 28, 1)), (28, 28, 1)),
        r"rank 4.*\(28, 28, 1\)",
    ),
    "images of the wrong size": (
        lambda r, t: ganlib.train(
            _preset(), r.directory, dataset=_dataset(np.zeros((8, 64, 64, 1), "float32"))
        ),
        r"\(4, 64, 64, 1\)",
    ),
    "images with 3 channels": (
        lambda r, t: data.check_images(np.zeros((2, 28, 28, 3)), (28, 28, 1)),
        r"\(2, 28, 28, 3\)",
    ),
    "0-255 pixels": (
        lambda r, t: ganlib.train(
            _preset(), r.directory, dataset=_dataset(np.full((8, 28, 28, 1), 255.0, "float32"))
        ),
        r"\[-1, 1\].*255.*127\.5",
    ),
    "NaN pixels": (
        lambda r, t: data.check_images(np.full((2, 28, 28, 1), np.nan)),
        r"1568 NaN or infinite",
    ),
    "labels out of range": (
        lambda r, t: data.check_labels(np.array([0, 10]), 10),
        r"\[0, 10\).*\[10\]",
    ),
    "float labels": (
        lambda r, t: data.from_arrays(np.zeros((2, 28, 28, 1), "float32"), np.array([0.0, 1.0])),
        r"integers.*float64",
    ),
    "empty dataset": (
        lambda r, t: ganlib.train(
            _preset(), r.directory, dataset=_dataset(np.zeros((0, 28, 28, 1), "float32"))
        ),
        r"empty",
    ),
    "folder with no images": (lambda r, t: data.folder_files(t), r"No readable image files"),
    "corrupt image file": (
        lambda r, t: data.folder_files(_corrupt_folder(t)),
        r"No readable image",
    ),
    "truncated checkpoint": (
        lambda r, t: ganlib.restore_epoch(
            _damaged_copy(r, t, "checkpoints/generator_epoch_001.weights.h5", 1000).directory, 1
        ),
        r"Could not load generator weights from .*generator_epoch_001",
    ),
    "truncated training state": (
        lambda r, t: ganlib.train(
            r.preset(),
            _damaged_copy(r, t, "state/epoch_001/gan.weights.h5", 500).directory,
            epochs=2,
            resume=True,
            verbose=0,
        ),
        r"Could not load the training state .*epoch_001",
    ),
    "damaged snapshot": (
        lambda r, t: read_png(_damaged_copy(r, t, "snapshots/epoch_001.png", 40).snapshot_path(1)),
        r"epoch_001\.png is not a readable PNG",
    ),
    "run directory of another experiment": (
        lambda r, t: ganlib.train(
            dataclasses.replace(r.preset(), learning_rate=0.1), r.directory, resume=True
        ),
        r"different experiment.*learning_rate",
    ),
    "existing run without resume or overwrite": (
        lambda r, t: ganlib.train(r.preset(), r.directory),
        r"already holds a run.*overwrite=True",
    ),
    "restore of an unsaved epoch": (
        lambda r, t: ganlib.restore_epoch(r.directory, 3),
        r"epoch 3; saved epochs: \[1\]",
    ),
    "zero batch size": (lambda r, t: _preset(batch_size=0), r"batch_size.*received 0"),
    "negative epochs": (lambda r, t: _preset(epochs=-2), r"epochs.*received -2"),
    "zero learning rate": (lambda r, t: _preset(learning_rate=0), r"learning_rate.*received 0"),
    "CLI epochs 0": (
        lambda r, t: (
            __import__("ganlib.__main__")
            .__main__.build_parser()
            .parse_args(["train", "sharma_fashion_mnist", "--epochs", "0"])
        ),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_clearly_and_touches_nothing(case, existing_run, tmp_path, capsys):
    action, message = BAD_INPUTS[case]
    before = {
        p: (p.stat().st_mtime_ns, p.stat().st_size) for p in existing_run.directory.rglob("*")
    }
    if message is None:  # argparse reports on stderr and exits with status 2
        with pytest.raises(SystemExit) as exit_info:
            action(existing_run, tmp_path)
        assert exit_info.value.code == 2
        assert "expected a positive integer, received '0'" in capsys.readouterr().err
    else:
        with pytest.raises((ValueError, FileNotFoundError), match=message):
            action(existing_run, tmp_path)
    after = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in existing_run.directory.rglob("*")}
    assert after == before
