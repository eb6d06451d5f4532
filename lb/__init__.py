"""lb: the importable library of the reproducible-paper pipeline.

Sub-packages, one concept per module:
    lb.losses    distance losses of the Latent Boost paper (Eqs 1-11) and the weighted sum (Eq 5)
    lb.metrics   silhouette (Eq 12), accuracy, micro/macro F1
    lb.models    the paper's networks and a registry that checks model/dataset fit
    lb.data      datasets as in-memory tensors, seeded batching and augmentation
    lb.training  one resumable training run
    lb.tvae      the triplet-VAE explanation study (the triplet-VAE paper)
    lb.workflow  config schema/validation and run enumeration for the Snakemake workflow
    lb.report    tidy tables, figures and the HTML report
"""

__version__ = "0.1.0"
