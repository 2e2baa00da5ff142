"""The epoch browser (epochs.html and the notebook widget) and the training animation.

The run directories here are written by hand through `Run` (a config, snapshots, a history and
metrics), so no test trains. The last test opens the page in a real headless Chromium.
"""

import base64
import json
import os
import re
import shutil

import numpy as np
import pytest
from conftest import legends_clear_of_panels
from PIL import Image, ImageSequence

import ganlib
from ganlib import browser as browser_module
from ganlib import plotting
from ganlib.files import write_json
from ganlib.images import write_png
from ganlib.metrics import log_metric
from ganlib.runs import Run

EPOCHS = 3
SAVED = (1, 2)  # epoch 3's weights are missing, as when only some epochs are kept
FID = {1: 80.0, 2: 40.0, 3: 60.0}
DIVERSITY = {1: 0.9, 2: 0.8, 3: 0.2}  # epoch 3 falls below collapse_alarm's floor
SNAPSHOT_SHAPE = (20, 30, 1)


def make_run(directory, *, identical=False, metrics=True) -> Run:
    """A run of EPOCHS epochs as ganlib lays it out, with grayscale snapshots 0..EPOCHS."""
    run = Run(directory)
    write_json(run.config_path, {"preset": {"name": "hand_written"}, "mode": "quick"})
    rng = np.random.default_rng(0)
    for epoch in range(EPOCHS + 1):
        seed = 0 if identical else epoch
        picture = np.random.default_rng(seed).integers(0, 256, SNAPSHOT_SHAPE, dtype=np.uint8)
        write_png(run.snapshot_path(epoch), picture)
    run.write_history(
        [
            {
                "epoch": e,
                "d_loss": 1.0 + e / 8,
                "g_loss": 2.0 - e / 8,
                "d_real": 0.6,
                "d_fake": 0.4,
                "epoch_seconds": float(rng.uniform(1, 2)),
            }
            for e in range(1, EPOCHS + 1)
        ]
    )
    for epoch in SAVED:
        run.weights_path(epoch).parent.mkdir(parents=True, exist_ok=True)
        run.weights_path(epoch).write_bytes(b"")  # only the names are read here
    if metrics:
        for epoch in range(1, EPOCHS + 1):
            for name, values in (("domain_fid", FID), ("diversity", DIVERSITY)):
                log_metric(
                    directory,
                    {
                        "epoch": epoch,
                        "metric": name,
                        "value": values[epoch],
                        "samples": 200,
                        "extractor": "domain:fashion_mnist/test",
                        "seed": 0,
                    },
                )
    return run


def frames_of(page: str) -> list[dict]:
    match = re.search(r'<script type="application/json" id="frames">(.*?)</script>', page, re.S)
    assert match, "the page holds no frames"
    return json.loads(match.group(1))


@pytest.fixture
def run(tmp_path):
    return make_run(tmp_path / "run")


def test_the_page_is_self_contained_with_one_frame_per_snapshot(run):
    path = plotting.export_epoch_browser(run.directory)
    assert path == run.directory / "epochs.html"
    page = path.read_text(encoding="utf-8")
    # Nothing is fetched: no external script, style sheet, image or link.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<link" not in page and "@import" not in page and "<script src" not in page
    assert '<input type="range"' in page and 'id="epoch"' in page and 'id="snapshot"' in page
    # One curve panel each: losses, D's outputs, domain_fid, diversity; a marker in each.
    assert page.count("<svg") == 4 and page.count('class="marker"') == 4
    frames = frames_of(page)
    assert [f["epoch"] for f in frames] == list(range(EPOCHS + 1))
    for frame in frames:
        prefix = "data:image/png;base64,"
        assert frame["src"].startswith(prefix)
        png = base64.b64decode(frame["src"][len(prefix) :])
        assert png == run.snapshot_path(frame["epoch"]).read_bytes()
    # The page opens at the suggested epoch, lowest FID, with its own values shown.
    assert "Suggested epoch 2: domain_fid = 40" in page
    assert '<strong id="epoch">2</strong>' in page and 'value="2"' in page
    by_epoch = {f["epoch"]: f for f in frames}
    assert f"<td>{1.0 + 2 / 8:.4g}</td>" in by_epoch[2]["values"]
    assert "<td>40</td>" in by_epoch[2]["values"] and "suggested epoch" in by_epoch[2]["notes"]
    assert "<td>0.2</td>" in by_epoch[3]["values"]


def test_each_frame_says_how_to_restore_it_and_what_was_flagged(run):
    frames = {
        f["epoch"]: f for f in frames_of(plotting.export_epoch_browser(run.directory).read_text())
    }
    directory = json.dumps(str(run.directory))
    for epoch in SAVED:
        assert frames[epoch]["restore"] == f"generator = ganlib.restore_epoch({directory}, {epoch})"
    assert "untrained" in frames[0]["restore"]
    assert frames[3]["restore"].startswith("No weights saved for epoch 3")
    assert "saved: 1–2" in frames[3]["restore"]
    # Epoch 3's diversity is under collapse_alarm's floor and a quarter of epoch 2's.
    assert "diversity 0.20 of real data" in frames[3]["notes"]
    assert "diversity fell to 25% of epoch 2" in frames[3]["notes"]
    assert "No collapse flag" in frames[2]["notes"] and "collapse flags" not in frames[2]["notes"]
    assert "Nothing logged to check" in frames[0]["notes"]


def test_a_flagged_epoch_is_never_the_suggested_one(tmp_path):
    run = make_run(tmp_path / "run")
    # Epoch 3 now has the lowest FID, but its diversity is flagged: epoch 2 stays suggested.
    log_metric(
        run.directory,
        {
            "epoch": 3,
            "metric": "domain_fid",
            "value": 10.0,
            "samples": 200,
            "extractor": "domain:fashion_mnist/test",
            "seed": 0,
        },
    )
    data = browser_module._read_run(run.directory, "domain_fid")
    assert 3 in data.flags and data.best.epoch == 2
    # With every epoch flagged, the best of all is suggested and the note says so.
    for epoch in (1, 2):
        log_metric(
            run.directory,
            {
                "epoch": epoch,
                "metric": "diversity",
                "value": 0.01,
                "samples": 200,
                "extractor": "domain:fashion_mnist/test",
                "seed": 0,
            },
        )
    data = browser_module._read_run(run.directory, "domain_fid")
    assert set(data.flags) == {1, 2, 3} and data.best.epoch == 3
    assert "every epoch is excluded" in data.best.note


def test_a_run_without_metrics_still_browses(tmp_path):
    run = make_run(tmp_path / "run", metrics=False)
    path = plotting.export_epoch_browser(run.directory, tmp_path / "elsewhere" / "page.html")
    page = path.read_text()
    assert (
        path == tmp_path / "elsewhere" / "page.html"
        and not (run.directory / "epochs.html").exists()
    )
    assert "No suggested epoch" in page and "evaluate_epochs" in page
    assert page.count("<svg") == 2  # the losses and D's outputs
    assert [f["epoch"] for f in frames_of(page)] == list(range(EPOCHS + 1))
    assert '<strong id="epoch">3</strong>' in page  # no suggestion: the last epoch first


@pytest.mark.parametrize("write", [plotting.export_epoch_browser, plotting.training_animation])
def test_a_folder_that_is_not_a_run_is_refused_before_anything_is_written(tmp_path, write):
    folder = tmp_path / "not_a_run"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(FileNotFoundError, match=re.escape(str(folder))):
        write(folder)
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "missing"))):
        write(tmp_path / "missing")
    assert sorted(os.listdir(folder)) == ["notes.txt"] and not (tmp_path / "missing").exists()
    # A run that has not written its first snapshot yet.
    run = make_run(tmp_path / "run")
    shutil.rmtree(run.snapshots_dir)
    with pytest.raises(ValueError, match="holds no snapshots"):
        write(run.directory)
    assert not (run.directory / "epochs.html").exists()
    assert not (run.directory / "training.gif").exists()


def test_bad_arguments_name_what_was_received(run):
    with pytest.raises(ValueError, match="Unknown metric 'fdi'"):
        plotting.export_epoch_browser(run.directory, metric="fdi")
    with pytest.raises(ValueError, match="fps must be a positive number.*received 0"):
        plotting.training_animation(run.directory, fps=0)
    with pytest.raises(ValueError, match="scale must be a positive integer.*received 1.5"):
        plotting.training_animation(run.directory, scale=1.5)
    assert not (run.directory / "epochs.html").exists()
    assert not (run.directory / "training.gif").exists()


def test_the_animation_has_one_labelled_frame_per_snapshot(tmp_path):
    # Identical snapshots: only the epoch labels can tell the frames apart.
    run = make_run(tmp_path / "run", identical=True)
    path = plotting.training_animation(run.directory, fps=4, scale=3)
    assert path == run.directory / "training.gif"
    with Image.open(path) as gif:
        assert gif.n_frames == EPOCHS + 1 and gif.info.get("loop") == 0
        frames = [np.asarray(frame.convert("RGB")) for frame in ImageSequence.Iterator(gif)]
    height, width = SNAPSHOT_SHAPE[0] * 3, SNAPSHOT_SHAPE[1] * 3
    for frame in frames:
        assert frame.shape[1] == width and frame.shape[0] > height  # the label strip on top
    strip = frames[0].shape[0] - height
    for first, second in zip(frames, frames[1:]):
        assert not np.array_equal(first[:strip], second[:strip])
        np.testing.assert_array_equal(first[strip:], second[strip:])
    # Grayscale snapshots become RGB frames, the picture scaled up unchanged.
    snapshot = np.asarray(Image.open(run.snapshot_path(0)))
    np.testing.assert_array_equal(frames[0][strip:, :, 0], snapshot.repeat(3, 0).repeat(3, 1))
    assert plotting.show_training_animation(run.directory).filename == str(path)


def test_the_notebook_browser_follows_its_slider(run):
    browser = plotting.epoch_browser(run.directory)
    summary, slider, (snapshot, details), restore, curves = (
        browser.children[0],
        browser.children[1],
        browser.children[2].children,
        browser.children[3],
        browser.children[4],
    )
    assert "Suggested epoch 2" in summary.value
    assert list(slider.options) == list(range(EPOCHS + 1)) and slider.value == 2
    assert snapshot.value == run.snapshot_path(2).read_bytes()
    assert "<td>40</td>" in details.value and "restore_epoch" in restore.value
    slider.value = 3
    assert snapshot.value == run.snapshot_path(3).read_bytes()
    assert "diversity 0.20" in details.value and "No weights saved for epoch 3" in restore.value
    assert type(curves).__name__ == "Output"  # the figure; it shows only with a kernel
    figure, _ = browser_module._curve_figure(
        browser_module._read_run(run.directory, "domain_fid"), 3.6
    )
    assert legends_clear_of_panels(figure)


def test_a_trained_run_browses_and_its_restore_line_restores(trained_run, tmp_path):
    run = Run(shutil.copytree(trained_run.run.directory, tmp_path / "run"))
    frames = frames_of(plotting.export_epoch_browser(run.directory).read_text())
    assert [f["epoch"] for f in frames] == run.snapshot_epochs() == [0, 1, 2]
    with Image.open(plotting.training_animation(run.directory)) as gif:
        assert gif.n_frames == 3
    # The line the page shows, run as a user would paste it, gives that epoch's generator.
    namespace = {"ganlib": ganlib}
    exec(frames[-1]["restore"], namespace)
    assert run.reproduces_snapshot(namespace["generator"], 2)


def _chromium():
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


def test_the_page_works_in_a_real_browser(run):
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="needs Playwright for Python (pip install -r requirements.txt, or make install)",
    )
    chromium = _chromium()
    if chromium is None:
        pytest.skip(
            "needs Debian's chromium: run `make browser` as root (apt-get install chromium)"
        )
    url = plotting.export_epoch_browser(run.directory).resolve().as_uri()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url)
            epoch, image = page.locator("#epoch"), page.locator("#snapshot")
            assert epoch.inner_text() == "2"
            first = image.get_attribute("src")
            marker = page.locator(".marker").first.get_attribute("x1")
            slider = page.locator("input[type=range]")
            slider.focus()
            page.keyboard.press("ArrowRight")
            assert epoch.inner_text() == "3"
            assert image.get_attribute("src") not in (first, None)
            assert page.locator(".marker").first.get_attribute("x1") != marker
            assert "No weights saved for epoch 3" in page.locator("#restore").inner_text()
            slider.fill("0")  # dragging to the start: an `input` event, as a mouse sends
            assert epoch.inner_text() == "0"
            assert "untrained" in page.locator("#restore").inner_text()
            # The image shown is the snapshot's own PNG, decoded by the browser.
            size = image.evaluate("i => [i.complete, i.naturalWidth, i.naturalHeight]")
            assert size == [True, SNAPSHOT_SHAPE[1], SNAPSHOT_SHAPE[0]]
            assert errors == []
        finally:
            browser.close()
