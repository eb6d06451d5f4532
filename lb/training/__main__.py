"""Train one run from the command line: ``python -m lb.training --help``.

Example::

    python -m lb.training --dataset digits --model digits_cnn --method latent_boost --lam 0.5 \\
        --seed 0 --max-epochs 5 --out runs/demo

Writes ``metrics.json``, ``history.csv``, ``test_outputs.npz`` and ``model.pt`` into ``--out``
and checkpoints every epoch to ``--checkpoint`` (default: ``<out>.ckpt.pt`` next to the output
directory). Running the same command again resumes from the checkpoint (with other settings it
says so and starts afresh); the checkpoint is deleted once the outputs are written. A user error
(bad setting, missing data, non-finite loss, an unwritable --out, another process training the
same run) prints one line on stderr and exits with status 2; Ctrl-C prints one line naming the
epoch and exits with status 130 (the same command resumes).

An option left out takes the workflow config's default (:class:`lb.training.RunConfig` reads them
from ``schemas/config.schema.yaml``), so the command trains like the workflow; ``--help`` shows
them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lb.errors import Interrupted, LBError

PROG = "python -m lb.training"
# The --loss-params example of --help (a test checks that it is accepted).
LOSS_PARAMS_EXAMPLE = '{"latent_boost": {"alpha0": 1.0, "beta0": 1.0}}'


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (not usage + error) and exit status 2."""

    def error(self, message: str):  # noqa: D102 - argparse API
        self.exit(2, f"{PROG}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _OneLineParser(prog=PROG, description=__doc__.split("\n\n")[0])
    run = p.add_argument_group("run identity")
    run.add_argument("--dataset", required=True, help="digits, mnist, fashion_mnist, cifar10, ...")
    run.add_argument("--model", required=True, help="digits_cnn, fashion_cnn, vgg16, resnet50")
    run.add_argument("--method", required=True, help="baseline, magnet, latent_boost, ...")
    run.add_argument("--lam", type=float, required=True, help="λ of Eq 5, in [0, 1]")
    run.add_argument("--seed", type=int, required=True)
    defaults = "defaults: the workflow config's, schemas/config.schema.yaml"
    _add_training_options(p.add_argument_group(f"training ({defaults})"))
    _add_data_options(p.add_argument_group("data and machine"))
    out = p.add_argument_group("output")
    out.add_argument("--out", required=True, type=Path, help="output directory of the run")
    out.add_argument(
        "--checkpoint",
        type=Path,
        default=None,
        help="resume state (default: <out>.ckpt.pt, outside the output directory)",
    )
    out.add_argument("--quiet", action="store_true", help="no per-epoch log lines")
    return p


def _setting(group, flag: str, kind: type, text: str, **kwargs) -> None:
    """An option for the RunConfig field of the same name; --help shows its default."""
    from lb.training.config import RunConfig

    default = RunConfig.__dataclass_fields__[flag.removeprefix("--").replace("-", "_")].default
    group.add_argument(
        flag, type=kind, default=default, help=f"{text} (default: %(default)s)", **kwargs
    )


def _add_training_options(tr) -> None:
    from lb.training.config import PRECISIONS

    _setting(tr, "--batch-size", int, "mini-batch size")
    _setting(tr, "--lr", float, "Adam learning rate")
    _setting(
        tr,
        "--max-epochs",
        int,
        "upper bound on epochs (also E_total of Eq 10 unless --loss-params sets e_total)",
    )
    _setting(
        tr, "--warmup-epochs", int, "epochs of cross-entropy only before the distance term starts"
    )
    _setting(tr, "--val-fraction", float, "stratified share of the training set held out")
    _setting(tr, "--lr-factor", float, "ReduceLROnPlateau factor")
    _setting(tr, "--lr-patience", int, "ReduceLROnPlateau patience in epochs")
    _setting(tr, "--early-stopping-patience", int, "early-stopping patience in epochs")
    tr.add_argument(
        "--loss-params",
        default="{}",
        metavar="JSON",
        help=(
            "settings of the distance loss as a JSON object keyed by loss family (the config's "
            f"`losses:` block), e.g. '{LOSS_PARAMS_EXAMPLE}' (default: {{}}, each loss's "
            "defaults, the same as the config's)"
        ),
    )
    _setting(
        tr, "--dist-grad-every", int, "measure the distance-term gradient norm on every k-th batch"
    )
    _setting(
        tr,
        "--precision",
        str,
        "fp32, or bf16: the network's forward under bfloat16 autocast (losses in float32)",
        choices=PRECISIONS,
    )


def _add_data_options(da) -> None:
    da.add_argument("--data-root", default=None, help="dataset root (else $LB_DATA_ROOT, ./data)")
    da.add_argument("--download", action="store_true", help="download missing dataset files")
    da.add_argument("--cache-dir", default=None)
    da.add_argument(
        "--train-limit", type=int, default=None, help="stratified subset size (default: all)"
    )
    da.add_argument(
        "--test-limit", type=int, default=None, help="stratified subset size (default: all)"
    )
    _setting(da, "--device", str, "auto, cpu, cuda, cuda:N")
    da.add_argument("--num-threads", type=int, default=None, help="torch.set_num_threads")


def config_from_args(args: argparse.Namespace):
    """The :class:`RunConfig` the parsed arguments describe (raises ConfigError)."""
    from lb.errors import ConfigError
    from lb.training.config import RunConfig

    try:
        loss_params = json.loads(args.loss_params)
    except json.JSONDecodeError as err:
        raise ConfigError(
            f"--loss-params is not valid JSON ({err.msg}): {args.loss_params!r}"
        ) from None
    if not isinstance(loss_params, dict):
        raise ConfigError(f"--loss-params must be a JSON object, got {args.loss_params!r}")
    return RunConfig(
        dataset=args.dataset,
        model=args.model,
        method=args.method,
        lam=args.lam,
        seed=args.seed,
        batch_size=args.batch_size,
        lr=args.lr,
        max_epochs=args.max_epochs,
        warmup_epochs=args.warmup_epochs,
        val_fraction=args.val_fraction,
        lr_factor=args.lr_factor,
        lr_patience=args.lr_patience,
        early_stopping_patience=args.early_stopping_patience,
        loss_params=loss_params,
        data_root=args.data_root,
        download=args.download,
        cache_dir=args.cache_dir,
        device=args.device,
        train_limit=args.train_limit,
        test_limit=args.test_limit,
        num_threads=args.num_threads,
        dist_grad_every=args.dist_grad_every,
        precision=args.precision,
    )


def default_checkpoint(out: Path) -> Path:
    """``<out>.ckpt.pt`` beside the output directory (never inside it)."""
    out = Path(out)
    return out.parent / f"{out.name}.ckpt.pt"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from lb.training import train_run

        cfg = config_from_args(args)
        checkpoint = args.checkpoint or default_checkpoint(args.out)
        log = (lambda _msg: None) if args.quiet else (lambda msg: print(msg, flush=True))
        train_run(cfg, args.out, checkpoint, log=log)
    except Interrupted as err:
        print(f"{PROG}: {' '.join(str(err).split())}", file=sys.stderr)
        return 130
    except LBError as err:
        message = " ".join(str(err).split())  # always one line
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
