"""Render the HTML report with Jinja2: ``StrictUndefined`` (a missing value is an error, never
an empty cell) and autoescaping on (a run name or config value cannot inject markup).

The output is one self-contained file: CSS inline, figures as base64 PNG ``data:`` URIs, no
scripts and no external resources.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import jinja2

from lb import io

#: report/templates of the source tree this package was imported from.
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "report" / "templates"
MAIN_TEMPLATE = "report.html.j2"
VAE_TEMPLATE = "_vae.html.j2"


def make_environment(template_dir: str | os.PathLike = DEFAULT_TEMPLATE_DIR) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(context: Mapping, template_dir: str | os.PathLike = DEFAULT_TEMPLATE_DIR) -> str:
    """The report as a string. The VAE section is included only when the context has ``vae``
    and ``_vae.html.j2`` exists in ``template_dir`` (``vae_template`` says whether it does)."""
    template_dir = Path(template_dir)
    ctx = dict(context)
    ctx["vae_template"] = (
        bool(ctx.get("vae_template", True)) and (template_dir / VAE_TEMPLATE).is_file()
    )
    return make_environment(template_dir).get_template(MAIN_TEMPLATE).render(**ctx)


def render_report(
    context: Mapping,
    out_path: str | os.PathLike,
    template_dir: str | os.PathLike = DEFAULT_TEMPLATE_DIR,
) -> str:
    """Render and write ``out_path`` atomically; returns the HTML."""
    html = render_html(context, template_dir)
    io.write_text(out_path, html)
    return html
