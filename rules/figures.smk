# Figures of the report (docs/architecture.md): RESULTS/figures/{name}.png, each with the data it
# shows as {name}.csv. Each figure reads only the runs it shows (the Table 4 runs: baseline at
# lambda 0, every other method at the experiment's best_lambda), so it reruns only when they change.

from lb.figures.figure3 import FIGURE3_METHODS
from lb.figures.grad_norm import GRAD_METHODS
from lb.figures.learning_curves import CURVE_METHODS
from lb.workflow.runs import format_lam

FIGURES_DIR = f"{RESULTS}/figures"
# Dataset -> best lambda of its experiment (Table 4).
BEST_LAMBDA = {
    exp["dataset"]: float(exp["best_lambda"]) for exp in config["experiments"].values()
}
PCA_METHODS = ("latent_boost", "latent_boost_detached_var")


def best_lambda_runs(methods):
    """The runs of `methods` at the Table 4 lambda (the baseline at 0)."""
    return [
        run
        for run in RUNS
        if run.method in methods
        and run.lam_str
        == format_lam(0.0 if run.method == "baseline" else BEST_LAMBDA[run.dataset])
    ]


def figure_runs(methods):
    """The figure script's view of those runs (plain dicts with run_dir)."""
    return [run.as_dict() for run in best_lambda_runs(methods)]


def figure_run_paths(methods, name):
    return [run_path(run, name) for run in best_lambda_runs(methods)]


rule figure3:
    input:
        metrics=figure_run_paths(FIGURE3_METHODS, "metrics.json"),
        test_outputs=figure_run_paths(FIGURE3_METHODS, "test_outputs.npz"),
    output:
        png=report(
            f"{FIGURES_DIR}/figure3.png",
            caption="../report/captions/figure3.rst",
            category="Figures",
        ),
        csv=f"{FIGURES_DIR}/figure3.csv",
    log:
        f"{RESULTS}/logs/figures/figure3.log",
    conda:
        "../envs/analysis.yaml"
    threads: 2
    resources:
        runtime=120,
        mem_mb=8000,
    params:
        runs=figure_runs(FIGURE3_METHODS),
        results=RESULTS,
    script:
        "../workflow_scripts/figures_figure3.py"


rule figure_pca_dims:
    input:
        metrics=figure_run_paths(PCA_METHODS, "metrics.json"),
        histories=figure_run_paths(PCA_METHODS, "history.csv"),
    output:
        png=report(
            f"{FIGURES_DIR}/pca_dims.png",
            caption="../report/captions/pca_dims.rst",
            category="Figures",
        ),
        csv=report(
            f"{FIGURES_DIR}/pca_dims.csv",
            caption="../report/captions/pca_dims_data.rst",
            category="Figure data",
        ),
    log:
        f"{RESULTS}/logs/figures/pca_dims.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        runs=figure_runs(PCA_METHODS),
        results=RESULTS,
    script:
        "../workflow_scripts/figures_pca_dims.py"


rule figure_learning_curves:
    input:
        metrics=figure_run_paths(CURVE_METHODS, "metrics.json"),
        histories=figure_run_paths(CURVE_METHODS, "history.csv"),
    output:
        png=report(
            f"{FIGURES_DIR}/learning_curves.png",
            caption="../report/captions/learning_curves.rst",
            category="Figures",
        ),
        csv=f"{FIGURES_DIR}/learning_curves.csv",
    log:
        f"{RESULTS}/logs/figures/learning_curves.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        runs=figure_runs(CURVE_METHODS),
        results=RESULTS,
    script:
        "../workflow_scripts/figures_learning_curves.py"


rule figure_lambda_sweep:
    input:
        summary=TABLES["summary"],
    output:
        png=report(
            f"{FIGURES_DIR}/lambda_sweep.png",
            caption="../report/captions/lambda_sweep.rst",
            category="Figures",
        ),
        csv=f"{FIGURES_DIR}/lambda_sweep.csv",
    log:
        f"{RESULTS}/logs/figures/lambda_sweep.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    script:
        "../workflow_scripts/figures_lambda_sweep.py"


rule figure_grad_norm:
    input:
        metrics=figure_run_paths(GRAD_METHODS, "metrics.json"),
        histories=figure_run_paths(GRAD_METHODS, "history.csv"),
    output:
        png=report(
            f"{FIGURES_DIR}/grad_norm.png",
            caption="../report/captions/grad_norm.rst",
            category="Beyond the paper",
        ),
        csv=report(
            f"{FIGURES_DIR}/grad_norm.csv",
            caption="../report/captions/grad_norm_data.rst",
            category="Beyond the paper",
        ),
    log:
        f"{RESULTS}/logs/figures/grad_norm.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        runs=figure_runs(GRAD_METHODS),
        results=RESULTS,
    script:
        "../workflow_scripts/figures_grad_norm.py"
