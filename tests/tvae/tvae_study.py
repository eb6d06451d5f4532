"""The triplet-VAE study on a small slice of digits through the step functions (CNN, both VAEs,
analysis, figures, context), as the workflow's adapters call them; conftest.py runs it once."""

from pathlib import Path

from lb.tvae import context, figures
from lb.tvae.analysis import StudyDirs, analyse
from lb.tvae.cnn import Machine, train_cnn
from lb.tvae.config import (
    AnalysisSettings,
    CNNSettings,
    VAEConfig,
    VAESettings,
    schema_defaults,
    step_settings,
)
from lb.tvae.data import DataOptions
from lb.tvae.vaes import train_study_vae

CFG = VAEConfig.from_block(
    {
        **schema_defaults(),
        "dataset": "digits",
        "epochs": 4,
        "cnn_epochs": 3,
        "batch_size": 64,
        "latent_dim": 8,
        "train_limit": 400,
        "test_limit": 150,
        "traversal_steps": 6,
        "top_k": 2,
        "n_examples": 2,
        "tsne_points": 60,
        "seed": 0,
    }
)
DATA = DataOptions()
REPO = Path(__file__).resolve().parents[2]
PAPER = REPO / "report" / "published" / "tvae_agreement.csv"
if not PAPER.exists():  # the shared copy beside the project
    PAPER = REPO.parent / "shared" / "paper" / "tvae_agreement.csv"


def quiet(line: str) -> None:
    pass


def settings(step: str):
    """The step's dataclass from its params, as the workflow's adapters read them."""
    params = step_settings(CFG, step)
    if step == "vanilla":
        return VAESettings.vanilla(params)
    cls = {"cnn": CNNSettings, "triplet": VAESettings, "analysis": AnalysisSettings}[step]
    return cls.from_params(params)


def run_study(root: Path) -> dict:
    """Every step into ``root`` (RESULTS/vae, like the workflow); the outputs the tests use."""
    train_cnn(
        settings("cnn"), 0, root / "cnn", root / "ckpt" / "cnn.pt", DATA, quiet, Machine("auto", 1)
    )
    for kind in ("triplet", "vanilla"):
        train_study_vae(settings(kind), kind, 0, root / kind, DATA, log=quiet)
    dirs = StudyDirs(root / "cnn", root / "triplet", root / "vanilla")
    summary = analyse(settings("analysis"), 0, dirs, root / "analysis", DATA, log=quiet)
    info = figures.make_figures(
        root / "analysis", root / "triplet", root / "vanilla", root / "figures"
    )
    inputs = context.ContextInputs(
        summaries=[root / "analysis" / "summary.json"],
        run_metrics={k: [root / k / "metrics.json"] for k in ("cnn", "triplet", "vanilla")},
        figures_json=root / "figures" / "figures.json",
        paper_csv=PAPER,
    )
    ctx = context.build_context(
        CFG, inputs, root.parent, root / "vae_context.json", root / "agreement.csv"
    )
    return {"root": root, "summary": summary, "info": info, "context": ctx, "dirs": dirs}
