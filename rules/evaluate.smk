# Per-run evaluation (silhouette of the test latents, Eq 12) and the tidy tables
# (docs/architecture.md): RESULTS/tables/runs.csv and summary.csv, and their partial twins
# built from whatever runs are complete (the report_partial target).


rule silhouette:
    input:
        test_outputs=f"{RESULTS}/{RUN_PATTERN}/test_outputs.npz",
    output:
        f"{RESULTS}/{RUN_PATTERN}/silhouette.json",
    log:
        f"{RESULTS}/logs/silhouette/{RUN_STEM}.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=30,
        mem_mb=4000,
    script:
        "../workflow_scripts/silhouette.py"


rule aggregate:
    input:
        metrics=all_run_paths("metrics.json"),
        silhouette=all_run_paths("silhouette.json"),
        published=PUBLISHED["latent_boost_tables"],
    output:
        runs=report(
            TABLES["runs"], caption="../report/captions/runs.rst", category="Tables"
        ),
        summary=report(
            TABLES["summary"],
            caption="../report/captions/summary.rst",
            category="Tables",
        ),
    log:
        f"{RESULTS}/logs/aggregate.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        spec=AGGREGATION_SPEC,
        allow_missing=False,
    script:
        "../workflow_scripts/aggregate.py"


# The runs complete when the DAG is built (input functions run then); the script checks again
# at job time and leaves a cell empty ("missing", n < n_expected) rather than inventing it.
rule aggregate_partial:
    input:
        metrics=lambda wildcards: complete_run_paths("metrics.json"),
        silhouette=lambda wildcards: complete_run_paths("silhouette.json"),
        published=PUBLISHED["latent_boost_tables"],
    output:
        runs=PARTIAL_TABLES["runs"],
        summary=PARTIAL_TABLES["summary"],
    log:
        f"{RESULTS}/logs/aggregate_partial.log",
    conda:
        "../envs/analysis.yaml"
    threads: 1
    resources:
        runtime=10,
        mem_mb=2000,
    params:
        spec=AGGREGATION_SPEC,
        allow_missing=True,
    script:
        "../workflow_scripts/aggregate.py"
