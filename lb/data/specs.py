"""What the rest of the code needs to know about each dataset: shape, classes, normalisation.

Normalisation constants (``mean``/``std`` per channel, for pixel values scaled to [0, 1]) are the
population mean and standard deviation over every pixel of the dataset's full *training* set:

- ``mnist`` (0.1307, 0.3081) and ``fashion_mnist`` (0.2860, 0.3530): computed from the 60,000
  training images (the values torchvision's examples use for MNIST);
  ``tests/data/test_data_specs.py`` recomputes both from the real files.
- ``cifar10`` (0.4914, 0.4822, 0.4465) / (0.2470, 0.2435, 0.2616) and ``cifar100``
  (0.5071, 0.4865, 0.4409) / (0.2673, 0.2564, 0.2762): the per-channel statistics of the
  50,000 training images of each set (Krizhevsky 2009 data). The std is the pixel-level std,
  not the often-copied (0.2023, 0.1994, 0.2010), which is a mean of per-image stds. The offline
  5,000-image CIFAR-10 subset agrees to about 0.002 (checked in the tests).
- ``digits`` (0.3062, 0.3761): computed over the fixed 75 % training split of scikit-learn's
  ``load_digits`` after scaling 0–16 to 0–255 (see :mod:`lb.data.digits`); recomputed in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from lb.errors import ConfigError


@dataclass(frozen=True)
class DatasetSpec:
    """Static facts about a dataset (no data): images are ``channels × image_size × image_size``."""

    name: str
    channels: int
    image_size: int
    num_classes: int
    mean: tuple[float, ...]
    std: tuple[float, ...]
    class_names: tuple[str, ...]


_CIFAR100_CLASSES = (
    "apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus "
    "butterfly camel can castle caterpillar cattle chair chimpanzee clock cloud cockroach couch "
    "crab crocodile cup dinosaur dolphin elephant flatfish forest fox girl hamster house kangaroo "
    "keyboard lamp lawn_mower leopard lion lizard lobster man maple_tree motorcycle mountain mouse "
    "mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree plain plate poppy "
    "porcupine possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper "
    "snail snake spider squirrel streetcar sunflower sweet_pepper table tank telephone television "
    "tiger tractor train trout tulip turtle wardrobe whale willow_tree wolf woman worm"
).split()

DATASETS: dict[str, DatasetSpec] = {
    "digits": DatasetSpec(
        name="digits",
        channels=1,
        image_size=8,
        num_classes=10,
        mean=(0.3062,),
        std=(0.3761,),
        class_names=tuple(str(d) for d in range(10)),
    ),
    "mnist": DatasetSpec(
        name="mnist",
        channels=1,
        image_size=28,
        num_classes=10,
        mean=(0.1307,),
        std=(0.3081,),
        class_names=tuple(str(d) for d in range(10)),
    ),
    "fashion_mnist": DatasetSpec(
        name="fashion_mnist",
        channels=1,
        image_size=28,
        num_classes=10,
        mean=(0.2860,),
        std=(0.3530,),
        class_names=(
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
        ),
    ),
    "cifar10": DatasetSpec(
        name="cifar10",
        channels=3,
        image_size=32,
        num_classes=10,
        mean=(0.4914, 0.4822, 0.4465),
        std=(0.2470, 0.2435, 0.2616),
        class_names=(
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
        ),
    ),
    "cifar100": DatasetSpec(
        name="cifar100",
        channels=3,
        image_size=32,
        num_classes=100,
        mean=(0.5071, 0.4865, 0.4409),
        std=(0.2673, 0.2564, 0.2762),
        class_names=tuple(_CIFAR100_CLASSES),
    ),
}


def get_spec(name: str) -> DatasetSpec:
    """The spec of dataset ``name``; a one-line :class:`ConfigError` for unknown names."""
    try:
        return DATASETS[name]
    except KeyError:
        raise ConfigError(
            f"dataset: unknown name {name!r}; choose one of {', '.join(sorted(DATASETS))}"
        ) from None
