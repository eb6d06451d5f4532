"""What every ``workflow_scripts/vae_*.py`` adapter does around its one call into lb.tvae:
open the rule's log, fix the torch thread count, and end a user-facing error
(:class:`lb.errors.LBError`) with its one-line message instead of a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from lb.errors import LBError


def run_step(smk: Any, step: Callable[[Callable[[str], None]], Any]) -> Any:
    """Call ``step(log)`` with ``log`` writing lines to the rule's log file (``smk.log[0]``).

    ``smk.params.num_threads`` (when the rule has it) sets ``torch.set_num_threads`` first, so the
    numbers do not depend on ``--cores``.
    """
    num_threads = getattr(smk.params, "num_threads", None)
    if num_threads:
        import torch

        torch.set_num_threads(int(num_threads))
    with open(smk.log[0], "a", encoding="utf-8") as log_file:

        def log(line: str) -> None:
            print(line, file=log_file, flush=True)

        try:
            return step(log)
        except LBError as err:
            log(f"{type(err).__name__}: {err}")
            sys.exit(f"{type(err).__name__}: {err}")
