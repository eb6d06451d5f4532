"""Reliability: files that are read are data, never code.

A pickle can call any Python function while it is read. Each case plants a file whose reading
would create a marker directory (``os.mkdir``) if it were unpickled freely, reads it the way the
pipeline does, and checks for a one-line error and no marker:

- a CIFAR batch file in the data root (CIFAR's format is a pickle: lb.data.cifar reads it with a
  restricted unpickler before torchvision's reader sees it);
- a training checkpoint (``torch.load(weights_only=True)``);
- YAML tags that construct Python objects, in the default config file and in ``--config``.

Not held (docs/reliability.md): Snakemake itself renders a ``--configfile`` with YTE, which runs
the file's Python expressions when it says ``__use_yte__: true``, before the Snakefile can check
anything. The strict xfail below records that and fails once it no longer happens.
"""

import os
import pickle

import pytest
import torch
from helpers import REPO, output_text, snakemake

from lb.data import load_dataset
from lb.errors import ConfigError, DataError, LBError
from lb.training import train_run
from lb.workflow.config import read_yaml, workflow_config

SHARED_CIFAR = REPO.parent / "shared" / "data" / "cifar-10-batches-py"


class MakesADirectory:
    """Unpickling this calls os.mkdir(path)."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


@pytest.mark.skipif(not SHARED_CIFAR.is_dir(), reason="needs the offline CIFAR-10 subset")
def test_a_malicious_cifar_batch_is_refused_not_run(tmp_path):
    folder = tmp_path / "root" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for name in ("data_batch_1", "batches.meta"):
        (folder / name).symlink_to(SHARED_CIFAR / name)
    marker = tmp_path / "code-ran"
    payload = {"data": MakesADirectory(marker), "labels": [0]}
    (folder / "test_batch").write_bytes(pickle.dumps(payload, protocol=2))
    with pytest.raises(DataError) as info:
        load_dataset("cifar10", root=tmp_path / "root", cache_dir=tmp_path / "cache")
    message = str(info.value)
    assert "\n" not in message and str(folder / "test_batch") in message
    assert "mkdir" in message and "set `download: true`" in message
    assert not marker.exists()


def test_the_real_cifar_subset_still_loads(tmp_path):
    if not SHARED_CIFAR.is_dir():
        pytest.skip("needs the offline CIFAR-10 subset")
    data = load_dataset("cifar10", root=SHARED_CIFAR.parent, cache_dir=tmp_path / "cache")
    assert (data.num_train, data.num_test) == (5000, 1000)
    assert data.train_y[:4].tolist() == [6, 9, 9, 4]


def test_a_checkpoint_holding_code_is_refused_not_run(tmp_path):
    marker = tmp_path / "code-ran"
    checkpoint = tmp_path / "checkpoints" / "seed0.pt"
    checkpoint.parent.mkdir()
    torch.save({"format": 1, "model": MakesADirectory(marker)}, checkpoint)
    cfg = {
        "dataset": "digits",
        "model": "digits_cnn",
        "method": "baseline",
        "lam": 0.0,
        "seed": 0,
        "batch_size": 64,
        "lr": 0.002,
        "max_epochs": 1,
        "warmup_epochs": 0,
        "val_fraction": 0.2,
        "train_limit": 200,
        "test_limit": 100,
        "device": "cpu",
    }
    with pytest.raises(LBError) as info:
        train_run(cfg, tmp_path / "run", checkpoint, log=lambda _line: None)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"cannot read checkpoint {checkpoint}") and "delete it" in message
    assert not marker.exists()
    assert not (tmp_path / "run").exists() or not any((tmp_path / "run").iterdir())


def test_yaml_python_tags_in_the_default_config_are_refused(tmp_path):
    marker = tmp_path / "code-ran"
    path = tmp_path / "config.yaml"
    path.write_text(f"results_dir: !!python/object/apply:os.mkdir ['{marker}']\n")
    with pytest.raises(ConfigError) as info:
        read_yaml(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert not marker.exists()


def test_yaml_python_tags_in_config_arguments_are_refused(tmp_path):
    marker = tmp_path / "code-ran"
    default = REPO / "configs" / "test.yaml"
    with pytest.raises(ConfigError):
        workflow_config(
            {},
            None,
            [f"results_dir=!!python/object/apply:os.mkdir ['{marker}']"],
            default_path=default,
        )
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="Snakemake renders --configfile with YTE: `__use_yte__: true` runs Python before the "
    "Snakefile starts (docs/reliability.md, item 8)",
)
def test_a_configfile_cannot_run_code(tmp_path, workflow_copy):
    workdir = workflow_copy
    marker = tmp_path / "code-ran"
    config = (REPO / "configs" / "test.yaml").read_text()
    config += f"__use_yte__: true\n?__import__('os').mkdir('{marker}'): 1\n"
    (workdir / "yte.yaml").write_text(config)
    proc = snakemake(workdir, "-n", "--cores", "1", "--configfile", "yte.yaml")
    assert not marker.exists(), output_text(proc)[-2000:]
