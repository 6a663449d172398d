"""``scout classify-posts``: paid, gifted, affiliate or organic for every post of a CSV, streamed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.console import console
from cli.streamed import ChunkRowsOption, OutputCsvOption, OverwriteOption, run_streamed

PostsCsvOption = Annotated[Path, typer.Option("--input", "-i", help="CSV of posts with at least a 'text' column.")]


def classify_posts(
    input_path: PostsCsvOption,
    output_path: OutputCsvOption,
    force: OverwriteOption = False,
    chunk_rows: ChunkRowsOption = 50_000,
) -> None:
    """How was each post made with a brand? Adds collab_kind (paid, gifted, affiliate or organic),
    is_sponsored (paid), partners (the @brands it names) and collab_evidence to each row.

    Only a 'text' column is required; 'handle' (the author, left out of partners) and any other
    column pass through unchanged.
    """
    from flows.classify_posts import classify_posts_csv

    summary, seconds = run_streamed(
        input_path, None, "", "classifying posts", lambda on_chunk: classify_posts_csv(
            input_path, output_path, force=force, chunk_rows=chunk_rows, on_chunk=on_chunk))
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in summary.kinds.items())
    console.print(f"classified {summary.rows:,} posts in {seconds:.1f}s: {kinds} -> {output_path}")
