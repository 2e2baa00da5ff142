"""li_ye's classifier protocol and the ResNet-18 builder."""

import numpy as np
import pytest

from ganlib import data, metrics
from ganlib.models.resnet import resnet18


def trainable(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


def test_resnet18_has_torchvisions_weight_counts():
    # torchvision.models.resnet18(): 11,689,512 parameters; its CIFAR variant (3×3 stem, no
    # max-pool, 10 classes): 11,173,962.
    imagenet = resnet18((224, 224, 3), 1000, stem="imagenet")
    assert trainable(imagenet) == 11_689_512 and imagenet.output_shape == (None, 1000)
    cifar = resnet18((32, 32, 3), 10, stem="cifar")
    assert trainable(cifar) == 11_173_962
    assert cifar.get_layer("stage4_block2_out").output.shape[1:] == (4, 4, 512)
    with pytest.raises(ValueError, match="stem must be one of"):
        resnet18(stem="tiny")


@pytest.fixture(scope="module")
def fashion():
    """1,000 training and 500 test images of the committed Fashion-MNIST sample, in [-1, 1]."""
    x_train, y_train = data.load_arrays("fashion_mnist_sample", "train")
    x_test, y_test = data.load_arrays("fashion_mnist_sample", "test")
    scale = lambda x: x.astype(np.float32) / 127.5 - 1.0  # noqa: E731
    return (
        (scale(x_train[:1000]), y_train[:1000]),
        (scale(x_train[1000:2000]), y_train[1000:2000]),
        (scale(x_test), y_test),
    )


def test_protocol_scores_real_stand_ins_like_real_data_and_wrong_labels_near_chance(fashion):
    real_train, other_real, real_test = fashion
    # A perfect "generator": other real images with their true labels.
    faithful = metrics.classifier_protocol(real_train, real_test, other_real, epochs=3)
    assert faithful["classifier"] == "softmax_regression"
    # A sixth of the given generated images is held out to test on (own_kind, real_classifier).
    assert faithful["test_images"] == {"real": 500, "generated": 166, "mixed": 416}
    assert faithful["train_images"] == {"real": 1000, "generated": 834, "mixed": 834}
    assert faithful["accuracy_real"] > 0.65
    assert abs(faithful["accuracy_generated"] - faithful["accuracy_real"]) < 0.06
    assert abs(faithful["accuracy_mixed"] - faithful["accuracy_real"]) < 0.06
    # A generator that ignores its labels: images unrelated to the label asked for.
    rng = np.random.default_rng(0)
    mislabelled = (other_real[0], rng.permutation(other_real[1]))
    careless = metrics.classifier_protocol(real_train, real_test, mislabelled, epochs=3)
    assert careless["accuracy_real"] == pytest.approx(faithful["accuracy_real"])  # same seed
    assert careless["accuracy_generated"] < 0.3
    assert careless["accuracy_generated"] < careless["accuracy_mixed"] < careless["accuracy_real"]
    table = metrics.protocol_table({"faithful": faithful, "careless": careless})
    assert table.splitlines()[0].startswith("*Reading `test_real`: each classifier on the real")
    assert table.splitlines()[2] == (
        "| model | classifier | Acc (fake) | Acc (mixed) | Acc (real) |"
    )
    assert f"| careless | softmax_regression, 3 epochs | {careless['accuracy_generated']:.4f}" in (
        table
    )


def test_protocol_draws_from_a_conditional_callable(fashion):
    real_train, other_real, real_test = fashion
    by_class = {c: other_real[0][other_real[1] == c] for c in range(10)}

    def generate(labels):
        # Stand-in conditional generator: a real image of each requested class.
        return np.stack([by_class[c][i % len(by_class[c])] for i, c in enumerate(labels)])

    result = metrics.classifier_protocol(
        real_train, real_test, generate, generated_labels=real_train[1][:800], epochs=3
    )
    assert result["train_images"] == {"real": 1000, "generated": 800, "mixed": 800}
    assert result["accuracy_generated"] > 0.6


def test_the_three_readings_of_acc_fake_are_computed_and_labelled(fashion):
    real_train, other_real, real_test = fashion
    prototypes = {c: other_real[0][other_real[1] == c][:3].mean(axis=0) for c in range(10)}

    def alike(labels):
        # Samples "highly similar" within a class (report §5): a class's mean image, barely varied.
        rng = np.random.default_rng(len(labels))
        noise = rng.normal(0, 0.02, (len(labels), *real_train[0].shape[1:]))
        return np.clip(np.stack([prototypes[c] for c in labels]) + noise, -1, 1).astype("float32")

    result = metrics.classifier_protocol(real_train, real_test, alike, epochs=3)
    readings = result["readings"]
    assert set(readings) == set(metrics.protocol.READINGS)
    assert readings["test_real"] == {
        k: result[f"accuracy_{k}"] for k in ("real", "generated", "mixed")
    }
    assert readings["real_classifier"]["real"] == readings["test_real"]["real"]
    # Trained and tested on its own near-identical images, the fake classifier scores ~1.0.
    assert readings["own_kind"]["generated"] > 0.97 > readings["own_kind"]["real"]
    assert "own_kind" in metrics.protocol.report_pattern(result)
    table = metrics.protocol_table({"alike": result}, reading="own_kind")
    assert "Reading `own_kind`" in table and f"{readings['own_kind']['generated']:.4f}" in table
    with pytest.raises(ValueError, match="reading must be one of"):
        metrics.protocol_table({"alike": result}, reading="mine")


def small_cnn(shape, classes):
    """A stand-in for ResNet-18 (same role, a fraction of its compile time)."""
    import keras

    image = keras.Input(shape)
    x = keras.layers.Conv2D(4, 3, strides=2, activation="relu")(image)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(image, keras.layers.Dense(classes)(x), name="small_cnn")


def test_protocol_with_a_classifier_builder_on_rgb_images():
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, size=(48, 32, 32, 3)).astype(np.float32)
    labels = np.arange(48) % 3
    result = metrics.classifier_protocol(
        (images, labels),
        (images[:12], labels[:12]),
        (images[::-1], labels[::-1]),
        classifier=small_cnn,
        epochs=1,
        batch_size=16,
    )
    assert result["classifier"] == "small_cnn"
    assert all(0.0 <= result[f"accuracy_{k}"] <= 1.0 for k in ("real", "generated", "mixed"))


def test_protocol_refuses_bad_input(fashion):
    real_train, other_real, real_test = fashion
    with pytest.raises(ValueError, match="uint8 pixels"):
        metrics.classifier_protocol(
            ((real_train[0] * 100).astype(np.uint8), real_train[1]), real_test, other_real
        )
    with pytest.raises(ValueError, match=r"generated images must have shape \(batch, 28, 28, 1\)"):
        metrics.classifier_protocol(real_train, real_test, (other_real[0][:, :14], other_real[1]))
    with pytest.raises(ValueError, match=r"real_test labels must be \(500,\) integers"):
        metrics.classifier_protocol(real_train, (real_test[0], real_test[1][:10]), other_real)
    with pytest.raises(ValueError, match="classifier must be 'auto'"):
        metrics.classifier_protocol(real_train, real_test, other_real, classifier="vgg")
