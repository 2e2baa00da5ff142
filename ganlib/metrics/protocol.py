"""li_ye's classifier protocol (report section 4.2, Table 2): how useful are generated images?

Three classifiers of the same architecture, from the same initial weights, are trained on real
images, on generated images (labelled with the labels they were generated for), and on a mix;
each is tested on the real test set. Softmax regression for grayscale data, ResNet-18 for RGB, as
the report does.

Reading: the report does not give the mix's proportions; here it is half real, half generated,
with as many images as the smaller of the two training sets, so the three classifiers see the
same number of images and of steps.

Reading of "Acc (fake)": the report allows three, and all three are computed (`READINGS`):
- "test_real" (§4: three classifiers trained on real, on fake and on mixed images): each tested
  on the real test images;
- "real_classifier" (the abstract: classifiers "trained on the original labeled dataset and
  subsequently tested on a combination of real and synthetic images"): the real-trained classifier
  tested on real, on generated and on mixed test images;
- "own_kind" (§5 explains cDCGAN2's 1.0 by its samples being "highly similar" within a class):
  each classifier tested on held-out images of its own kind.
`report_pattern` says which of them shows the report's ordering, fake ≥ mixed ≥ real.
"""

from __future__ import annotations

import time

import keras
import numpy as np
from keras import layers

from ganlib import data as data_module
from ganlib.models.resnet import resnet18
from ganlib.sampling import sample

DEFAULT_EPOCHS = {"softmax_regression": 10, "resnet18": 10}
COLUMNS = (("accuracy_generated", "Acc (fake)"), ("accuracy_mixed", "Acc (mixed)"))
COLUMNS += (("accuracy_real", "Acc (real)"),)
READINGS = {
    "test_real": "each classifier on the real test images (report §4)",
    "real_classifier": "the real-trained classifier on real, generated and mixed test images "
    "(report abstract)",
    "own_kind": "each classifier on held-out test images of its own kind (report §5)",
}


def softmax_regression(image_shape, classes: int = 10, name: str = "softmax_regression"):
    """Softmax regression on pixels, li_ye's grayscale classifier (section 4.2, Table 2).

    Args:
        image_shape: (height, width, channels) of the images, in [-1, 1].
        classes: number of classes.
        name: the model's name.

    Returns:
        A Functional `keras.Model`: Flatten → Dense(classes), returning logits.
    """
    image = keras.Input(shape=image_shape, name="image")
    x = layers.Flatten(name="flatten")(image)
    logits = layers.Dense(classes, name="logits")(x)
    return keras.Model(image, logits, name=name)


def _builder(classifier, channels: int):
    if callable(classifier):
        return getattr(classifier, "__name__", "custom"), classifier
    if classifier == "auto":
        classifier = "softmax_regression" if channels == 1 else "resnet18"
    if classifier == "softmax_regression":
        return classifier, softmax_regression
    if classifier == "resnet18":
        return classifier, lambda shape, classes: resnet18(shape, classes, stem="cifar")
    raise ValueError(
        "classifier must be 'auto', 'softmax_regression', 'resnet18' or a callable "
        f"(image_shape, classes) -> keras.Model; received {classifier!r}."
    )


def _labelled(pair, what: str, image_shape=None):
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(
            f"{what} must be an (images, labels) pair; received {type(pair).__name__}."
        )
    images, labels = np.asarray(pair[0]), np.asarray(pair[1])
    if images.dtype == np.uint8:
        raise ValueError(
            f"{what} images are uint8 pixels; expected floats in [-1, 1] (x / 127.5 - 1)."
        )
    data_module.check_images(images, image_shape, what=f"{what} images")
    if labels.shape != (images.shape[0],) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"{what} labels must be ({images.shape[0]},) integers; received shape {labels.shape}, "
            f"dtype {labels.dtype}."
        )
    return images.astype(np.float32), labels.astype(np.int32)


def classifier_protocol(
    real_train,
    real_test,
    generated,
    *,
    classifier="auto",
    classes: int | None = None,
    epochs: int | None = None,
    batch_size: int = 128,
    learning_rate: float = 1e-3,
    generated_labels=None,
    noise: str = "normal",
    seed: int = 0,
    verbose=0,
) -> dict:
    """Train classifiers on real, generated and mixed images; test each on real test images.

    Args:
        real_train: (images, labels) of real training images, images in [-1, 1].
        real_test: (images, labels) of real test images.
        generated: (images, labels) of generated images with the labels they were generated for,
            or a conditional generator (a Keras model taking [noise, labels], or a callable
            labels → images), which then draws one image per label of `generated_labels`.
        classifier: "auto" (softmax regression for 1 channel, ResNet-18 for 3), one of those two
            names, or a callable (image_shape, classes) → `keras.Model` returning logits.
        classes: number of classes; by default the largest label + 1.
        epochs: training epochs of each classifier; by default 10.
        batch_size: images per step.
        learning_rate: Adam's learning rate.
        generated_labels: labels to generate for; by default those of `real_train`, so the
            generated set has the real set's size and class balance.
        noise: the generator's noise distribution, "normal" or "uniform".
        seed: seed of the classifiers' initial weights, the noise, the shuffling and the mix.
        verbose: passed to `fit`.

    Returns:
        A dict with accuracy_real, accuracy_generated, accuracy_mixed (test accuracy of each
        classifier), classifier, epochs, train_images and test_images; `protocol_table` shows
        several such dicts as li_ye's Table 2.

    Example:
        >>> result = classifier_protocol((x_train, y_train), (x_test, y_test), cgan_generator)
        >>> display(Markdown(protocol_table({"cDCGAN": result})))
    """
    real_images, real_labels = _labelled(real_train, "real_train")
    image_shape = real_images.shape[1:]
    test_images, test_labels = _labelled(real_test, "real_test", image_shape)
    if isinstance(generated, (tuple, list)):
        fake_images, fake_labels = _labelled(generated, "generated", image_shape)
        # Held-out generated test images: the last sixth, as many as the real test at most.
        held = min(len(test_images), max(1, len(fake_images) // 6))
        fake_test = fake_images[-held:], fake_labels[-held:]
        fake_images, fake_labels = fake_images[:-held], fake_labels[:-held]
    else:
        fake_labels = real_labels if generated_labels is None else np.asarray(generated_labels)
        fake_images = sample(generated, labels=fake_labels, noise=noise, seed=seed)
        fake_images, fake_labels = _labelled((fake_images, fake_labels), "generated", image_shape)
        fresh = sample(generated, labels=test_labels, noise=noise, seed=seed + 1)
        fake_test = _labelled((fresh, test_labels), "generated test images", image_shape)
    if classes is None:
        classes = int(max(real_labels.max(), test_labels.max(), fake_labels.max())) + 1
    name, build = _builder(classifier, image_shape[-1])
    epochs = epochs or DEFAULT_EPOCHS.get(name, 10)

    rng = np.random.default_rng(seed)
    size = min(len(real_images), len(fake_images))
    real_part = rng.permutation(len(real_images))[: (size + 1) // 2]
    fake_part = rng.permutation(len(fake_images))[: size // 2]
    training_sets = {
        "real": (real_images, real_labels),
        "generated": (fake_images, fake_labels),
        "mixed": (
            np.concatenate([real_images[real_part], fake_images[fake_part]]),
            np.concatenate([real_labels[real_part], fake_labels[fake_part]]),
        ),
    }
    half = len(test_images) // 2
    test_sets = {
        "real": (test_images, test_labels),
        "generated": fake_test,
        "mixed": (
            np.concatenate([test_images[:half], fake_test[0][: len(test_images) - half]]),
            np.concatenate([test_labels[:half], fake_test[1][: len(test_images) - half]]),
        ),
    }
    result = {"classifier": name, "epochs": epochs, "train_images": {}, "seconds": {}}
    readings = {reading: {} for reading in READINGS}
    for key, (images, labels) in training_sets.items():
        start = time.perf_counter()
        keras.utils.set_random_seed(seed)
        model = build(tuple(image_shape), classes)
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        model.fit(
            images, labels, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=verbose
        )
        accuracy = {
            kind: float(np.mean(model.predict(x, batch_size=500, verbose=0).argmax(axis=1) == y))
            for kind, (x, y) in test_sets.items()
        }
        result[f"accuracy_{key}"] = accuracy["real"]
        readings["test_real"][key] = accuracy["real"]
        readings["own_kind"][key] = accuracy[key]
        if key == "real":
            readings["real_classifier"] = dict(accuracy)
        result["train_images"][key] = int(len(images))
        result["seconds"][key] = round(time.perf_counter() - start, 1)
    result["test_images"] = {kind: int(len(x)) for kind, (x, _) in test_sets.items()}
    result["readings"] = readings
    return result


def report_pattern(result: dict) -> list[str]:
    """The readings of a `classifier_protocol` result that show the report's ordering of Table 2,
    Acc (fake) ≥ Acc (mixed) ≥ Acc (real)."""
    return [
        reading
        for reading, values in result["readings"].items()
        if values["generated"] >= values["mixed"] >= values["real"]
    ]


def protocol_table(results: dict, reading: str = "test_real") -> str:
    """A markdown table of `classifier_protocol` results, in the columns of li_ye's Table 2.

    Args:
        results: {row name (e.g. "cDCGAN on MNIST"): a `classifier_protocol` result}.
        reading: which reading of the columns (a key of `READINGS`); the table says which.

    Returns:
        Markdown text, one row per entry, under a line naming the reading.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {sorted(READINGS)}, received {reading!r}.")
    header = "| model | classifier | " + " | ".join(title for _, title in COLUMNS) + " |"
    lines = [f"*Reading `{reading}`: {READINGS[reading]}.*", "", header]
    lines.append("|---|---|" + "---:|" * len(COLUMNS))
    for row, result in results.items():
        values = result.get("readings", {}).get(reading)
        if values is None:  # a result of the first version: the test_real reading only
            values = {k: result[f"accuracy_{k}"] for k in ("real", "generated", "mixed")}
        cells = " | ".join(f"{values[key.removeprefix('accuracy_')]:.4f}" for key, _ in COLUMNS)
        lines.append(f"| {row} | {result['classifier']}, {result['epochs']} epochs | {cells} |")
    return "\n".join(lines)
