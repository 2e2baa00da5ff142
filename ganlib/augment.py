"""Image augmentations used inside tf.data pipelines and training steps.

All functions take and return float32 images in [-1, 1].
"""

from __future__ import annotations
