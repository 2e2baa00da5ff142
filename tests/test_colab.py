"""`ganlib.colab`: the repository address the notebooks install from, the runtime check, and run
directories on Google Drive (with a stand-in `google.colab` module)."""

import dataclasses
import math
import re
import sys
import types
from pathlib import Path

import pytest

import ganlib
from ganlib import colab

ROOT = Path(__file__).resolve().parents[1]


def test_every_notebook_installs_from_the_one_repository_url():
    assert ganlib.REPOSITORY_URL == colab.REPOSITORY_URL
    assert colab.install_command() == f"pip install -q git+{ganlib.REPOSITORY_URL}"
    owner_name = ganlib.REPOSITORY_URL.removeprefix("https://github.com/")
    sources = sorted(p for p in (ROOT / "notebooks").glob("*.py") if p.stem != "conftest")
    assert sources
    for path in sources:
        text = path.read_text()
        # The notebooks run before ganlib is installed, so their Colab setup holds the literal.
        clones = re.findall(r"git clone -q --depth 1 (\S+) ", text)
        assert clones == [ganlib.REPOSITORY_URL], path
        badges = re.findall(
            r"colab\.research\.google\.com/github/(.+?)/blob/main/(\S+?\.ipynb)", text
        )
        assert badges == [(owner_name, f"notebooks/{path.stem}.ipynb")], path.name


def setup_code(path):
    """The code of a notebook source's Colab setup, from its imports to its `os.chdir` line."""
    text = path.read_text()
    start = text.index("import importlib.util")
    return text[start : text.index("\n", text.index("\nos.chdir(", start) + 1)]


@pytest.mark.parametrize("installed", [False, True])
def test_the_setup_cell_clones_and_installs_once_then_works_in_the_clone(monkeypatch, installed):
    commands, folders = [], []
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object() if installed else None)
    monkeypatch.setattr("subprocess.check_call", lambda command, shell: commands.append(command))
    monkeypatch.setattr("os.path.isdir", lambda path: path == "/content/ganlib/notebooks")
    monkeypatch.setattr("os.chdir", folders.append)
    monkeypatch.setattr(sys, "path", list(sys.path))
    exec(setup_code(ROOT / "notebooks" / "stiff_mnist.py"), {})
    if installed:  # a re-run, or a restarted kernel: the clone is there and installed
        assert commands == []
    else:
        assert commands == [
            f"cd /content && git clone -q --depth 1 {ganlib.REPOSITORY_URL} && "
            "pip install -q -e ./ganlib"
        ]
        assert sys.path[0] == "/content/ganlib"
    assert folders == ["/content/ganlib/notebooks"]


def test_every_notebook_has_the_same_setup_cell():
    sources = sorted(p for p in (ROOT / "notebooks").glob("*.py") if p.stem != "conftest")
    assert {setup_code(p) for p in sources} == {setup_code(sources[0])}


def test_the_package_metadata_names_the_same_repository():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert set(urls.values()) == {ganlib.REPOSITORY_URL}


@pytest.fixture
def fake_colab(tmp_path, monkeypatch):
    """A `google.colab` whose `drive.mount(path)` makes `path/MyDrive`; Drive lives in tmp_path."""
    mounted = []

    def mount(path):
        mounted.append(path)
        (Path(path) / "MyDrive").mkdir(parents=True, exist_ok=True)

    google = types.ModuleType("google")
    package = types.ModuleType("google.colab")
    package.drive = types.SimpleNamespace(mount=mount)
    google.colab = package
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", package)
    monkeypatch.setattr(colab, "DRIVE_MOUNT", str(tmp_path / "drive"))
    return mounted


def test_in_colab_the_run_goes_to_drive(fake_colab, tmp_path):
    assert colab.in_colab()
    run_dir = colab.run_dir_on_drive("sharma", default="runs/sharma")
    assert run_dir == str(tmp_path / "drive" / "MyDrive" / "ganlib-runs" / "sharma")
    assert fake_colab == [str(tmp_path / "drive")]
    assert colab.run_dir_on_drive("sharma", default="runs/sharma", mount=False) == "runs/sharma"
    assert len(fake_colab) == 1


def test_elsewhere_the_default_comes_back(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert not colab.in_colab()
    default = Path("runs/sharma")
    assert colab.run_dir_on_drive("sharma", default) is default


@pytest.mark.parametrize("name", ["", "../up", "a/b", None])
def test_a_run_name_must_be_a_plain_folder_name(name):
    with pytest.raises(ValueError, match="plain folder name"):
        colab.run_dir_on_drive(name, "runs/x")


def test_the_runtime_report_estimates_an_epoch(tiny_preset):
    preset = dataclasses.replace(tiny_preset, batch_size=8, epochs=3)
    report = colab.runtime_report(preset, steps=2)
    assert report.steps_per_epoch == 64 // 8 and report.epochs == 3
    assert math.isfinite(report.epoch_seconds) and report.epoch_seconds > 0
    assert report.total_seconds == pytest.approx(3 * report.epoch_seconds)
    assert "no GPU" in str(report) and "no GPU" in report._repr_markdown_()
    with pytest.raises(ValueError, match="received 0"):
        colab.runtime_report(preset, steps=0)
