"""lb.metrics: silhouette score (Euclidean or cosine, torch, chunked), accuracy, micro-F1 and
macro-F1; ``pca_readings`` and ``silhouette_readings``, the diagnostics behind
docs/pca_dimensions.md and docs/silhouette.md."""

from lb.metrics.classification import accuracy, macro_f1, micro_f1
from lb.metrics.silhouette import silhouette_score

__all__ = ["accuracy", "macro_f1", "micro_f1", "silhouette_score"]
