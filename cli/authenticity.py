"""``scout authenticity``: real, bought or mass follower for every row of a CSV, streamed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli.console import USAGE_ERROR, clear_errors, console, err_console, fail
from cli.options import ThresholdOption
from flows.params import validate_input_file, validate_threshold


def authenticity(
    input_path: Annotated[Path, typer.Option("--input", "-i", help="CSV with at least a 'handle' column.")],
    output_path: Annotated[Path, typer.Option("--output", "-o", help="CSV to write: the input rows plus the verdict.")],
    threshold: ThresholdOption = 0.5,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    chunk_rows: Annotated[int, typer.Option("--chunk-rows", min=100, help="Rows per streamed chunk.")] = 50_000,
) -> None:
    """Real follower, bought one, or mass follower? Adds fake_probability, is_fake,
    follower_class and authenticity_evidence to each row.

    Optional input columns: display_name, bio, followers, following, posts, created_at,
    external_url, has_default_avatar, observed_at (when the account was seen; default now);
    any other column passes through unchanged.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.authenticity import authenticity_csv
    from flows.csv_stream import CsvInputError

    with clear_errors():
        validate_threshold(threshold)
        validate_input_file(input_path, "input CSV")
    started = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                  TimeElapsedColumn(), console=err_console, transient=True) as progress:
        bar = progress.add_task(f"judging {input_path.name}", total=None)
        try:
            summary = authenticity_csv(input_path, output_path, threshold=threshold, force=force,
                                       chunk_rows=chunk_rows, on_chunk=lambda n: progress.advance(bar, n))
        except CsvInputError as exc:
            raise fail(str(exc), USAGE_ERROR) from None
    seconds = time.perf_counter() - started
    console.print(
        f"judged {summary.rows:,} rows in {seconds:.1f}s: {summary.fake:,} fake, "
        f"{summary.mass_followers:,} mass followers"
        + (f", {summary.empty_rows:,} empty rows left blank" if summary.empty_rows else "")
        + f" -> {output_path}"
    )
