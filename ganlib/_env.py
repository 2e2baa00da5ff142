"""Process-wide settings that must be in place before TensorFlow is imported."""

import importlib
import os
import sys

# oneDNN kernels are off by default on this kind of CPU build; with them on, training measured
# 1.4-2.6x faster on a 2-core machine. A value the user has set is respected.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
# Keras 3 picks its backend from this variable; ganlib's training step is written for TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _import_tensorflow_quietly():
    """Import TensorFlow and probe its devices with the process's stderr closed for the while.

    TensorFlow 2.20+ logs its start-up lines (oneDNN, CUDA probing, "failed call to cuInit" on a
    machine without a GPU) through absl before absl's logging is initialised, so they reach
    stderr whatever TF_CPP_MIN_LOG_LEVEL says. At the level ganlib sets (2: warnings and errors
    only) the user asked not to see them; a lower level set by the user shows them again. An
    import that fails raises after stderr is back, so its traceback is seen.
    """
    try:
        level = int(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0"))
    except ValueError:
        level = 0
    if level < 2 or "tensorflow" in sys.modules:
        return
    try:
        saved = os.dup(2)
    except OSError:  # no stderr to silence (a detached process)
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            # Imported here rather than at the top: only after the variables above are set, and
            # only while stderr is closed.
            importlib.import_module("tensorflow").config.list_physical_devices("GPU")
    finally:
        os.dup2(saved, 2)
        os.close(saved)


_import_tensorflow_quietly()
