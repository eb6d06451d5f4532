"""Reliability through Snakemake: a missing, truncated or corrupt dataset file gives one clear
error naming the file and the remedy.

Each case is the tiny config (configs/test.yaml) with its experiment switched to a dataset read
from files (one baseline run, one seed), a data root holding a damaged copy of the offline data,
and `snakemake` asked for that run's metrics.json. The config check passes (the data root is a
readable directory); the training job fails while loading the data, with ONE `DataError:` line
(on Snakemake's output and in the job's log) that names the damaged file and says what to do,
no Python traceback and no output file. Cases: a Fashion-MNIST `.gz` file missing, a decompressed
Fashion-MNIST IDX file truncated (an interrupted copy), a CIFAR-10 batch file that is not a
pickle at all.
"""

import gzip
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from helpers import REPO, TRAIN_OUTPUTS, copy_workflow, output_text, snakemake

pytestmark = pytest.mark.slow

SHARED = REPO.parent / "shared" / "data"
FASHION_RAW = SHARED / "FashionMNIST" / "raw"
CIFAR = SHARED / "cifar-10-batches-py"
IDX = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte")
IDX += ("t10k-labels-idx1-ubyte",)
EXPERIMENTS = {
    "fashion_mnist": {"dataset": "fashion_mnist", "model": "fashion_cnn", "best_lambda": 0.5},
    "cifar10": {"dataset": "cifar10", "model": "vgg16", "best_lambda": 0.5},
}

if not (FASHION_RAW.is_dir() and CIFAR.is_dir()):
    pytest.skip("needs the offline data in ../shared/data", allow_module_level=True)


def missing_gz(root):
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in IDX[:3]:
        (raw / f"{name}.gz").symlink_to(FASHION_RAW / f"{name}.gz")
    return raw / IDX[3], "fashion_mnist"


def truncated_idx(root):
    raw = root / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in IDX:
        with gzip.open(FASHION_RAW / f"{name}.gz", "rb") as src, open(raw / name, "wb") as dst:
            if name == IDX[0]:
                dst.write(src.read(1_000_000))  # a copy that stopped after 1 MB
            else:
                shutil.copyfileobj(src, dst)
    return raw / IDX[0], "fashion_mnist"


def corrupt_cifar(root):
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for name in ("test_batch", "batches.meta"):
        (folder / name).symlink_to(CIFAR / name)
    (folder / "data_batch_1").write_bytes(b"<html>404 Not Found</html>\n" * 100)
    return folder / "data_batch_1", "cifar10"


CASES = {
    "missing": (missing_gz, "missing", "set `download: true`"),
    "truncated": (truncated_idx, "is truncated", "delete it and set `download: true`"),
    "corrupt": (corrupt_cifar, "is truncated or corrupt", "delete it and set `download: true`"),
}


def run_case(root, name):
    make, _, _ = CASES[name]
    damaged, dataset = make(root / "data")
    workdir = copy_workflow(root / "workflow")
    config = yaml.safe_load((REPO / "configs" / "test.yaml").read_text())
    config.update(
        seeds=[0],
        data_root=str(root / "data"),
        cache_dir=str(root / "cache"),
        experiments={dataset: EXPERIMENTS[dataset]},
        tables={"table2": {"baseline": [0]}, "table4": ["baseline"], "table5": ["baseline"]},
        ablation={"enabled": False},
    )
    (workdir / "damaged.yaml").write_text(yaml.safe_dump(config))
    run = workdir / "results/runs" / dataset / "baseline/lambda0/seed0"
    target = str((run / "metrics.json").relative_to(workdir))  # the training job only
    proc = snakemake(workdir, target, "--cores", "1", "--configfile", "damaged.yaml")
    log = workdir / "results/logs/train" / dataset / "baseline/lambda0/seed0.log"
    return {
        "proc": proc,
        "damaged": damaged,
        "outputs": sorted(p.name for p in run.iterdir()) if run.is_dir() else [],
        "log": log.read_text() if log.is_file() else "",
    }


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    roots = {name: tmp_path_factory.mktemp(name) for name in CASES}
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_case, roots[name], name) for name in CASES}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_damaged_data_gives_one_line_naming_file_and_remedy(outcomes, name):
    outcome = outcomes[name]
    _, problem, remedy = CASES[name]
    out = output_text(outcome["proc"])
    assert outcome["proc"].returncode != 0
    assert "Traceback" not in out, out[-3000:]
    assert "ConfigError" not in out  # the config was fine: the job met the data
    lines = [line for line in out.splitlines() if "DataError:" in line]
    assert len(lines) == 1, out[-3000:]
    line = lines[0].strip()
    assert line.startswith("DataError: ") and str(outcome["damaged"]) in line, line
    assert problem in line and remedy in line, line
    assert line in outcome["log"]
    assert not set(outcome["outputs"]) & set(TRAIN_OUTPUTS)
