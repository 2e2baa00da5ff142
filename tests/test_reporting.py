"""`ganlib.reporting`: the closing section's sentences, built from a run's own files.

The run directories are written by hand through `Run` (a config and a history), so no test trains.
"""

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

import ganlib
from ganlib import reporting
from ganlib.files import write_json
from ganlib.metrics import collapse_alarm
from ganlib.runs import Run

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def make_run(directory, rows, *, name="milosevic_mnist", mode="quick") -> Run:
    """A run of `name` in `mode` whose history.csv holds `rows` (dicts without the epoch)."""
    run = Run(directory)
    write_json(
        run.config_path,
        {"preset": {"name": name}, "mode": mode, "device": "CPU, 2 cores (test)"},
    )
    run.write_history([{"epoch": e, **row} for e, row in enumerate(rows, start=1)])
    return run


def history(**columns):
    epochs = len(next(iter(columns.values())))
    return {"epoch": list(range(1, epochs + 1)), **columns}


def test_pick_returns_the_choice_or_names_the_received_and_expected_keys():
    options = {"afhq": 1, "celeba": 2}
    assert reporting.pick(options, "celeba", "DATASET") == 2
    with pytest.raises(
        ValueError, match=r"DATASET is 'ahfq'; expected one of \['afhq', 'celeba'\]"
    ):
        reporting.pick(options, "ahfq", "DATASET")


def test_the_run_line_reads_mode_epochs_and_time_from_the_run(tmp_path):
    rows = [{"d_loss": 1.0, "epoch_seconds": 10.4}, {"d_loss": 0.9, "epoch_seconds": 20.0}]
    make_run(tmp_path / "quick", rows)
    line = reporting.run_line(tmp_path / "quick", report_seconds=1670)
    report_epochs = ganlib.get_preset("milosevic_mnist").epochs
    assert line == (
        f"This run (QUICK MODE, a smoke run, not a result): 2 of the report's {report_epochs} "
        f"epochs in 30 s of training on CPU, 2 cores (test). The report: 1,670 s for "
        f"{report_epochs} epochs on a GPU."
    )
    make_run(tmp_path / "full", rows[:1], mode="full")
    assert reporting.mode(tmp_path / "full") == "full run"
    assert reporting.mode(tmp_path / "full", stand_in=True) == (
        "full run on STAND-IN DATA, a smoke run, not a result"
    )
    assert "1 of the report's" in reporting.run_line(tmp_path / "full")
    assert "The report" not in reporting.run_line(tmp_path / "full")


def test_a_run_of_an_unknown_preset_names_no_report_epochs(tmp_path):
    make_run(tmp_path, [{"epoch_seconds": 1.0}], name="hand_written")
    assert ": 1 epoch in 1 s of training" in reporting.run_line(tmp_path)


def test_trend_says_which_way_a_column_went_and_whether_it_ends_above_its_low():
    rising_at_the_end = history(g_loss=[3.0, 1.0, 2.0])
    assert reporting.trend(rising_at_the_end, "g_loss") == (
        "g_loss 3.000 at epoch 1, falls to 2.000 at epoch 3; it ends 1.000 above its lowest "
        "(1.000, epoch 2)"
    )
    falling = history(d_loss=[1.2, 0.9, 0.7])
    assert reporting.trend(falling, "d_loss", near=0.6) == (
        "d_loss 1.200 at epoch 1, falls to 0.700 at epoch 3; it ends at its lowest; 0.100 from "
        "the report's 0.6"
    )
    both = reporting.trend({**falling, **rising_at_the_end}, "d_loss", "g_loss")
    assert both.split(". ") == [
        reporting.trend(falling, "d_loss"),
        reporting.trend(rising_at_the_end, "g_loss"),
    ]
    assert "stays near" in reporting.trend(history(d_loss=[1.0, 1.005]), "d_loss")
    assert "rises to" in reporting.trend(history(d_loss=[1.0, 2.0]), "d_loss")


def test_trend_of_one_epoch_says_there_is_no_trend_and_skips_nan():
    assert reporting.trend(history(d_loss=[0.6]), "d_loss") == (
        "d_loss 0.600 after epoch 1 (one point: no trend yet)"
    )
    assert reporting.trend(history(d_loss=[0.5, float("nan")]), "d_loss").startswith(
        "d_loss 0.500 after epoch 1"
    )


def test_trend_names_the_missing_column_and_the_ones_there():
    with pytest.raises(ValueError, match=r"no 'g_loss' column.*\['d_loss', 'epoch'\]"):
        reporting.trend(history(d_loss=[1.0]), "g_loss")
    with pytest.raises(ValueError, match="no finite value"):
        reporting.trend(history(d_loss=[float("nan")]), "d_loss")
    with pytest.raises(ValueError, match="at least one column"):
        reporting.trend(history(d_loss=[1.0]))


@pytest.mark.parametrize(
    ("real", "fake", "verdict"),
    [
        (0.99, 0.5, "D is saturated"),
        (0.5, 0.01, "D is saturated"),
        (0.9, 0.1, "D is winning"),
        (0.4, 0.6, "G is winning"),
        (0.6, 0.4, "neither network dominates"),
    ],
)
def test_discriminator_state_reads_the_last_epoch(real, fake, verdict):
    state = reporting.discriminator_state(history(d_real=[0.5, real], d_fake=[0.5, fake]))
    assert state.startswith(f"D(real) {real:.2f}, D(fake) {fake:.2f} at epoch 2: {verdict}")


def test_the_saturation_threshold_is_the_collapse_alarms():
    assert (
        reporting.SATURATION == inspect.signature(collapse_alarm).parameters["saturation"].default
    )


def test_diversity_of_one_image_repeated_is_a_collapse_and_of_the_data_is_not():
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (40, 8, 8, 3)).astype(np.float32)
    same = np.repeat(real[:1], 20, axis=0)
    collapsed = reporting.diversity(same, real)
    assert collapsed.generated == 0.0 and collapsed.real > 0 and collapsed.ratio == 0.0
    assert str(collapsed).endswith(
        "(0% of the real spread; 20 generated, 40 real images): "
        "nearly one image drawn every time: a collapse"
    )
    alike = reporting.diversity(rng.uniform(-1, 1, (40, 8, 8, 3)), real)
    assert 0.9 < alike.ratio < 1.1 and "about as varied as the real images" in str(alike)


def test_diversity_takes_real_images_from_a_dataset_of_images_and_labels():
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (30, 4, 4, 1)).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((images, np.zeros(30, np.int32))).batch(8)
    result = reporting.diversity(images[:10], dataset, real_images=20)
    assert result.real_count == 20
    assert result.real == pytest.approx(reporting.diversity(images[:10], images[:20]).real)
    with pytest.raises(ValueError, match="empty dataset"):
        reporting.diversity(images[:10], dataset.take(0))
    with pytest.raises(ValueError, match=r"\(4, 4, 1\) and real ones \(4, 4, 3\)"):
        reporting.diversity(images[:10], np.zeros((5, 4, 4, 3)))


def test_against_report_puts_the_run_line_over_a_table_of_claims(tmp_path):
    make_run(tmp_path, [{"d_loss": 1.0, "epoch_seconds": 5.0}])
    shown = reporting.against_report(
        tmp_path, {"Fig 3: D loss | near 0.6": "d_loss 1.000"}, stand_in=True
    )
    lines = shown.data.splitlines()
    assert lines[0] == reporting.run_line(tmp_path, stand_in=True)
    assert lines[2:] == [
        "| the report | this run |",
        "|---|---|",
        "| Fig 3: D loss \\| near 0.6 | d_loss 1.000 |",
    ]
    with pytest.raises(ValueError, match="at least one claim"):
        reporting.against_report(tmp_path, {})


def notebook_report_table(path) -> dict:
    """The value of the `REPORT = {...}` assignment of a notebook's jupytext source."""
    tree = ast.parse(path.read_text())
    nodes = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(target, "id", None) for target in node.targets] == ["REPORT"]
    ]
    assert len(nodes) == 1, f"{path.name} assigns REPORT {len(nodes)} times; expected once"
    return eval(compile(ast.Expression(nodes[0]), str(path), "eval"), {"dict": dict})


def test_the_faces_notebooks_per_dataset_facts_agree_with_their_presets():
    # The notebook picks its facts with reporting.pick; a wrong preset, class list or label would
    # only show when someone runs it on that dataset, so the table is checked here.
    table = notebook_report_table(NOTEBOOKS / "milosevic_faces.py")
    assert sorted(table) == ["afhq", "celeba"]
    for dataset, facts in table.items():
        preset = ganlib.get_preset(facts["preset"])
        assert preset.dataset == dataset and preset.report == "milosevic"
        assert len(facts["classes"]) == preset.classes == len(set(facts["classes"]))
        assert facts["classes"] == sorted(facts["classes"])  # class folders load in sorted order
        assert facts["figures"], dataset
        for figure, (epoch, labels) in facts["figures"].items():
            assert 1 <= epoch <= preset.epochs, (dataset, figure)
            assert len(labels) == 9 and set(labels) <= set(range(preset.classes)), (dataset, figure)
        assert facts["samples"] and facts["losses"]
        assert facts["seconds"] is None or facts["seconds"] > 0
