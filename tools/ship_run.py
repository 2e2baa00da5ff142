"""Evaluate every epoch of a finished run and ship it into results/, as the committed runs were.

Usage:
    python tools/ship_run.py SOURCE DESTINATION [--metric label_accuracy] [--also domain_fid]
        [--samples 1000] [--epochs 40,50] [--snapshot-every 5] [--no-last]

Every saved epoch of SOURCE is evaluated (`ganlib.metrics.evaluate_epochs`, values logged to its
metrics.jsonl), then `Run.ship` copies its record to DESTINATION with the float16 generators of the
suggested epoch, the last one (unless `--no-last`) and any `--epochs` (those a notebook or the
report's figures show); `--snapshot-every N` keeps every Nth epoch's snapshot (with 0, the last
and the shipped ones), for long runs of large snapshots.
"""

from __future__ import annotations

import argparse
import sys

from ganlib import metrics, runs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a finished run directory (all epochs' weights saved)")
    parser.add_argument("destination", help="the folder under results/ to ship it to")
    parser.add_argument("--metric", default="domain_fid", help="metric the suggestion is by")
    parser.add_argument("--also", default="", help="more metrics to log, comma-separated")
    parser.add_argument("--samples", type=int, default=1000, help="generated images per epoch")
    parser.add_argument("--epochs", default="", help="more epochs to keep, comma-separated")
    parser.add_argument(
        "--snapshot-every", type=int, default=1, help="keep every Nth epoch's snapshot (1: all)"
    )
    parser.add_argument(
        "--last",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep the last epoch's weights too (default)",
    )
    args = parser.parse_args(argv)
    try:
        extra = [int(e) for e in args.epochs.split(",") if e.strip()]
    except ValueError:
        parser.error(f"--epochs must be comma-separated integers, received {args.epochs!r}")
    names = [args.metric, *[n for n in args.also.split(",") if n and n != args.metric]]
    try:
        metrics.evaluate_epochs(args.source, names, samples=args.samples)
        best = metrics.suggest_best_epoch(args.source, args.metric)
        run = runs.Run(args.source)
        last = [run.saved_epochs()[-1]] if args.last else []
        keep = sorted({best.epoch, *last, *extra})
        shipped = run.ship(args.destination, keep, snapshot_every=args.snapshot_every)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"suggested: {best}")
    print(
        f"shipped epochs {keep} to {shipped.directory}: {shipped.shipped()['snapshot_difference']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
