"""A notebook's closing section: the run's own figures read against the report's claims.

Every notebook ends with "What this run shows, against the report". Written as fixed prose, that
section would describe one run and go on saying it after the notebook shows another (a quick
smoke run on stand-in data, a longer run, a run on the real dataset). The helpers here build its
sentences from the run itself (config.json, history.csv) and from what the notebook measured, so
they stay true for whichever run is shown; the notebook supplies only the report's claims::

    from ganlib import reporting
    history = ganlib.read_history(RUN_DIR)
    reporting.against_report(RUN_DIR, {
        "Fig 3: D loss settles near 0.6": reporting.trend(history, "d_loss", near=0.6),
        "D guesses between real and generated": reporting.discriminator_state(history),
    }, report_seconds=1670)
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from IPython.display import Markdown

from ganlib.experiments import PRESETS
from ganlib.metrics import collapse_alarm, mean_pairwise_distance
from ganlib.runs import Run

__all__ = [
    "Diversity",
    "against_report",
    "discriminator_state",
    "diversity",
    "mode",
    "pick",
    "run_line",
    "trend",
]

# The collapse alarm's threshold for a saturated discriminator, so that this section and the
# alarm (and the epoch browser) call the same epochs saturated.
SATURATION = inspect.signature(collapse_alarm).parameters["saturation"].default
# Mean D outputs beyond these (D(real) above, D(fake) below 1 - WINNING) mean D tells the two apart.
WINNING = 0.8
# Generated spread / real spread below which the images count as one image (a collapse), below
# which as less varied than the data, and above which as noise rather than structure. Rough bands
# for reading a number, not measured limits: they name the figure the sentence prints beside.
COLLAPSED, LESS_VARIED, NOISIER = 0.1, 0.7, 1.3


def pick(options: Mapping, key, name: str):
    """`options[key]`, or a ValueError that names the received key and the keys expected.

    For a notebook parameter that chooses among a few settings (`DATASET = "afhq"`), so that a
    typo says what the choices are instead of raising a bare KeyError.
    """
    if key not in options:
        raise ValueError(f"{name} is {key!r}; expected one of {sorted(options)}.")
    return options[key]


def mode(run_dir, *, stand_in: bool = False) -> str:
    """How the run was made, as the closing lines name it: "full run" or "QUICK MODE, ...".

    Read from the run's config.json (the mode `ganlib.train` recorded), not from the environment,
    so that a notebook showing a run made elsewhere names that run's mode.

    Args:
        run_dir: a run directory.
        stand_in: the run trained on stand-in pictures (the config cannot tell).
    """
    quick = Run(run_dir).read_config().get("mode") == "quick"
    what = "QUICK MODE" if quick else "full run"
    what += " on STAND-IN DATA" if stand_in else ""
    return what + (", a smoke run, not a result" if quick or stand_in else "")


def run_line(run_dir, *, stand_in: bool = False, report_seconds: float | None = None) -> str:
    """One sentence on how the run was made: its mode, epochs against the report's, training time.

    Args:
        run_dir: a run directory with a config.json and a history.csv.
        stand_in: the run trained on stand-in pictures (the config cannot tell).
        report_seconds: the report's training time for its epochs, if it states one.

    Returns:
        e.g. "This run (QUICK MODE, a smoke run, not a result): 2 of the report's 50 epochs in 31 s
        of training on CPU, 2 cores. The report: 1,670 s for 50 epochs on a GPU."
    """
    run = Run(run_dir)
    config = run.read_config()
    base = PRESETS.get(config["preset"].get("name"))
    epochs = len(run.completed_epochs())
    if base is not None:
        counted = f"{epochs} of the report's {base.epochs} epochs"
    else:
        counted = f"{epochs} epoch" + ("" if epochs == 1 else "s")
    line = (
        f"This run ({mode(run_dir, stand_in=stand_in)}): {counted} in "
        f"{run.wall_time():,.0f} s of training on {config.get('device', 'an unrecorded device')}."
    )
    if report_seconds is not None:
        report_epochs = f" for {base.epochs} epochs" if base is not None else ""
        line += f" The report: {report_seconds:,.0f} s{report_epochs} on a GPU."
    return line


def _history(history) -> Mapping:
    """A history.csv as columns: given as such, or read from the run directory named."""
    return history if isinstance(history, Mapping) else Run(history).history()


def _series(history, key: str) -> tuple[list[int], list[float]]:
    history = _history(history)
    if key not in history or "epoch" not in history:
        raise ValueError(
            f"The history has no {key!r} column (or no 'epoch'); it holds {sorted(history)}."
        )
    pairs = [(int(e), float(v)) for e, v in zip(history["epoch"], history[key]) if math.isfinite(v)]
    if not pairs:
        raise ValueError(f"The history's {key!r} column holds no finite value: {history[key]}.")
    epochs, values = zip(*pairs)
    return list(epochs), list(values)


def trend(history: Mapping, *keys: str, near: float | None = None) -> str:
    """How columns of history.csv moved over the epochs, one sentence per column.

    Args:
        history: a run directory, or its `ganlib.read_history(run_dir)`.
        *keys: the columns, e.g. "d_loss", "g_loss".
        near: a value the report says the columns settle near; each sentence gives the distance
            of the last epoch's value from it.

    Returns:
        Per column: first and last values and the direction, and whether the series ends above
        its lowest value (a loss that "grows at the end"), or after one epoch that there is no
        trend yet. The sentences are joined with ". ".

    Raises:
        ValueError: no column is named, or the history lacks one or holds no finite value in it.
    """
    history = _history(history)
    if not keys:
        raise ValueError(f"trend needs at least one column of the history {sorted(history)}.")
    return ". ".join(_trend(history, key, near) for key in keys)


def _trend(history: Mapping, key: str, near: float | None) -> str:
    epochs, values = _series(history, key)
    last = values[-1]
    if len(values) == 1:
        text = f"{key} {last:.3f} after epoch {epochs[0]} (one point: no trend yet)"
    else:
        if math.isclose(last, values[0], rel_tol=0.01, abs_tol=1e-9):
            direction = "stays near"
        else:
            direction = "rises to" if last > values[0] else "falls to"
        low = int(np.argmin(values))
        text = f"{key} {values[0]:.3f} at epoch {epochs[0]}, {direction} {last:.3f} at epoch "
        text += f"{epochs[-1]}; "
        if low == len(values) - 1:
            text += "it ends at its lowest"
        else:
            text += f"it ends {last - values[low]:.3f} above its lowest ({values[low]:.3f}, epoch "
            text += f"{epochs[low]})"
    if near is not None:
        text += f"; {abs(last - near):.3f} from the report's {near:g}"
    return text


def discriminator_state(history: Mapping, *, saturation: float = SATURATION) -> str:
    """What D's mean outputs at the last epoch say: saturated, winning, losing or balanced.

    Args:
        history: a run directory, or its `ganlib.read_history(run_dir)`, with the `d_real`
            and `d_fake` columns.
        saturation: a mean output within this of 0 or 1 is saturated (the collapse alarm's
            default).

    Returns:
        e.g. "D(real) 0.87, D(fake) 0.15 at epoch 1: D is winning (it tells real from generated)".
    """
    epochs, real = _series(history, "d_real")
    fake_epochs, fake = _series(history, "d_fake")
    if fake_epochs[-1] != epochs[-1]:
        raise ValueError(
            f"d_real's last finite value is at epoch {epochs[-1]}, d_fake's at {fake_epochs[-1]}; "
            "expected both columns at the same last epoch."
        )
    real, fake = real[-1], fake[-1]
    if any(v < saturation or v > 1 - saturation for v in (real, fake)):
        verdict = f"D is saturated (a mean output within {saturation:g} of 0 or 1)"
    elif real > WINNING and fake < 1 - WINNING:
        verdict = "D is winning (it tells real from generated)"
    elif fake > real:
        verdict = "G is winning (D rates generated images above real ones)"
    else:
        verdict = "neither network dominates"
    return f"D(real) {real:.2f}, D(fake) {fake:.2f} at epoch {epochs[-1]}: {verdict}"


@dataclass(frozen=True)
class Diversity:
    """Mean pairwise pixel distance of generated images against that of real ones."""

    generated: float
    real: float
    generated_count: int
    real_count: int

    @property
    def ratio(self) -> float:
        """Generated spread over real spread: 0 is one image drawn every time, 1 the data's."""
        return self.generated / self.real if self.real > 0 else math.inf

    def __str__(self) -> str:
        if self.ratio < COLLAPSED:
            verdict = "nearly one image drawn every time: a collapse"
        elif self.ratio < LESS_VARIED:
            verdict = "less varied than the real images"
        elif self.ratio <= NOISIER:
            verdict = "about as varied as the real images"
        else:
            verdict = "more spread than the real images (noise rather than structure)"
        return (
            f"mean pairwise pixel distance: generated {self.generated:.2f}, real {self.real:.2f} "
            f"({self.ratio:.0%} of the real spread; {self.generated_count} generated, "
            f"{self.real_count} real images): {verdict}"
        )


def diversity(generated, real, *, real_images: int = 256) -> Diversity:
    """The spread of generated images against that of real ones, a collapse check without a model.

    Args:
        generated: generated images, (N, H, W, C), N ≥ 2.
        real: real images of the same shape, or a batched `tf.data.Dataset` of them (or of
            (images, labels)), from which the first `real_images` are taken.
        real_images: how many images to take from a dataset.

    Returns:
        A `Diversity`, whose `str` is the sentence to print.

    Raises:
        ValueError: fewer than 2 generated or real images (an empty dataset), or shapes that
            differ.
    """
    generated = np.asarray(generated, dtype=np.float32)
    if not isinstance(real, np.ndarray):
        batches, count = [], 0
        for batch in real:
            images = np.asarray(batch[0] if isinstance(batch, (tuple, list)) else batch)
            batches.append(images)
            count += len(images)
            if count >= real_images:
                break
        if not batches:
            raise ValueError("diversity received an empty dataset of real images.")
        real = np.concatenate(batches)[:real_images]
    real = np.asarray(real, dtype=np.float32)
    if real.shape[1:] != generated.shape[1:]:
        raise ValueError(
            f"Generated images are {generated.shape[1:]} and real ones {real.shape[1:]}; expected "
            "the same image shape."
        )
    spreads = [mean_pairwise_distance(x.reshape(len(x), -1)) for x in (generated, real)]
    return Diversity(spreads[0], spreads[1], len(generated), len(real))


def against_report(
    run_dir, claims: Mapping, *, stand_in: bool = False, report_seconds: float | None = None
) -> Markdown:
    """The closing table: how the run was made, then each report claim beside this run's reading.

    Args:
        run_dir: the run directory the notebook shows.
        claims: {the report's claim: what this run shows}, the values strings (or objects whose
            `str` is the sentence, such as a `Diversity`) built from the run's own figures.
        stand_in: the run trained on stand-in pictures.
        report_seconds: the report's training time, if it states one (see `run_line`).

    Returns:
        An IPython `Markdown` (the cell shows it); its `data` is the text.

    Raises:
        ValueError: for no claims.
    """
    if not claims:
        raise ValueError(f"against_report needs at least one claim, received {claims!r}.")

    def cell(value) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    rows = [f"| {cell(claim)} | {cell(reading)} |" for claim, reading in claims.items()]
    line = run_line(run_dir, stand_in=stand_in, report_seconds=report_seconds)
    return Markdown("\n".join([line, "", "| the report | this run |", "|---|---|", *rows]))
