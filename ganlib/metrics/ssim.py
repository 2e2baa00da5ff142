"""Mean SSIM between generated and real images, as vemuri reports it (Table "SSIM / FID").

The report does not say which real image each generated image is compared with; a generated image
has no counterpart. Two pairings are offered:

- "random" (the default, and the registry's `ssim`): each generated image against one real image
  drawn at random (seeded). Its mean estimates the mean SSIM over all generated × real pairs, a
  property of the two distributions that needs no matching. Real images against other real images
  give the reference level for a dataset.
- "nearest": each generated image against the most similar of `candidates` real images. High when
  every generated image looks like some real one (and also when the generator copies them).

SSIM itself is `skimage.metrics.structural_similarity` with its default 7×7 window, on images in
[-1, 1] (data range 2), over the channels for RGB.
"""

from __future__ import annotations

import numpy as np
from skimage.metrics import structural_similarity

from ganlib import data as data_module

PAIRINGS = ("random", "nearest")


def _ssim(first: np.ndarray, second: np.ndarray) -> float:
    if first.shape[-1] == 1:
        return float(structural_similarity(first[..., 0], second[..., 0], data_range=2.0))
    return float(structural_similarity(first, second, data_range=2.0, channel_axis=-1))


def mean_ssim(generated, real, pairing: str = "random", candidates: int = 100, seed: int = 0):
    """Mean structural similarity between generated images and real images.

    Args:
        generated: (N, H, W, C) generated images in [-1, 1].
        real: (M, H, W, C) real images in [-1, 1], same H, W, C.
        pairing: "random" or "nearest" (see the module's description).
        candidates: for "nearest", how many real images (a seeded random subset) each generated
            image is compared with.
        seed: seed of the random pairing or subset.

    Returns:
        The mean SSIM, in [-1, 1]; 1 means identical images.

    Example:
        >>> mean_ssim(generated, real_test_images)  # vemuri: 0.525 (basic GAN), 0.587 (U-Net)
    """
    generated = np.asarray(generated, dtype=np.float32)
    real = np.asarray(real, dtype=np.float32)
    data_module.check_images(generated, what="generated images")
    data_module.check_images(real, generated.shape[1:], what="real images")
    if min(generated.shape[1:3]) < 7:
        raise ValueError(
            f"SSIM's 7×7 window needs images of at least 7×7 pixels; received {generated.shape}."
        )
    if pairing not in PAIRINGS:
        raise ValueError(f"pairing must be one of {PAIRINGS}, received {pairing!r}.")
    rng = np.random.default_rng(seed)
    if pairing == "random":
        partners = rng.integers(0, real.shape[0], generated.shape[0])
        return float(np.mean([_ssim(g, real[p]) for g, p in zip(generated, partners)]))
    if not isinstance(candidates, int) or candidates <= 0:
        raise ValueError(f"candidates must be a positive integer, received {candidates!r}.")
    pool = real[rng.choice(real.shape[0], min(candidates, real.shape[0]), replace=False)]
    return float(np.mean([max(_ssim(g, r) for r in pool) for g in generated]))
