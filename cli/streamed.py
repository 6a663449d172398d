"""What the streamed CSV commands (``classify``, ``authenticity``, ``classify-posts``) share: input checks first,
a spinner with the row count, bad input as one line with exit code 2."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from cli.console import USAGE_ERROR, clear_errors, err_console, fail
from flows.params import validate_input_file, validate_threshold

Summary = TypeVar("Summary")

InputCsvOption = Annotated[Path, typer.Option("--input", "-i", help="CSV with at least a 'handle' column.")]
OutputCsvOption = Annotated[
    Path, typer.Option("--output", "-o", help="CSV to write: the input rows plus the verdict.")]
OverwriteOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
ChunkRowsOption = Annotated[int, typer.Option("--chunk-rows", min=100, help="Rows per streamed chunk.")]


def run_streamed(input_path: Path, threshold: float | None, threshold_name: str, doing: str,
                 run: Callable[[Callable[[int], None]], Summary]) -> tuple[Summary, float]:
    """``run(on_chunk)`` under a progress spinner; returns its summary and the seconds taken.
    ``threshold_name`` says what the probability is of, in the error for a bad one; a command
    without a threshold passes None."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.csv_stream import CsvInputError

    with clear_errors():
        if threshold is not None:
            validate_threshold(threshold, threshold_name)
        validate_input_file(input_path, "input CSV")
    started = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                  TimeElapsedColumn(), console=err_console, transient=True) as progress:
        bar = progress.add_task(f"{doing} {input_path.name}", total=None)
        try:
            summary = run(lambda n: progress.advance(bar, n))
        except CsvInputError as exc:
            raise fail(str(exc), USAGE_ERROR) from None
    return summary, time.perf_counter() - started
