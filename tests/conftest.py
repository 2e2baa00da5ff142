import os
from pathlib import Path

from ganlib.data.testing import isolate_caches

# Tests never download and never write outside the repository or a temporary folder: the real
# copies beside the repository (../shared/data, as CI has) are used where present, and every
# cache a library could fill lives in a temporary folder of this session.
_SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if "GANLIB_DATA_DIR" not in os.environ and _SHARED.is_dir():
    os.environ["GANLIB_DATA_DIR"] = str(_SHARED)
isolate_caches()

import dataclasses  # noqa: E402

import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

import ganlib  # noqa: E402
from ganlib import data  # noqa: E402


def data_marks(*names):
    """The marks of a test that needs full datasets: skipped unless every one is on this machine
    without a download (README lists these tests), and marked `full_data`, so `pytest -m
    full_data` runs just them (CI's pass with ../shared, `make test-full-data`)."""
    missing = [name for name in names if not data.available_locally(name)]
    return [
        pytest.mark.full_data,
        pytest.mark.skipif(
            bool(missing),
            reason=f"needs the full dataset(s) {missing} (set GANLIB_DATA_DIR to a folder holding "
            "them, as CI does with ../shared/data)",
        ),
    ]


def requires_data(*names):
    """Decorate a test with `data_marks(*names)`."""

    def decorate(test):
        for mark in data_marks(*names):
            test = mark(test)
        return test

    return decorate


def legends_clear_of_panels(figure) -> bool:
    """Whether every legend of a drawn figure lies outside every panel, so no curve runs under it."""
    if not hasattr(figure.canvas, "get_renderer"):  # a closed figure: draw it off screen
        FigureCanvasAgg(figure)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    legends = [*figure.legends, *(a.get_legend() for a in figure.axes if a.get_legend())]
    panels = [axis.get_window_extent(renderer) for axis in figure.axes if axis.axison]
    return bool(legends) and not any(
        legend.get_window_extent(renderer).overlaps(panel) for legend in legends for panel in panels
    )


def sample_preset(epochs: int):
    """The Fashion-MNIST preset on 64 committed sample images (2 steps an epoch), `epochs` epochs."""
    return dataclasses.replace(
        ganlib.get_preset("sharma_fashion_mnist"),
        dataset="fashion_mnist_sample",
        train_images=64,
        epochs=epochs,
        snapshot_grid=(2, 3),
    )


@pytest.fixture
def tiny_preset():
    """The Fashion-MNIST preset on 64 committed sample images, 1 epoch, 2 steps per epoch."""
    return sample_preset(1)


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory):
    """One 2-epoch run on 64 sample images, shared by the tests that only read a run."""
    run_dir = tmp_path_factory.mktemp("runs") / "sharma"
    return ganlib.train(sample_preset(2), run_dir, verbose=0)


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch):
    """Every download probe fails at once, as offline: a test that would download says so."""

    def offline(host, timeout=None):
        raise OSError(f"tests never download (probe of {host} refused)")

    monkeypatch.setattr(data.locate, "probe", offline)
