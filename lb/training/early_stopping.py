"""Early stopping on the validation accuracy (Section 3.3: patience 20)."""

from __future__ import annotations

from typing import Any


class EarlyStopping:
    """Track the best validation score; stop after ``patience`` epochs without improvement.

    An epoch improves when its score is strictly greater than the best so far (so ties keep the
    earlier, already saved weights). Epochs are counted 1-based, as in the history.
    """

    def __init__(self, patience: int) -> None:
        if patience < 1:
            raise ValueError(f"patience must be >= 1, got {patience}")
        self.patience = patience
        self.best_score: float | None = None
        self.best_epoch: int | None = None
        self.epochs_without_improvement = 0

    def update(self, epoch: int, score: float) -> bool:
        """Record ``score`` of ``epoch``; return True when it is a new best."""
        if self.best_score is None or score > self.best_score:
            self.best_score = float(score)
            self.best_epoch = int(epoch)
            self.epochs_without_improvement = 0
            return True
        self.epochs_without_improvement += 1
        return False

    @property
    def should_stop(self) -> bool:
        return self.epochs_without_improvement >= self.patience

    def state_dict(self) -> dict[str, Any]:
        return {
            "patience": self.patience,
            "best_score": self.best_score,
            "best_epoch": self.best_epoch,
            "epochs_without_improvement": self.epochs_without_improvement,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.patience = int(state["patience"])
        self.best_score = state["best_score"]
        self.best_epoch = state["best_epoch"]
        self.epochs_without_improvement = int(state["epochs_without_improvement"])
