"""The PyTorch side of the training benchmark: the same networks and step algorithms, eager mode.

Usage: python bench/torch_worker.py '<JSON spec>'; prints `RESULT <JSON>` as its last line.

The networks are rebuilt layer for layer from the plan `tf_worker.py` exports (Keras NHWC layers
as their NCHW PyTorch equivalents, TensorFlow's "same" padding reproduced exactly), loaded with the
Keras weights, and checked against Keras' outputs on the same inputs before anything is timed, so
the comparison is between the same architecture in two frameworks. TensorFlow is not imported
here: this process's peak memory is PyTorch's alone.

The spec's "variant" (one process each, so a crash or a slow compile spoils no other figure):
"eager" (float32, NCHW: the plain port), "channels_last" (float32, NHWC memory, which oneDNN's
convolutions prefer), "bf16_channels_last" (`torch.autocast("cpu", torch.bfloat16)` plus
channels_last), and "compile" / "compile_bf16" (`torch.compile` of both networks on top of
channels_last / bf16_channels_last). A variant that cannot run returns {"failed": reason}.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from common import peak_rss_mb, summarise, time_runs
from torch import nn

ACTIVATIONS = {
    "linear": lambda x: x,
    None: lambda x: x,
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
}


def _same_padding(size, kernel, stride):
    """TensorFlow's "same" padding (before, after) of one spatial dimension."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Layer(nn.Module):
    """One Keras layer of the plan as a PyTorch module (tensors of rank 4 are NCHW)."""

    def __init__(self, entry):
        super().__init__()
        self.kind, config = entry["kind"], entry["config"]
        self.config = config
        self.activation = ACTIVATIONS[config.get("activation")]
        shapes = entry["input_shapes"]
        kind = self.kind
        if kind == "Dense":
            self.module = nn.Linear(shapes[0][-1], config["units"], bias=config["use_bias"])
        elif kind in ("Conv2D", "Conv2DTranspose"):
            kernel, stride = config["kernel_size"], config["strides"]
            height, width, channels = shapes[0]
            if config.get("dilation_rate", [1, 1]) != [1, 1] or config.get("groups", 1) != 1:
                raise ValueError(f"{entry['name']}: dilation and groups are not ported.")
            if kind == "Conv2D":
                self.module = nn.Conv2d(
                    channels, config["filters"], kernel, stride, bias=config["use_bias"]
                )
                self.pad = (0, 0, 0, 0)
                if config["padding"] == "same":
                    top, bottom = _same_padding(height, kernel[0], stride[0])
                    left, right = _same_padding(width, kernel[1], stride[1])
                    self.pad = (left, right, top, bottom)
            else:
                self.module = nn.ConvTranspose2d(
                    channels, config["filters"], kernel, stride, bias=config["use_bias"]
                )
                # "same": the full transposed convolution, cropped as TensorFlow crops it.
                self.crop = [0, 0, 0, 0]
                if config["padding"] == "same":
                    for axis in (0, 1):
                        total = max(kernel[axis] - stride[axis], 0)
                        self.crop[2 * axis : 2 * axis + 2] = [total // 2, total - total // 2]
        elif kind == "BatchNormalization":
            features = shapes[0][-1]
            norm = nn.BatchNorm2d if len(shapes[0]) == 3 else nn.BatchNorm1d
            self.module = norm(
                features,
                eps=config["epsilon"],
                momentum=1 - config["momentum"],
                affine=config["center"] or config["scale"],
            )
        elif kind == "Embedding":
            self.module = nn.Embedding(config["input_dim"], config["output_dim"])
        elif kind == "Dropout":
            self.module = nn.Dropout(config["rate"])
        elif kind not in SIMPLE:
            raise ValueError(f"Layer {entry['name']!r} of type {kind} is not ported to PyTorch.")

    def forward(self, inputs):
        kind, config = self.kind, self.config
        x = inputs[0]
        if kind in SIMPLE:
            return SIMPLE[kind](config, inputs)
        if kind == "Conv2D":
            return self.activation(self.module(F.pad(x, self.pad) if any(self.pad) else x))
        if kind == "Conv2DTranspose":
            x = self.module(x)
            top, bottom, left, right = self.crop
            x = x[:, :, top : x.shape[2] - bottom, left : x.shape[3] - right]
            return self.activation(x)
        if kind == "Embedding":
            return self.module(x.long())
        if kind == "Dense":
            return self.activation(self.module(x))
        return self.module(x)

    def load(self, weights):
        """Copy the Keras weights of this layer (in Keras' order) into the PyTorch module."""
        if not weights:
            return
        tensors = [torch.from_numpy(np.ascontiguousarray(w)) for w in weights]
        kind = self.kind
        with torch.no_grad():
            if kind == "Dense":
                self.module.weight.copy_(tensors[0].T)
            elif kind in ("Conv2D", "Conv2DTranspose"):
                # Keras kernels are (kh, kw, in, out) for Conv2D and (kh, kw, out, in) for the
                # transpose; PyTorch's are (out, in, kh, kw) and (in, out, kh, kw).
                self.module.weight.copy_(tensors[0].permute(3, 2, 0, 1))
            elif kind == "Embedding":
                self.module.weight.copy_(tensors[0])
            elif kind == "BatchNormalization":
                names = []
                if self.config["scale"]:
                    names.append("weight")
                if self.config["center"]:
                    names.append("bias")
                names += ["running_mean", "running_var"]
                for name, tensor in zip(names, tensors):
                    getattr(self.module, name).copy_(tensor)
                return
            if kind in ("Dense", "Conv2D", "Conv2DTranspose") and self.config["use_bias"]:
                self.module.bias.copy_(tensors[1])


def _nhwc(x):
    return x.permute(0, 2, 3, 1) if x.dim() == 4 else x


def _reshape(config, inputs):
    x = _nhwc(inputs[0]).reshape(inputs[0].shape[0], *config["target_shape"])
    return x.permute(0, 3, 1, 2) if x.dim() == 4 else x


def _upsample(config, inputs):
    size = config["size"]
    size = (size, size) if isinstance(size, int) else tuple(size)
    return F.interpolate(inputs[0], scale_factor=size, mode=config["interpolation"])


def _concatenate(config, inputs):
    axis = config["axis"]
    rank = inputs[0].dim()
    if axis in (-1, rank - 1):
        axis = 1  # Keras' channel axis, last in NHWC, is dimension 1 in NCHW
    elif rank == 4:
        raise ValueError(f"Concatenate on axis {axis} of images is not ported.")
    return torch.cat(inputs, dim=axis)


SIMPLE = {
    "Flatten": lambda config, inputs: _nhwc(inputs[0]).flatten(1),
    "Reshape": _reshape,
    "LeakyReLU": lambda config, inputs: F.leaky_relu(inputs[0], config["negative_slope"]),
    "ReLU": lambda config, inputs: F.relu(inputs[0]),
    "UpSampling2D": _upsample,
    "MaxPooling2D": lambda config, inputs: F.max_pool2d(
        inputs[0], config["pool_size"], config["strides"]
    ),
    "Concatenate": _concatenate,
    "Add": lambda config, inputs: sum(inputs),
    "CategoryEncoding": lambda config, inputs: F.one_hot(
        inputs[0].long(), config["num_tokens"]
    ).float(),
    "InputLayer": None,
}


class Network(nn.Module):
    """A Keras Functional model rebuilt from its plan; called with the model's inputs in order."""

    def __init__(self, plan):
        super().__init__()
        self.plan = plan
        self.steps = []
        self.layers = nn.ModuleDict()
        for entry in plan["layers"]:
            if entry["kind"] == "InputLayer":
                continue
            self.layers[entry["name"]] = Layer(entry)
            self.steps.append((entry["name"], entry["inputs"], f"{entry['name']}:0:0"))

    def forward(self, *inputs):
        values = dict(zip(self.plan["inputs"], inputs))
        for name, sources, output in self.steps:
            values[output] = self.layers[name]([values[key] for key in sources])
        return values[self.plan["outputs"][0]]

    def load(self, arrays, prefix):
        for name, layer in self.layers.items():
            weights, index = [], 0
            while f"{prefix}/{name}/{index}" in arrays:
                weights.append(arrays[f"{prefix}/{name}/{index}"])
                index += 1
            layer.load(weights)

    def count(self) -> int:
        """Weights as Keras counts them: parameters plus batch-norm moving statistics."""
        buffers = sum(b.numel() for n, b in self.named_buffers() if "num_batches" not in n)
        return sum(p.numel() for p in self.parameters()) + buffers


def _images(array):
    return torch.from_numpy(array).permute(0, 3, 1, 2).contiguous()


def build(folder):
    """Rebuild both networks from an export, load Keras' weights, check the outputs agree.

    Returns:
        (preset dict, generator, discriminator, check) where check holds the largest differences
        from Keras' outputs and the weight counts of both frameworks.
    """
    folder = Path(folder)
    plan = json.loads((folder / "plan.json").read_text())
    arrays = dict(np.load(folder / "arrays.npz"))
    preset = plan["preset"]
    generator, discriminator = Network(plan["generator"]), Network(plan["discriminator"])
    generator.load(arrays, "g")
    discriminator.load(arrays, "d")
    generator.eval()
    discriminator.eval()
    conditional = preset["classes"] is not None
    labels = torch.from_numpy(arrays["labels"]).long()
    with torch.no_grad():
        noise = torch.from_numpy(arrays["noise"])
        generated = generator(noise, labels) if conditional else generator(noise)
        images = _images(arrays["images"])
        logits = discriminator(images, labels) if conditional else discriminator(images)
    check = {
        "generator_max_difference": float(
            (_nhwc(generated) - torch.from_numpy(arrays["generated"])).abs().max()
        ),
        "discriminator_max_difference": float(
            (logits - torch.from_numpy(arrays["logits"])).abs().max()
        ),
        "weights_keras": [plan["generator"]["params"], plan["discriminator"]["params"]],
        "weights_torch": [generator.count(), discriminator.count()],
    }
    generator.train()
    discriminator.train()
    return preset, generator, discriminator, check


def make_step(preset, step, generator, discriminator):
    """One training step of `GAN` / `ConditionalGAN` in PyTorch: same losses, same order.

    Returns a function (images, labels) -> d_loss.
    """
    conditional = preset["classes"] is not None
    batch, noise_dim = preset["batch_size"], preset["noise_dim"]
    adam = {"betas": (preset["beta_1"], 0.999), "eps": 1e-7}  # Keras' Adam epsilon
    d_optimizer = torch.optim.Adam(
        discriminator.parameters(), lr=preset["d_learning_rate"] or preset["learning_rate"], **adam
    )
    g_optimizer = torch.optim.Adam(generator.parameters(), lr=preset["learning_rate"], **adam)
    real_label, l1_lambda = preset["real_label"], preset["l1_lambda"]

    def noise():
        if preset["noise"] == "uniform":
            return torch.rand(batch, noise_dim) * 2 - 1
        return torch.randn(batch, noise_dim)

    def G(z, labels):
        return generator(z, labels) if conditional else generator(z)

    def D(x, labels):
        return discriminator(x, labels) if conditional else discriminator(x)

    def bce(logits, target):
        return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))

    def g_loss_of(fake_logits, images, fake):
        loss = bce(fake_logits, 1.0)
        if l1_lambda > 0:
            loss = loss + l1_lambda * (images - fake).abs().mean()
        return loss

    def g_update(loss):
        # D's weights need no gradient in the generator's step (TensorFlow's tape does not
        # compute them either).
        discriminator.requires_grad_(False)
        g_optimizer.zero_grad(set_to_none=True)
        loss.backward()
        g_optimizer.step()
        discriminator.requires_grad_(True)

    def alternating(images, labels):
        if conditional:
            fake = G(noise(), labels)
            d_loss = bce(D(images, labels), real_label) + bce(D(fake.detach(), labels), 0.0)
            d_optimizer.zero_grad(set_to_none=True)
            d_loss.backward()
            d_optimizer.step()
            discriminator.requires_grad_(False)
            g_update(g_loss_of(D(fake, labels), images, fake))
            return d_loss
        with torch.no_grad():
            fake = G(noise(), labels)
        d_loss = bce(D(images, labels), real_label) + bce(D(fake, labels), 0.0)
        d_optimizer.zero_grad(set_to_none=True)
        d_loss.backward()
        d_optimizer.step()
        discriminator.requires_grad_(False)
        g_update(bce(D(G(noise(), labels), labels), 1.0))
        return d_loss

    d_parameters = list(discriminator.parameters())
    g_parameters = list(generator.parameters())

    def simultaneous(images, labels):
        fake = G(noise(), labels)
        fake_logits = D(fake, labels)
        d_loss = bce(D(images, labels), real_label) + bce(fake_logits, 0.0)
        g_loss = g_loss_of(fake_logits, images, fake)
        d_gradients = torch.autograd.grad(d_loss, d_parameters, retain_graph=True)
        g_gradients = torch.autograd.grad(g_loss, g_parameters)
        for parameters, gradients in ((d_parameters, d_gradients), (g_parameters, g_gradients)):
            for parameter, gradient in zip(parameters, gradients):
                parameter.grad = gradient
        d_optimizer.step()
        g_optimizer.step()
        return d_loss

    return alternating if step == "alternating" else simultaneous


# variant: (memory format, autocast to bfloat16, torch.compile)
VARIANTS = {
    "eager": (torch.contiguous_format, False, False),
    "channels_last": (torch.channels_last, False, False),
    "bf16_channels_last": (torch.channels_last, True, False),
    "compile": (torch.channels_last, False, True),
    "compile_bf16": (torch.channels_last, True, True),
}


def _compiler_missing():
    """Why torch.compile cannot work here, or None: Inductor's CPU code is C++ built at run time."""
    if shutil.which("g++") or shutil.which("c++") or shutil.which("cc"):
        return None
    return "no C++ compiler on PATH (g++, c++ or cc): torch.compile's CPU backend needs one"


def _reason(error):
    lines = str(error).strip().splitlines() or [""]
    return f"{type(error).__name__}: {lines[0][:200]}"


def run(spec):
    variant = spec.get("variant", "eager")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {tuple(VARIANTS)}, received {variant!r}")
    memory_format, bf16, compiled = VARIANTS[variant]
    if compiled and _compiler_missing():
        return {"failed": _compiler_missing(), "variant": variant}
    torch.manual_seed(0)
    if spec.get("threads"):
        torch.set_num_threads(spec["threads"])
    preset, generator, discriminator, check = build(spec["dir"])
    preset["batch_size"] = spec.get("batch_size") or preset["batch_size"]
    if preset["cutmix_probability"] > 0:
        return {"skipped": "CutMix is not ported to PyTorch", "check": check}
    # The port check above ran on the plain float32 NCHW networks; the variant changes only how
    # the same weights are laid out and computed.
    generator.to(memory_format=memory_format)
    discriminator.to(memory_format=memory_format)
    networks = (generator, discriminator)
    if compiled:
        networks = tuple(torch.compile(network) for network in networks)
    step_function = make_step(preset, spec["step"], *networks)
    rng = np.random.default_rng(0)
    shape = (preset["batch_size"], *preset["image_shape"])
    batches = [
        (
            _images(rng.uniform(-1, 1, shape).astype("float32")).contiguous(
                memory_format=memory_format
            ),
            torch.from_numpy(rng.integers(0, preset["classes"] or 1, preset["batch_size"])),
        )
        for _ in range(4)
    ]
    counter = iter(range(10**9))

    def step():
        # Autocast's own advice is to leave backward outside it, but backward ops run in the
        # dtypes of their forward ops either way, so one scope around the whole step is the same.
        scope = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
        with scope:
            return step_function(*batches[next(counter) % len(batches)])

    try:
        # The first call compiles (several graphs: no-grad and grad passes, D frozen and not).
        timing = time_runs(
            step,
            warmup=spec["warmup"],
            runs=spec["runs"],
            steps=spec.get("steps"),
            run_seconds=spec["run_seconds"],
            sync=lambda loss: loss.item(),
        )
    except Exception as error:  # a variant that does not work is reported, not fatal
        if not compiled:
            raise
        return {"failed": _reason(error), "variant": variant, "check": check}
    return {
        "variant": variant,
        "precision": "mixed_bfloat16" if bf16 else "float32",
        **timing,
        **summarise(timing["run_seconds"], timing["steps"], preset["batch_size"]),
        "peak_mb": peak_rss_mb(),
        "check": check,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }


def main(argv):
    spec = json.loads(argv[1])
    print("RESULT " + json.dumps(run(spec)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
