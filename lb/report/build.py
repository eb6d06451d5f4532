"""File-level entry point of the report rules: read the workflow's files (tables, finished
figures, the VAE study's context), build the context, render ``report.html`` or, from the partial
tables and figures, ``report_partial.html`` (:func:`build_report`)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from lb import io
from lb.errors import DataError
from lb.published import tvae_agreement_fractions
from lb.report import provenance
from lb.report.claim_row import claims_table
from lb.report.context import build_context
from lb.report.embed import png_data_uri
from lb.report.render import DEFAULT_TEMPLATE_DIR, render_report
from lb.report.setup_section import setup_rows
from lb.tables import read_runs, read_summary
from lb.vocabulary import best_lambdas
from lb.workflow.config import experiment_training


def training_by_dataset(config: Mapping, key: str) -> dict[str, int]:
    """Dataset -> the training setting ``key`` of its experiment (the top-level ``training``
    block with the experiment's overrides); datasets without the key are left out."""
    config = {**config, "training": config.get("training") or {}}
    out = {}
    for name, exp in (config.get("experiments") or {}).items():
        value = experiment_training(config, name).get(key)
        if value is not None:
            out[str(exp["dataset"])] = int(value)
    return out


def max_epochs_by_dataset(config: Mapping) -> dict[str, int]:
    """Dataset -> the configured maximum number of epochs of its experiment (for claim (c))."""
    return training_by_dataset(config, "max_epochs")


def read_csv_or_none(path: str | os.PathLike | None) -> pd.DataFrame | None:
    """A figure's data CSV (None when not given or absent, e.g. a partial report)."""
    if not path or not Path(path).is_file():
        return None
    try:
        return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        return None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: not a readable CSV ({err}); re-run its figure rule") from None


def load_vae_context(path: str | os.PathLike | None) -> dict | None:
    """``vae_context.json`` of the VAE study, or None when the study is off (no path)."""
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: not found; run the VAE rules (vae.enabled) first") from None
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: unreadable ({err}); delete it and rerun the VAE rules") from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object; delete it and rerun the VAE rules")
    return data


def vae_images(vae: Mapping | None, results_dir: str | os.PathLike) -> dict[str, dict]:
    """The VAE figures (``vae["figures"]``: name -> path relative to RESULTS) as data URIs:
    name -> {"src", "width", "height"} for ``_vae.html.j2``."""
    images = {}
    for name, rel in ((vae or {}).get("figures") or {}).items():
        src, width, height = png_data_uri(Path(results_dir) / rel)
        images[str(name)] = {"src": src, "width": width, "height": height}
    return images


def paper_agreement(path: str | os.PathLike | None) -> dict[int, float] | None:
    """The triplet-VAE paper's agreement table, case -> fraction (claim (f))."""
    if not path or not Path(path).is_file():
        return None
    return tvae_agreement_fractions(path)


def report_context(
    *,
    summary_csv: str | os.PathLike,
    runs_csv: str | os.PathLike,
    figures: Mapping[str, str | os.PathLike | None],
    figure_data: Mapping[str, str | os.PathLike | None],
    config: Mapping,
    results_dir: str | os.PathLike,
    expected_runs: Iterable[Mapping] | None = None,
    vae_context: str | os.PathLike | None = None,
    published_tvae: str | os.PathLike | None = None,
    partial: bool = False,
    made_by: Mapping | None = None,
    repo_dir: str | os.PathLike = ".",
    config_name: str = "",
) -> dict:
    """The report's template context from the workflow's files (see :func:`build_report`)."""
    summary, runs = read_summary(summary_csv), read_runs(runs_csv)
    vae = load_vae_context(vae_context)
    prov = provenance.collect(
        config, repo_dir=repo_dir, run_devices=runs["device"], config_file=config_name
    )
    context = build_context(
        summary,
        runs,
        figures,
        prov,
        expected_runs=expected_runs,
        best_lams=best_lambdas(config),
        pca=read_csv_or_none(figure_data.get("pca_dims")),
        grad=read_csv_or_none(figure_data.get("grad_norm")),
        figure3_trials=read_csv_or_none(figure_data.get("figure3")),
        vae=vae,
        paper_agreement=paper_agreement(published_tvae),
        partial=partial,
        made_by=made_by,
        config_name=config_name,
        setup=setup_rows(config, runs["device"]),
        max_epochs=max_epochs_by_dataset(config),
        warmup_epochs=training_by_dataset(config, "warmup_epochs"),
    )
    context["vae_images"] = vae_images(vae, results_dir)
    return context


def build_report(
    *,
    out_html: str | os.PathLike,
    template_dir: str | os.PathLike = DEFAULT_TEMPLATE_DIR,
    claims_csv: str | os.PathLike | None = None,
    provenance_json: str | os.PathLike | None = None,
    **kwargs,
) -> str:
    """Render the report from the workflow's files; returns the HTML (also written).

    ``kwargs`` are :func:`report_context`'s. ``claims_csv`` / ``provenance_json``: also write the
    claims exactly as the report shows them (:func:`lb.report.claim_row.claims_table`) and the
    provenance footer's data (git commit, config hash, packages, devices, date)."""
    context = report_context(**kwargs)
    html = render_report(context, out_html, template_dir)
    if claims_csv:
        io.write_csv(claims_table(context["claims"]), claims_csv)
    if provenance_json:
        io.write_json(provenance_json, context["provenance"])
    return html
