"""Run enumeration of the paper's grid and the one function that names run directories."""

import copy
from pathlib import Path

import pytest

from lb.workflow.config import load_config
from lb.workflow.runs import (
    Run,
    aggregation_spec,
    checkpoint_name,
    enumerate_runs,
    run_dir,
    run_is_complete,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def paper_config(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    cfg = load_config({**_yaml(REPO / "config.yaml"), "data_root": str(data)})
    return cfg


def _yaml(path):
    import yaml

    return yaml.safe_load(Path(path).read_text())


def test_paper_grid_has_390_distinct_runs(paper_config):
    runs = enumerate_runs(paper_config)
    assert len(runs) == 390
    assert len({r.key for r in runs}) == 390
    assert len({r.dir for r in runs}) == 390
    per_dataset = {d: sum(r.dataset == d for r in runs) for d in ("fashion_mnist", "cifar10")}
    assert per_dataset == {"fashion_mnist": 130, "cifar10": 130}


def test_paper_grid_without_ablation_has_375_runs(paper_config):
    cfg = copy.deepcopy(paper_config)
    cfg["ablation"]["enabled"] = False
    runs = enumerate_runs(cfg)
    assert len(runs) == 375
    assert not any(r.method == "latent_boost_detached_var" for r in runs)


def test_paper_grid_cells_per_dataset(paper_config):
    runs = [r for r in enumerate_runs(paper_config) if r.dataset == "cifar100" and r.seed == 0]
    cells = {(r.method, r.lam_str) for r in runs}
    assert len(cells) == 26
    # Table 4 at cifar100's best lambda 0.5; the baseline only at 0
    assert ("latent_boost_no_pca", "0.5") in cells
    assert ("latent_boost_detached_var", "0.5") in cells
    assert {lam for m, lam in cells if m == "baseline"} == {"0"}
    assert {lam for m, lam in cells if m == "latent_boost"} == {
        "0.1",
        "0.2",
        "0.25",
        "0.3",
        "0.4",
        "0.5",
        "0.6",
        "0.7",
        "0.75",
        "0.8",
        "0.9",
    }
    assert {r.model for r in runs} == {"resnet50"}


def test_seeds_are_shared_across_lambda(paper_config):
    runs = enumerate_runs(paper_config)
    assert {r.seed for r in runs} == {0, 1, 2, 3, 4}
    by_cell = {}
    for r in runs:
        by_cell.setdefault((r.dataset, r.method, r.lam), set()).add(r.seed)
    assert all(seeds == {0, 1, 2, 3, 4} for seeds in by_cell.values())


def test_run_dir_and_checkpoint_names():
    run = Run("c10", "cifar10", "vgg16", "latent_boost", 0.75, 3)
    assert run_dir(run) == "runs/cifar10/latent_boost/lambda0.75/seed3"
    assert run.dir == run_dir(run)
    assert checkpoint_name(run) == "checkpoints/cifar10/latent_boost/lambda0.75/seed3.pt"
    assert run.key == ("cifar10", "latent_boost", "0.75", 3)
    base = Run("c10", "cifar10", "vgg16", "baseline", 0.0, 0)
    assert base.dir == "runs/cifar10/baseline/lambda0/seed0"


def test_aggregation_spec_cells(paper_config):
    spec = aggregation_spec(paper_config)
    assert spec["seeds"] == [0, 1, 2, 3, 4]
    assert len(spec["runs"]) == 390
    cells = {(c["table"], c["dataset"], c["method"], c["lam"]): c["run_lam"] for c in spec["cells"]}
    assert cells[("table4", "cifar100", "latent_boost", "best")] == "0.5"
    assert cells[("table4", "cifar10", "baseline", "best")] == "0"
    assert cells[("table5", "fashion_mnist", "magnet", "best")] == "0.75"
    assert cells[("ablation", "cifar10", "latent_boost_detached_var", "best")] == "0.75"
    assert cells[("table2", "cifar10", "baseline", "0")] == "0"
    # 13 table2 + 11 table3 + 4 table4 + 3 table5 + 1 ablation cells per dataset
    assert len(cells) == 3 * 32
    # plain data in a fixed order: the same config gives the same params
    assert aggregation_spec(copy.deepcopy(paper_config)) == spec


def test_run_is_complete(tmp_path):
    run = Run("d", "digits", "digits_cnn", "magnet", 0.5, 0)
    base = tmp_path / run.dir
    base.mkdir(parents=True)
    for name in ("metrics.json", "history.csv", "test_outputs.npz"):
        (base / name).write_text("x")
    assert not run_is_complete(tmp_path, run.dir)
    (base / "model.pt").write_text("x")
    assert run_is_complete(tmp_path, run.dir)
