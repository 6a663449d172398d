"""``scout authenticity``: real, bought or mass follower for every row of a CSV, streamed."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.console import console
from cli.streamed import (
    ChunkRowsOption,
    InputCsvOption,
    OutputCsvOption,
    OverwriteOption,
    run_streamed,
)


def authenticity(
    input_path: InputCsvOption,
    output_path: OutputCsvOption,
    threshold: Annotated[float, typer.Option(
        "--threshold", help="Fake probability at which an account counts as bought.")] = 0.5,
    force: OverwriteOption = False,
    chunk_rows: ChunkRowsOption = 50_000,
) -> None:
    """Real follower, bought one, or mass follower? Adds fake_probability, is_fake,
    follower_class and authenticity_evidence to each row.

    Optional input columns: display_name, bio, followers, following, posts, created_at,
    external_url, has_default_avatar, observed_at (when the account was seen; default now);
    any other column passes through unchanged.
    """
    from flows.authenticity import authenticity_csv

    summary, seconds = run_streamed(
        input_path, threshold, "fake threshold", "judging", lambda on_chunk: authenticity_csv(
            input_path, output_path, threshold=threshold, force=force, chunk_rows=chunk_rows, on_chunk=on_chunk))
    console.print(
        f"judged {summary.rows:,} rows in {seconds:.1f}s: {summary.fake:,} fake, "
        f"{summary.mass_followers:,} mass followers"
        + (f", {summary.empty_rows:,} empty rows left blank" if summary.empty_rows else "")
        + f" -> {output_path}"
    )
