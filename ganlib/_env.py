"""Process-wide settings that must be in place before TensorFlow is imported."""

import os

# oneDNN kernels are off by default on this kind of CPU build; with them on, training measured
# 1.4-2.6x faster on a 2-core machine. A value the user has set is respected.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
# Keras 3 picks its backend from this variable; ganlib's training step is written for TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
