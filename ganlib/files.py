"""Files written so that an interruption leaves the previous version or the new one, never half.

Every file of a run directory goes through `atomic_path`: written under a temporary name beside
its target (`.<stem>.<random><suffix>`, which `Run` recognises as its own temporaries), flushed to
disk, then renamed onto the target in one step.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

TEMPORARY_PREFIX = "."
TEMPORARY_MARK = ".ganlib-tmp-"


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside `path`; on success sync it and rename it onto `path`.

    The temporary name keeps the final suffix, since some writers (Keras' `save_weights`) insist
    on it, and carries `TEMPORARY_MARK` so that a later resume can tell it from the user's files.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent,
        prefix=f"{TEMPORARY_PREFIX}{path.stem}{TEMPORARY_MARK}",
        suffix="".join(path.suffixes) or ".tmp",
    )
    os.close(handle)
    try:
        yield Path(temporary)
        _sync(temporary)
        os.replace(temporary, path)
        _sync(path.parent)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _sync(path) -> None:
    """fsync a file or folder, so a rename never lands before the data it names."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder
    finally:
        os.close(descriptor)


def is_temporary(path) -> bool:
    """Whether `path` is a temporary file that `atomic_path` left behind."""
    name = Path(path).name
    return name.startswith(TEMPORARY_PREFIX) and TEMPORARY_MARK in name


def write_text(path, text: str) -> None:
    """Write `text` to `path`, atomically."""
    with atomic_path(path) as temporary:
        temporary.write_text(text)


def write_json(path, value) -> None:
    """Write `value` as indented JSON, atomically."""
    write_text(path, json.dumps(value, indent=2, sort_keys=True) + "\n")
