# The triplet-VAE study (the triplet-VAE paper): lb.tvae via workflow_scripts/vae_*.py.
# Per seed of vae.seeds: the CNN under test (lb trainer), the triplet and the vanilla VAE, then
# the analysis (SVMs, agreement, top-K, traversals). Figures from the first seed; the report's
# context (VAE_CONTEXT) from all seeds. VAE_REPORT_INPUTS is what the report rule needs (empty
# when vae.enabled is false). The CNN's checkpoint lives outside its output directory.

import os

from lb.tvae.config import VAEConfig, step_settings

# the block the Snakefile validated and read (lb.workflow.config.load_config)
VAE = VAEConfig.from_plain(config["vae"])
VAE_DIR = f"{RESULTS}/vae"
VAE_SEEDS = list(VAE.seeds)
VAE_FIGURE_SEED = VAE_SEEDS[0]
VAE_SEED_DIR = f"{VAE_DIR}/seed{{seed}}"
VAE_FIGURE_DIR = f"{VAE_DIR}/seed{VAE_FIGURE_SEED}"
VAE_CONTEXT = f"{VAE_DIR}/vae_context.json"
VAE_FIGURES = [
    f"{VAE_DIR}/figures/{name}.png"
    for name in ("traversal_nearest", "traversal_normal", "delta_u", "tsne")
]
VAE_REPORT_INPUTS = [VAE_CONTEXT, *VAE_FIGURES] if VAE.enabled else []
# The paper's Table 1, shipped in report/published/; the shared copy when the project has none.
VAE_PAPER_AGREEMENT = (
    PUBLISHED["tvae_agreement"]
    if os.path.exists(PUBLISHED["tvae_agreement"])
    else os.path.join(workflow.basedir, "..", "shared", "paper", "tvae_agreement.csv")
)
# The CNN trains with the config's thread count (like the grid's runs). The VAEs, the analysis and
# the figures use one thread: small MLP matrix products gain little from a second thread, and on a
# busy machine a second torch thread made a VAE epoch 15x slower (spin-waiting); with one thread
# each, Snakemake runs the two VAEs side by side, and the numbers do not depend on --cores.
VAE_THREADS = int(config["resources"]["threads"])
VAE_STEP_THREADS = 1
# Cluster resources of each step (minutes, MB).
VAE_JOB = {"runtime": config["resources"]["runtime"], "mem_mb": 8000}


wildcard_constraints:
    vae_kind="triplet|vanilla",


rule vae_all:
    input:
        VAE_REPORT_INPUTS,


rule vae_cnn:
    output:
        metrics=f"{VAE_SEED_DIR}/cnn/metrics.json",
        history=f"{VAE_SEED_DIR}/cnn/history.csv",
        test_outputs=f"{VAE_SEED_DIR}/cnn/test_outputs.npz",
        model=f"{VAE_SEED_DIR}/cnn/model.pt",
    log:
        f"{RESULTS}/logs/vae/seed{{seed}}/cnn.log",
    benchmark:
        f"{RESULTS}/benchmarks/vae/seed{{seed}}/cnn.tsv"
    conda:
        "../envs/train.yaml"
    threads: VAE_THREADS
    resources:
        **VAE_JOB,
    params:
        code=library_code("vae_cnn.py"),
        settings=step_settings(VAE, "cnn"),
        checkpoint=f"{RESULTS}/checkpoints/vae/seed{{seed}}/cnn.pt",
        num_threads=VAE_THREADS,
    script:
        "../workflow_scripts/vae_cnn.py"


rule vae_train:
    output:
        model=f"{VAE_SEED_DIR}/{{vae_kind}}/model.pt",
        latents=f"{VAE_SEED_DIR}/{{vae_kind}}/latents.npz",
        history=f"{VAE_SEED_DIR}/{{vae_kind}}/history.csv",
        metrics=f"{VAE_SEED_DIR}/{{vae_kind}}/metrics.json",
    log:
        f"{RESULTS}/logs/vae/seed{{seed}}/{{vae_kind}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/vae/seed{{seed}}/{{vae_kind}}.tsv"
    conda:
        "../envs/train.yaml"
    threads: VAE_STEP_THREADS
    resources:
        **VAE_JOB,
    params:
        code=library_code("vae_train.py"),
        settings=lambda wildcards: step_settings(VAE, wildcards.vae_kind),
        num_threads=VAE_STEP_THREADS,
    script:
        "../workflow_scripts/vae_train.py"


rule vae_analyse:
    input:
        cnn_model=f"{VAE_SEED_DIR}/cnn/model.pt",
        cnn_outputs=f"{VAE_SEED_DIR}/cnn/test_outputs.npz",
        triplet_model=f"{VAE_SEED_DIR}/triplet/model.pt",
        triplet_latents=f"{VAE_SEED_DIR}/triplet/latents.npz",
        vanilla_latents=f"{VAE_SEED_DIR}/vanilla/latents.npz",
    output:
        summary=f"{VAE_SEED_DIR}/analysis/summary.json",
        agreement=f"{VAE_SEED_DIR}/analysis/agreement.csv",
        disagreements=f"{VAE_SEED_DIR}/analysis/disagreements.csv",
        traversals=f"{VAE_SEED_DIR}/analysis/traversals.csv",
        predictions=f"{VAE_SEED_DIR}/analysis/predictions.npz",
        examples=f"{VAE_SEED_DIR}/analysis/examples.npz",
    log:
        f"{RESULTS}/logs/vae/seed{{seed}}/analysis.log",
    benchmark:
        f"{RESULTS}/benchmarks/vae/seed{{seed}}/analysis.tsv"
    conda:
        "../envs/train.yaml"
    threads: VAE_STEP_THREADS
    resources:
        **VAE_JOB,
    params:
        code=library_code("vae_analyse.py"),
        settings=step_settings(VAE, "analysis"),
        num_threads=VAE_STEP_THREADS,
    script:
        "../workflow_scripts/vae_analyse.py"


rule vae_figures:
    input:
        summary=f"{VAE_FIGURE_DIR}/analysis/summary.json",
        examples=f"{VAE_FIGURE_DIR}/analysis/examples.npz",
        predictions=f"{VAE_FIGURE_DIR}/analysis/predictions.npz",
        triplet_latents=f"{VAE_FIGURE_DIR}/triplet/latents.npz",
        vanilla_latents=f"{VAE_FIGURE_DIR}/vanilla/latents.npz",
    output:
        figures=VAE_FIGURES,
        info=f"{VAE_DIR}/figures/figures.json",
    log:
        f"{RESULTS}/logs/vae/figures.log",
    benchmark:
        f"{RESULTS}/benchmarks/vae/figures.tsv"
    conda:
        "../envs/analysis.yaml"
    threads: VAE_STEP_THREADS
    resources:
        **VAE_JOB,
    params:
        code=library_code("vae_figures.py"),
        num_threads=VAE_STEP_THREADS,
    script:
        "../workflow_scripts/vae_figures.py"


rule vae_context:
    input:
        summaries=expand(f"{VAE_SEED_DIR}/analysis/summary.json", seed=VAE_SEEDS),
        cnn_metrics=expand(f"{VAE_SEED_DIR}/cnn/metrics.json", seed=VAE_SEEDS),
        triplet_metrics=expand(f"{VAE_SEED_DIR}/triplet/metrics.json", seed=VAE_SEEDS),
        vanilla_metrics=expand(f"{VAE_SEED_DIR}/vanilla/metrics.json", seed=VAE_SEEDS),
        figures_info=f"{VAE_DIR}/figures/figures.json",
        figures=VAE_FIGURES,
        paper=VAE_PAPER_AGREEMENT,
    output:
        context=VAE_CONTEXT,
        agreement=f"{VAE_DIR}/agreement.csv",
    log:
        f"{RESULTS}/logs/vae/context.log",
    conda:
        "../envs/analysis.yaml"
    params:
        code=library_code("vae_context.py"),
        settings=VAE.to_block(),
        results=results_dir,
    script:
        "../workflow_scripts/vae_context.py"


# Every file of the study, for `rule all` (see ALL_TARGETS in rules/report.smk).
VAE_TARGETS = (
    [
        *expand(rules.vae_cnn.output, seed=VAE_SEEDS),
        *expand(
            rules.vae_train.output, seed=VAE_SEEDS, vae_kind=["triplet", "vanilla"]
        ),
        *expand(rules.vae_analyse.output, seed=VAE_SEEDS),
        *rules.vae_figures.output,
        *rules.vae_context.output,
    ]
    if VAE.enabled
    else []
)
