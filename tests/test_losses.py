import math

import numpy as np
import pytest

from ganlib.losses import binary_cross_entropy, discriminator_loss, generator_loss, l1_loss


def bce(target, logit):
    """-t·log σ(x) - (1-t)·log(1-σ(x)), written out by hand."""
    p = 1 / (1 + math.exp(-logit))
    return -target * math.log(p) - (1 - target) * math.log(1 - p)


def test_bce_at_zero_logit_is_log_two_for_any_target():
    for target in (0.0, 0.9, 1.0):
        assert float(binary_cross_entropy(target, [[0.0]])) == pytest.approx(math.log(2), abs=1e-6)


def test_bce_hand_worked_values():
    # logit 2, target 1: log(1 + e^-2) = 0.126928
    assert float(binary_cross_entropy(1.0, [[2.0]])) == pytest.approx(0.126928, abs=1e-6)
    # logit -3, target 0: log(1 + e^-3) = 0.048587
    assert float(binary_cross_entropy(0.0, [[-3.0]])) == pytest.approx(0.048587, abs=1e-6)


def test_bce_is_stable_for_large_logits():
    assert float(binary_cross_entropy(1.0, [[100.0]])) == pytest.approx(0.0, abs=1e-6)
    assert float(binary_cross_entropy(0.0, [[100.0]])) == pytest.approx(100.0, rel=1e-6)


def test_discriminator_loss_with_one_sided_smoothing():
    real, fake = [[2.0], [0.5]], [[-1.0], [1.0]]
    # real targets 0.9 (smoothed), fake targets 0 (never smoothed); each term is a batch mean.
    expected = (bce(0.9, 2.0) + bce(0.9, 0.5)) / 2 + (bce(0, -1.0) + bce(0, 1.0)) / 2
    assert float(discriminator_loss(real, fake, real_label=0.9)) == pytest.approx(
        expected, abs=1e-6
    )
    # logit 2 at target 0.9: 2 - 1.8 + log(1 + e^-2) = 0.326928
    assert bce(0.9, 2.0) == pytest.approx(0.326928, abs=1e-6)


def test_smoothing_changes_only_the_real_term():
    real, fake = [[3.0]], [[-2.0]]
    plain = float(discriminator_loss(real, fake))
    smoothed = float(discriminator_loss(real, fake, real_label=0.9))
    assert smoothed - plain == pytest.approx(bce(0.9, 3.0) - bce(1.0, 3.0), abs=1e-6)  # 0.1·3 = 0.3
    assert smoothed - plain == pytest.approx(0.3, abs=1e-6)


def test_generator_loss_targets_one():
    fake = [[-1.0], [0.0], [1.5]]
    expected = np.mean([bce(1, -1.0), bce(1, 0.0), bce(1, 1.5)])
    assert float(generator_loss(fake)) == pytest.approx(expected, abs=1e-6)


def test_l1_loss():
    real = np.zeros((1, 2, 2, 1), "float32")
    fake = np.array([0.5, -0.5, 1.0, 0.0], "float32").reshape(1, 2, 2, 1)
    assert float(l1_loss(real, fake)) == pytest.approx(0.5)
