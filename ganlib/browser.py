"""Every epoch of a run at a glance: an epoch browser and a training animation.

- `export_epoch_browser`: run_dir/epochs.html, one self-contained page (images embedded, curves
  drawn as inline SVG, a few lines of script) with a slider over the epochs; it opens offline in
  any browser, without a kernel, and can be sent as one file.
- `epoch_browser`: the same in Jupyter or Colab, with ipywidgets and a matplotlib figure.
- `training_animation`: run_dir/training.gif, the snapshots in order, each labelled with its epoch.

Each shows an epoch's snapshot, its losses and logged metrics, where it sits on the curves, the
suggested epoch, the collapse flags the logged values raise and the line that restores it. They
only read what the run already holds (snapshots/, history.csv, metrics.jsonl): no image is
generated, so they are cheap, during training too. `ganlib.plotting` re-exports them.
"""

from __future__ import annotations

import base64
import html
import inspect
import json
import math
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Image as DisplayImage
from IPython.display import Markdown, clear_output, display
from matplotlib.ticker import MaxNLocator
from PIL import Image, ImageDraw, ImageFont

from ganlib.files import atomic_path
from ganlib.metrics import (
    METRICS,
    BestEpoch,
    collapse_alarm,
    get_metric,
    metric_series,
    read_metrics,
    suggest_best_epoch,
)
from ganlib.metrics.registry import MetricSeries
from ganlib.runs import Run

BROWSER_FILE = "epochs.html"
ANIMATION_FILE = "training.gif"
# history.csv columns in the order the browser lists them, with their labels; others follow.
HISTORY_LABELS = {
    "d_loss": "d_loss",
    "g_loss": "g_loss",
    "d_real": "D(x), real",
    "d_fake": "D(G(z)), generated",
    "d_real_accuracy": "accuracy on real",
    "d_fake_accuracy": "accuracy on generated",
    "epoch_seconds": "seconds",
}
# The curve panels drawn from history.csv: title, columns, fixed y range (None: from the values).
HISTORY_PANELS = (
    ("losses", ("d_loss", "g_loss"), None),
    ("D's mean probability", ("d_real", "d_fake"), (0.0, 1.0)),
)
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
# The browser flags with collapse_alarm's own thresholds, so both agree on the same numbers.
_ALARM = {n: p.default for n, p in inspect.signature(collapse_alarm).parameters.items()}
_SVG_SIZE = (340, 190)
_SVG_MARGIN = (58, 10, 34, 26)  # left, right, top, bottom
_SCREEN_WIDTH = 320  # pixels a small snapshot is scaled up to, at most 8×


def epoch_ticks(axis):
    """Whole-number ticks on the x axis (epochs), also for a one-epoch run.

    `MaxNLocator(integer=True)` alone falls back to fractional ticks when fewer than two whole
    numbers are in view, as with a single epoch.
    """
    axis.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


def legend_beside(axis):
    """The panel's legend to its right, outside it, so that no curve runs under the legend.

    Returns the Legend, or None when the panel has no labelled artist. `tight_layout` makes room
    for it.
    """
    handles, labels = axis.get_legend_handles_labels()
    if not handles:
        return None
    return axis.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        borderaxespad=0.0,
        fontsize="small",
        frameon=False,
    )


@dataclass(frozen=True)
class _Epochs:
    """What the browser shows of a run, read once."""

    run: Run
    epochs: tuple[int, ...]  # the snapshot epochs, sorted
    history: dict[str, dict[int, float]]  # column -> {epoch: value}
    metrics: dict[str, MetricSeries]
    best: BestEpoch | None
    best_note: str
    flags: dict[int, tuple[str, ...]]
    checked: dict[int, tuple[str, ...]]  # what the flags could be checked against, per epoch
    saved: tuple[int, ...]

    @property
    def start(self) -> int:
        """The epoch shown first: the suggested one when it has a snapshot, else the last."""
        if self.best is not None and self.best.epoch in self.epochs:
            return self.best.epoch
        return self.epochs[-1]

    @property
    def last_epoch(self) -> int:
        """The last epoch any curve or snapshot reaches."""
        ends = [self.epochs[-1]] + [max(c) for c in self.history.values() if c]
        ends += [s.epochs[-1] for s in self.metrics.values() if s.epochs]
        return max(ends)

    def values(self, epoch: int) -> list[tuple[str, float | None]]:
        """(label, value) of every history column and metric; None where the epoch has none."""
        rows = [(HISTORY_LABELS.get(k, k), column.get(epoch)) for k, column in self.history.items()]
        for name, series in self.metrics.items():
            by_epoch = dict(zip(series.epochs, series.values))
            rows.append((f"{name} ({series.better} is better)", by_epoch.get(epoch)))
        return rows

    def restore_line(self, epoch: int) -> str:
        """The line that restores `epoch`'s generator, or why it cannot be restored."""
        if epoch in self.saved:
            return (
                f"generator = ganlib.restore_epoch({json.dumps(str(self.run.directory))}, {epoch})"
            )
        if epoch == 0:
            return "Epoch 0 is the untrained generator: no weights are saved for it."
        saved = _epoch_ranges(self.saved) or "none"
        return f"No weights saved for epoch {epoch}, so it cannot be restored (saved: {saved})."


def _epoch_ranges(epochs) -> str:
    """1, 2, 3, 5 → "1–3, 5": a long list of saved epochs in a few characters."""
    runs: list[list[int]] = []
    for epoch in epochs:
        if runs and epoch == runs[-1][-1] + 1:
            runs[-1].append(epoch)
        else:
            runs.append([epoch])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _finite(value) -> bool:
    return value is not None and math.isfinite(value)


def _format(value) -> str:
    return f"{value:.4g}" if _finite(value) else "—"


def _read_run(run_dir, metric: str | None) -> _Epochs:
    """Check that `run_dir` is a run with snapshots, and read what the browser shows of it."""
    run = Run(run_dir)
    run.read_config()  # raises, naming the folder, when it is not a ganlib run
    epochs = tuple(run.snapshot_epochs())
    if not epochs:
        raise ValueError(
            f"Run directory {run.directory} holds no snapshots (snapshots/epoch_NNN.png); "
            "expected a run that has started training."
        )
    if metric is not None:
        get_metric(metric)  # an unknown name is a mistake, unlike a metric not logged yet
    try:
        columns = run.history()
    except FileNotFoundError:
        columns = {}  # only the untrained snapshot so far
    epoch_column = [int(e) for e in columns.pop("epoch", [])]
    order = [k for k in HISTORY_LABELS if k in columns] + sorted(set(columns) - set(HISTORY_LABELS))
    history = {k: dict(zip(epoch_column, columns[k])) for k in order}
    names = dict.fromkeys(r.get("metric") for r in read_metrics(run.directory))
    series = {}
    for name in names:
        if name in METRICS:
            try:
                series[name] = metric_series(run.directory, name)
            except (KeyError, ValueError):
                continue  # records without per-epoch values, e.g. of a final evaluation only
    flags, checked = _logged_flags(run, history, series)
    best, note = None, "No metric chosen for a suggested epoch."
    if metric is not None:
        try:
            # As the notebooks suggest: never a flagged epoch, unless every epoch is flagged.
            best = suggest_best_epoch(run.directory, metric, exclude=flags, fallback=True)
            note = f"Suggested {best}."
        except ValueError as error:
            note = f"No suggested epoch: {error}"
    return _Epochs(
        run, epochs, history, series, best, note, flags, checked, tuple(run.saved_epochs())
    )


def _logged_flags(run: Run, history, series):
    """collapse_alarm's flags, from the values already logged instead of new samples.

    Returns:
        ({epoch: reasons}, {epoch: the signals checked}).
    """
    flags: dict[int, list[str]] = {}
    checked: dict[int, list[str]] = {}
    if "missing_classes" in series:
        lost = series["missing_classes"]
        # The class numbers sit in the records beside the count the series holds.
        ids = {
            r["epoch"]: r.get("missing", [])
            for r in read_metrics(run.directory, "missing_classes")
            if (r.get("samples"), r.get("extractor")) == (lost.samples, lost.extractor)
        }
        for epoch, count in zip(lost.epochs, lost.values):
            checked.setdefault(epoch, []).append("missing classes")
            if _finite(count) and count > 0:
                named = ", ".join(map(str, ids.get(epoch, []))) or "?"
                flags.setdefault(epoch, []).append(
                    f"lost {count:.0f} classes ({named}): each under 1 % of the samples"
                )
    if "diversity" in series:
        previous = None
        for epoch, value in zip(series["diversity"].epochs, series["diversity"].values):
            checked.setdefault(epoch, []).append("diversity")
            if not _finite(value):
                continue
            if value < _ALARM["diversity_floor"]:
                flags.setdefault(epoch, []).append(
                    f"diversity {value:.2f} of real data's (below {_ALARM['diversity_floor']})"
                )
            if previous is not None and value < _ALARM["diversity_drop"] * previous[1]:
                flags.setdefault(epoch, []).append(
                    f"diversity fell to {value / previous[1]:.0%} of epoch {previous[0]}'s"
                )
            previous = (epoch, value)
    saturation = _ALARM["saturation"]
    for key, label in (("d_real", "D(x)"), ("d_fake", "D(G(z))")):
        for epoch, value in history.get(key, {}).items():
            checked.setdefault(epoch, []).append(f"mean {label}")
            if _finite(value) and not saturation <= value <= 1 - saturation:
                flags.setdefault(epoch, []).append(
                    f"discriminator saturated: mean {label} = {value:.3f}"
                )
    return (
        {e: tuple(r) for e, r in sorted(flags.items())},
        {e: tuple(dict.fromkeys(c)) for e, c in checked.items()},
    )


def _details(data: _Epochs, epoch: int) -> tuple[str, str]:
    """HTML of one epoch's values table and its flags, for the page and the widget alike."""
    rows = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{_format(value)}</td></tr>"
        for label, value in data.values(epoch)
    )
    if not rows:
        rows = '<tr><td colspan="2">No values logged for this epoch.</td></tr>'
    notes = []
    if data.best is not None and epoch == data.best.epoch:
        notes.append(f'<p class="best">★ the suggested epoch ({html.escape(data.best.metric)})</p>')
    reasons = data.flags.get(epoch, ())
    if reasons:
        items = "".join(f"<li>{html.escape(r)}</li>" for r in reasons)
        notes.append(f'<p class="flag">⚠ collapse flags:</p><ul class="flag">{items}</ul>')
    elif data.checked.get(epoch):
        checked = ", ".join(data.checked[epoch])
        notes.append(f'<p class="ok">No collapse flag (checked: {html.escape(checked)}).</p>')
    else:
        notes.append("<p>Nothing logged to check for collapse at this epoch.</p>")
    return f"<table>{rows}</table>", "".join(notes)


def _panels(data: _Epochs):
    """(title, [(label, epochs, values)], fixed y range) of every curve panel with values."""
    panels = []
    for title, keys, y_range in HISTORY_PANELS:
        lines = [
            (HISTORY_LABELS[k], list(data.history[k]), list(data.history[k].values()))
            for k in keys
            if k in data.history
        ]
        if lines:
            panels.append((title, lines, y_range))
    for name, series in data.metrics.items():
        title = f"{name} ({series.better} is better)"
        panels.append((title, [(name, list(series.epochs), list(series.values))], None))
    return panels


# --- The page ---------------------------------------------------------------------------------

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.2em; word-break: break-all; }
.controls { margin: 1em 0; font-size: 1.1em; }
.controls input { width: min(40em, 90vw); vertical-align: middle; }
.main { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
#snapshot { image-rendering: pixelated; border: 1px solid #ccc; }
table { border-collapse: collapse; }
th, td { padding: 0.15em 0.6em; border-bottom: 1px solid #eee; text-align: left; }
td { font-variant-numeric: tabular-nums; text-align: right; }
.flag { color: #b00; } .best { color: #b60; } .ok { color: #282; }
ul.flag { margin: 0; padding-left: 1.2em; }
pre { background: #f4f4f4; padding: 0.5em; white-space: pre-wrap; }
#curves { display: flex; flex-wrap: wrap; gap: 0.5em; margin-top: 1em; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
"""

# Moving the slider swaps in one frame's pre-rendered parts; everything else is static.
_SCRIPT = """
const frames = JSON.parse(document.getElementById("frames").textContent);
const slider = document.getElementById("slider");
function show(index) {
  const frame = frames[index];
  document.getElementById("epoch").textContent = frame.epoch;
  const image = document.getElementById("snapshot");
  image.src = frame.src;
  image.alt = "snapshot after epoch " + frame.epoch;
  document.getElementById("values").innerHTML = frame.values;
  document.getElementById("notes").innerHTML = frame.notes;
  document.getElementById("restore").textContent = frame.restore;
  for (const marker of document.querySelectorAll(".marker")) {
    marker.setAttribute("x1", frame.x);
    marker.setAttribute("x2", frame.x);
  }
}
slider.addEventListener("input", () => show(Number(slider.value)));
show(Number(slider.value));
"""


def _x_scale(data: _Epochs):
    """The SVG x coordinate of an epoch, the same in every panel so one marker value fits all."""
    left, right = _SVG_MARGIN[0], _SVG_SIZE[0] - _SVG_MARGIN[1]
    first, last = data.epochs[0], data.last_epoch
    span = last - first
    return lambda epoch: round(
        (left + right) / 2 if span == 0 else left + (epoch - first) / span * (right - left), 1
    )


def _svg_panel(title, lines, y_range, x_of, data: _Epochs) -> str:
    """One curve panel as inline SVG: polylines, the suggested epoch, the moving marker."""
    width, height = _SVG_SIZE
    left, right, top, bottom = _SVG_MARGIN
    finite = [v for _, _, values in lines for v in values if _finite(v)]
    low, high = y_range or (min(finite, default=0.0), max(finite, default=1.0))
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5

    def y_of(value):
        return round(height - bottom - (value - low) / (high - low) * (height - top - bottom), 1)

    parts = [
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">',
        f'<rect x="{left}" y="{top}" width="{width - left - right}" '
        f'height="{height - top - bottom}" fill="none" stroke="#bbb"/>',
        f'<text x="{left}" y="13">{html.escape(title)}</text>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{_format(high)}</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">{_format(low)}</text>',
        f'<text x="{left}" y="{height - 8}">{data.epochs[0]}</text>',
        f'<text x="{width - right}" y="{height - 8}" text-anchor="end">'
        f"epoch {data.last_epoch}</text>",
    ]
    if data.best is not None:
        x = x_of(data.best.epoch)
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{top}" y2="{height - bottom}" stroke="#b60" '
            f'stroke-dasharray="3 3"><title>suggested epoch {data.best.epoch}</title></line>'
        )
    for index, (label, epochs, values) in enumerate(lines):
        color = COLORS[index % len(COLORS)]
        # A non-finite value breaks the curve rather than dropping it to an axis.
        segments = [[]]
        for epoch, value in zip(epochs, values):
            if _finite(value):
                segments[-1].append((x_of(epoch), y_of(value)))
            elif segments[-1]:
                segments.append([])
        for points in filter(None, segments):
            coordinates = " ".join(f"{x},{y}" for x, y in points)
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{color}" '
                'stroke-width="1.5"/>'
            )
            if len(points) == 1 or len(epochs) <= 40:
                parts += [f'<circle cx="{x}" cy="{y}" r="2" fill="{color}"/>' for x, y in points]
        if len(lines) > 1:
            parts.append(
                f'<text x="{width - right}" y="{top - 6}" text-anchor="end" '
                f'transform="translate({-110 * (len(lines) - 1 - index)} 0)" '
                f'style="fill:{color}">{html.escape(label)}</text>'
            )
    x = x_of(data.start)
    parts.append(
        f'<line class="marker" x1="{x}" x2="{x}" y1="{top}" y2="{height - bottom}" '
        'stroke="#d62728" stroke-width="1.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _screen_scale(width: int) -> int:
    """How many times to enlarge a snapshot so that a 28-pixel grid is not a speck."""
    return max(1, min(8, _SCREEN_WIDTH // max(width, 1)))


def export_epoch_browser(run_dir, path=None, *, metric: str | None = "domain_fid") -> Path:
    """Write a run's epoch browser: one HTML page, self-contained, with a slider over the epochs.

    The page embeds every snapshot (base64 data URIs) and draws the curves as inline SVG, with a
    few lines of script and no external file: it works offline, in any browser, without a kernel.
    For the epoch under the slider it shows the snapshot, the losses and logged metrics, a marker
    on every curve, the suggested epoch, collapse flags and the `ganlib.restore_epoch` line (for
    epochs whose weights were saved). The flags are those `ganlib.metrics.collapse_alarm` raises,
    computed from the values already logged, with its thresholds; no image is generated.

    Args:
        run_dir: a run directory with snapshots (during training too).
        path: where to write the page; by default run_dir/epochs.html.
        metric: the metric whose best logged epoch is suggested (`suggest_best_epoch`); None
            for no suggestion. A metric not logged yet is said so on the page.

    Returns:
        The path of the page.

    Raises:
        FileNotFoundError, ValueError: `run_dir` is not a run, holds no snapshots, or `metric` is
            not a registered metric; nothing is written then.

    Example:
        >>> export_epoch_browser("runs/sharma_fashion_mnist")  # then open runs/.../epochs.html
    """
    data = _read_run(run_dir, metric)
    run = data.run
    path = Path(path) if path is not None else run.directory / BROWSER_FILE
    x_of = _x_scale(data)
    frames = []
    for epoch in data.epochs:
        values, notes = _details(data, epoch)
        frames.append(
            {
                "epoch": epoch,
                "src": _data_uri(run.snapshot_path(epoch)),
                "values": values,
                "notes": notes,
                "restore": data.restore_line(epoch),
                "x": x_of(epoch),
            }
        )
    start = data.epochs.index(data.start)
    with Image.open(run.snapshot_path(data.start)) as image:
        width, height = image.size
    scale = _screen_scale(width)
    curves = "".join(_svg_panel(*panel, x_of, data) for panel in _panels(data))
    # "<" escaped keeps the JSON from closing the script element, whatever a value holds.
    payload = json.dumps(frames).replace("<", "\\u003c")
    values, notes = frames[start]["values"], frames[start]["notes"]
    title = html.escape(str(run.directory))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Epochs of {title}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>Epochs of {title}</h1>
<p>{html.escape(data.best_note)}</p>
<div class="controls">
<label for="slider">epoch <strong id="epoch">{data.start}</strong></label>
<input type="range" id="slider" min="0" max="{len(frames) - 1}" step="1" value="{start}">
<span>{data.epochs[0]}–{data.epochs[-1]} ({len(frames)} snapshots)</span>
</div>
<div class="main">
<img id="snapshot" src="{frames[start]["src"]}" width="{width * scale}" \
height="{height * scale}" alt="snapshot after epoch {data.start}">
<div>
<div id="values">{values}</div>
<div id="notes">{notes}</div>
<pre id="restore">{html.escape(frames[start]["restore"])}</pre>
</div>
</div>
<div id="curves">{curves}</div>
<script type="application/json" id="frames">{payload}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
    with atomic_path(path) as temporary:
        temporary.write_text(page, encoding="utf-8")
    return path


# --- The notebook widget ----------------------------------------------------------------------


def _curve_figure(data: _Epochs, size: float):
    """The curves as one matplotlib figure, and a vertical marker line on each panel."""
    panels = _panels(data)
    if not panels:
        return None, []
    columns = min(3, len(panels))
    rows = math.ceil(len(panels) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(size * columns, 0.7 * size * rows))
    axes = np.atleast_1d(axes).ravel()
    markers = []
    for axis, (title, lines, y_range) in zip(axes, panels):
        for label, epochs, values in lines:
            axis.plot(epochs, values, marker="o" if len(epochs) <= 40 else None, label=label)
        if y_range is not None:
            axis.set_ylim(*y_range)
        if data.best is not None:
            axis.axvline(data.best.epoch, color="tab:orange", linestyle="--", linewidth=1)
        markers.append(axis.axvline(data.start, color="tab:red", linewidth=1.5))
        axis.set_xlim(data.epochs[0] - 0.5, data.last_epoch + 0.5)
        epoch_ticks(axis)
        axis.set_xlabel("epoch")
        axis.set_title(title, fontsize="small")
        if len(lines) > 1:
            legend_beside(axis)
    for axis in axes[len(panels) :]:
        axis.set_axis_off()
    figure.tight_layout()
    # Shown through the widget's Output only: closed here so the inline backend does not show
    # it a second time below the cell.
    plt.close(figure)
    return figure, markers


def epoch_browser(run_dir, *, metric: str | None = "domain_fid", size: float = 3.6):
    """An epoch browser for Jupyter or Colab: a slider over the epochs of a run.

    For the chosen epoch it shows the snapshot, the losses and logged metrics, one matplotlib
    figure of the curves with a marker at that epoch, the suggested epoch, collapse flags (as in
    `export_epoch_browser`) and the `ganlib.restore_epoch` line. `export_epoch_browser` writes
    the same as a page that needs no kernel.

    Args:
        run_dir: a run directory with snapshots.
        metric: the metric whose best logged epoch is suggested; None for no suggestion.
        size: inches per curve panel.

    Returns:
        An `ipywidgets.VBox`; a notebook shows it as the cell's value.

    Raises:
        FileNotFoundError, ValueError: as `export_epoch_browser`.

    Example:
        >>> epoch_browser("runs/sharma_fashion_mnist")
    """
    data = _read_run(run_dir, metric)
    with Image.open(data.run.snapshot_path(data.start)) as image:
        width = image.size[0]
    slider = widgets.SelectionSlider(
        options=list(data.epochs),
        value=data.start,
        description="epoch",
        continuous_update=False,
        layout=widgets.Layout(width="32em"),
    )
    snapshot = widgets.Image(format="png", width=width * _screen_scale(width))
    details = widgets.HTML()
    restore = widgets.HTML()
    curves = widgets.Output()
    figure, markers = _curve_figure(data, size)

    def show(epoch):
        snapshot.value = data.run.snapshot_path(epoch).read_bytes()
        values, notes = _details(data, epoch)
        details.value = values + notes
        restore.value = f"<pre>{html.escape(data.restore_line(epoch))}</pre>"
        if figure is None:
            return
        for marker in markers:
            marker.set_xdata([epoch, epoch])
        with curves:
            clear_output(wait=True)
            display(figure)

    slider.observe(lambda change: show(change["new"]), names="value")
    show(data.start)
    summary = widgets.HTML(f"<p>{html.escape(data.best_note)}</p>")
    return widgets.VBox(
        [summary, slider, widgets.HBox([snapshot, details]), restore, curves],
        layout=widgets.Layout(gap="0.5em"),
    )


# --- The animation ----------------------------------------------------------------------------


def _label_font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow before 10.1 has only its small bitmap font
        return ImageFont.load_default()


def training_animation(run_dir, path=None, fps: float = 2.0, *, scale: int | None = None) -> Path:
    """Write the run's snapshots as an animated GIF, each frame labelled with its epoch.

    Args:
        run_dir: a run directory with snapshots.
        path: where to write it; by default run_dir/training.gif.
        fps: frames per second (the last frame is held longer, so a loop shows where it ends).
        scale: how many times to enlarge the snapshots (nearest neighbour); by default enough
            for a small grid to be seen, at most 8.

    Returns:
        The path of the GIF.

    Raises:
        FileNotFoundError, ValueError: `run_dir` is not a run or holds no snapshots, or `fps` or
            `scale` is not a positive number; nothing is written then.

    Example:
        >>> training_animation("runs/sharma_fashion_mnist")  # runs/.../training.gif
    """
    if isinstance(fps, bool) or not isinstance(fps, (int, float)) or not fps > 0:
        raise ValueError(f"fps must be a positive number of frames per second, received {fps!r}.")
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int) or scale < 1):
        raise ValueError(f"scale must be a positive integer or None, received {scale!r}.")
    run = Run(run_dir)
    run.read_config()
    epochs = run.snapshot_epochs()
    if not epochs:
        raise ValueError(
            f"Run directory {run.directory} holds no snapshots (snapshots/epoch_NNN.png); "
            "expected a run that has started training."
        )
    path = Path(path) if path is not None else run.directory / ANIMATION_FILE
    frames = []
    for epoch in epochs:
        with Image.open(run.snapshot_path(epoch)) as image:
            picture = image.convert("RGB")
        factor = scale or _screen_scale(picture.width)
        picture = picture.resize(
            (picture.width * factor, picture.height * factor), Image.Resampling.NEAREST
        )
        font = _label_font(max(11, min(18, picture.width // 12)))
        strip = font.getbbox("epoch 0")[3] + 8
        frame = Image.new("RGB", (picture.width, picture.height + strip), "white")
        frame.paste(picture, (0, strip))
        label = f"epoch {epoch}" + (" (untrained)" if epoch == 0 else "")
        ImageDraw.Draw(frame).text((4, 4), label, fill="black", font=font)
        frames.append(frame)
    # A run whose grid changed size between epochs still animates, at its first frame's size.
    frames = [f if f.size == frames[0].size else f.resize(frames[0].size) for f in frames]
    milliseconds = round(1000 / fps)
    durations = [milliseconds] * (len(frames) - 1) + [max(3 * milliseconds, 1500)]
    with atomic_path(path) as temporary:
        frames[0].save(
            temporary,
            format="GIF",
            save_all=True,
            append_images=frames[1:],
            duration=durations,
            loop=0,
        )
    return path


def show_training_animation(run_dir, *, fps: float = 2.0, scale: int | None = None):
    """Write the run's training.gif (`training_animation`) and show it in a notebook.

    Args:
        run_dir: a run directory with snapshots.
        fps, scale: as in `training_animation`.

    Returns:
        An `IPython.display.Image`; a notebook shows it as the cell's value.
    """
    return DisplayImage(filename=str(training_animation(run_dir, fps=fps, scale=scale)))


def show_epochs(run_dir, *, metric: str | None = "domain_fid", fps: float = 2.0):
    """A notebook's view of every epoch of a run, in one call.

    Writes `run_dir/epochs.html` (`export_epoch_browser`) and `run_dir/training.gif`
    (`training_animation`), shows the animation and a link to the page, and returns the
    interactive browser (`epoch_browser`), which the cell shows as its value.

    Args:
        run_dir: a run directory with snapshots.
        metric: the logged metric to draw and suggest the epoch by (None: the losses only).
        fps: frames per second of the animation.

    Returns:
        The ipywidgets epoch browser.
    """
    browser = epoch_browser(run_dir, metric=metric)
    page = export_epoch_browser(run_dir, metric=metric)
    gif = training_animation(run_dir, fps=fps)
    display(DisplayImage(filename=str(gif)))
    display(
        Markdown(
            f"Training, epoch by epoch: `{gif}`. Every epoch in one page that opens in any "
            f"browser without a kernel: [{page.name}]({page}) (`{page}`)."
        )
    )
    return browser
