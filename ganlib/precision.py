"""Numeric precision of training: float32, or mixed precision with bfloat16 or float16 compute.

Under a mixed policy the layers compute in 16 bits and keep float32 variables (so BatchNorm's
statistics stay float32); ganlib adds a float32 output to both networks, so the generator's tanh
image, the discriminator's logits, the losses and the logged metrics are float32. float16 needs
loss scaling (Keras' `LossScaleOptimizer`), which `ganlib.training.make_optimizer` adds.
"""

from __future__ import annotations

import contextlib

import keras
import tensorflow as tf

from ganlib.experiments import PRECISIONS


def check_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, received {precision!r}.")
    return precision


def cpu_has_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), from /proc/cpuinfo."""
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return False


def resolve(precision: str) -> str:
    """The Keras dtype policy a precision setting trains with on this machine.

    "auto": mixed_bfloat16 on a GPU that computes bfloat16 (compute capability 8.0 or more) or a
    CPU with AVX512-BF16 or AMX, mixed_float16 on older GPUs, float32 elsewhere.
    """
    check_precision(precision)
    if precision != "auto":
        return precision
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        capability = tf.config.experimental.get_device_details(gpus[0]).get("compute_capability")
        return "mixed_bfloat16" if capability and capability >= (8, 0) else "mixed_float16"
    return "mixed_bfloat16" if cpu_has_bf16() else "float32"


@contextlib.contextmanager
def policy_scope(policy: str):
    """Build layers under a Keras dtype policy, restoring the previous global policy after."""
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def float32_output(model):
    """`model` with its output cast to float32 (a weightless layer; weights files unchanged)."""
    if model.outputs[0].dtype == "float32":
        return model
    output = keras.layers.Activation("linear", dtype="float32", name="output_float32")(
        model.outputs[0]
    )
    inputs = model.inputs[0] if len(model.inputs) == 1 else model.inputs
    wrapped = keras.Model(inputs, output, name=model.name)
    for attribute in ("ganlib_noise",):
        if hasattr(model, attribute):
            setattr(wrapped, attribute, getattr(model, attribute))
    return wrapped
