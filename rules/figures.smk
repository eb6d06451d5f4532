# Figures of the report (docs/architecture.md): RESULTS/figures/{name}.png, each with the data it
# shows as {name}.csv, one rule per figure of lb.vocabulary.FIGURE_NAMES, all defined by the loop
# below from FIGURE_RULES and run by workflow_scripts/figure.py. Each figure reads only the runs
# it shows (the Table 4 runs: baseline at lambda 0, every other method at the experiment's
# best_lambda), so it reruns only when they change; the λ sweep reads the summary table.

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
HISTORIES = {"metrics": "metrics.json", "histories": "history.csv"}

# name -> its rule, the runs it shows and the files of theirs it reads (no runs: it reads the
# summary table), its JOB_RESOURCES, and how `snakemake --report` shows it (category; the CSV
# is a report item, captioned report/captions/{name}_data.rst, when csv_in_report).
FIGURE_RULES = {
    "figure3": {
        "rule": "figure3",
        "runs": best_lambda_runs(RUNS, BEST_LAMBDA, FIGURE3_METHODS),
        "files": {"metrics": "metrics.json", "test_outputs": "test_outputs.npz"},
        "resources": "tsne",
        "category": "Figures",
        "csv_in_report": False,
    },
    "pca_dims": {
        "rule": "figure_pca_dims",
        "runs": best_lambda_runs(RUNS, BEST_LAMBDA, PCA_METHODS),
        "files": HISTORIES,
        "resources": "light",
        "category": "Figures",
        "csv_in_report": True,
    },
    "learning_curves": {
        "rule": "figure_learning_curves",
        "runs": best_lambda_runs(RUNS, BEST_LAMBDA, CURVE_METHODS),
        "files": HISTORIES,
        "resources": "light",
        "category": "Figures",
        "csv_in_report": False,
    },
    "lambda_sweep": {
        "rule": "figure_lambda_sweep",
        "runs": None,
        "files": {},
        "resources": "light",
        "category": "Figures",
        "csv_in_report": False,
    },
    "grad_norm": {
        "rule": "figure_grad_norm",
        "runs": best_lambda_runs(RUNS, BEST_LAMBDA, GRAD_METHODS),
        "files": HISTORIES,
        "resources": "light",
        "category": "Beyond the paper",
        "csv_in_report": True,
    },
}
assert tuple(FIGURE_RULES) == FIGURE_NAMES, "FIGURE_RULES must follow lb.vocabulary"


for name, spec in FIGURE_RULES.items():

    rule:
        name:
            spec["rule"]
        input:
            **figure_inputs(spec),
        output:
            png=figure_output(name, "png", spec),
            csv=figure_output(name, "csv", spec),
        log:
            f"{RESULTS}/logs/figures/{name}.log",
        conda:
            "../envs/analysis.yaml"
        resources:
            **JOB_RESOURCES[spec["resources"]],
        params:
            code=library_code("figure.py"),
            figure=name,
            runs=[run.as_dict() for run in spec["runs"] or []],
            results=results_dir,
        script:
            "../workflow_scripts/figure.py"


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
    resources:
        **JOB_RESOURCES["tsne"],
    params:
        code=library_code("figures_partial.py"),
        best_lambdas=BEST_LAMBDA,
        results=results_dir,
    script:
        "../workflow_scripts/figures_partial.py"


# What makes each figure, as the report names it beside the figure.
FIGURE_MADE_BY = {
    scope: {
        name: {
            "rule": spec["rule"] if scope == "full" else "figures_partial",
            "script": (
                "workflow_scripts/figure.py"
                if scope == "full"
                else "workflow_scripts/figures_partial.py"
            ),
        }
        for name, spec in FIGURE_RULES.items()
    }
    for scope in SCOPES
}
