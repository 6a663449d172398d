"""The one way a bench script reports a headline figure to `make bench` (bench/table.py)."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path


def this_command() -> str:
    """The command that is running, as a user would type it from the checkout."""
    script = Path(sys.argv[0])
    shown = f"bench/{script.name}" if script.parent.name == "bench" else str(script)
    return " ".join([".venv/bin/python", shown, *map(shlex.quote, sys.argv[1:])])


def emit(figure: str, value: float, unit: str, *, target: str = "", command: str | None = None,
         **extra: object) -> None:
    """Print ``BENCH {json}``: the line bench/table.py collects into its table, with the load
    average beside it (on a shared machine a wall time says as much about the neighbours)."""
    line = {"figure": figure, "value": value, "unit": unit, "command": command or this_command(),
            "load_avg_1m": round(os.getloadavg()[0], 2)}
    if target:
        line["target"] = target
    print("BENCH " + json.dumps({**line, **extra}), flush=True)
