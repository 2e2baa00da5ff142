"""A notebook run as in Colab: a stand-in `google.colab` module, Drive mounted in a temporary folder."""

import json
import os
from pathlib import Path

import papermill

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# Loaded at the kernel's start, as Colab's own module is: `"google.colab" in sys.modules` holds.
SITECUSTOMIZE = "import google.colab\n"
DRIVE = '''import os


def mount(mountpoint, **kwargs):
    """Colab's drive.mount, standing in: MyDrive is a folder under the mount point."""
    os.makedirs(os.path.join(mountpoint, "MyDrive"), exist_ok=True)
'''


def test_a_notebook_in_a_stand_in_colab_checks_the_runtime_and_trains_on_drive(tmp_path):
    stub = tmp_path / "stub"
    (stub / "google" / "colab").mkdir(parents=True)
    (stub / "google" / "colab" / "__init__.py").write_text("")
    (stub / "google" / "colab" / "drive.py").write_text(DRIVE)
    (stub / "sitecustomize.py").write_text(SITECUSTOMIZE)
    drive = tmp_path / "drive"
    environment = {
        "PYTHONPATH": os.pathsep.join([str(stub), os.environ.get("PYTHONPATH", "")]),
        "GANLIB_COLAB_DRIVE": str(drive),
        "GANLIB_QUICK": "1",
    }
    saved = {k: os.environ.get(k) for k in environment}
    os.environ.update(environment)
    try:
        executed = papermill.execute_notebook(
            str(NOTEBOOKS / "sharma_fashion_mnist.ipynb"),
            str(tmp_path / "out.ipynb"),
            cwd=str(NOTEBOOKS),
            kernel_name="python3",
            progress_bar=False,
        )
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    text = json.dumps(executed["cells"])
    assert "no GPU" in text  # the runtime check ran, and said what this machine is
    run_dir = drive / "MyDrive" / "ganlib-runs" / "sharma_fashion_mnist_quick"
    assert (run_dir / "config.json").is_file()  # trained on Drive, not on the session's disk
    assert (run_dir / "epochs.html").is_file() and (run_dir / "training.gif").is_file()
    assert str(run_dir) in text
