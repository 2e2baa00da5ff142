"""li_ye's classifier protocol and the ResNet-18 builder."""

import numpy as np
import pytest
from conftest import legends_clear_of_panels

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


@pytest.fixture(scope="module")
def faithful(fashion):
    """The protocol (3 epochs) with a perfect "generator": other real images, true labels."""
    real_train, other_real, real_test = fashion
    return metrics.classifier_protocol(real_train, real_test, other_real, epochs=3)


def test_protocol_scores_real_stand_ins_like_real_data_and_wrong_labels_near_chance(
    fashion, faithful
):
    real_train, other_real, real_test = fashion
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


# --- Fig 8 (per-epoch accuracies), Table 2 beside the report's, the closing reading -------------


def test_protocol_keeps_each_classifiers_training_and_validation_accuracy(faithful):
    history = faithful["history"]
    assert set(history) == {"real", "generated", "mixed"}
    for key, curves in history.items():
        assert len(curves["training"]) == len(curves["validation"]) == 3
        assert all(0.0 <= v <= 1.0 for v in curves["training"] + curves["validation"])
        # Validation is the real test set after each epoch: its last value is the Table 2 figure.
        assert curves["validation"][-1] == pytest.approx(faithful[f"accuracy_{key}"], abs=1e-6)
        # Three epochs of softmax regression on 834-1,000 images: it learns, well above chance.
        assert curves["training"][-1] > curves["training"][0]
        assert curves["validation"][-1] > curves["validation"][0] and curves["validation"][-1] > 0.5


def protocol_result(fake, mixed, real, *, classifier="softmax_regression", epochs=10):
    """A `classifier_protocol` result with given accuracies, its readings and history."""
    values = {"generated": fake, "mixed": mixed, "real": real}
    return {
        "classifier": classifier,
        "epochs": epochs,
        "train_images": {"real": 60000, "generated": 60000, "mixed": 60000},
        "test_images": {"real": 10000, "generated": 10000, "mixed": 10000},
        **{f"accuracy_{k}": v for k, v in values.items()},
        "readings": {
            "test_real": dict(values),
            "real_classifier": {"generated": real + 0.05, "mixed": real + 0.01, "real": real},
            "own_kind": {"generated": 0.99, "mixed": 0.95, "real": real},
        },
        "history": {
            k: {
                "training": list(np.linspace(0.5, v - 0.01, epochs)),
                "validation": list(np.linspace(0.55, v, epochs)),
            }
            for k, v in values.items()
        },
    }


def test_table2_holds_this_runs_rows_and_the_reports(monkeypatch):
    monkeypatch.delenv("GANLIB_QUICK", raising=False)
    protocol = metrics.protocol
    results = {
        "cgan": protocol_result(0.8493, 0.9117, 0.9160),
        "cdcgan2": protocol_result(0.99, 0.97, 0.9160),
    }
    scores = {"cgan": protocol.GeneratorScores(label_accuracy=0.845, samples=1000)}
    table = protocol.table2("mnist", results, scores, {"cgan": 10, "cdcgan2": 8})
    lines = table.splitlines()
    assert lines[0].startswith("**mnist** — classifiers: softmax_regression, 10 epochs")
    assert "tested on 10000 real test images" in lines[0] and "QUICK" not in lines[0]
    assert (
        lines[2]
        == "| model | epoch | Acc (fake) | Acc (mixed) | Acc (real) | label acc. | FID | IS |"
    )
    rows = lines[4:]
    assert rows[:2] == [
        "| cGANs (this run) | 10 | 0.8493 | 0.9117 | 0.9160 | 0.8450 | – | – |",
        "| cDCGANs2 (this run) | 8 | 0.9900 | 0.9700 | 0.9160 | – | – | – |",
    ]
    # The report's three rows of Table 2 follow, each with its own figures.
    assert rows[2:] == [
        "| cGANs (report) | | 0.9952 | 0.9961 | 0.8218 | – | – | – |",
        "| cDCGANs (report) | | 0.8941 | 0.9883 | – | – | – | – |",
        "| cDCGANs2 (report) | | 1.0000 | 1.0000 | – | – | – | – |",
    ]
    rgb = protocol.table2("cifar10", results, quick=True)
    assert "**QUICK MODE**" in rgb.splitlines()[0]
    assert "| cDCGANs (report) | | 0.8081 | 0.7522 | – | – | 0.0446 | 3.8459 |" in rgb
    with pytest.raises(ValueError, match="dataset must be one of li_ye's .* received 'svhn'"):
        protocol.table2("svhn", results)


def test_report_reading_reads_the_figures_it_is_given(monkeypatch):
    monkeypatch.delenv("GANLIB_QUICK", raising=False)
    protocol = metrics.protocol
    results = {
        "cgan": protocol_result(0.8493, 0.9117, 0.9160),
        "cdcgan": protocol_result(0.8924, 0.9168, 0.9160),
    }
    scores = {
        "cgan": protocol.GeneratorScores(
            label_accuracy=0.845, note="FID and IS: for RGB datasets only"
        ),
        "cdcgan": protocol.GeneratorScores(
            label_accuracy=0.988, note="FID and IS: for RGB datasets only"
        ),
    }
    text = protocol.report_reading("mnist", results, scores, epochs={"cgan": 10, "cdcgan": 9})
    assert text.startswith("**This run** (full run), mnist; Table 2 at epochs cGANs 10, cDCGANs 9.")
    assert "here cDCGANs (0.8924); the report: cDCGANs2 (1.0000) — not as in the report." in text
    assert "holds here for no model of 2." in text
    assert (
        "  - cGANs: 0.8493 / 0.9117 / 0.9160 (does not hold); holds under the readings "
        "`real_classifier`, `own_kind`" in text
    )
    # The report's own Table 2 is read too: its MNIST cGAN row has fake < mixed.
    assert "cGANs 0.9952 / 0.9961 / 0.8218 (does not hold)" in text
    assert "not measured here (FID and IS: for RGB datasets only)." in text
    assert (
        "cGANs 0.845 (below ganlib's bar of 0.95), cDCGANs 0.988 (reaches ganlib's bar of 0.95)."
        in text
    )
    # Other figures, another reading: nothing in it is fixed prose.
    results["cgan"] = protocol_result(0.97, 0.95, 0.9160)
    scores["cgan"] = protocol.GeneratorScores(label_accuracy=0.962)
    text = protocol.report_reading("mnist", results, scores, quick=True)
    assert "**QUICK MODE**" in text.splitlines()[0]
    assert "here cGANs (0.9700)" in text and "holds here for cGANs of 2." in text
    assert "cGANs 0.962 (reaches ganlib's bar of 0.95)" in text


def test_report_reading_compares_fid_and_is_where_measured(monkeypatch):
    monkeypatch.delenv("GANLIB_QUICK", raising=False)
    protocol = metrics.protocol
    results = {m: protocol_result(0.8, 0.75, 0.7, classifier="resnet18") for m in protocol.MODELS}
    scores = {
        "cgan": protocol.GeneratorScores(fid=120.5, inception_score=2.1),
        "cdcgan": protocol.GeneratorScores(fid=48.25, inception_score=4.4),
        "cdcgan2": protocol.GeneratorScores(fid=60.0, inception_score=3.0),
    }
    text = protocol.report_reading("cifar10", results, scores)
    assert (
        "here lowest FID cDCGANs (48.25), highest IS cDCGANs (4.40); the report: lowest FID cDCGANs, highest IS cDCGANs"
        in text
    )
    assert "Label accuracy" not in text  # none given: no line about it


def test_classifier_accuracy_curves_draw_fig_8(tmp_path):
    from matplotlib.ticker import MaxNLocator

    from ganlib import plotting

    results = {
        "cGANs": protocol_result(0.85, 0.91, 0.92, epochs=4),
        "cDCGANs": protocol_result(0.89, 0.92, 0.92, epochs=4),
    }
    path = tmp_path / "fig8.png"
    figure = plotting.classifier_accuracy_curves(results, title="Fig 8 — mnist", path=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [axis.get_title() for axis in figure.axes] == ["cGANs", "cDCGANs"]
    for axis, result in zip(figure.axes, results.values()):
        lines = {line.get_label(): line for line in axis.get_lines()}
        assert len(lines) == 6  # three training sets × (training, validation)
        for key in ("generated", "mixed", "real"):
            for kind, style in (("training", "-"), ("validation", "--")):
                line = lines[f"trained on {key} images: {kind}"]
                assert list(line.get_xdata()) == [1, 2, 3, 4]
                assert list(line.get_ydata()) == pytest.approx(result["history"][key][kind])
                assert line.get_linestyle() == style
        assert isinstance(axis.xaxis.get_major_locator(), MaxNLocator)
        figure.canvas.draw()
        assert all(float(t).is_integer() for t in axis.get_xticks())
    renderer = figure.canvas.get_renderer()
    (legend,) = figure.legends  # one legend for the figure, none over a panel's data
    assert all(axis.get_legend() is None for axis in figure.axes)
    boxes = [axis.get_window_extent(renderer) for axis in figure.axes]
    assert not any(legend.get_window_extent(renderer).overlaps(box) for box in boxes)
    title = figure.get_suptitle()
    assert title == "Fig 8 — mnist"
    top = figure._suptitle.get_window_extent(renderer)
    assert not any(top.overlaps(axis.title.get_window_extent(renderer)) for axis in figure.axes)
    with pytest.raises(ValueError, match=r"'old' has no per-epoch history of the classifiers"):
        plotting.classifier_accuracy_curves({"old": {"accuracy_real": 0.9}})


def test_loss_curves_title_sits_above_the_panels_titles():
    from ganlib import plotting

    history = {"epoch": [1, 2, 3], "d_loss": [1.0, 1.1, 1.2], "g_loss": [1.4, 1.3, 1.2]}
    history |= {"d_real": [0.6, 0.6, 0.6], "d_fake": [0.4, 0.4, 0.4]}
    figure = plotting.loss_curves(history, size=(9, 2.6), title="cGANs")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    top = figure._suptitle.get_window_extent(renderer)
    assert figure.get_suptitle() == "cGANs"
    assert not any(top.overlaps(axis.title.get_window_extent(renderer)) for axis in figure.axes)


def test_epoch_collage_title_sits_above_the_panels_titles(tmp_path):
    from ganlib import plotting
    from ganlib.images import write_png
    from ganlib.runs import Run

    run = Run(tmp_path)
    for epoch in (0, 1, 2):
        write_png(run.snapshot_path(epoch), np.full((8, 8, 1), 40 * epoch, np.uint8))
    figure = plotting.epoch_collage(tmp_path, [0, 1, 2], highlight=2, flagged=[1], title="U-Net")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    top = figure._suptitle.get_window_extent(renderer)
    assert figure.get_suptitle() == "U-Net"
    assert [a.get_title() for a in figure.axes] == [
        "epoch 0",
        "epoch 1 (flagged)",
        "epoch 2 (suggested)",
    ]
    assert not any(top.overlaps(axis.title.get_window_extent(renderer)) for axis in figure.axes)
    assert all(top.y0 >= axis.title.get_window_extent(renderer).y1 for axis in figure.axes)
    for epoch in (0, 1):  # a 1×4 strip, as the Vemuri smoke runs' snapshots
        write_png(run.snapshot_path(epoch), np.full((8, 32, 1), 40 * epoch, np.uint8))
    figure = plotting.epoch_collage(tmp_path, [0, 1], title="strip")
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    gap = figure._suptitle.get_window_extent(renderer).y0 - max(
        axis.title.get_window_extent(renderer).y1 for axis in figure.axes
    )
    assert 0 <= gap < 0.25 * figure.dpi  # under a quarter inch: the title sits on the panels


def test_loss_curves_legends_sit_beside_the_panels_not_over_the_curves():
    from ganlib import plotting

    # Curves that cross every corner of both panels: any legend inside would cover one of them.
    history = {
        "epoch": [1, 2, 3, 4],
        "d_loss": [0.1, 3.0, 0.1, 3.0],
        "g_loss": [3.0, 0.1, 3.0, 0.1],
    }
    history |= {"d_real": [0.0, 1.0, 0.0, 1.0], "d_fake": [1.0, 0.0, 1.0, 0.0]}
    figure = plotting.loss_curves(history)
    assert [len(axis.get_legend().get_texts()) for axis in figure.axes] == [2, 2]
    assert legends_clear_of_panels(figure)


def test_a_one_epoch_run_has_one_whole_epoch_tick():
    from ganlib import plotting

    history = {"epoch": [1], "d_loss": [1.0], "g_loss": [1.4], "d_real": [0.6], "d_fake": [0.4]}
    figure = plotting.loss_curves(history)
    figure.canvas.draw()
    for axis in figure.axes:
        low, high = axis.get_xlim()
        assert [t for t in axis.get_xticks() if low <= t <= high] == [1.0]


def test_generator_scores_label_accuracy_and_the_no_inception_fallback(tmp_path, monkeypatch):
    protocol = metrics.protocol
    digits, labels = data.load_arrays("mnist_sample", "test")
    by_class = {c: digits[labels == c].astype(np.float32) / 127.5 - 1 for c in range(10)}

    def faithful(asked):
        # A stand-in generator: a real test digit of each class asked for.
        return np.stack([by_class[c][i % len(by_class[c])] for i, c in enumerate(asked)])

    gray = protocol.generator_scores(faithful, "mnist", samples=200, quick=False)
    assert gray.label_accuracy > 0.9 and gray.fid is None and gray.inception_score is None
    assert gray.samples == 200 and "RGB datasets only" in gray.note

    pictures, picture_labels = data.load_arrays("cifar10_sample", "test")
    pictures = pictures[:64].astype(np.float32) / 127.5 - 1

    def rgb(asked):
        return pictures[np.arange(len(asked)) % len(pictures)]

    real_test = (pictures, picture_labels[:64])
    monkeypatch.setenv("GANLIB_INCEPTION_WEIGHTS", str(tmp_path / "missing.h5"))
    found = protocol.generator_scores(rgb, "cifar10", real_test, samples=40, quick=False)
    assert found.fid is None and found.inception_score is None
    assert found.note.startswith("FID and IS not computed: Inception-v3 weights are not available")
    assert 0.0 <= found.label_accuracy <= 1.0  # computed all the same
    monkeypatch.delenv("GANLIB_INCEPTION_WEIGHTS")
    quick = protocol.generator_scores(rgb, "cifar10", real_test, samples=40, quick=True)
    assert "not computed in quick mode" in quick.note and quick.fid is None
    with pytest.raises(ValueError, match="needs real_test=.*received None for 'cifar10'"):
        protocol.generator_scores(rgb, "cifar10", samples=40, quick=False)
    with pytest.raises(ValueError, match="needs classes= or real_test= for 'cifar100'"):
        protocol.generator_scores(rgb, "cifar100", samples=40)


def test_li_ye_presets_follow_the_parameters_and_quick_mode(monkeypatch):
    protocol = metrics.protocol
    monkeypatch.delenv("GANLIB_QUICK", raising=False)
    presets = protocol.presets("mnist", epochs={"cgan": 3}, seed=2)
    assert list(presets) == ["cgan", "cdcgan", "cdcgan2"]
    assert [p.epochs for p in presets.values()] == [3, 10, 10]  # the report's 10 for the others
    assert {p.seed for p in presets.values()} == {2} and presets["cdcgan2"].dataset == "mnist"
    monkeypatch.setenv("GANLIB_QUICK", "1")
    quick = protocol.presets("mnist", epochs=10)
    assert {p.epochs for p in quick.values()} == {protocol.QUICK_EPOCHS}
    assert {p.dataset for p in quick.values()} == {"mnist_sample"}
    with pytest.raises(ValueError, match=r"epochs names models \['dcgan'\]"):
        protocol.presets("mnist", epochs={"dcgan": 3})
    with pytest.raises(ValueError, match="dataset must be one of li_ye's"):
        protocol.presets("celeba")


def test_the_real_classifier_is_trained_once_and_shared(fashion, faithful):
    real_train, other_real, real_test = fashion
    rng = np.random.default_rng(0)
    mislabelled = (other_real[0], rng.permutation(other_real[1]))
    shared = metrics.classifier_protocol(
        real_train, real_test, mislabelled, epochs=3, reuse_real=faithful
    )
    alone = metrics.classifier_protocol(real_train, real_test, mislabelled, epochs=3)
    assert shared["real_model"] is faithful["real_model"]
    assert shared["history"]["real"] == alone["history"]["real"]
    for reading, accuracies in alone["readings"].items():
        assert shared["readings"][reading] == pytest.approx(accuracies), reading
    # Tested on this call's generated images, not on those of the run it was trained in.
    assert shared["readings"]["real_classifier"] != faithful["readings"]["real_classifier"]
    with pytest.raises(ValueError, match=r"reuse_real must come from .*'epochs': 3.*'epochs': 2"):
        metrics.classifier_protocol(
            real_train, real_test, other_real, epochs=2, reuse_real=faithful
        )


def test_the_rgb_classifier_is_torchvisions_resnet18_as_pre_trained_models_are_built():
    name, build = metrics.protocol._builder("auto", 3)
    model = build((32, 32, 3), 10)
    assert name == "resnet18" and metrics.protocol.RESNET_STEM == "imagenet"
    # ImageNet stem: 32×32 → 16×16 (7×7 stride 2) → 8×8 (max-pool) → 1×1 after stage 4.
    assert model.get_layer("stage4_block2_out").output.shape[1:] == (1, 1, 512)
