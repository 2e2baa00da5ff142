"""Mixed precision: every architecture trains a step under each policy with float32 losses,
outputs, BatchNorm statistics and logged metrics; the policy is recorded in the run."""

import dataclasses
import json

import keras
import numpy as np
import pytest

import ganlib
from ganlib import precision
from ganlib.training import build_gan

# One preset per architecture (`ganlib.models.ARCHITECTURES`).
ARCHITECTURE_PRESETS = sorted(
    {p.architecture: name for name, p in sorted(ganlib.PRESETS.items())}.values()
)


# Loss scaling is the same code for every architecture: float16 on a conditional and an
# unconditional one, bfloat16 (the policy "auto" picks on a CPU) on all.
CASES = [(name, "mixed_bfloat16") for name in ARCHITECTURE_PRESETS]
CASES += [("li_ye_cdcgan_mnist", "mixed_float16"), ("sharma_fashion_mnist", "mixed_float16")]


@pytest.mark.parametrize("name, policy", CASES)
def test_one_step_under_each_policy_keeps_float32_where_it_matters(name, policy):
    preset = dataclasses.replace(ganlib.get_preset(name), batch_size=2, precision=policy)
    keras.utils.set_random_seed(0)
    gan = build_gan(preset)
    assert keras.config.dtype_policy().name == "float32", "the global policy is restored"
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (2, *preset.image_shape)).astype(np.float32)
    batch = (images, np.arange(2) % preset.classes) if preset.conditional else (images,)
    logs = gan.train_on_batch(*batch, return_dict=True)
    for key in gan.LOGGED:
        assert np.isfinite(logs[key]), (key, logs)
    assert gan.means.total.dtype == "float32"
    noise = np.zeros((2, preset.noise_dim), np.float32)
    inputs = [noise, np.zeros(2, np.int32)] if preset.conditional else noise
    assert gan.generator(inputs, training=False).dtype == "float32"
    assert (
        gan.discriminator([images, np.zeros(2, np.int32)] if preset.conditional else images).dtype
        == "float32"
    )
    assert any("float16" in layer.dtype_policy.name for layer in gan.generator.layers)
    for layer in gan.generator.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            assert layer.moving_mean.dtype == "float32"
    if policy == "mixed_float16":
        assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)


def test_auto_resolves_by_the_hardware(monkeypatch):
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: True)
    assert precision.resolve("auto") == "mixed_bfloat16"
    monkeypatch.setattr(precision, "cpu_has_bf16", lambda: False)
    assert precision.resolve("auto") == "float32"
    assert precision.resolve("mixed_float16") == "mixed_float16"
    with pytest.raises(ValueError, match=r"precision must be one of .*'bf16'"):
        dataclasses.replace(ganlib.get_preset("stiff_mnist"), precision="bf16")


def test_the_policy_is_recorded_and_a_bf16_run_restores(tiny_preset, tmp_path):
    preset = dataclasses.replace(tiny_preset, precision="mixed_bfloat16")
    run = ganlib.train(preset, tmp_path / "run", verbose=0).run
    assert json.loads(run.config_path.read_text())["precision"] == "mixed_bfloat16"
    assert run.card()["precision"] == "mixed_bfloat16" and "precision mixed_bfloat16" in (
        ganlib.runs.run_card(run.directory)
    )
    generator = ganlib.restore_epoch(run.directory, 1)
    assert run.reproduces_snapshot(generator, 1)
    # precision is how, not what: the same run resumes in float32.
    more = dataclasses.replace(preset, precision="float32", epochs=2)
    assert ganlib.train(more, run.directory, resume=True, verbose=0).run.saved_epochs() == [1, 2]
