"""``python -m bench [--tiny] [--only NAME ...]``: run the benchmarks, print one markdown table.

The table has one row per measurement (see :mod:`bench` for the row format), all measured in this
one run, after a description of the machine (CPU model, cores, memory, torch version and threads,
device, load average). ``--only demo`` runs the long demo end to end (not part of the default).
``--json PATH`` also writes the rows and the machine description as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
import traceback
from importlib import metadata

from bench import BENCHMARKS, DEFAULT_BENCHMARKS, RATIO_SPEEDUP, RATIO_TIME, ROW_KEYS


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_average() -> tuple[float, float, float] | None:
    try:
        return tuple(round(x, 2) for x in os.getloadavg())
    except OSError:
        return None


def machine() -> dict:
    """What the numbers were measured on."""
    import torch

    from lb.device import pick_device
    from lb.report.provenance import cpu_model

    device = pick_device("auto")
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu_model(),
        "logical_cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "device": str(device)
        + (f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""),
        "versions": {
            name: _version(name)
            for name in ("numpy", "scikit-learn", "openTSNE", "snakemake", "torchvision")
        },
    }


def machine_markdown(info: dict, loads: list[tuple[str, object]]) -> str:
    mem = f"{info['memory_gib']:.1f} GiB" if info["memory_gib"] else "unknown"
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    lines = [
        f"- CPU: {info['cpu']}, {info['logical_cores']} logical cores "
        f"({info['usable_cores']} usable), {mem} RAM",
        f"- OS: {info['os']}, Python {info['python']}",
        f"- torch {info['torch']}: {info['torch_threads']} intra-op / "
        f"{info['torch_interop_threads']} inter-op threads, device {info['device']}",
        f"- {versions}",
    ]
    lines += [f"- load average (1, 5, 15 min) {when}: {value}" for when, value in loads]
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1.0:
        return f"{value * 1e3:.2f} ms"
    return f"{value:.2f} s"


def ratio_kind(r: dict) -> str:
    """Whether ``ratio`` is a time ratio (ours / baseline) or a speed-up (baseline / ours)."""
    if r.get("ratio_kind"):
        return r["ratio_kind"]
    target = str(r.get("target") or "").replace("≤", "<=")
    return RATIO_TIME if target.startswith("<=") else RATIO_SPEEDUP


def _ratio_text(r: dict) -> str:
    if r.get("ratio") is None:
        return ""
    if ratio_kind(r) == RATIO_TIME:
        return f"{r['ratio']:.3f}× the time"
    return f"{r['ratio']:.2f}× faster"


def _note(key: str, value) -> str:
    if isinstance(value, float):
        return f"{key} {value:.3g}"
    if isinstance(value, dict):
        inner = ", ".join(
            f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items()
        )
        return f"{key}: {inner}"
    return f"{key} {value}"


def markdown(rows: list[dict]) -> str:
    """One markdown table of all rows."""
    lines = [
        "| benchmark | case | ours | baseline | ours time | baseline time | ratio | target "
        "| met | notes |",
        "|---|---|---|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        met = {True: "yes", False: "**NO**", None: ""}[r.get("met")]
        target = r.get("target") or "—"
        notes = "; ".join(_note(k, v) for k, v in r.items() if k not in ROW_KEYS)
        cells = [
            r.get("benchmark", ""),
            r.get("case", ""),
            r.get("ours", ""),
            r.get("baseline", ""),
            _seconds(r.get("ours_seconds")),
            _seconds(r.get("baseline_seconds")),
            _ratio_text(r),
            target,
            met,
            notes,
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def run_benchmarks(names, tiny: bool, log=print) -> tuple[list[dict], list[tuple[str, object]]]:
    """Run the named benchmarks in order; a failing one gives a row saying so (and its error)."""
    rows: list[dict] = []
    loads: list[tuple[str, object]] = [("at start", load_average())]
    for name in names:
        module_name, function = BENCHMARKS[name]
        start = time.perf_counter()
        log(f"[bench] {name} ...", flush=True)
        try:
            module = importlib.import_module(module_name)
            rows += getattr(module, function)(tiny=tiny)
        except Exception as err:  # report and go on with the others
            traceback.print_exc(file=sys.stderr)
            message = str(err).strip().splitlines()[0] if str(err).strip() else ""
            rows.append(
                {
                    "benchmark": name,
                    "case": f"FAILED: {type(err).__name__}: {message}",
                    "target": "",
                    "met": False,
                    "failed": True,
                }
            )
        seconds = time.perf_counter() - start
        loads.append((f"after {name} ({seconds:.0f} s)", load_average()))
        log(f"[bench] {name} done in {seconds:.1f} s, load {load_average()}", flush=True)
    return rows, loads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="smoke run: tiny sizes, one repeat")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        choices=list(BENCHMARKS),
        help=f"run only these, in this order (choices: {', '.join(BENCHMARKS)}; "
        f"default: all but demo)",
    )
    parser.add_argument("--threads", type=int, help="torch.set_num_threads for this process")
    parser.add_argument("--json", metavar="PATH", help="also write rows + machine as JSON")
    args = parser.parse_args(argv)

    import torch

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    names = args.only or list(DEFAULT_BENCHMARKS)
    info = machine()
    rows, loads = run_benchmarks(names, args.tiny, log=lambda *a, **k: print(*a, **k))
    print()
    print("## Machine\n")
    print(machine_markdown(info, loads))
    print()
    print(f"## Results{' (--tiny: smoke run, not measurements)' if args.tiny else ''}\n")
    print(markdown(rows))
    if args.json:
        from lb import io

        io.write_json(args.json, {"machine": info, "load_average": loads, "rows": rows})
    return 1 if any(r.get("failed") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
