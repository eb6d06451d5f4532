"""The report's "Setup" section: this run's settings beside the papers'.

A reader comparing our numbers with the published ones first needs to know what differs: seeds,
epochs, early stopping, data, hardware. :func:`setup_rows` reads them from the validated config (and
the devices the runs were trained on) and puts each beside what the paper states, taken from the
seed texts (Latent Boost Section 3.3 and Table 4; the triplet-VAE paper gives no training
hyper-parameters). ``differs`` is True/False where the paper gives a comparable value and None where
it gives none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from lb.published import PAPER_SEEDS
from lb.vocabulary import dataset_label, format_lam

#: What the Latent Boost paper states (Section 3.3 unless noted).
PAPER_LR_FACTOR = 0.2  # "reduced the learning rate by factor 5"
PAPER_LR_PATIENCE = 10  # "when a plateau was reached after 10 epochs"
PAPER_EARLY_STOPPING = 20  # "early stopping metrics with 20 epochs patience"
PAPER_EXPERIMENTS = {
    "fashion_mnist": ("fashion_cnn", 0.75),
    "cifar10": ("vgg16", 0.75),
    "cifar100": ("resnet50", 0.5),
}  # Section 3.2 models; Table 4's best λ
PAPER_EPOCHS = "early stopping only (no maximum stated); Table 4: 35–41 (Fashion-MNIST), 66–76 (CIFAR-10), 69–87 (CIFAR-100) epochs on average"  # noqa: E501
PAPER_E_TOTAL = "“the conventional training period” (Section 4.3), not given in epochs; Table 4: the Fashion-MNIST baseline trained 40.67 epochs on average"  # noqa: E501
NOT_GIVEN = "not stated"


@dataclass
class SetupRow:
    study: str
    setting: str
    ours: str
    paper: str
    differs: bool | None  # None: the paper gives nothing to compare with


def _limit(value) -> str:
    return "all" if value in (None, 0) else f"a stratified subset of {int(value):,}"


def e_total_text(training: Mapping, latent_boost: Mapping | None) -> str:
    """The E_total of Eq 10 in force and which reading of the paper it follows."""
    from lb.losses.latent_boost import schedule_length

    e_total = (latent_boost or {}).get("e_total")
    max_epochs = training.get("max_epochs")
    value = schedule_length(e_total, max_epochs)
    if e_total is None:
        return f"{value} = max_epochs (reading (i): the run's maximum number of epochs)"
    return (
        f"{value} (reading (ii): the length of a conventional, cross-entropy-only training; "
        f"max_epochs {max_epochs}). The paper has β reach zero “after the first 20% of the "
        "conventional training period”, read as the epochs a conventional training takes "
        "(early stopping decides them), not this run's epoch cap"
    )


def _per_experiment(config: Mapping, text) -> str:
    """``text(training)`` of every experiment; one value when they agree, else per dataset."""
    from lb.workflow.config import experiment_training

    experiments = config.get("experiments") or {}
    if "training" not in config or not experiments:
        return text(config.get("training") or {})
    values = {
        exp["dataset"]: text(experiment_training(config, name)) for name, exp in experiments.items()
    }
    if len(set(values.values())) <= 1:
        return next(iter(values.values()))
    return "; ".join(f"{dataset_label(d)}: {v}" for d, v in values.items())


def latent_boost_rows(config: Mapping, run_devices: Iterable[str] = ()) -> list[SetupRow]:
    """Settings of the Latent Boost study (Tables 2-5)."""
    t = config.get("training") or {}
    plateau = (t.get("lr_factor"), t.get("lr_patience"))
    seeds = list(config.get("seeds") or [])
    latent_boost = (config.get("losses") or {}).get("latent_boost")
    rows: list[SetupRow] = []
    study = "Latent Boost"
    for exp in (config.get("experiments") or {}).values():
        dataset, model, lam = exp["dataset"], exp["model"], float(exp["best_lambda"])
        paper_model, paper_lam = PAPER_EXPERIMENTS.get(dataset, (None, None))
        paper = (
            f"{paper_model}, best λ {format_lam(paper_lam)}" if paper_model else "not in the paper"
        )
        rows.append(
            SetupRow(
                study,
                f"{dataset_label(dataset)}: model, Table 4 λ",
                f"{model}, best λ {format_lam(lam)}",
                paper,
                None if paper_model is None else (model, lam) != (paper_model, paper_lam),
            )
        )
    rows += [
        SetupRow(study, "seeds per setting", f"{len(seeds)} ({', '.join(map(str, seeds))})",
                 f"{PAPER_SEEDS}", len(seeds) != PAPER_SEEDS),
        SetupRow(study, "epochs", f"at most {t.get('max_epochs')}", PAPER_EPOCHS, True),
        SetupRow(study, "E_total of Eq 10 (schedule of α, β)",
                 _per_experiment(config, lambda tr: e_total_text(tr, latent_boost)),
                 PAPER_E_TOTAL, None),
        SetupRow(study, "early stopping patience (validation accuracy)",
                 str(t.get("early_stopping_patience")), str(PAPER_EARLY_STOPPING),
                 t.get("early_stopping_patience") != PAPER_EARLY_STOPPING),
        SetupRow(study, "learning-rate plateau: factor, patience",
                 f"{t.get('lr_factor')}, {t.get('lr_patience')}",
                 f"{PAPER_LR_FACTOR}, {PAPER_LR_PATIENCE}",
                 plateau != (PAPER_LR_FACTOR, PAPER_LR_PATIENCE)),
        SetupRow(study, "optimizer, learning rate", f"Adam, {t.get('lr')}",
                 f"Adam, {NOT_GIVEN}", None),
        SetupRow(study, "batch size", str(t.get("batch_size")), NOT_GIVEN, None),
        SetupRow(study, "precision (network forward)",
                 _per_experiment(config, lambda tr: str(tr.get("precision", "fp32"))),
                 NOT_GIVEN, None),
        SetupRow(study, "cross-entropy-only warm-up epochs", str(t.get("warmup_epochs")),
                 "“several normal epochs” (Section 6.3)", None),
        SetupRow(study, "training / test images",
                 f"{_limit(t.get('train_limit'))} / {_limit(t.get('test_limit'))}; "
                 f"{t.get('val_fraction')} of training held out for validation",
                 f"all; validation split {NOT_GIVEN}", None),
    ]  # fmt: skip
    devices = sorted({str(d) for d in run_devices if d == d and str(d)})
    rows.append(SetupRow(study, "hardware", ", ".join(devices) or "—", NOT_GIVEN, None))
    return rows


def vae_rows(vae: Mapping | None) -> list[SetupRow]:
    """Settings of the triplet-VAE study (none when it is off)."""
    if not vae or not vae.get("enabled", True):
        return []
    study = "triplet VAE"
    none = "not stated (the paper gives no training hyper-parameters)"
    return [
        SetupRow(study, "data", f"{vae.get('dataset')}: training {_limit(vae.get('train_limit'))}"
                 f", test {_limit(vae.get('test_limit'))}", "MNIST", vae.get("dataset") != "mnist"),
        SetupRow(study, "seeds", str(len(vae.get("seeds") or [])), none, None),
        SetupRow(study, "CNN under test: model, epochs", f"{vae.get('cnn_model') or 'default'}, "
                 f"{vae.get('cnn_epochs')}", "a CNN; " + none, None),
        SetupRow(study, "VAE: latent size, epochs, β, α (triplet), margin",
                 f"{vae.get('latent_dim')}, {vae.get('epochs')}, {vae.get('beta')}, "
                 f"{vae.get('alpha')}, {vae.get('margin')}", none, None),
    ]  # fmt: skip


def setup_rows(config: Mapping | None, run_devices: Iterable[str] = ()) -> list[dict]:
    """Every setup row as a plain dict for the template (Latent Boost rows, then VAE rows)."""
    config = config or {}
    rows = latent_boost_rows(config, run_devices) + vae_rows(config.get("vae"))
    return [row.__dict__.copy() for row in rows]
