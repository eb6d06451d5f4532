"""The HTML report in a real browser (headless Chromium, Debian's ``chromium``): the page loads
without console errors, every image decodes, Tables 2-5 are present. Screenshots are kept under
``test-artifacts/report/``.

Reports checked: the synthetic full and partial reports rendered here, plus the workflow's
report under ``$LB_DEMO_RESULTS`` (``report/report.html``; .ci/run sets it to the demo's results)
and every file listed in ``$LB_BROWSER_REPORTS`` (``os.pathsep``-separated). Skipped only when no
Chromium is installed.
"""

import os
import tempfile
from pathlib import Path

import pytest
from cdp_pipe import Browser, find_chromium
from report_synthetic import render_synthetic

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report"
PAPER_TABLES = ("table2", "table3", "table4", "table5")

IMAGES_JS = """Promise.all(Array.from(document.images).map(img =>
    img.decode().then(() => [img.alt, img.naturalWidth], () => [img.alt, 0])))"""
TABLES_JS = f"""{list(PAPER_TABLES)}.map(id => {{
    const t = document.getElementById(id); return t ? t.rows.length : 0; }})"""
SECTIONS_JS = "Array.from(document.querySelectorAll('section[id]')).map(s => s.id)"
#: A laptop's window: Tables 2 and 3 must fit without horizontal scrolling.
LAPTOP_WIDTH = 1366
#: Horizontal overflow of the page and of Tables 2 and 3 (inside their scroll box and the window).
OVERFLOW_JS = """(() => {
  const root = document.documentElement;
  const tables = {};
  for (const id of ["table2", "table3"]) {
    const t = document.getElementById(id);
    if (!t) continue;
    const box = t.parentElement;
    tables[id] = {width: t.scrollWidth, box: box.clientWidth,
                  right: t.getBoundingClientRect().right, window: root.clientWidth};
  }
  return {page: root.scrollWidth, window: root.clientWidth, tables: tables};
})()"""


def inspect(html: Path, screenshot: Path | None = None, width: int = LAPTOP_WIDTH) -> dict:
    """Open ``html`` in headless Chromium (window ``width`` px wide): images (alt,
    naturalWidth), rows per paper table, horizontal overflow, console errors; optionally a
    full-page screenshot."""
    with (
        tempfile.TemporaryDirectory() as profile,
        Browser(CHROMIUM, Path(profile), width=width) as browser,
    ):
        browser.open(html.resolve().as_uri())
        result = {
            "images": browser.evaluate(IMAGES_JS),
            "tables": dict(zip(PAPER_TABLES, browser.evaluate(TABLES_JS), strict=True)),
            "title": browser.evaluate("document.title"),
            "sections": browser.evaluate(SECTIONS_JS),
            "overflow": browser.evaluate(OVERFLOW_JS),
        }
        if screenshot is not None:
            browser.screenshot(screenshot)
        result["errors"] = browser.console_errors()
    return result


def assert_report_reads(html: Path, name: str) -> dict:
    shot = ARTIFACTS / f"{name}.png"
    result = inspect(html, shot)
    assert result["errors"] == [], result["errors"]
    assert result["images"], "no images"
    broken = [alt for alt, width in result["images"] if width == 0]
    assert not broken, f"images that do not decode: {broken}"
    assert all(rows > 2 for rows in result["tables"].values()), result["tables"]
    assert shot.stat().st_size > 10_000
    return result


def assert_tables_fit_a_laptop(result: dict) -> None:
    """At 1,366 px the page does not scroll sideways and Tables 2 and 3 fit their boxes."""
    overflow = result["overflow"]
    assert overflow["page"] <= overflow["window"], overflow
    assert set(overflow["tables"]) == {"table2", "table3"}, overflow
    for t in overflow["tables"].values():
        assert t["width"] <= t["box"] and t["right"] <= t["window"], overflow


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return {
        "synthetic_full": render_synthetic(tmp_path_factory.mktemp("full")),
        "synthetic_partial": render_synthetic(tmp_path_factory.mktemp("partial"), partial=True),
    }


@pytest.mark.parametrize("name", ["synthetic_full", "synthetic_partial"])
def test_synthetic_report_in_chromium(reports, name):
    assert_tables_fit_a_laptop(assert_report_reads(reports[name], name))


def test_the_overflow_check_catches_a_wide_table(tmp_path):
    page = tmp_path / "wide.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
        '<div style="overflow-x:auto"><table id="table2"><tr><td style="min-width:2000px">1</td>'
        '</tr></table></div><table id="table3"><tr><td>1</td></tr></table></body></html>'
    )
    with pytest.raises(AssertionError):
        assert_tables_fit_a_laptop(inspect(page))


def workflow_reports() -> list[Path]:
    reports = [Path(p) for p in os.environ.get("LB_BROWSER_REPORTS", "").split(os.pathsep) if p]
    if os.environ.get("LB_DEMO_RESULTS"):
        reports.insert(0, Path(os.environ["LB_DEMO_RESULTS"]) / "report" / "report.html")
    return reports


WORKFLOW_REPORTS = workflow_reports()


@pytest.mark.parametrize(
    "html", WORKFLOW_REPORTS, ids=[f"{p.parent.parent.name}-{p.stem}" for p in WORKFLOW_REPORTS]
)
def test_workflow_report_in_chromium(html):
    assert html.is_file(), f"{html}: set by LB_DEMO_RESULTS/LB_BROWSER_REPORTS but not found"
    result = assert_report_reads(html, f"workflow_{html.parent.parent.name}_{html.stem}")
    assert_tables_fit_a_laptop(result)
    for section in ("tables", "figures", "beyond", "claims", "runs"):
        assert section in result["sections"], result["sections"]
    if (html.parent.parent / "vae" / "vae_context.json").is_file():
        assert "vae" in result["sections"], "the VAE study ran but its section is missing"


REPRODUCTION = Path(__file__).resolve().parents[2] / "docs" / "reproduction"
COMMON_SECTIONS = ("setup", "tables", "figures", "beyond", "claims", "runs")


@pytest.mark.parametrize(
    ("report", "sections"),
    [
        (REPRODUCTION / "report.html", COMMON_SECTIONS),  # the paper-length run, no VAE study
        (REPRODUCTION / "short-cpu" / "report.html", (*COMMON_SECTIONS, "vae")),
    ],
    ids=["paper-length", "short-cpu"],
)
def test_the_committed_reproduction_reports_in_chromium(report, sections):
    """The committed reports under docs/reproduction, as a reader opens them from the repository."""
    if not report.is_file():
        pytest.skip(f"{report} is not committed")
    result = assert_report_reads(report, "reproduction")
    assert_tables_fit_a_laptop(result)
    for section in sections:
        assert section in result["sections"], result["sections"]


def test_the_check_catches_broken_pages(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body>'
        '<img alt="bad" src="data:image/png;base64,AAAA"><table id="table2"><tr><td>1</td></tr>'
        '</table><script>console.error("boom"); undefinedFunction();</script></body></html>'
    )
    result = inspect(page)
    assert result["images"] == [["bad", 0]]
    assert result["tables"] == {"table2": 1, "table3": 0, "table4": 0, "table5": 0}
    assert any("boom" in e for e in result["errors"])
    assert any("undefinedFunction" in e or "Uncaught" in e for e in result["errors"])
