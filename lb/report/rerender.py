"""Re-render a published run's report (``python -m lb.report.publish``) from its published files.

``python -m lb.report.rerender --pub docs/reproduction`` renders ``report.html``, ``claims.csv``
and ``claims.md`` again with the current report code, from what the folder already holds: the tidy
tables, the figures' data CSVs, the VAE study's context, the config as run, and the figures
themselves, which the earlier report embedded as PNG data URIs (decoded back to the same bytes;
nothing is trained, evaluated or drawn again). ``provenance.json`` then describes this rendering
(the commit and date of the report code) and ``publish.json`` records it under
``report_rerendered``. A figure missing from the earlier report is an error.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import re
import sys
import tempfile
from pathlib import Path

import yaml

from lb import io
from lb.errors import DataError, LBError
from lb.published import TVAE_AGREEMENT
from lb.report.build import build_report
from lb.report.claims_markdown import write_claims_markdown
from lb.report.provenance import git_commit
from lb.vocabulary import FIGURE_NAMES
from lb.workflow.config import load_config
from lb.workflow.runs import aggregation_spec

_FIGURE = re.compile(
    r'<figure id="(?P<id>[\w-]+)">\s*<img src="data:image/png;base64,(?P<data>[A-Za-z0-9+/=]+)"'
)


_RULE_AND_SCRIPT = r"rule <code>(?P<rule>[^<]*)</code> \(<code>(?P<script>[^<]*)</code>\)"
_MADE_BY = r'<p class="made-by">Made by ' + _RULE_AND_SCRIPT
_FIGURE_MADE_BY = re.compile(
    r'<figure id="(?P<id>[\w-]+)">(?:(?!<figure ).)*?</figure>\s*' + _MADE_BY, re.DOTALL
)
_TABLES_MADE_BY = re.compile(_MADE_BY + r" from <code>tables/summary.csv</code>")
_REPORT_MADE_BY = re.compile(r"<p>Rendered by " + _RULE_AND_SCRIPT)


def made_by(html: str) -> dict[str, dict[str, str]]:
    """What made the tables, each figure and the page, as the previous report names it (the
    report rules pass it; a re-render keeps it)."""
    out = {
        m["id"]: {"rule": m["rule"], "script": m["script"]} for m in _FIGURE_MADE_BY.finditer(html)
    }
    if m := _TABLES_MADE_BY.search(html):
        out["tables"] = {"rule": m["rule"], "script": m["script"]}
    if m := _REPORT_MADE_BY.search(html):
        out["report"] = {"rule": m["rule"], "script": m["script"]}
    return out


def embedded_figures(html: str) -> dict[str, bytes]:
    """``<figure id=...>`` -> the PNG bytes of its embedded image."""
    return {m["id"]: base64.b64decode(m["data"]) for m in _FIGURE.finditer(html)}


def config_as_run(raw: dict) -> dict:
    """The validated config (defaults filled in, the same hash as the run's), checked without the
    datasets on disk: nothing is read from them here."""
    config = load_config({**raw, "download": True})
    config["download"] = raw.get("download", False)
    return config


def rerender(pub: str | Path, repo_dir: str | Path = ".", published_tvae=TVAE_AGREEMENT) -> str:
    """Render ``pub/report.html``, ``pub/claims.csv`` and ``pub/claims.md`` again; returns the
    HTML."""
    pub = Path(pub)
    old = pub / "report.html"
    if not old.is_file():
        raise DataError(f"{old}: not found; publish a finished run first (lb.report.publish)")
    old_html = old.read_text(encoding="utf-8")
    images = embedded_figures(old_html)
    publish_json = pub / "publish.json"
    info = json.loads(publish_json.read_text()) if publish_json.is_file() else {}
    config = config_as_run(yaml.safe_load((pub / "config.yaml").read_text(encoding="utf-8")))
    vae_json = pub / "vae" / "vae_context.json"
    vae = json.loads(vae_json.read_text()) if vae_json.is_file() else None
    commit = git_commit(repo_dir)
    with tempfile.TemporaryDirectory(prefix="lb-rerender-") as tmp:
        tmp = Path(tmp)
        figures = {}
        for name in FIGURE_NAMES:
            if name not in images:
                raise DataError(f"{old}: figure {name!r} is not embedded; cannot re-render")
            figures[name] = tmp / "figures" / f"{name}.png"
            figures[name].parent.mkdir(parents=True, exist_ok=True)
            io.write_bytes(figures[name], images[name])
        for name, rel in ((vae or {}).get("figures") or {}).items():
            if f"vae-{name}" not in images:
                raise DataError(f"{old}: VAE figure {name!r} is not embedded; cannot re-render")
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            io.write_bytes(tmp / rel, images[f"vae-{name}"])
        html = build_report(
            out_html=pub / "report.html",
            claims_csv=pub / "claims.csv",
            provenance_json=pub / "provenance.json",
            summary_csv=pub / "tables" / "summary.csv",
            runs_csv=pub / "tables" / "runs.csv",
            figures=figures,
            figure_data={name: pub / "figures" / f"{name}.csv" for name in FIGURE_NAMES},
            config=config,
            results_dir=tmp,
            expected_runs=aggregation_spec(config)["runs"],
            vae_context=vae_json if vae is not None else None,
            published_tvae=published_tvae,
            repo_dir=repo_dir,
            made_by=made_by(old_html),
            config_name=str(info.get("config_file", "config.yaml")),
        )
    write_claims_markdown(pub / "claims.csv", pub / "claims.md")
    if info:
        info["files"] = sorted({*info.get("files", []), "claims.md"})
        info["report_rerendered"] = {
            "git_commit": commit,
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            "how": "python -m lb.report.rerender (report.html, claims.csv, claims.md and "
            "provenance.json from the published tables, figure data, VAE context and the "
            "figures embedded in the previous report.html)",
        }
        io.write_json(publish_json, info)
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pub", required=True, help="a folder made by lb.report.publish")
    parser.add_argument("--repo", default=".", help="the checkout (for the git commit)")
    args = parser.parse_args(argv)
    try:
        rerender(args.pub, args.repo)
    except LBError as err:
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print(f"re-rendered {Path(args.pub) / 'report.html'}, claims.csv and claims.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
