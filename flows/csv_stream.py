"""A CSV of accounts in, the same rows plus added columns out, streamed: what ``scout classify``
and ``scout authenticity`` share.

Chunks keep a million rows in bounded memory. Every value is read as text, exactly as written,
so pass-through columns come out unchanged. Output goes to a temp file renamed at the end, so a
bad row late in the file leaves no half-written output behind. Errors are ``CsvInputError``s
naming the file and, where they can, the line.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from core.errors import InputError
from scrapers.counts import parse_count
from transforms.normalize import strip_html

REQUIRED_COLUMN = "handle"
DEFAULT_CHUNK_ROWS = 50_000

# (chunk, index of its first data row in the file) -> the chunk's output rows
ChunkTransform = Callable[[pd.DataFrame, int], pd.DataFrame]


class CsvInputError(InputError):
    """Bad input CSV; the message names the file and, where it can, the line."""


def line_of_row(path: Path, row: int) -> int:
    """The physical line where data row ``row`` (0-based) starts; quoted newlines counted."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        start = reader.line_num + 1
        for index, _ in enumerate(reader):
            if index == row:
                return start
            start = reader.line_num + 1
    return start


def _check_first_row(path: Path) -> None:
    """pandas reads a first data row longer than the header as an index, shifting every value
    (``a,b,c,d`` under ``handle,display_name`` became handle ``c``); later rows it refuses."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        first = next(reader, [])
        if len(first) > len(header):
            raise CsvInputError(f"{path}: malformed CSV: Expected {len(header)} fields in line "
                                f"{reader.line_num}, saw {len(first)}")


def _chunks(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """Every value as text, exactly as written, so pass-through columns come out unchanged."""
    try:
        _check_first_row(path)
        reader = pd.read_csv(
            path, dtype=str, keep_default_na=False, chunksize=chunk_rows,
            encoding="utf-8-sig", on_bad_lines="error",
        )
        with reader:
            yield from reader
    except pd.errors.EmptyDataError:
        raise CsvInputError(f"{path} is empty; expected a CSV header with a 'handle' column") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).replace("Error tokenizing data. C error: ", "").strip()
        raise CsvInputError(f"{path}: malformed CSV: {detail}") from None
    except UnicodeDecodeError as exc:
        raise CsvInputError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def parse_counts(chunk: pd.DataFrame, columns: Sequence[str], first_row: int, path: Path
                 ) -> dict[str, pd.Series]:
    """Count columns as numbers through the shared count parser ("12.5K", "1.234", "1 234");
    text that is not a count, or a negative one, is an error naming its line. Plain digits,
    most of a large file, skip the parser (so do pandas' float counts "1200.0", which the parser
    would refuse; "1.000" is a German thousand); other texts are parsed once each."""
    out: dict[str, pd.Series] = {}
    for column in columns:
        if column not in chunk:
            continue
        raw = chunk[column].str.strip()
        digits = raw.str.fullmatch(r"\d+(?:\.0{1,2})?").to_numpy(dtype=bool)
        plain = pa.chunked_array(pa.array(raw.where(digits).array)).combine_chunks()
        numbers = pd.Series(pd.array(pa.compute.cast(plain, pa.float64()), dtype="Float64"), index=raw.index)
        others = np.flatnonzero(~digits & raw.ne("").to_numpy())
        if others.size:
            texts = raw.iloc[others]
            parsed = {t: None if t[0] in "-\u2212" else parse_count(t) for t in texts.unique()}
            values = texts.map(parsed)
            numbers.iloc[others] = values.astype("Float64").to_numpy()
            if values.isna().any():
                at = int(others[values.isna().to_numpy().nonzero()[0][0]])
                problem = "a negative count" if raw.iloc[at][0] in "-\u2212" else "not a number"
                raise row_error(path, first_row + at, f"{column} is {chunk[column].iloc[at]!r}, {problem}")
        out[column] = numbers
    return out


def model_inputs(chunk: pd.DataFrame, *, passed: Sequence[str], texts: Sequence[str]) -> pd.DataFrame:
    """The columns a model reads, those the chunk has: ``passed`` as written, ``texts`` with
    HTML stripped (a bio pasted from a page reads as its text)."""
    inputs = pd.DataFrame(index=chunk.index)
    for column in passed:
        if column in chunk:
            inputs[column] = chunk[column]
    for column in texts:
        if column in chunk:
            inputs[column] = strip_html(chunk[column])
    return inputs


def row_error(path: Path, row: int, problem: str) -> CsvInputError:
    """An error naming the line of data row ``row`` (0-based, counted over the whole file)."""
    return CsvInputError(f"{path} line {line_of_row(path, row)}: {problem}")


def empty_rows(chunk: pd.DataFrame) -> pd.Series:
    """Rows with nothing in them: left blank in the output, nothing invented."""
    return chunk.eq("").all(axis=1)


def as_text_bool(values: pd.Series) -> pd.Series:
    """True/False as the CSV's "true"/"false" (missing stays missing)."""
    return values.map({True: "true", False: "false"})


def stream_csv(
    input_path: Path,
    output_path: Path,
    *,
    added_columns: Sequence[str],
    transform: ChunkTransform,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    force: bool = False,
    on_chunk: Callable[[int], None] | None = None,
    required: str = REQUIRED_COLUMN,
) -> int:
    """Write every row of ``input_path``, through ``transform``, to ``output_path`` (same rows,
    same order, ``added_columns`` after the input's); returns the number of rows. The input
    must have the column ``required``."""
    check_paths([input_path], output_path, force)
    rows = 0
    with atomic_output(output_path) as sink:
        for chunk, first_row in read_chunks(input_path, added_columns, chunk_rows, (required,)):
            out = (transform(chunk, first_row) if len(chunk)
                   else pd.DataFrame(columns=[*chunk.columns, *added_columns], dtype=str))
            write_csv(out, sink, header=first_row == 0)
            rows += len(chunk)
            if on_chunk:
                on_chunk(len(chunk))
    return rows


def check_paths(input_paths: Sequence[Path], output_path: Path, force: bool) -> None:
    """Every input a file, the output new (or ``force``) and none of the inputs."""
    for input_path in input_paths:
        if not input_path.is_file():
            raise CsvInputError(f"{input_path} does not exist or is not a file")
    if output_path.exists() and not force:
        raise CsvInputError(f"{output_path} exists; use --force to overwrite")
    if any(output_path.resolve() == p.resolve() for p in input_paths):
        raise CsvInputError("the output must be a different file from the input")


@contextmanager
def atomic_output(output_path: Path) -> Iterator[BinaryIO]:
    """A temp file beside ``output_path``, renamed over it when the block ends well and
    deleted when it does not: a failure never leaves half a file."""
    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output_path.name}.", dir=output_path.parent)
    try:
        with os.fdopen(fd, "wb") as sink:
            yield sink
        os.replace(tmp_name, output_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def read_chunks(input_path: Path, added_columns: Sequence[str], chunk_rows: int = DEFAULT_CHUNK_ROWS,
                required: Sequence[str] = (REQUIRED_COLUMN,)) -> Iterator[tuple[pd.DataFrame, int]]:
    """(chunk, index of its first data row) over the file, every value as text; the header is
    checked first (``required`` there, no ``added_columns``). A file with a header and no rows
    gives one empty chunk with its columns, so an output still gets its header."""
    rows = 0
    for chunk in _chunks(input_path, chunk_rows):
        if rows == 0:
            _check_header(list(chunk.columns), input_path, added_columns, required)
        yield chunk, rows
        rows += len(chunk)
    if rows == 0:
        header = _read_header(input_path)
        _check_header(header, input_path, added_columns, required)
        yield pd.DataFrame(columns=header, dtype=str), 0


def write_csv(frame: pd.DataFrame, sink: BinaryIO, *, header: bool) -> None:
    """Append ``frame`` as CSV (quoted only where needed, empty for missing): Arrow's writer,
    several times faster than ``DataFrame.to_csv``, which was a fifth of classify's time."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    options = pa_csv.WriteOptions(include_header=header, quoting_style="needed")
    pa_csv.write_csv(table, sink, write_options=options)


def _read_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def _check_header(columns: list[str], path: Path, added_columns: Sequence[str], required: Sequence[str]) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(map(str, columns)) or "nothing"
        raise CsvInputError(f"{path} has no '{missing[0]}' column (found: {found})")
    clash = [c for c in added_columns if c in columns]
    if clash:
        raise CsvInputError(f"{path} already has output column(s) {', '.join(clash)}; rename them first")
