# One training run per (dataset, method, lambda, seed): lb.training.train_run via
# workflow_scripts/train.py. The checkpoint lives in RESULTS/checkpoints/ (not an output), so a
# killed or failed job resumes from its last epoch when rerun (with other settings the run starts
# afresh); it is deleted when the run finishes. Beside it: the run's lock (one writer per run)
# and the log of its earlier attempts (Snakemake clears the rule's log before each attempt).


from lb.run_outputs import RUN_OUTPUTS


rule train:
    output:
        # metrics, history, test_outputs, model: the files of lb.run_outputs.RUN_OUTPUTS
        **{Path(name).stem: f"{RESULTS}/{RUN_PATTERN}/{name}" for name in RUN_OUTPUTS},
    log:
        f"{RESULTS}/logs/train/{RUN_STEM}.log",
    benchmark:
        f"{RESULTS}/benchmarks/train/{RUN_STEM}.tsv"
    conda:
        "../envs/train.yaml"
    threads: train_resource("threads")
    resources:
        gpu=train_resource("gpu"),
        runtime=train_resource("runtime"),
        mem_mb=train_resource("mem_mb"),
    params:
        code=library_code("train.py"),
        settings=train_settings,
        checkpoint=checkpoint_path,
    script:
        "../workflow_scripts/train.py"
