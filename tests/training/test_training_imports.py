"""A training job imports only what it uses: torchvision only to decode or download a dataset
or to build VGG-16 / ResNet-50, pytorch-metric-learning only for the contrastive, triplet and
N-pair losses (docs/performance.md: together ~2 s of every job's start).

Each check runs in a fresh interpreter and reads its ``sys.modules``; the positive controls
(a triplet run, building VGG-16 / ResNet-50) show that the check sees the imports when they
happen.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_ROOT = Path(os.environ.get("LB_TEST_DATA_ROOT", REPO.parent / "shared" / "data"))
HEAVY = ("torchvision", "pytorch_metric_learning")
HAS_FASHION = (DATA_ROOT / "FashionMNIST" / "raw" / "train-images-idx3-ubyte.gz").is_file()


def _loaded_after(code: str) -> dict[str, bool]:
    """Run ``code`` in a fresh interpreter; which of :data:`HEAVY` it imported."""
    probe = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps({{name: name in sys.modules for name in {HEAVY!r}}}))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("LB_INJECT_NONFINITE", None)
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_training_code_imports_neither():
    loaded = _loaded_after(
        """
        import lb.data, lb.losses, lb.models, lb.training, lb.training.__main__
        from lb.training import train_run
        from lb.losses import build_distance_loss
        from lb.models import build_model
        build_model("fashion_cnn", "fashion_mnist")
        for method in ("baseline", "magnet", "latent_boost"):
            build_distance_loss(method)
        """
    )
    assert loaded == {"torchvision": False, "pytorch_metric_learning": False}


def test_the_library_losses_and_the_cifar_models_import_what_they_need():
    assert _loaded_after("from lb.losses import build_distance_loss; build_distance_loss('npair')")[
        "pytorch_metric_learning"
    ]
    assert _loaded_after("from lb.models import build_model; build_model('vgg16', 'cifar10')")[
        "torchvision"
    ]
    assert _loaded_after("from lb.models import build_model; build_model('resnet50', 'cifar100')")[
        "torchvision"
    ]


@pytest.mark.skipif(not HAS_FASHION, reason=f"no offline Fashion-MNIST in {DATA_ROOT}")
def test_a_fashion_cnn_baseline_run_imports_neither(tmp_path):
    from lb.data import load_dataset

    cache = tmp_path / "cache"
    load_dataset("fashion_mnist", root=DATA_ROOT, cache_dir=cache)  # decodes: torchvision, here
    settings = dict(
        dataset="fashion_mnist", model="fashion_cnn", lam=0.0, seed=0, batch_size=64,
        max_epochs=1, warmup_epochs=0, data_root=str(DATA_ROOT), cache_dir=str(cache),
        train_limit=300, test_limit=100, num_threads=1,
    )  # fmt: skip

    def run(method: str, lam: float) -> dict[str, bool]:
        cfg = {**settings, "method": method, "lam": lam}
        out = tmp_path / method
        return _loaded_after(
            f"""
            from lb.training import RunConfig, train_run
            metrics = train_run(RunConfig(**{cfg!r}), {str(out)!r}, {str(out) + ".ckpt.pt"!r})
            assert metrics["epochs"] == 1
            """
        )

    assert run("baseline", 0.0) == {"torchvision": False, "pytorch_metric_learning": False}
    assert run("triplet", 0.5) == {"torchvision": False, "pytorch_metric_learning": True}
