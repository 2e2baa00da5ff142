"""li_ye's classifier protocol (report section 4.2, Table 2): how useful are generated images?

Three classifiers of the same architecture, from the same initial weights, are trained on real
images, on generated images (labelled with the labels they were generated for), and on a mix;
each is tested on the real test set. Softmax regression for grayscale data, ResNet-18 for RGB, as
the report does. The real classifier does not depend on the generator, so the three models of a
dataset can share one (`reuse_real`).

Reading of ResNet-18: the report uses "a pre-trained ResNet18 model", i.e. torchvision's, whose
stem is ImageNet's (7×7 stride-2 convolution, then max-pool; `RESNET_STEM`). Its pre-trained
weights cannot be had offline, so it is trained from scratch like the other classifiers.

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

Reading of Fig 8 ("training and validation accuracy for 3 models on 5 datasets"): the report
names no validation split for four of its five datasets and reports "testing accuracy" in Table
2, so a classifier's validation accuracy is read as its accuracy on the real test images after
each epoch; the last one is its Table 2 figure. `classifier_protocol` keeps both per epoch
(`result["history"]`), `ganlib.plotting.classifier_accuracy_curves` draws them.

The rest serves the li_ye notebook: the report's Table 2 (`REPORT`), the presets and real data of
one dataset (`presets`, `real_data`), the epoch to evaluate (`suggested_epochs`), label accuracy,
FID and IS of a generator (`generator_scores`), Table 2 with this run's rows beside the report's
(`table2`), and this run read against the report's claims (`report_reading`).
"""

from __future__ import annotations

import dataclasses
import os
import time

import keras
import numpy as np
from keras import layers

from ganlib import data as data_module
from ganlib.experiments import LI_YE_DATASETS, LI_YE_MODELS, get_preset, notebook_preset, quick_mode
from ganlib.metrics.domain import DOMAINS
from ganlib.metrics.epochs import evaluate_epochs, suggest_best_epoch
from ganlib.metrics.inception import WEIGHTS_ENV
from ganlib.metrics.registry import Reference, compute_metrics, metric_series
from ganlib.models.resnet import resnet18
from ganlib.runs import Run
from ganlib.sampling import balanced_labels, sample

DEFAULT_EPOCHS = {"softmax_regression": 10, "resnet18": 10}
RESNET_STEM = "imagenet"
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
        return classifier, lambda shape, classes: resnet18(shape, classes, stem=RESNET_STEM)
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
    reuse_real: dict | None = None,
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
        reuse_real: the result of an earlier call on the same real images, classifier, epochs,
            batch size, learning rate and seed (another model of the same dataset): its trained
            real classifier (`result["real_model"]`) and history are reused instead of training
            the same classifier again, and tested on this call's test sets.
        verbose: passed to `fit`.

    Returns:
        A dict with accuracy_real, accuracy_generated, accuracy_mixed (test accuracy of each
        classifier), classifier, epochs, train_images, test_images, readings (the three readings
        of Acc (fake), see `READINGS`) and history: for each classifier ("real", "generated",
        "mixed"), its "training" and "validation" accuracy per epoch, as li_ye's Fig 8 plots
        them. Training accuracy is Keras' mean over the epoch's batches, taken while the weights
        change, as a PyTorch loop logs it; validation accuracy is measured on the real test
        images after the epoch (the report names no other validation set), so the last value is
        that classifier's accuracy_* figure. "real_model" is the trained real classifier, for
        `reuse_real`. `protocol_table` shows several such dicts as li_ye's
        Table 2, `ganlib.plotting.classifier_accuracy_curves` draws their history as Fig 8.

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
    training = dict(classifier=name, epochs=epochs, batch_size=batch_size, seed=seed)
    training.update(learning_rate=learning_rate, real_images=len(real_images))
    if reuse_real is not None and reuse_real.get("training") != training:
        raise ValueError(
            f"reuse_real must come from a call with the same real classifier and real images; "
            f"it was trained with {reuse_real.get('training')!r}, this call has {training!r}."
        )

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
    result["training"] = training
    result["history"] = {}
    readings = {reading: {} for reading in READINGS}
    for key, (images, labels) in training_sets.items():
        start = time.perf_counter()
        reused = key == "real" and reuse_real is not None
        if reused:
            model = reuse_real["real_model"]
            result["history"][key] = reuse_real["history"]["real"]
        else:
            keras.utils.set_random_seed(seed)
            model = build(tuple(image_shape), classes)
            model.compile(
                optimizer=keras.optimizers.Adam(learning_rate),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"],
            )
            fitted = model.fit(
                images,
                labels,
                epochs=epochs,
                batch_size=batch_size,
                shuffle=True,
                verbose=verbose,
                validation_data=test_sets["real"],
            )
            result["history"][key] = {
                "training": [float(v) for v in fitted.history["accuracy"]],
                "validation": [float(v) for v in fitted.history["val_accuracy"]],
            }
        if key == "real":
            result["real_model"] = model
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
        # A reused real classifier took no training here: its seconds are the earlier call's.
        spent = reuse_real["seconds"]["real"] if reused else time.perf_counter() - start
        result["seconds"][key] = round(spent, 1)
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


# --- The li_ye notebook: the report's Table 2, and this run's beside it -------------------------

MODELS = dict(LI_YE_MODELS)  # ganlib's model key → the report's name: {"cgan": "cGANs", ...}
# CI trains the three models in one notebook: one epoch each keeps it within its time budget.
QUICK_EPOCHS = 1
REPORT_COLUMNS = ("accuracy_generated", "accuracy_mixed", "accuracy_real", "fid", "inception_score")
# Table 2 of the report, in the order of REPORT_COLUMNS; None where it prints "-" or "N/A" (Acc
# (real) is printed once per dataset, on the cGAN row; FID and IS for the RGB datasets only).
_TABLE_2 = {
    "cifar10": {
        "cgan": (0.8877, 0.8198, 0.7940, 0.1416, 1.5933),
        "cdcgan": (0.8081, 0.7522, None, 0.0446, 3.8459),
        "cdcgan2": (0.9997, 0.9922, None, 0.0960, 2.7535),
    },
    "cifar100": {
        "cgan": (0.9859, 0.9129, 0.7487, 0.1194, 1.6095),
        "cdcgan": (0.9014, 0.7518, None, 0.0655, 3.3468),
        "cdcgan2": (0.9900, 0.9793, None, 0.1036, 2.7136),
    },
    "intel_scenes": {
        "cgan": (0.9133, 0.8380, 0.7090, 0.2203, 1.4002),
        "cdcgan": (0.8123, 0.7907, None, 0.0268, 2.6772),
        "cdcgan2": (0.9720, 0.8960, None, 0.0340, 2.5714),
    },
    "mnist": {
        "cgan": (0.9952, 0.9961, 0.8218, None, None),
        "cdcgan": (0.8941, 0.9883, None, None, None),
        "cdcgan2": (1.0, 1.0, None, None, None),
    },
    "fashion_mnist": {
        "cgan": (0.8942, 0.9957, 0.7821, None, None),
        "cdcgan": (0.7717, 0.9775, None, None, None),
        "cdcgan2": (1.0, 0.9975, None, None, None),
    },
}
REPORT = {
    dataset: {model: dict(zip(REPORT_COLUMNS, values)) for model, values in rows.items()}
    for dataset, rows in _TABLE_2.items()
}
# Table 2's columns here: the report's, with label accuracy (this run's only) before FID and IS.
SCORES = ("label_accuracy", "fid", "inception_score")
TABLE2_COLUMNS = tuple(key for key, _ in COLUMNS) + SCORES
# ganlib's bar for "the generator draws the class asked for" (the report gives no label accuracy).
LABEL_ACCURACY_TARGETS = {"mnist": 0.95, "fashion_mnist": 0.85}


def _name(model) -> str:
    return MODELS.get(model, str(model))


def _check_dataset(dataset):
    if dataset not in REPORT:
        raise ValueError(f"dataset must be one of li_ye's {sorted(REPORT)}; received {dataset!r}.")


def presets(dataset: str, *, epochs=None, train_images=None, seed: int = 0) -> dict:
    """The three li_ye presets (cGAN, cDCGAN, cDCGAN2) of one dataset, as the notebook runs them.

    Args:
        dataset: one of li_ye's datasets, "mnist", "fashion_mnist", "cifar10", "cifar100",
            "intel_scenes".
        epochs: None for the report's (10 for grayscale, 100 for RGB), a number for all three
            models, or {model key: epochs} (a model left out keeps the report's).
        train_images: the first N training images, or None for all.
        seed: the runs' seed.

    Returns:
        {model key: `Experiment`}, in the order of `MODELS`; in quick mode shrunk by
        `ganlib.experiments.notebook_preset` and trained for `QUICK_EPOCHS` each.
    """
    if dataset not in LI_YE_DATASETS:
        raise ValueError(
            f"dataset must be one of li_ye's {list(LI_YE_DATASETS)}; received {dataset!r}."
        )
    per_model = epochs if isinstance(epochs, dict) else dict.fromkeys(MODELS, epochs)
    unknown = sorted(set(per_model) - set(MODELS))
    if unknown:
        raise ValueError(f"epochs names models {unknown}; expected keys among {list(MODELS)}.")
    quick = quick_mode()
    return {
        model: notebook_preset(
            f"li_ye_{model}_{dataset}",
            epochs=QUICK_EPOCHS if quick else per_model.get(model),
            train_images=train_images,
            seed=seed,
        )
        for model in MODELS
    }


def real_data(preset, *, test_limit: int | None = None):
    """The labelled real images the protocol trains and tests on, as arrays.

    Args:
        preset: the `Experiment` whose dataset, image size and `train_images` are used.
        test_limit: the first N test images, or None for the whole test split.

    Returns:
        ((train_images, train_labels), (test_images, test_labels)): float32 images in [-1, 1]
        at the preset's image size, int32 labels.
    """

    def arrays(split, limit):
        dataset = data_module.load(
            preset.dataset, split, with_labels=True, limit=limit, image_size=preset.image_shape[:2]
        )
        pairs = [(x.numpy(), y.numpy()) for x, y in dataset.batch(1000)]
        if not pairs:
            raise ValueError(f"The {split} split of {preset.dataset!r} holds no images.")
        images, labels = zip(*pairs)
        return np.concatenate(images), np.concatenate(labels).astype(np.int32)

    return arrays("train", preset.train_images), arrays("test", test_limit)


def suggested_epochs(run_dirs: dict, dataset: str, *, samples: int = 1000, verbose=True) -> dict:
    """The epoch of each run to evaluate: its best label accuracy, or its last saved epoch.

    Label accuracy (the dataset's offline classifier on `samples` images, every class equally
    often) is computed for every saved epoch and logged to the run's metrics.jsonl, or read from
    it; only epochs whose weights are saved are suggested, since the notebook restores them.
    A dataset without an offline classifier (`ganlib.metrics.DOMAINS`) gets the last saved epoch.

    Args:
        run_dirs: {model key: run directory}.
        dataset: the runs' dataset ("mnist", ...).
        samples: images generated per epoch.
        verbose: print one line per run: the epoch and why.

    Returns:
        {model key: epoch}.
    """
    chosen = {}
    for model, run_dir in run_dirs.items():
        saved = Run(run_dir).saved_epochs()
        if not saved:
            raise ValueError(f"Run {str(run_dir)!r} has no saved epochs to suggest from.")
        if dataset in DOMAINS:
            evaluate_epochs(run_dir, "label_accuracy", samples=samples, verbose=False)
            logged = metric_series(run_dir, "label_accuracy").epochs
            best = suggest_best_epoch(
                run_dir, "label_accuracy", exclude=[e for e in logged if e not in saved]
            )
            chosen[model], why = best.epoch, str(best)
        else:
            chosen[model] = saved[-1]
            why = f"epoch {saved[-1]}, the last saved (no offline classifier for {dataset!r})"
        if verbose:
            print(f"{_name(model):>9}: {why}")
    return chosen


@dataclasses.dataclass(frozen=True)
class GeneratorScores:
    """Label accuracy, FID and IS of one generator; None where not computed, `note` says why."""

    label_accuracy: float | None = None
    fid: float | None = None
    inception_score: float | None = None
    samples: int = 0
    note: str = ""


def generator_scores(
    generator,
    dataset: str,
    real_test=None,
    *,
    classes: int | None = None,
    samples: int = 1000,
    seed: int = 1,
    quick: bool | None = None,
) -> GeneratorScores:
    """Label accuracy of a conditional generator and, for RGB images, its FID and IS.

    Label accuracy (not in the report) is the share of generated images that the dataset's
    offline classifier reads as the class asked for; it needs one (`ganlib.metrics.DOMAINS`).
    FID and IS use Inception-v3 and are computed for RGB images only, as the report does. Without
    Inception's ImageNet weights (no file at `GANLIB_INCEPTION_WEIGHTS`, no download) they are
    left out and `note` says why, while label accuracy is still computed; in quick mode they are
    only tried when `GANLIB_INCEPTION_WEIGHTS` is set, since CI has no network.

    Args:
        generator: a conditional generator, a Keras [noise, labels] model or a callable
            labels → images.
        dataset: its dataset ("mnist", "cifar10", ... or a sample's name, "mnist_sample").
        real_test: (images, labels) of real test images, FID's reference; needed for RGB.
        classes: number of classes; by default the offline classifier's, else from `real_test`.
        samples: images to generate, every class equally often.
        seed: seed of the noise.
        quick: whether this is a quick run; None reads `ganlib.quick_mode()`.

    Returns:
        A `GeneratorScores`.

    Example:
        >>> generator_scores(restore_epoch(run_dir, 9), "mnist").label_accuracy
    """
    quick = quick_mode() if quick is None else quick
    domain = DOMAINS.get(dataset) or next(
        (d for d in DOMAINS.values() if dataset in d.datasets), None
    )
    if classes is None:
        if domain is None and real_test is None:
            raise ValueError(
                f"generator_scores needs classes= or real_test= for {dataset!r}, which has no "
                "offline classifier; received neither."
            )
        classes = domain.classes if domain is not None else int(np.max(real_test[1])) + 1
    labels = balanced_labels(samples, classes)
    images = sample(generator, labels=labels, seed=seed)
    values = {}
    if domain is not None:
        found = compute_metrics(
            images, ["label_accuracy"], labels=labels, reference=Reference(domain)
        )
        values["label_accuracy"] = found["label_accuracy"].value
    note = "" if images.shape[-1] == 3 else "FID and IS: for RGB datasets only, as in the report"
    if images.shape[-1] == 3:
        if real_test is None:
            raise ValueError(
                f"FID of RGB images needs real_test=(images, labels); received None for {dataset!r}."
            )
        if quick and not os.environ.get(WEIGHTS_ENV):
            note = (
                f"FID and IS not computed in quick mode without {WEIGHTS_ENV} (CI has no network)"
            )
        else:
            try:
                found = compute_metrics(
                    images, ["fid", "inception_score"], reference=Reference(None, real_test[0])
                )
            except FileNotFoundError as error:  # no Inception weights: the rest still counts
                note = f"FID and IS not computed: {error}"
            else:
                values.update(
                    fid=found["fid"].value, inception_score=found["inception_score"].value
                )
    return GeneratorScores(**values, samples=samples, note=note)


def _cell(value) -> str:
    return "–" if value is None else f"{value:.4f}"


def table2(dataset: str, results: dict, scores=None, epochs=None, *, quick=None) -> str:
    """li_ye's Table 2 for one dataset: this run's rows, then the report's.

    Args:
        dataset: one of li_ye's datasets ("mnist", ...); the report's rows are `REPORT[dataset]`.
        results: {model key: `classifier_protocol` result} of this run.
        scores: {model key: `GeneratorScores`} of this run (label accuracy, FID, IS), optional.
        epochs: {model key: the epoch evaluated}, optional.
        quick: mark the table as a quick-mode smoke run; None reads `ganlib.quick_mode()`.

    Returns:
        Markdown: a line saying how the classifiers were trained and tested, then the table with
        columns epoch, Acc (fake), Acc (mixed), Acc (real), label accuracy, FID and IS ("–" where
        there is no value), one row per model of this run and one per model of the report.
    """
    _check_dataset(dataset)
    if not results:
        raise ValueError(
            f"table2 needs at least one classifier_protocol result; received {results!r}."
        )
    quick = quick_mode() if quick is None else quick
    scores, epochs = scores or {}, epochs or {}
    first = next(iter(results.values()))
    tested = first["test_images"]
    tested = tested["real"] if isinstance(tested, dict) else tested
    trained = first["train_images"]
    lines = [
        f"**{dataset}** — classifiers: {first['classifier']}, {first['epochs']} epochs, trained on "
        f"{trained['real']} real, {trained['generated']} generated or {trained['mixed']} mixed "
        f"images, tested on {tested} real test images"
        + (" — **QUICK MODE**, a smoke run, not a result" if quick else ""),
        "",
        "| model | epoch | Acc (fake) | Acc (mixed) | Acc (real) | label acc. | FID | IS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for model, result in results.items():
        found = scores.get(model)
        values = [result[key] for key, _ in COLUMNS] + [getattr(found, k, None) for k in SCORES]
        cells = " | ".join(_cell(v) for v in values)
        lines.append(f"| {_name(model)} (this run) | {epochs.get(model, '')} | {cells} |")
    for model, reported in REPORT[dataset].items():
        cells = " | ".join(_cell(reported.get(key)) for key in TABLE2_COLUMNS)
        lines.append(f"| {_name(model)} (report) | | {cells} |")
    return "\n".join(lines)


def _ordering(fake, mixed, real) -> str:
    if real is None:
        return "fake ≥ mixed" if fake >= mixed else "fake < mixed"
    return "holds" if fake >= mixed >= real else "does not hold"


def report_reading(
    dataset: str, results: dict, scores=None, run_dirs=None, *, epochs=None, quick=None
) -> str:
    """This run's figures read against the report's claims about Table 2, as markdown.

    The claims (report §1 and §4.2): cDCGAN2 has the highest accuracy on generated images; for a
    model, Acc (fake) ≥ Acc (mixed) ≥ Acc (real); cDCGAN has the best FID and IS. Each is checked
    on this run's figures and on the report's own Table 2 (`REPORT`), and label accuracy (not in
    the report) against ganlib's bar (`LABEL_ACCURACY_TARGETS`). Every figure comes from the
    arguments or `REPORT`: nothing is written in advance.

    Args:
        dataset: one of li_ye's datasets.
        results: {model key: `classifier_protocol` result}.
        scores: {model key: `GeneratorScores`}, optional.
        run_dirs: {model key: run directory}, to say how many epochs each trained; optional.
        epochs: {model key: the epoch evaluated}, optional.
        quick: a quick-mode smoke run, said first; None reads `ganlib.quick_mode()`.

    Returns:
        Markdown: a line on the run, then one bullet per claim.
    """
    _check_dataset(dataset)
    if not results:
        raise ValueError(f"report_reading needs classifier_protocol results; received {results!r}.")
    quick = quick_mode() if quick is None else quick
    scores, report = scores or {}, REPORT[dataset]
    mode = (
        "**QUICK MODE**: a smoke run, its figures say nothing about quality"
        if quick
        else "full run"
    )
    facts = [f"**This run** ({mode}), {dataset}"]
    if run_dirs:
        trained = ", ".join(
            f"{_name(m)} {len(Run(d).completed_epochs())}" for m, d in run_dirs.items()
        )
        facts.append(
            f"epochs trained: {trained} (the report: {get_preset(f'li_ye_cgan_{dataset}').epochs})"
        )
    if epochs:
        facts.append("Table 2 at epochs " + ", ".join(f"{_name(m)} {e}" for m, e in epochs.items()))
    lines = ["; ".join(facts) + ".", ""]

    fake = {m: r["accuracy_generated"] for m, r in results.items()}
    top = max(fake, key=fake.get)
    top_reported = max(report, key=lambda m: report[m]["accuracy_generated"])
    lines.append(
        f"- **Highest Acc (fake)**: here {_name(top)} ({fake[top]:.4f}); the report: "
        f"{_name(top_reported)} ({report[top_reported]['accuracy_generated']:.4f}) — "
        + ("as in the report." if top == top_reported else "not as in the report.")
    )

    held = [
        _name(m) for m, r in results.items() if _ordering(*(r[k] for k, _ in COLUMNS)) == "holds"
    ]
    lines.append(
        "- **Acc (fake) ≥ Acc (mixed) ≥ Acc (real)** (on the real test images, §4): holds here for "
        + (", ".join(held) if held else "no model")
        + f" of {len(results)}."
    )
    for model, result in results.items():
        readings = report_pattern(result) if "readings" in result else []
        figures = " / ".join(f"{result[k]:.4f}" for k, _ in COLUMNS)
        lines.append(
            f"  - {_name(model)}: {figures} ({_ordering(*(result[k] for k, _ in COLUMNS))}); "
            + (
                "holds under the readings " + ", ".join(f"`{r}`" for r in readings)
                if readings
                else "holds under none of the readings"
            )
        )
    reported = "; ".join(
        f"{_name(m)} "
        + " / ".join(_cell(row[k]) for k, _ in COLUMNS)
        + f" ({_ordering(*(row[k] for k, _ in COLUMNS))})"
        for m, row in report.items()
    )
    lines.append(f"  - the report's Table 2 (fake / mixed / real): {reported}")

    measured = {m: s for m, s in scores.items() if s is not None and s.fid is not None}
    if measured and all(row["fid"] is not None for row in report.values()):
        low = min(measured, key=lambda m: measured[m].fid)
        high = max(measured, key=lambda m: measured[m].inception_score)
        low_reported = min(report, key=lambda m: report[m]["fid"])
        high_reported = max(report, key=lambda m: report[m]["inception_score"])
        lines.append(
            f"- **Best FID and IS**: here lowest FID {_name(low)} ({measured[low].fid:.2f}), "
            f"highest IS {_name(high)} ({measured[high].inception_score:.2f}); the report: "
            f"lowest FID {_name(low_reported)}, highest IS {_name(high_reported)} (its FID "
            "values are not the usual Inception FID: compare the order, not the numbers)."
        )
    else:
        notes = sorted({s.note for s in scores.values() if s is not None and s.note})
        lines.append(
            "- **Best FID and IS**: not measured here"
            + (f" ({'; '.join(notes)})." if notes else ".")
        )

    accuracy = {
        m: s.label_accuracy for m, s in scores.items() if s and s.label_accuracy is not None
    }
    if accuracy:
        target = LABEL_ACCURACY_TARGETS.get(dataset)

        def verdict(value):
            if target is None:
                return ""
            return f" ({'reaches' if value >= target else 'below'} ganlib's bar of {target})"

        lines.append(
            "- **Label accuracy** (not in the report): "
            + ", ".join(f"{_name(m)} {v:.3f}{verdict(v)}" for m, v in accuracy.items())
            + "."
        )
    return "\n".join(lines)
