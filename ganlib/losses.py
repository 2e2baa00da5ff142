"""GAN losses: pure functions on logits, in generator/discriminator pairs.

Every function takes the discriminator's raw outputs (logits) and returns a scalar: the mean over
the batch of binary cross-entropy computed stably from logits,
``BCE(t, x) = max(x, 0) - x·t + log(1 + exp(-|x|))``, which equals ``-t·log σ(x) - (1-t)·log(1-σ(x))``.
"""

from __future__ import annotations

from keras import ops


def binary_cross_entropy(targets, logits):
    """Mean binary cross-entropy between `targets` in [0, 1] and `logits`.

    Args:
        targets: a scalar or a tensor broadcastable to `logits`.
        logits: the discriminator's raw outputs.

    Returns:
        A scalar tensor.
    """
    logits = ops.cast(logits, "float32")
    targets = ops.cast(ops.broadcast_to(targets, ops.shape(logits)), logits.dtype)
    per_element = ops.relu(logits) - logits * targets + ops.log1p(ops.exp(-ops.abs(logits)))
    return ops.mean(per_element)


def discriminator_loss(real_logits, fake_logits, real_label: float = 1.0):
    """Discriminator loss: BCE(real_label, D(x)) + BCE(0, D(G(z))).

    Args:
        real_logits: discriminator logits on real images.
        fake_logits: discriminator logits on generated images.
        real_label: target for real images; 0.9 is one-sided label smoothing (Salimans et al.), used
            by Sharma. Fake targets stay at 0: smoothing is one-sided.

    Returns:
        A scalar tensor.
    """
    return binary_cross_entropy(real_label, real_logits) + binary_cross_entropy(0.0, fake_logits)


def generator_loss(fake_logits):
    """Non-saturating generator loss: BCE(1, D(G(z))).

    Args:
        fake_logits: discriminator logits on generated images.

    Returns:
        A scalar tensor.
    """
    return binary_cross_entropy(1.0, fake_logits)


def l1_loss(real_images, fake_images):
    """Mean absolute difference between two image batches (Milošević's λ·L1 term)."""
    return ops.mean(ops.abs(ops.cast(real_images, "float32") - ops.cast(fake_images, "float32")))
