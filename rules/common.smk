# Shared by all .smk files (see "Workflow contracts" in docs/contracts.md). It holds the
# results directory, the runs of the validated config, the one function that names a run's
# files, input functions, the two scopes of tables and report, and the jobs' resources. The
# Snakefile has validated the config and filled its defaults.

import os
from pathlib import Path

from lb.code_version import code_version
from lb.workflow.config import experiment_resources, experiment_training
from lb.workflow.registries import METHOD_FAMILY
from lb.workflow.runs import (
    aggregation_spec,
    checkpoint_name,
    enumerate_runs,
    run_is_complete,
)

# The jobs import `lb` from this checkout. Snakemake puts only the Snakefile's directory on its
# own sys.path and only the script's folder (workflow_scripts/) on a job's, and the conda envs
# do not install lb: installed there, it would be a copy frozen when the env was built (an env
# is rebuilt only when its .yaml changes), so a job could run other code than this checkout's.
# So this directory goes first on PYTHONPATH, which every job inherits (locally, in a conda env,
# and through SLURM, whose jobs read this file again). Set, not read: no envvars: entry.
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        p for p in (workflow.basedir, os.environ.get("PYTHONPATH", "")) if p
    )
)

RESULTS = os.path.normpath(config["results_dir"])
RUNS = enumerate_runs(config)
RUN_BY_KEY = {run.key: run for run in RUNS}

# A run's directory below RESULTS; the same pattern as lb.workflow.runs.run_dir.
RUN_PATTERN = "runs/{dataset}/{method}/lambda{lam}/seed{seed}"
# Logs and benchmarks of a run: one file per run, named like its directory.
RUN_STEM = "{dataset}/{method}/lambda{lam}/seed{seed}"

TABLES = {
    "runs": f"{RESULTS}/tables/runs.csv",
    "summary": f"{RESULTS}/tables/summary.csv",
}
# The partial report: tables from whatever runs are complete right now.
PARTIAL_TABLES = {
    "runs": f"{RESULTS}/tables/partial/runs.csv",
    "summary": f"{RESULTS}/tables/partial/summary.csv",
}
# The scopes of the tables and the report: "full", every run of the config (`rule all`), and
# "partial", the runs complete when the DAG is built (`report_partial`). One rule definition
# serves both; the partial one's name ends in "_partial" (scoped_name).
SCOPES = ("full", "partial")
SCOPE_TABLES = {"full": TABLES, "partial": PARTIAL_TABLES}
REPORT = f"{RESULTS}/report/report.html"
PARTIAL_REPORT = f"{RESULTS}/report/report_partial.html"
# The published numbers (shipped with the workflow, so found next to the Snakefile).
PUBLISHED = {
    "latent_boost_tables": f"{workflow.basedir}/report/published/latent_boost_tables.csv",
    "tvae_agreement": f"{workflow.basedir}/report/published/tvae_agreement.csv",
}
# What the aggregation needs from the config (runs, configured cells, seeds) as plain data.
AGGREGATION_SPEC = aggregation_spec(config)


# Cluster resources (minutes, MB) of the jobs that do not train; they run on Snakemake's default
# of one thread. Training jobs take theirs from the config (train_resource, VAE_JOB).
JOB_RESOURCES = {
    "light": {"runtime": 10, "mem_mb": 2000},  # tables, history figures, the report
    "silhouette": {"runtime": 30, "mem_mb": 4000},
    "tsne": {"runtime": 120, "mem_mb": 8000},  # figures with a t-SNE of test latents
}


wildcard_constraints:
    dataset="[a-z][a-z0-9_]*",
    method="[a-z][a-z_]*",
    lam="[0-9][0-9.e+-]*",
    seed="[0-9]+",


def config_file_names():
    """The config file(s) this run was started with, as the report's provenance names them:
    relative to the working directory when inside it (Snakemake holds them as absolute paths,
    which would put this machine's directories into a published report)."""
    names = []
    for path in map(Path, workflow.overwrite_configfiles):
        try:
            names.append(str(path.resolve().relative_to(Path.cwd().resolve())))
        except ValueError:
            names.append(str(path))
    return ", ".join(names) or "config.yaml"


def run_path(run, name):
    """A file of a run: f"{RESULTS}/{run.dir}/{name}"."""
    return f"{RESULTS}/{run.dir}/{name}"


def all_run_paths(name):
    """That file for every run of the config."""
    return [run_path(run, name) for run in RUNS]


def complete_runs():
    """The runs whose training outputs all exist now (the partial report's runs)."""
    return [run for run in RUNS if run_is_complete(RESULTS, run.dir)]


def complete_run_paths(name, among=None):
    """That file for every run in complete_runs() (only those in ``among`` when given)."""
    return [
        run_path(run, name) for run in complete_runs() if among is None or run in among
    ]


def results_dir(wildcards, output):
    """params.results: the results folder that holds the job's outputs, found from its first
    output (Snakemake's linter wants a path param to follow the job's files: a storage
    provider may place them below a local prefix). Without one it is RESULTS itself."""
    parents = [str(p) for p in Path(output[0]).parents]
    if RESULTS in parents:
        return RESULTS
    tail = os.sep + RESULTS.lstrip(os.sep)
    return next((p for p in parents if p.endswith(tail)), RESULTS)


def scoped_name(name, scope):
    """A rule's name in a scope: ``aggregate`` ("full"), ``aggregate_partial`` ("partial")."""
    return name if scope == "full" else f"{name}_{scope}"


def scope_run_paths(name, scope):
    """That file for the runs of a scope: every run ("full"), or an input function giving the
    runs complete when the DAG is built ("partial")."""
    if scope == "full":
        return all_run_paths(name)
    return lambda wildcards: complete_run_paths(name)


def run_of(wildcards):
    """The Run named by a job's wildcards (only runs of the config have jobs)."""
    key = (wildcards.dataset, wildcards.method, wildcards.lam, int(wildcards.seed))
    try:
        return RUN_BY_KEY[key]
    except KeyError:
        raise ValueError(
            f"no run {'/'.join(map(str, key))} in this config; check experiments and tables"
        ) from None


def library_code(script):
    """params.code of a rule: the hash of the lb code its script imports (lb.code_version).
    Snakemake reruns a job whose params changed, so an edit to that code (not to its comments
    or docstrings) reruns the rule's jobs and what reads their outputs; its own script file is
    Snakemake's code trigger."""
    return code_version(Path(workflow.basedir) / "workflow_scripts" / script)


def train_settings(wildcards):
    """The lb.training.RunConfig fields that determine a run's numbers (the train rule's params).

    Only this run's settings, so that editing one experiment's training block or one loss
    family reruns only the runs that use it. Where the data lives (data_root, download,
    cache_dir) and the device do not change the numbers' meaning and are read by the script from
    the config, so moving the data does not retrain anything.
    """
    run = run_of(wildcards)
    training = experiment_training(config, run.experiment)
    family = METHOD_FAMILY[run.method]
    return {
        "dataset": run.dataset,
        "model": run.model,
        "method": run.method,
        "lam": run.lam,
        "seed": run.seed,
        **{key: training[key] for key in sorted(training)},
        "loss_params": {family: _sorted(config["losses"][family])} if family else {},
        "num_threads": experiment_resources(config, run.experiment)["threads"],
    }


def _sorted(mapping):
    """A copy with sorted keys: params are compared by repr, so key order must not matter."""
    return {key: mapping[key] for key in sorted(mapping)}


def train_resource(name):
    """An input function for one cluster resource of a training job (config `resources`)."""

    def get(wildcards):
        return experiment_resources(config, run_of(wildcards).experiment)[name]

    return get


def checkpoint_path(wildcards):
    """The resume state of a run, outside its directory (Snakemake deletes failed outputs)."""
    return f"{RESULTS}/{checkpoint_name(run_of(wildcards))}"


def figure_inputs(spec):
    """The files a figure reads: those of its runs, or the summary table."""
    if spec["runs"] is None:
        return {"summary": TABLES["summary"]}
    return {
        key: [run_path(run, name) for run in spec["runs"]]
        for key, name in spec["files"].items()
    }


def figure_output(name, suffix, spec):
    """{name}.png (a report item) or {name}.csv (a report item when csv_in_report)."""
    path = f"{FIGURES_DIR}/{name}.{suffix}"
    if suffix == "csv" and not spec["csv_in_report"]:
        return path
    caption = name if suffix == "png" else f"{name}_data"
    return report(
        path, caption=f"../report/captions/{caption}.rst", category=spec["category"]
    )


def report_vae_inputs(scope):
    """The VAE study's files the report embeds (none when vae.enabled is false); the partial
    report takes those that exist when the DAG is built."""
    if scope == "full":
        return VAE_REPORT_INPUTS
    return lambda wildcards: [p for p in VAE_REPORT_INPUTS if os.path.exists(p)]
