"""The embedded ``digits`` dataset: scikit-learn's bundled ``load_digits`` (no network, no files).

1,797 grey 8×8 images of the digits 0–9 with values 0–16, scaled to uint8 by
``round(v * 255 / 16)``. The train/test split is fixed and independent of any run seed:
:func:`lb.data.splits.stratified_split` with 25 % test and seed :data:`DIGITS_SPLIT_SEED`
(1,348 train / 449 test images).
"""

from __future__ import annotations

import numpy as np
import torch

from lb.data.splits import stratified_split

DIGITS_TEST_FRACTION = 0.25
DIGITS_SPLIT_SEED = 0


def load_digits_tensors() -> dict[str, torch.Tensor]:
    """The fixed split: ``train_x``/``test_x`` uint8 N×1×8×8, ``train_y``/``test_y`` int64."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = np.rint(bunch.images * (255.0 / 16.0)).astype(np.uint8)
    x = torch.from_numpy(images).unsqueeze(1).contiguous()
    y = torch.as_tensor(bunch.target, dtype=torch.int64)
    train_idx, test_idx = stratified_split(y, DIGITS_TEST_FRACTION, DIGITS_SPLIT_SEED)
    return {
        "train_x": x[train_idx],
        "train_y": y[train_idx],
        "test_x": x[test_idx],
        "test_y": y[test_idx],
    }
