"""``scout classify``: person or page for every row of a CSV, streamed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cli.console import USAGE_ERROR, clear_errors, console, err_console, fail
from cli.options import AvatarCacheOption, FacesOption, ThresholdOption
from flows.params import validate_input_file, validate_threshold


def classify(
    input_path: Annotated[Path, typer.Option("--input", "-i", help="CSV with at least a 'handle' column.")],
    output_path: Annotated[Path, typer.Option("--output", "-o", help="CSV to write: the input rows plus the verdict.")],
    threshold: ThresholdOption = 0.5,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    chunk_rows: Annotated[int, typer.Option("--chunk-rows", min=100, help="Rows per streamed chunk.")] = 50_000,
    faces: FacesOption = False,
    avatar_cache: AvatarCacheOption = Path("data/avatars"),
) -> None:
    """Person or page? Adds account_type, is_person, person_probability, needs_review and
    evidence to each row.

    Optional input columns: platform, display_name, bio, followers, following, posts,
    sample_post, avatar_url; any other column passes through unchanged.

    Counts are read as platforms print them: 12.5K, 1.234, 1 234.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from flows.classify import avatar_face_column, classify_csv
    from flows.csv_stream import CsvInputError

    with clear_errors():
        validate_threshold(threshold)
        validate_input_file(input_path, "input CSV")
    started = time.perf_counter()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                  TimeElapsedColumn(), console=err_console, transient=True) as progress:
        bar = progress.add_task(f"classifying {input_path.name}", total=None)
        try:
            summary = classify_csv(input_path, output_path, threshold=threshold, force=force,
                                   chunk_rows=chunk_rows, on_chunk=lambda n: progress.advance(bar, n),
                                   face_column=avatar_face_column(avatar_cache) if faces else None)
        except CsvInputError as exc:
            raise fail(str(exc), USAGE_ERROR) from None
    seconds = time.perf_counter() - started
    console.print(
        f"classified {summary.rows:,} rows in {seconds:.1f}s "
        f"({summary.rows / seconds if seconds else 0:,.0f} rows/s): {summary.persons:,} people"
        + (f", {summary.empty_rows:,} empty rows left blank" if summary.empty_rows else "")
        + f" -> {output_path}"
    )
