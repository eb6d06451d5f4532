"""Benchmark: Latent Boost forward + backward, vectorised vs a naive loop-and-SVD version.

Side by side in one run, same inputs (batch 128, 10 classes, d = 64 / 512 / 2048, float32, CPU
unless CUDA is present):

- ours: :class:`lb.losses.LatentBoostLoss` (PCA from ``eigh`` of the smaller Gram matrix, all
  classes at once);
- baseline: :func:`naive_latent_boost` below — the same equations written the obvious way:
  ``torch.linalg.svd`` of the centred batch for the PCA, then Python loops over classes for
  centroids, variances and the Eq 11 terms (vectorised over the samples of a class only).

Each timed call is one forward and one backward pass. Times are interleaved (``bench.interleaved``)
and the speed-up is the median over rounds of baseline / ours. The two values are compared too
(``max_abs_diff``) so the comparison is between implementations of the same loss. Rows
``pca d=…`` show the decomposition choice: ``lb.losses.batch_pca`` vs projecting with
``torch.linalg.svd``. Target: ≥ 5× faster than naive at d = 2048.

Run ``python -m bench.losses`` (``--tiny`` for a smoke run).
"""

from __future__ import annotations

import argparse
import math
import statistics

import torch

from bench import ROW_KEYS, interleaved, median_ratio, row
from lb.losses import LatentBoostLoss, batch_pca

BATCH = 128
CLASSES = 10
DIMS = (64, 512, 2048)
TARGET = 5.0
TARGET_DIM = 2048


def naive_latent_boost(x, labels, alpha, beta, threshold=0.95, eps=1e-8):
    """Eqs 6–11 (with the per-anchor hinge) with ``torch.linalg.svd`` and Python loops over
    classes (the baseline)."""
    xc = x - x.mean(0)
    _, s, vh = torch.linalg.svd(xc.detach(), full_matrices=False)
    ratio = torch.cumsum(s**2, 0) / (s**2).sum()
    reached = torch.nonzero(ratio >= threshold)
    dim = int(reached[0, 0]) + 1 if reached.numel() else min(x.shape)
    r = xc @ vh[:dim].T
    usable = [c for c in torch.unique(labels).tolist() if int((labels == c).sum()) >= 2]
    mu, var = {}, {}
    for c in usable:
        rc = r[labels == c]
        mu[c] = rc.mean(0)
        var[c] = torch.clamp(((rc - mu[c]) ** 2).sum() / (len(rc) - 1), min=eps)
    losses = []
    for c in usable:
        rc = r[labels == c]
        log_num = -((rc - mu[c]) ** 2).sum(1) / (2 * var[c]) - alpha
        others = [-beta * ((rc - mu[k]) ** 2).sum(1) / (2 * var[k]) for k in usable if k != c]
        log_den = torch.logsumexp(torch.stack(others), 0)
        per_anchor = -torch.logaddexp(log_num - log_den, torch.tensor(math.log(eps)))
        losses.append(per_anchor.clamp_min(0.0))  # the hinge, as LatentBoostLoss's default
    return torch.cat(losses).mean()


def _batch(d: int, seed: int, device: torch.device):
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, CLASSES, (BATCH,), generator=g)
    x = torch.randn(CLASSES, d, generator=g)[labels] * 2 + torch.randn(BATCH, d, generator=g)
    return x.to(device), labels.to(device)


def _fwd_bwd(fn, x, labels):
    def step():
        z = x.detach().requires_grad_()
        value = fn(z, labels)
        value.backward()
        return value

    return step


def _svd_projection(z):
    zc = z - z.mean(0)
    _, _, vh = torch.linalg.svd(zc, full_matrices=False)
    return zc @ vh.T


def _loss_row(d: int, repeats: int, device: torch.device) -> dict:
    x, labels = _batch(d, seed=d, device=device)
    loss = LatentBoostLoss()
    loss.set_epoch(2, 100)
    alpha, beta = loss.alpha, loss.beta
    ours_value = float(loss(x, labels))
    naive_value = float(naive_latent_boost(x, labels, alpha, beta))
    candidates = {
        "ours": _fwd_bwd(loss, x, labels),
        "naive": _fwd_bwd(lambda z, y: naive_latent_boost(z, y, alpha, beta), x, labels),
    }
    for step in candidates.values():  # warm-up
        step()
    times = interleaved(candidates, repeats)
    speedup = median_ratio(times["naive"], times["ours"])
    is_target = d == TARGET_DIM
    return row(
        "losses",
        f"latent_boost fwd+bwd, batch {BATCH}, {CLASSES} classes, d={d}",
        "lb.losses.LatentBoostLoss",
        "naive: class loops + torch.linalg.svd",
        statistics.median(times["ours"]),
        statistics.median(times["naive"]),
        speedup,
        f">= {TARGET:g}x" if is_target else "",
        (speedup >= TARGET) if is_target else None,
        pca_dim=loss.last_dim,
        max_abs_diff=abs(ours_value - naive_value),
        device=str(device),
    )


def _pca_row(d: int, repeats: int, device: torch.device) -> dict:
    x, _ = _batch(d, seed=d, device=device)
    times = interleaved(
        {"ours": lambda: batch_pca(x, 0.95), "svd": lambda: _svd_projection(x)}, repeats
    )
    return row(
        "losses",
        f"pca d={d}: eigh of the min(m, d)-sized Gram (ours) vs svd of the batch",
        "lb.losses.batch_pca",
        "torch.linalg.svd",
        statistics.median(times["ours"]),
        statistics.median(times["svd"]),
        median_ratio(times["svd"], times["ours"]),
        "",
        None,
        device=str(device),
    )


def run(tiny: bool = False) -> list[dict]:
    """Rows in the ``bench`` format; ``tiny`` = a few repeats at d = 64 only."""
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    repeats = 3 if tiny else 30
    rows = []
    for d in (64,) if tiny else DIMS:
        rows.append(_loss_row(d, repeats, device))
        rows.append(_pca_row(d, repeats, device))
    return rows


def _fmt(value, spec: str, suffix: str = "") -> str:
    return "" if value is None else f"{value:{spec}}{suffix}"


def markdown(rows: list[dict]) -> str:
    """A markdown table of benchmark rows (times in ms)."""
    lines = [
        "| case | ours ms | baseline ms | speed-up | target | met | notes |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        notes = ", ".join(
            f"{k}={v:.2e}" if isinstance(v, float) else f"{k}={v}"
            for k, v in r.items()
            if k not in ROW_KEYS
        )
        base = None if r["baseline_seconds"] is None else 1e3 * r["baseline_seconds"]
        met = None if r["met"] is None else ("yes" if r["met"] else "NO")
        cells = [
            r["case"],
            _fmt(1e3 * r["ours_seconds"], ".2f"),
            _fmt(base, ".2f"),
            _fmt(r["ratio"], ".1f", "x"),
            r["target"],
            met or "",
            notes,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="smoke run (d = 64, 3 repeats)")
    args = parser.parse_args(argv)
    print(markdown(run(tiny=args.tiny)))


if __name__ == "__main__":
    main()
