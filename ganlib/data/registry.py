"""What ganlib knows of each dataset: its image shape, classes, licence and where it comes from.

Two kinds: array datasets (`DATASETS`, stored as `<name>.npz` in Keras' layout, or fetched by
Keras or TFDS) and hand-downloaded folders of image files (`MANUAL_DATASETS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SPLITS = ("train", "test")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
RESIZE_METHODS = ("bilinear", "skimage")
# The servers Keras' and TFDS's downloaders fetch these sets from.
KERAS_HOST = "storage.googleapis.com"
CIFAR_HOST = "www.cs.toronto.edu"


@dataclass(frozen=True)
class DatasetInfo:
    """An array dataset: its image shape, classes and where it comes from.

    Args:
        image_shape: (height, width, channels).
        classes: number of classes.
        source: name, licence and origin in one line.
        keras_name: the `keras.datasets` module that downloads it, if any.
        tfds_name: the TFDS builder that downloads it, if any.
        npz_names: other file stems tried after `<name>.npz` (e.g. a verified partial copy).
        full: the full dataset a committed sample is drawn from (None for a full dataset).
        download_host: the server a download reaches, probed first so that an offline machine
            fails in seconds rather than hanging.
    """

    image_shape: tuple[int, int, int]
    classes: int
    source: str
    keras_name: str | None = None
    tfds_name: str | None = None
    npz_names: tuple[str, ...] = ()
    full: str | None = None
    download_host: str | None = None

    @property
    def downloadable(self) -> bool:
        return self.keras_name is not None or self.tfds_name is not None


DATASETS: dict[str, DatasetInfo] = {
    "mnist": DatasetInfo(
        (28, 28, 1),
        10,
        "MNIST (LeCun & Cortes), CC BY-SA 3.0",
        keras_name="mnist",
        download_host=KERAS_HOST,
    ),
    "fashion_mnist": DatasetInfo(
        (28, 28, 1),
        10,
        "Fashion-MNIST (Zalando SE), MIT",
        keras_name="fashion_mnist",
        download_host=KERAS_HOST,
    ),
    "cifar10": DatasetInfo(
        (32, 32, 3),
        10,
        "CIFAR-10 (Krizhevsky, 2009); cifar10_partial.npz is a verified partial copy "
        "(4,660 train, 932 test images), else the full set through TFDS",
        tfds_name="cifar10",
        npz_names=("cifar10_partial",),
        download_host=CIFAR_HOST,
    ),
    "cifar100": DatasetInfo(
        (32, 32, 3),
        100,
        "CIFAR-100 (Krizhevsky, 2009), through TFDS",
        tfds_name="cifar100",
        download_host=CIFAR_HOST,
    ),
    "mnist_sample": DatasetInfo(
        (28, 28, 1),
        10,
        "the first 3,000 train and 500 test images of MNIST, committed in data/ (CC BY-SA 3.0)",
        full="mnist",
    ),
    "fashion_mnist_sample": DatasetInfo(
        (28, 28, 1),
        10,
        "the first 3,000 train and 500 test images of Fashion-MNIST, committed in data/ (MIT)",
        full="fashion_mnist",
    ),
    "cifar10_sample": DatasetInfo(
        (32, 32, 3),
        10,
        "1,000 train (200 from each training batch) and the first 300 test images of CIFAR-10, "
        "committed in data/",
        full="cifar10",
    ),
}

# The committed sample of each full dataset (what quick mode and `--dataset` offer offline).
SAMPLES = {info.full: name for name, info in DATASETS.items() if info.full}

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

CIFAR10_CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)


def dataset_info(name: str) -> DatasetInfo:
    """The `DatasetInfo` of an array dataset; ValueError naming the known ones otherwise."""
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; expected one of {sorted(DATASETS)}.")
    return DATASETS[name]


def check_split(name: str, split: str) -> None:
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r} for dataset {name!r}; expected one of {SPLITS}.")


@dataclass(frozen=True)
class ManualDataset:
    """A dataset users download themselves: what it is, where to get it, how to lay it out.

    Args:
        description: name, size and licence in one line.
        download: where users download it.
        layout: the folder layout `load` expects below `<root>/<name>/`.
        image_size: (height, width) the experiments use.
        classes: number of classes (1 for a plain folder of images).
        channels: 3 for RGB, 1 for grayscale.
        center_crop: crop the central region of the target's aspect ratio before resizing.
        resize: "bilinear" (TensorFlow, antialiased) or "skimage" (`skimage.transform.resize`).
        split_folders: per split, the subfolders tried in order; when none exists the whole folder
            is the train split.
        tfds_name: a TFDS builder that downloads the same images, used when no folder is found.
        download_host: the server the TFDS builder fetches from (probed first).
        kaggle: the Kaggle dataset slug (`owner/name`) holding the images, if there is one;
            `how_to_get` gives its download command.
    """

    description: str
    download: str
    layout: str
    image_size: tuple[int, int]
    classes: int
    channels: int = 3
    center_crop: bool = True
    resize: str = "bilinear"
    split_folders: dict = field(
        default_factory=lambda: {"train": ("train",), "test": ("test", "val")}
    )
    tfds_name: str | None = None
    download_host: str | None = None
    kaggle: str | None = None


MANUAL_DATASETS: dict[str, ManualDataset] = {
    "afhq": ManualDataset(
        description="Animal Faces-HQ (Choi et al., StarGAN v2): 16,130 512x512 faces of cats, dogs "
        "and wild animals, CC BY-NC 4.0",
        download="https://github.com/clovaai/stargan-v2 (bash download.sh afhq-dataset) or "
        "Kaggle 'andrewmvd/animal-faces'",
        layout="afhq/train/{cat,dog,wild}/*.jpg (and afhq/val/... for the test split)",
        image_size=(64, 64),
        classes=3,
        kaggle="andrewmvd/animal-faces",
    ),
    "celeba": ManualDataset(
        description="CelebA aligned and cropped faces (Liu et al.): 202,599 178x218 JPEGs, "
        "non-commercial research use only",
        download="https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html (img_align_celeba.zip) or "
        "Kaggle 'jessicali9530/celeba-dataset'",
        layout="celeba/img_align_celeba/*.jpg (one class; any one folder of images works)",
        image_size=(64, 64),
        classes=1,
        kaggle="jessicali9530/celeba-dataset",
    ),
    "intel_scenes": ManualDataset(
        description="Intel Image Classification (Natural Scenes): about 25,000 150x150 images of 6 "
        "classes (buildings, forest, glacier, mountain, sea, street)",
        download="Kaggle 'puneet6060/intel-image-classification'",
        layout="intel_scenes/seg_train/seg_train/<class>/*.jpg and "
        "intel_scenes/seg_test/seg_test/<class>/*.jpg, as unzipped (or train/<class>/, test/<class>/)",
        image_size=(64, 64),
        classes=6,
        split_folders={
            "train": ("train", "seg_train/seg_train", "seg_train"),
            "test": ("test", "seg_test/seg_test", "seg_test"),
        },
        kaggle="puneet6060/intel-image-classification",
    ),
    "pretty_face": ManualDataset(
        description="Pretty Face (K. Mu, Kaggle 2021): 3,318 512x512 faces generated by a StyleGAN2 "
        "trained on Chinese celebrities",
        download="Kaggle 'yewtsing/pretty-face' (https://www.kaggle.com/yewtsing/pretty-face)",
        layout="pretty_face/**/*.jpg|png: the unzipped archive, images at any depth",
        image_size=(64, 64),
        classes=1,
        # Sharma section 4.4: the whole image resized with skimage.transform.resize.
        center_crop=False,
        resize="skimage",
        kaggle="yewtsing/pretty-face",
    ),
    "cat": ManualDataset(
        description="CAT dataset (Zhang, Sun & Tang 2008; Kaggle upload by C. Crawford): about "
        "10,000 cat photos of varied sizes",
        download="Kaggle 'crawford/cat-dataset' (https://www.kaggle.com/crawford/cat-dataset)",
        layout="cat/CAT_00/*.jpg ... cat/CAT_06/*.jpg, as unzipped (the .cat annotation files "
        "are ignored)",
        image_size=(128, 128),
        classes=1,
        kaggle="crawford/cat-dataset",
    ),
    "ffhq": ManualDataset(
        description="Flickr-Faces-HQ (Karras et al., NVIDIA): 70,000 aligned faces, 1024x1024 "
        "PNGs or 128x128 thumbnails, CC BY-NC-SA 4.0",
        download="https://github.com/NVlabs/ffhq-dataset (python download_ffhq.py --thumbs gives "
        "the 128x128 thumbnails) or Kaggle 'arnaud58/flickrfaceshq-dataset-ffhq'",
        layout="ffhq/thumbnails128x128/00000/*.png ... (or any folder of face images below ffhq/)",
        image_size=(128, 128),
        classes=1,
        kaggle="arnaud58/flickrfaceshq-dataset-ffhq",
    ),
    "oxford_flowers102": ManualDataset(
        description="Oxford 102 Flowers (Nilsback & Zisserman 2008): 8,189 flower photos of 102 "
        "categories",
        download="TFDS 'oxford_flowers102' (fetched on first use), or "
        "https://www.robots.ox.ac.uk/~vgg/data/flowers/102/102flowers.tgz unpacked by hand",
        layout="oxford_flowers102/jpg/image_00001.jpg ..., as 102flowers.tgz unpacks",
        image_size=(128, 128),
        classes=1,
        tfds_name="oxford_flowers102",
        download_host="www.robots.ox.ac.uk",
    ),
}


# CelebA's TFDS builder fetches from Google Drive, whose per-file download quota it often hits.
CELEBA_TFDS = "celeb_a"
CELEBA_TFDS_FILES = (
    "img_align_celeba.zip",
    "list_eval_partition.txt",
    "list_attr_celeba.txt",
    "list_landmarks_align_celeba.txt",
    "identity_CelebA.txt",
)


def _where(name: str) -> str:
    return f"`$GANLIB_DATA_DIR/{name}/` (or the repository's `data/{name}/`)"


def how_to_get(name: str) -> str:
    """How to put a dataset on this machine, as Markdown: commands and the folder layout.

    For a hand-downloaded set (`MANUAL_DATASETS`): the Kaggle API command when the set is on
    Kaggle, the page to download it from, the layout ganlib expects below `$GANLIB_DATA_DIR` or
    the repository's `data/`, and the TFDS route when a TFDS builder serves it (for CelebA, the
    way round TFDS's Google Drive quota failure). For an array dataset (`DATASETS`): how it is
    downloaded on first use, or where to put its `.npz`.

    Args:
        name: a key of `MANUAL_DATASETS` or `DATASETS`.

    Returns:
        The Markdown text (display it with `IPython.display.Markdown`, or print it).

    Raises:
        ValueError: for an unknown name, listing the known ones.

    Example:
        >>> print(ganlib.data.how_to_get("cat"))
    """
    if name in MANUAL_DATASETS:
        return _manual_instructions(name, MANUAL_DATASETS[name])
    if name in DATASETS:
        return _array_instructions(name, DATASETS[name])
    raise ValueError(
        f"Unknown dataset {name!r}; expected one of the hand-downloaded sets "
        f"{sorted(MANUAL_DATASETS)} or the array datasets {sorted(DATASETS)}."
    )


def _manual_instructions(name: str, manual: ManualDataset) -> str:
    lines = [f"### {name}", "", manual.description + ".", ""]
    if manual.kaggle:
        lines += [
            "**Kaggle** (`pip install kaggle`, and an API token in `~/.kaggle/kaggle.json` or "
            "`KAGGLE_USERNAME`/`KAGGLE_KEY`; accept the dataset's terms on its page first):",
            "",
            "```bash",
            f'kaggle datasets download -d {manual.kaggle} -p "$GANLIB_DATA_DIR/{name}" --unzip',
            "```",
            "",
            f"(dataset page: https://www.kaggle.com/datasets/{manual.kaggle}).",
            "",
        ]
    lines += [
        f"**By hand**: {manual.download}.",
        "",
        f"**Layout** ganlib expects, below `$GANLIB_DATA_DIR` (or the repository's `data/`): "
        f"`{manual.layout}`. When an archive unpacked into one more folder (such as "
        f"`{name}/{name}/...`), move that folder's contents up one level. Without "
        "`$GANLIB_DATA_DIR`, use `data/` in place of it, or pass `folder=` to "
        "`ganlib.data.load`.",
    ]
    if manual.tfds_name:
        lines += [
            "",
            f"**TFDS**: without a folder, ganlib loads the TFDS builder `{manual.tfds_name}`, "
            "which downloads the images on first use into `$TFDS_DATA_DIR` (default "
            "`~/tensorflow_datasets`); nothing to do by hand.",
        ]
    if name == "celeba":
        files = ", ".join(f"`{f}`" for f in CELEBA_TFDS_FILES)
        lines += [
            "",
            f"**TFDS** (`{CELEBA_TFDS}`): its builder downloads from Google Drive, and often fails "
            "with a download-quota error (Drive refuses a file after too many downloads a day; "
            "TFDS reports a checksum or 'Too many users have viewed or downloaded this file' "
            "error). ganlib reads the folder layout above, not TFDS, so the Kaggle or hand "
            "download is the dependable route. To build the TFDS dataset anyway, download its "
            f"files by hand ({files}, from the CelebA page's Google Drive folder) into TFDS's "
            "manual folder, `~/tensorflow_datasets/downloads/manual/` (or "
            "`$TFDS_DATA_DIR/downloads/manual/`), and run "
            f"`tfds build {CELEBA_TFDS}` (or `tfds.load('{CELEBA_TFDS}')`): files found there "
            "are used instead of downloading them.",
        ]
    lines += ["", f"Check: `ganlib.data.available_locally({name!r})` is True once it is in place."]
    return "\n".join(lines)


def _array_instructions(name: str, info: DatasetInfo) -> str:
    lines = [f"### {name}", "", info.source + ".", ""]
    if info.full:
        lines.append(
            f"Committed in the repository's `data/{name}.npz`: nothing to download "
            f"(the full set is `{info.full}`)."
        )
    elif info.keras_name:
        lines.append(
            f"Downloaded on first use by `keras.datasets.{info.keras_name}` and kept in ganlib's "
            f"cache as `{name}.npz`; offline, put `{name}.npz` (Keras' layout: x_train, y_train, "
            "x_test, y_test) in `$GANLIB_DATA_DIR` or the repository's `data/`."
        )
    elif info.tfds_name:
        lines.append(
            f"Downloaded on first use by the TFDS builder `{info.tfds_name}` into "
            f"`$TFDS_DATA_DIR` (default `~/tensorflow_datasets`); offline, put `{name}.npz` "
            "(Keras' layout: x_train, y_train, x_test, y_test) in `$GANLIB_DATA_DIR` or the "
            "repository's `data/`."
        )
    return "\n".join(lines)
