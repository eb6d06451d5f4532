# One training run per (dataset, method, lambda, seed): lb.training.train_run via
# workflow_scripts/train.py. The checkpoint lives in RESULTS/checkpoints/ (not an output), so a
# killed or failed job resumes from its last epoch when rerun (with other settings the run starts
# afresh); it is deleted when the run finishes. Beside it: the run's lock (one writer per run)
# and the log of its earlier attempts (Snakemake clears the rule's log before each attempt).


rule train:
    output:
        metrics=f"{RESULTS}/{RUN_PATTERN}/metrics.json",
        history=f"{RESULTS}/{RUN_PATTERN}/history.csv",
        test_outputs=f"{RESULTS}/{RUN_PATTERN}/test_outputs.npz",
        model=f"{RESULTS}/{RUN_PATTERN}/model.pt",
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
