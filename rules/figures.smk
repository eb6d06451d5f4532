# Figures of the report (docs/architecture.md): RESULTS/figures/{name}.png, each with the data it
# shows as {name}.csv. Each figure reads only the runs it shows (the Table 4 runs: baseline at
# lambda 0, every other method at the experiment's best_lambda), so it reruns only when they change.
# The scripts find the results directory as the parent of the figures directory.

from lb.figures.shown import (
    CURVE_METHODS,
    FIGURE3_METHODS,
    GRAD_METHODS,
    PCA_METHODS,
    best_lambda_runs,
)
from lb.vocabulary import FIGURE_NAMES, best_lambdas

FIGURES_DIR = f"{RESULTS}/figures"
BEST_LAMBDA = best_lambdas(config)  # dataset -> best lambda of its experiment (Table 4)
TABLE4_RUNS = best_lambda_runs(RUNS, BEST_LAMBDA)  # every method at its Table 4 lambda
FIGURE3_RUNS = best_lambda_runs(RUNS, BEST_LAMBDA, FIGURE3_METHODS)
PCA_RUNS = best_lambda_runs(RUNS, BEST_LAMBDA, PCA_METHODS)
CURVE_RUNS = best_lambda_runs(RUNS, BEST_LAMBDA, CURVE_METHODS)
GRAD_RUNS = best_lambda_runs(RUNS, BEST_LAMBDA, GRAD_METHODS)


rule figure3:
    input:
        metrics=[run_path(run, "metrics.json") for run in FIGURE3_RUNS],
        test_outputs=[run_path(run, "test_outputs.npz") for run in FIGURE3_RUNS],
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
    threads: 1
    resources:
        runtime=120,
        mem_mb=8000,
    params:
        runs=[run.as_dict() for run in FIGURE3_RUNS],
    script:
        "../workflow_scripts/figures_figure3.py"


rule figure_pca_dims:
    input:
        metrics=[run_path(run, "metrics.json") for run in PCA_RUNS],
        histories=[run_path(run, "history.csv") for run in PCA_RUNS],
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
        runs=[run.as_dict() for run in PCA_RUNS],
    script:
        "../workflow_scripts/figures_pca_dims.py"


rule figure_learning_curves:
    input:
        metrics=[run_path(run, "metrics.json") for run in CURVE_RUNS],
        histories=[run_path(run, "history.csv") for run in CURVE_RUNS],
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
        runs=[run.as_dict() for run in CURVE_RUNS],
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
        metrics=[run_path(run, "metrics.json") for run in GRAD_RUNS],
        histories=[run_path(run, "history.csv") for run in GRAD_RUNS],
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
        runs=[run.as_dict() for run in GRAD_RUNS],
    script:
        "../workflow_scripts/figures_grad_norm.py"


# The partial report's figures: every figure from the partial tables (the runs complete when the
# DAG is built), in RESULTS/figures/partial/.
rule figures_partial:
    input:
        summary=PARTIAL_TABLES["summary"],
        runs=PARTIAL_TABLES["runs"],
        histories=lambda wildcards: complete_run_paths("history.csv", TABLE4_RUNS),
        test_outputs=lambda wildcards: complete_run_paths(
            "test_outputs.npz", TABLE4_RUNS
        ),
    output:
        figures=[f"{FIGURES_DIR}/partial/{name}.png" for name in FIGURE_NAMES],
        figure_data=[f"{FIGURES_DIR}/partial/{name}.csv" for name in FIGURE_NAMES],
    log:
        f"{RESULTS}/logs/figures/partial.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=60,
        mem_mb=8000,
    params:
        best_lambdas=BEST_LAMBDA,
    script:
        "../workflow_scripts/figures_partial.py"


# What makes each figure, as the report names it beside the figure.
FIGURE_MADE_BY = {
    name: {"rule": rule, "script": f"workflow_scripts/figures_{name}.py"}
    for name, rule in (
        ("figure3", "figure3"),
        ("pca_dims", "figure_pca_dims"),
        ("learning_curves", "figure_learning_curves"),
        ("lambda_sweep", "figure_lambda_sweep"),
        ("grad_norm", "figure_grad_norm"),
    )
}
PARTIAL_FIGURE_MADE_BY = {
    name: {"rule": "figures_partial", "script": "workflow_scripts/figures_partial.py"}
    for name in FIGURE_NAMES
}
