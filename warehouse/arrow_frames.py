"""Query results (Arrow tables) as pandas frames whose strings stay in Arrow: a million rows
of handles or post texts never become a Python string each."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa


def arrow_frame(table: pa.Table) -> pd.DataFrame:
    """Strings as Arrow-backed strings, lists as Arrow lists, other columns as pandas converts them."""

    def types(t: pa.DataType) -> Any:
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return pd.StringDtype("pyarrow")
        if pa.types.is_list(t) or pa.types.is_fixed_size_list(t):
            return pd.ArrowDtype(t)
        return None

    return table.to_pandas(types_mapper=types)
