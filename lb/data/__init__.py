"""lb.data: in-memory datasets, stratified splits, seeded batches (docs/architecture.md)."""

from lb.data.augment import AUGMENTED_DATASETS, random_crop_flip
from lb.data.batches import BatchLoader
from lb.data.loading import LoadedDataset, load_dataset
from lb.data.paths import resolve_cache_dir, resolve_data_root
from lb.data.specs import DATASETS, DatasetSpec, get_spec
from lb.data.splits import SUBSET_SEED, stratified_split, stratified_subset

__all__ = [
    "AUGMENTED_DATASETS",
    "DATASETS",
    "SUBSET_SEED",
    "BatchLoader",
    "DatasetSpec",
    "LoadedDataset",
    "get_spec",
    "load_dataset",
    "random_crop_flip",
    "resolve_cache_dir",
    "resolve_data_root",
    "stratified_split",
    "stratified_subset",
]
