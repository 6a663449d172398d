"""``scout classify``: person or page for every row of a CSV, streamed."""

from __future__ import annotations

from pathlib import Path

from cli.console import console
from cli.options import AvatarCacheOption, FacesOption, ThresholdOption
from cli.streamed import (
    ChunkRowsOption,
    InputCsvOption,
    OutputCsvOption,
    OverwriteOption,
    run_streamed,
)


def classify(
    input_path: InputCsvOption,
    output_path: OutputCsvOption,
    threshold: ThresholdOption = 0.5,
    force: OverwriteOption = False,
    chunk_rows: ChunkRowsOption = 50_000,
    faces: FacesOption = False,
    avatar_cache: AvatarCacheOption = Path("data/avatars"),
) -> None:
    """Person or page? Adds account_type, is_person, person_probability, needs_review and
    evidence to each row.

    Optional input columns: platform, display_name, bio, followers, following, posts,
    sample_post, avatar_url; any other column passes through unchanged.

    Counts are read as platforms print them: 12.5K, 1.234, 1 234.
    """
    from flows.classify import avatar_face_column, classify_csv

    summary, seconds = run_streamed(
        input_path, threshold, "person threshold", "classifying", lambda on_chunk: classify_csv(
            input_path, output_path, threshold=threshold, force=force, chunk_rows=chunk_rows, on_chunk=on_chunk,
            face_column=avatar_face_column(avatar_cache) if faces else None))
    console.print(
        f"classified {summary.rows:,} rows in {seconds:.1f}s "
        f"({summary.rows / seconds if seconds else 0:,.0f} rows/s): {summary.persons:,} people"
        + (f", {summary.empty_rows:,} empty rows left blank" if summary.empty_rows else "")
        + f" -> {output_path}"
    )
