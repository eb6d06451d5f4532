# Shared by all .smk files (see "Workflow contracts" in docs/architecture.md). It holds the
# results directory, the runs of the validated config, the one function that names a run's
# files, and input functions. The Snakefile has validated the config and filled its defaults.

import os

from lb.workflow.config import experiment_resources, experiment_training
from lb.workflow.registries import METHOD_FAMILY
from lb.workflow.runs import (
    aggregation_spec,
    checkpoint_name,
    enumerate_runs,
    run_is_complete,
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
REPORT = f"{RESULTS}/report/report.html"
PARTIAL_REPORT = f"{RESULTS}/report/report_partial.html"
# The published numbers (shipped with the workflow, so found next to the Snakefile).
PUBLISHED = {
    "latent_boost_tables": f"{workflow.basedir}/report/published/latent_boost_tables.csv",
    "tvae_agreement": f"{workflow.basedir}/report/published/tvae_agreement.csv",
}
# What the aggregation needs from the config (runs, configured cells, seeds) as plain data.
AGGREGATION_SPEC = aggregation_spec(config)


wildcard_constraints:
    dataset="[a-z][a-z0-9_]*",
    method="[a-z][a-z_]*",
    lam="[0-9][0-9.e+-]*",
    seed="[0-9]+",


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


def run_of(wildcards):
    """The Run named by a job's wildcards (only runs of the config have jobs)."""
    key = (wildcards.dataset, wildcards.method, wildcards.lam, int(wildcards.seed))
    try:
        return RUN_BY_KEY[key]
    except KeyError:
        raise ValueError(
            f"no run {'/'.join(map(str, key))} in this config; check experiments and tables"
        ) from None


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
