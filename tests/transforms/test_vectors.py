"""Vector columns as Arrow: what a scoring process sends back and the warehouse stages."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from transforms.frames import VECTOR, arrow_table
from transforms.vectors import arrow_vectors, as_matrix, as_vectors, to_vectors


def test_arrow_vectors_keep_every_value_and_every_missing_row() -> None:
    matrix = np.array([[0.5, 0.25, 1.0], [np.nan, 1.0, 2.0], [3.0, 4.0, 5.0]], dtype=np.float32)
    column = as_vectors(matrix)  # the middle row becomes None
    arr = arrow_vectors(column)
    assert arr.type == pa.list_(pa.float32(), 3)
    assert arr.to_pylist() == [[0.5, 0.25, 1.0], None, [3.0, 4.0, 5.0]]
    back = as_matrix(pd.Series(arr, dtype=pd.ArrowDtype(arr.type)))
    np.testing.assert_array_equal(back[[0, 2]], matrix[[0, 2]])
    assert np.isnan(back[1]).all()


def test_arrow_vectors_of_unequal_widths_or_none_known_are_variable_lists() -> None:
    mixed = pd.Series([np.array([1.0, 2.0], dtype=np.float32), None, [3.0]], dtype=object)
    assert arrow_vectors(mixed).to_pylist() == [[1.0, 2.0], None, [3.0]]
    unknown = pd.Series([None, None], dtype=object)
    arr = arrow_vectors(unknown)
    assert arr.null_count == 2 and pa.types.is_list(arr.type)
    assert len(arrow_vectors(pd.Series([], dtype=object))) == 0


def test_an_arrow_table_stages_in_duckdb_as_the_frame_does() -> None:
    """The same rows whether DuckDB scans the pandas frame or its Arrow table."""
    frame = pd.DataFrame({
        "creator_id": pd.array(["a", None, "c"], dtype="string[pyarrow]"),
        "n_posts": pd.array([1, None, 3], dtype="Int64"),
        "er_median": pd.array([0.5, None, 0.25], dtype="Float64"),
        "is_person": pd.array([True, None, False], dtype="boolean"),
        "scored_at": pd.Series(pd.to_datetime(["2026-01-01", None, "2026-01-03"], utc=True), dtype="datetime64[us, UTC]"),
        "niche_probs": as_vectors(np.array([[0.1, 0.9], [np.nan, 0.0], [1.0, 0.0]], dtype=np.float32)),
    })
    dtypes = {"creator_id": "string", "n_posts": "Int64", "er_median": "Float64", "is_person": "boolean",
              "scored_at": "datetime64[us, UTC]", "niche_probs": VECTOR}
    table = arrow_table(frame, dtypes)
    select = ("SELECT creator_id, n_posts::BIGINT, er_median::DOUBLE, is_person::BOOLEAN, "
              "scored_at::TIMESTAMPTZ, niche_probs::FLOAT[] FROM src ORDER BY n_posts NULLS LAST")
    rows = []
    with duckdb.connect() as con:
        for src in (frame, table):
            con.register("src", src)
            rows.append(con.execute(select).fetchall())
            con.unregister("src")
    assert rows[0] == rows[1]
    assert rows[1][2][5] is None and rows[1][0][5] == [np.float32(0.1), np.float32(0.9)]


def test_to_vectors_keeps_a_column_as_vectors_made_and_converts_any_other() -> None:
    made = as_vectors(np.array([[1, 2], [np.nan, 0], [3, 4]], dtype=np.float32))
    assert to_vectors(made) is made  # float32, one width, no NaN: nothing to convert
    mixed = pd.Series([np.array([1.0, 2.0]), [3, 4], np.array([np.nan, 1.0], dtype=np.float32), None], dtype=object)
    out = to_vectors(mixed).tolist()
    assert [None if v is None else (v.dtype, v.tolist()) for v in out] == [
        (np.float32, [1.0, 2.0]), (np.float32, [3.0, 4.0]), None, None]
    wider = pd.Series([np.zeros(2, np.float32), np.array([np.nan] * 3, np.float32)], dtype=object)
    assert to_vectors(wider).tolist()[1] is None  # a NaN in a later row is still found
