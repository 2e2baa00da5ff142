"""ganlib: notebook-first reproductions of five GAN reports, on Keras 3 and TensorFlow.

The names a notebook needs are importable from here::

    import ganlib
    preset = ganlib.get_preset("sharma_fashion_mnist")
    result = ganlib.train(preset, run_dir="runs/sharma")
    generator = ganlib.restore_epoch("runs/sharma", 5)
    images = ganlib.sample(generator, 16, seed=0)

Modules import in one direction: experiments → data → models → sampling → callbacks → runs →
training → metrics → plotting.
"""

from ganlib import _env  # noqa: F401  (must run before TensorFlow is imported)
from ganlib._version import REPOSITORY_URL, __version__
from ganlib.data import MANUAL_DATASETS, load, load_folder
from ganlib.experiments import PRESETS, Experiment, get_preset, quick_mode, quick_preset
from ganlib.losses import discriminator_loss, generator_loss
from ganlib.models import build_models
from ganlib.runs import Run, list_epochs, read_history, restore_epoch
from ganlib.sampling import sample
from ganlib.training import GAN, ConditionalGAN, TrainResult, train

__all__ = [
    "GAN",
    "MANUAL_DATASETS",
    "PRESETS",
    "REPOSITORY_URL",
    "ConditionalGAN",
    "Experiment",
    "Run",
    "TrainResult",
    "__version__",
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
    "train",
]
