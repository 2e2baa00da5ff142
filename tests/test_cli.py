from ganlib.__main__ import main


def test_cli_trains_and_prints_the_run_directory(tmp_path, capsys):
    run_dir = tmp_path / "cli_run"
    code = main(
        [
            "train",
            "sharma_fashion_mnist",
            "--dataset",
            "fashion_mnist_sample",
            "--images",
            "64",
            "--epochs",
            "1",
            "--run-dir",
            str(run_dir),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert str(run_dir.resolve()) in out
    assert "epoch_000.png" in out and "epoch_001.png" in out
    assert (run_dir / "checkpoints" / "generator_epoch_001.weights.h5").is_file()


def test_cli_unknown_preset(capsys):
    assert main(["train", "no_such_preset"]) == 2
    assert "Unknown preset 'no_such_preset'" in capsys.readouterr().err


def test_cli_list(capsys):
    assert main(["list"]) == 0
    assert "sharma_fashion_mnist" in capsys.readouterr().out
