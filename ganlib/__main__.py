"""Command line: `python -m ganlib train PRESET [--epochs N] [--run-dir DIR] [--quick]`."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from ganlib import _env  # noqa: F401
from ganlib.experiments import PRECISIONS, PRESETS, get_preset, quick_mode, quick_preset
from ganlib.training import train


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, received {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ganlib", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the presets")
    train = commands.add_parser("train", help="train a preset and write its run directory")
    train.add_argument("preset", help="preset name (see `python -m ganlib list`)")
    train.add_argument("--epochs", type=_positive_int, help="override the preset's epochs")
    train.add_argument("--run-dir", help="run directory (default: runs/PRESET)")
    train.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: few images and epochs, same architecture (as GANLIB_QUICK=1)",
    )
    train.add_argument(
        "--dataset", help="override the preset's dataset (e.g. fashion_mnist_sample)"
    )
    train.add_argument("--images", type=_positive_int, help="train on the first N images only")
    train.add_argument("--batch-size", type=_positive_int, help="override the preset's batch size")
    train.add_argument(
        "--precision",
        choices=PRECISIONS,
        help="float32 (default), mixed_bfloat16, mixed_float16, or auto (bf16 where the CPU/GPU has it)",
    )
    train.add_argument(
        "--overwrite", action="store_true", help="replace an existing run in the run directory"
    )
    train.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in the run directory after its last completed epoch",
    )
    train.add_argument(
        "--tensorboard",
        action="store_true",
        help="also write TensorBoard logs to RUN_DIR/tensorboard (tensorboard --logdir ...)",
    )
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "list":
        for name, preset in sorted(PRESETS.items()):
            print(f"{name:32s} {preset.reference}")
        return 0
    try:
        return _train(args)
    except (ValueError, OSError) as error:  # FileNotFoundError and DatasetUnavailable included
        print(f"error: {error}", file=sys.stderr)
        return 2


def _train(args) -> int:
    base = get_preset(args.preset)
    overrides = {
        key: value
        for key, value in (
            ("dataset", args.dataset),
            ("train_images", args.images),
            ("batch_size", args.batch_size),
            ("precision", args.precision),
        )
        if value is not None
    }
    quick = args.quick or quick_mode()
    preset = dataclasses.replace(base, **overrides)
    if quick:
        preset = quick_preset(preset)
    if args.epochs is not None:
        preset = dataclasses.replace(preset, epochs=args.epochs)
    run_dir = args.run_dir or f"runs/{preset.name}"
    print(
        f"Training {preset.name} ({'quick' if quick else 'full'} mode): dataset {preset.dataset}, "
        f"{preset.train_images or 'all'} images, {preset.epochs} epochs, batch {preset.batch_size} "
        f"-> {run_dir}",
        flush=True,
    )
    result = train(
        preset,
        run_dir,
        overwrite=args.overwrite,
        resume=args.resume,
        mode="quick" if quick else "full",
        tensorboard=args.tensorboard,
    )
    run = result.run
    print(f"\nDone in {result.wall_time:.0f} s on {result.images} images.")
    print(f"Run directory: {run.directory.resolve()}")
    print("Snapshots (the fixed latent grid after each epoch):")
    for epoch in run.snapshot_epochs():
        print(f"  {run.snapshot_path(epoch)}")
    if args.tensorboard:
        print(f"TensorBoard: tensorboard --logdir {run.tensorboard_dir}")
    print(f"Restore an epoch: ganlib.restore_epoch({str(run.directory)!r}, EPOCH)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
