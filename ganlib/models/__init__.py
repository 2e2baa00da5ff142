"""Model builders, and the table that maps a preset's `architecture` to its two builders."""

from __future__ import annotations

from ganlib.models import conditional, dcgan, unet
from ganlib.precision import float32_output, policy_scope, resolve

# architecture key -> (generator builder, discriminator builder), each called with the preset.
ARCHITECTURES = {
    "sharma_28": (
        lambda p: dcgan.sharma_fashion_mnist_generator(noise_dim=p.noise_dim),
        lambda p: dcgan.sharma_fashion_mnist_discriminator(
            image_shape=p.image_shape, dropout=p.dropout, leaky_relu_alpha=p.leaky_relu_alpha
        ),
    ),
    "sharma_64": (
        lambda p: dcgan.sharma_pretty_face_generator(noise_dim=p.noise_dim),
        lambda p: dcgan.sharma_pretty_face_discriminator(
            image_shape=p.image_shape, dropout=p.dropout, leaky_relu_alpha=p.leaky_relu_alpha
        ),
    ),
    "stiff": (
        lambda p: dcgan.stiff_generator(
            image_shape=p.image_shape, noise_dim=p.noise_dim, leaky_relu_alpha=p.leaky_relu_alpha
        ),
        lambda p: dcgan.stiff_discriminator(
            image_shape=p.image_shape, leaky_relu_alpha=p.leaky_relu_alpha
        ),
    ),
    "vemuri_basic": (
        lambda p: unet.vemuri_basic_generator(
            image_shape=p.image_shape, noise_dim=p.noise_dim, leaky_relu_alpha=p.leaky_relu_alpha
        ),
        lambda p: unet.vemuri_discriminator(
            image_shape=p.image_shape, leaky_relu_alpha=p.leaky_relu_alpha
        ),
    ),
    "vemuri_unet": (
        lambda p: unet.vemuri_unet_generator(
            image_shape=p.image_shape, noise_dim=p.noise_dim, leaky_relu_alpha=p.leaky_relu_alpha
        ),
        lambda p: unet.vemuri_discriminator(
            image_shape=p.image_shape, leaky_relu_alpha=p.leaky_relu_alpha
        ),
    ),
    "vemuri_unet_attention": (
        lambda p: unet.vemuri_unet_attention_generator(
            image_shape=p.image_shape, noise_dim=p.noise_dim, leaky_relu_alpha=p.leaky_relu_alpha
        ),
        lambda p: unet.vemuri_discriminator(
            image_shape=p.image_shape, leaky_relu_alpha=p.leaky_relu_alpha
        ),
    ),
}

# Conditional architectures: each network takes [noise or images, labels] (see models/conditional.py).
ARCHITECTURES.update(
    {
        "milosevic": (
            lambda p: conditional.milosevic_generator(
                classes=p.classes,
                embed_dim=p.embed_dim,
                noise_dim=p.noise_dim,
                image_shape=p.image_shape,
                feature_maps=p.feature_maps,
            ),
            lambda p: conditional.milosevic_discriminator(
                classes=p.classes,
                embed_dim=p.embed_dim,
                image_shape=p.image_shape,
                feature_maps=p.feature_maps,
                leaky_relu_alpha=p.leaky_relu_alpha,
            ),
        ),
        "li_ye_cgan": (
            lambda p: conditional.li_ye_cgan_generator(
                classes=p.classes, noise_dim=p.noise_dim, image_shape=p.image_shape
            ),
            lambda p: conditional.li_ye_cgan_discriminator(
                classes=p.classes, image_shape=p.image_shape, leaky_relu_alpha=p.leaky_relu_alpha
            ),
        ),
        **{
            key: (
                lambda p, late=late: conditional.li_ye_cdcgan_generator(
                    classes=p.classes,
                    noise_dim=p.noise_dim,
                    image_shape=p.image_shape,
                    feature_maps=p.feature_maps,
                    late=late,
                ),
                lambda p, late=late: conditional.li_ye_cdcgan_discriminator(
                    classes=p.classes,
                    image_shape=p.image_shape,
                    feature_maps=p.feature_maps,
                    late=late,
                    leaky_relu_alpha=p.leaky_relu_alpha,
                ),
            )
            for key, late in (("li_ye_cdcgan", False), ("li_ye_cdcgan2", True))
        },
    }
)


def _builders(preset):
    if preset.architecture not in ARCHITECTURES:
        raise ValueError(
            f"Unknown architecture {preset.architecture!r}; expected one of {sorted(ARCHITECTURES)}."
        )
    return ARCHITECTURES[preset.architecture]


# The noise distribution a generator is trained with, recorded on it so that `ganlib.sample`
# draws the same one by default.
NOISE_ATTRIBUTE = "ganlib_noise"


def _with_noise(generator, preset):
    setattr(generator, NOISE_ATTRIBUTE, preset.noise)
    return generator


def build_generator(preset):
    """Build the generator a preset names, with fresh weights, under its precision."""
    with policy_scope(resolve(preset.precision)):
        generator = _builders(preset)[0](preset)
    return _with_noise(float32_output(generator), preset)


def build_models(preset):
    """Build the (generator, discriminator) pair a preset names.

    Args:
        preset: a `ganlib.Experiment`.

    Returns:
        (generator, discriminator), two Functional `keras.Model`s with fresh weights, built
        under the preset's precision with float32 outputs.
    """
    g_builder, d_builder = _builders(preset)
    with policy_scope(resolve(preset.precision)):
        generator, discriminator = g_builder(preset), d_builder(preset)
    return _with_noise(float32_output(generator), preset), float32_output(discriminator)


def layer_table(*models) -> str:
    """A plain-text table of each model's layers: name, type, output shape, parameters.

    Unlike `model.summary()`, it prints the same text in a terminal, a notebook and CI, so a notebook
    can check its architecture against the stored output. Several models (a generator and its
    discriminator) give their tables one after the other, a blank line between.
    """
    if not models:
        raise ValueError("layer_table needs at least one model.")
    return "\n\n".join(_layer_table(model) for model in models)


def _layer_table(model) -> str:
    rows = [("Layer", "Type", "Output shape", "Params")]
    for layer in model.layers:
        shape = tuple(layer.output.shape)
        rows.append((layer.name, type(layer).__name__, str(shape), f"{layer.count_params():,}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [f"{model.name}"]
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines.append(f"Total params: {model.count_params():,}")
    return "\n".join(lines)


__all__ = [
    "ARCHITECTURES",
    "NOISE_ATTRIBUTE",
    "build_generator",
    "build_models",
    "conditional",
    "dcgan",
    "layer_table",
    "unet",
]
