"""The command-line options every training command takes, parsed one way."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from training.cv import JOBS


def training_args(argv: list[str] | None, doc: str, data: Path, out: Path, data_help: str | None = None,
                  extra: Callable[[argparse.ArgumentParser], None] | None = None) -> argparse.Namespace:
    """--data, --out, --no-nested (a quick run without the nested CV) and --jobs; ``extra`` adds a
    model's own options."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    if extra is not None:
        extra(ap)
    ap.add_argument("--data", type=Path, default=data, help=data_help)
    ap.add_argument("--out", type=Path, default=out)
    ap.add_argument("--no-nested", action="store_true", help="skip the nested CV (quick run)")
    ap.add_argument("--jobs", type=int, default=JOBS, help="processes for the grid search")
    return ap.parse_args(argv)
