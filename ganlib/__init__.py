"""ganlib: notebook-first reproductions of five GAN reports, on Keras 3 and TensorFlow.

The names a notebook needs are importable from here::

    import ganlib
    preset = ganlib.get_preset("sharma_fashion_mnist")
    result = ganlib.train(preset, run_dir="runs/sharma")
    generator = ganlib.restore_epoch("runs/sharma", 5)
"""

from ganlib import _env  # noqa: F401  (must run before TensorFlow is imported)
from ganlib.data import MANUAL_DATASETS, load, load_folder
from ganlib.experiments import PRESETS, Experiment, get_preset, quick_mode, quick_preset
from ganlib.losses import discriminator_loss, generator_loss
from ganlib.models import build_models
from ganlib.models.conditional import sample_with_labels
from ganlib.runs import Run, list_epochs, read_history, restore_epoch, sample
from ganlib.training import GAN, ConditionalGAN, TrainResult, train

__version__ = "0.1.0"

__all__ = [
    "GAN",
    "MANUAL_DATASETS",
    "PRESETS",
    "ConditionalGAN",
    "Experiment",
    "Run",
    "TrainResult",
    "build_models",
    "discriminator_loss",
    "generator_loss",
    "get_preset",
    "list_epochs",
    "load",
    "load_folder",
    "quick_mode",
    "quick_preset",
    "read_history",
    "restore_epoch",
    "sample",
    "sample_with_labels",
    "train",
]
