# Per-run evaluation (silhouette of the test latents, Eq 12) and the tidy tables
# (docs/architecture.md): RESULTS/tables/runs.csv and summary.csv (rule aggregate), and their
# partial scope in RESULTS/tables/partial/ from whatever runs are complete (aggregate_partial,
# for the report_partial target).


rule silhouette:
    input:
        test_outputs=f"{RESULTS}/{RUN_PATTERN}/test_outputs.npz",
    output:
        f"{RESULTS}/{RUN_PATTERN}/silhouette.json",
    log:
        f"{RESULTS}/logs/silhouette/{RUN_STEM}.log",
    conda:
        "../envs/analysis.yaml"
    resources:
        **JOB_RESOURCES["silhouette"],
    params:
        code=library_code("silhouette.py"),
    script:
        "../workflow_scripts/silhouette.py"


# The partial scope takes the runs complete when the DAG is built (input functions run then);
# the script checks again at job time and leaves a cell empty ("missing", n < n_expected)
# rather than inventing it.
for scope in SCOPES:

    rule:
        name:
            scoped_name("aggregate", scope)
        input:
            metrics=scope_run_paths("metrics.json", scope),
            silhouette=scope_run_paths("silhouette.json", scope),
            published=PUBLISHED["latent_boost_tables"],
        output:
            runs=report(
                SCOPE_TABLES[scope]["runs"],
                caption="../report/captions/runs.rst",
                category="Tables",
            ),
            summary=report(
                SCOPE_TABLES[scope]["summary"],
                caption="../report/captions/summary.rst",
                category="Tables",
            ),
        log:
            f"{RESULTS}/logs/{scoped_name('aggregate', scope)}.log",
        conda:
            "../envs/analysis.yaml"
        resources:
            **JOB_RESOURCES["light"],
        params:
            code=library_code("aggregate.py"),
            spec=AGGREGATION_SPEC,
            allow_missing=scope == "partial",
        script:
            "../workflow_scripts/aggregate.py"
