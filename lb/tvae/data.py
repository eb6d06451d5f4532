"""The study's images: the same stratified subsets as the lb trainer, pixels in [0, 1].

``train_limit`` / ``test_limit`` keep the subsets of :func:`lb.data.stratified_subset` (the lb
trainer's), so the CNN under test and the VAEs see the same images. Pixel intensities are
x / 255 ∈ [0, 1] for the VAE (its input and Bernoulli targets); the CNN gets its usual
normalisation ((x − mean) / std of the dataset spec), also for decoded images
(:func:`lb.tvae.cnn.cnn_probabilities`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import torch

from lb.data import load_dataset, stratified_subset
from lb.tvae.config import DataSettings


@dataclasses.dataclass(frozen=True)
class DataOptions:
    """Where the images come from (passed through to :func:`lb.data.load_dataset`)."""

    root: str | None = None
    download: bool = False
    cache_dir: str | None = None

    @classmethod
    def from_config(cls, config: dict) -> DataOptions:
        """The workflow config's top-level ``data_root``, ``download``, ``cache_dir``."""
        return cls(config.get("data_root"), bool(config.get("download")), config.get("cache_dir"))


@dataclasses.dataclass
class StudyData:
    """The study's images (uint8 N×C×H×W) and labels (int64), after the limits."""

    spec: Any
    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def load_study_data(settings: DataSettings, options: DataOptions) -> StudyData:
    ds = load_dataset(
        settings.dataset, root=options.root, download=options.download, cache_dir=options.cache_dir
    )
    train_x, train_y = stratified_subset(ds.train_x, ds.train_y, settings.train_limit)
    test_x, test_y = stratified_subset(ds.test_x, ds.test_y, settings.test_limit)
    return StudyData(ds.spec, train_x, train_y, test_x, test_y)


def to_unit(x_uint8: torch.Tensor) -> torch.Tensor:
    """uint8 images → float32 in [0, 1] (the VAE's input and Bernoulli targets)."""
    return x_uint8.float().div(255.0)
