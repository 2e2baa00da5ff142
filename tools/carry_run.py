"""Copy an unfinished run where git keeps it, so that a later session resumes it.

Usage:
    python tools/carry_run.py SOURCE DESTINATION [--metric domain_fid] [--also label_accuracy]
        [--samples 1000] [--prune] [--keep 40,50]

A long run outlives the session that started it only through the repository: its run directory
(under runs/, which git ignores) is gone with the machine. This copies it to DESTINATION (by
convention runs/unfinished/<preset>, which git tracks) with everything a resume needs: config,
history, per-step rows, metrics, snapshots, the last training state (both networks and optimizers
in float32, unchanged) and every completed epoch's generator, stored float16 to halve its size.

Before the copy, every completed epoch is evaluated from its float32 generator
(`ganlib.metrics.evaluate_epochs`, logged to metrics.jsonl), so the best-epoch suggestion made
when the run is shipped does not rest on rounded weights. The copy is then checked to be
resumable.

With `--prune`, the copy keeps the generators of only the epochs that may be shipped: the best so
far by each evaluated metric and any `--keep` epochs (those a notebook or the report's figures
show); the others are dropped from the copy (`Run.drop_weights`, the source keeps them all). Every
carry commits a new training state to git history, and every generator kept adds to it, for good:
about 6 MB an epoch for a large generator. The overall best epoch is the best so far at every carry
after it, so it is never dropped. A later session resumes it with
`python -m ganlib train PRESET --run-dir DESTINATION --resume`, or copies it back first.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from ganlib import metrics, runs
from ganlib.files import is_temporary


def carry(
    source, destination, names=("domain_fid",), samples: int = 1000, *, prune=False, keep=()
) -> runs.Run:
    """Copy the unfinished run `source` to `destination` (see the module docstring).

    With `prune`, the copy keeps the weights of the best epoch by each of `names` and of `keep`.
    """
    run, target = runs.Run(source), runs.Run(destination)
    if not run.is_run():
        raise ValueError(f"{str(source)!r} is not a ganlib run directory.")
    preset = run.preset()
    done = run.check_resumable(preset)
    if done == 0:
        raise ValueError(f"{str(source)!r} has no completed epoch to carry.")
    if target.directory.exists() and not target.is_run():
        raise ValueError(
            f"{str(destination)!r} exists and is not a ganlib run directory; nothing was written."
        )
    if target.is_run() and target.preset().name != preset.name:
        raise ValueError(
            f"{str(destination)!r} holds a run of {target.preset().name!r}, not {preset.name!r}; "
            "nothing was written."
        )
    if target.foreign_entries():
        raise ValueError(
            f"{str(destination)!r} holds files ganlib did not write "
            f"({runs._names(target.foreign_entries())}); nothing was written."
        )
    metrics.evaluate_epochs(run.directory, list(names), samples=samples)
    best = {metrics.suggest_best_epoch(run.directory, name).epoch for name in names}
    kept = best | {int(e) for e in keep}
    skip = {runs.LOCK, runs.LOCK_OWNER}
    target.directory.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.directory.parent) as staging:
        copy = Path(staging) / target.directory.name
        shutil.copytree(
            run.directory,
            copy,
            ignore=lambda folder, entries: [e for e in entries if e in skip or is_temporary(e)],
        )
        staged = runs.Run(copy)
        if prune:
            best_by = ", ".join(names)
            staged.drop_weights(
                [e for e in staged.saved_epochs() if e not in kept],
                why=f"carried by tools/carry_run.py --prune: kept the best epoch by {best_by} "
                f"and epochs {sorted(int(e) for e in keep)}",
            )
        for epoch in staged.saved_epochs():
            path = staged.weights_path(epoch)
            runs._weights_to_float16(run.weights_path(epoch), path)
        if staged.check_resumable(preset) != done:
            raise ValueError(f"the copy of {str(source)!r} does not resume after epoch {done}.")
        if target.is_run():
            target.clear()
            target.directory.rmdir()
        copy.rename(target.directory)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="the unfinished run directory")
    parser.add_argument("destination", help="where git keeps it, e.g. runs/unfinished/<preset>")
    parser.add_argument("--metric", default="domain_fid", help="metric to log for every epoch")
    parser.add_argument("--also", default="", help="more metrics to log, comma-separated")
    parser.add_argument("--samples", type=int, default=1000, help="generated images per epoch")
    parser.add_argument(
        "--prune",
        action="store_true",
        help="keep only the best epochs' generators and --keep ones in the copy",
    )
    parser.add_argument("--keep", default="", help="epochs whose generators --prune keeps")
    args = parser.parse_args(argv)
    try:
        keep = [int(e) for e in args.keep.split(",") if e.strip()]
    except ValueError:
        parser.error(f"--keep must be comma-separated integers, received {args.keep!r}")
    if keep and not args.prune:
        parser.error(f"--keep {args.keep} needs --prune: without it every generator is kept")
    names = [args.metric, *[n for n in args.also.split(",") if n and n != args.metric]]
    try:
        target = carry(
            args.source, args.destination, names, args.samples, prune=args.prune, keep=keep
        )
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    dropped = target.dropped_epochs()
    print(
        f"carried {args.source} to {target.directory}: resumes after epoch "
        f"{target.state_epoch()} of {target.preset().epochs}; generators kept: "
        f"{target.saved_epochs()}" + (f", dropped: {dropped}" if dropped else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
