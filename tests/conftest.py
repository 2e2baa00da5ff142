import os
from pathlib import Path

# Tests never download: they read the real copies beside the repository (CI has them too).
_SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if "GANLIB_DATA_DIR" not in os.environ and _SHARED.is_dir():
    os.environ["GANLIB_DATA_DIR"] = str(_SHARED)

import dataclasses  # noqa: E402

import pytest  # noqa: E402

import ganlib  # noqa: E402


@pytest.fixture
def tiny_preset():
    """The Fashion-MNIST preset on 64 committed sample images, 1 epoch, 2 steps per epoch."""
    return dataclasses.replace(
        ganlib.get_preset("sharma_fashion_mnist"),
        dataset="fashion_mnist_sample",
        train_images=64,
        epochs=1,
        snapshot_grid=(2, 3),
    )


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory):
    """One 2-epoch run on 64 sample images, shared by the tests that only read a run."""
    preset = dataclasses.replace(
        ganlib.get_preset("sharma_fashion_mnist"),
        dataset="fashion_mnist_sample",
        train_images=64,
        epochs=2,
        snapshot_grid=(2, 3),
    )
    run_dir = tmp_path_factory.mktemp("runs") / "sharma"
    return ganlib.train(preset, run_dir, verbose=0)
