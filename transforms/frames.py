"""Records -> DataFrames with fixed columns and dtypes.

Every frame the pipeline passes around has the same columns and dtypes whatever the input,
including zero rows, so the warehouse loader and the tests never meet a surprise ``object``
column. Missing values are pandas NA (nullable dtypes), never 0 or "".

Strings are Arrow-backed (``string[pyarrow]``) so that regex signals run on pyarrow's RE2
kernels instead of a Python loop; counts are ``Int64``; flags ``boolean``; times
``datetime64[us, UTC]``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from core.records import Post, Profile, RawResponse, ScrapeError
from transforms.vectors import arrow_vectors, to_vectors

STRING = pd.StringDtype("pyarrow")
INT = "Int64"
FLOAT = "Float64"
BOOL = "boolean"
UTC_TS = "datetime64[us, UTC]"
VECTOR = "object"  # one float32 array per row, None where unknown (transforms/vectors.py)

PROFILE_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "creator_id": STRING,
    "handle": STRING,
    "display_name": STRING,
    "bio": STRING,
    "followers": INT,
    "following": INT,
    "posts_count": INT,
    "verified": BOOL,
    "avatar_url": STRING,
    "external_url": STRING,
    "profile_url": STRING,
    "is_bot": BOOL,
    "account_created_at": UTC_TS,
    "id_is_alias": BOOL,
    "observed_at": UTC_TS,
}

POST_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "post_id": STRING,
    "creator_id": STRING,
    "published_at": UTC_TS,
    "text": STRING,
    "likes": INT,
    "comments": INT,
    "shares": INT,
    "views": INT,
    "is_repost": BOOL,
    "is_sponsored": BOOL,
    "collab_kind": STRING,
    "observed_at": UTC_TS,
}

RAW_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "kind": STRING,
    "request_key": STRING,
    "url": STRING,
    "status": INT,
    "body": STRING,
    "fetched_at": UTC_TS,
    "content_type": STRING,
    "response_id": STRING,
}

ERROR_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "handle": STRING,
    "url": STRING,
    "status": INT,
    "reason": STRING,
    "raw_response_id": STRING,
    "occurred_at": UTC_TS,
}

# How a run found each creator (table creator_lineage), stamped with the run's start.
LINEAGE_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "creator_id": STRING,
    "found_at": UTC_TS,
    "found_by": STRING,
    "term": STRING,
}

# transforms.engagement's output, one row per creator, in order.
ENGAGEMENT_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "creator_id": STRING,
    "n_posts": INT,
    "er_median": FLOAT,
    "er_mean": FLOAT,
    "er_formula": STRING,
    "er_views_median": FLOAT,
    "er_views_mean": FLOAT,
    "posts_per_week": FLOAT,
    "days_since_last_post": FLOAT,
    "sponsored_share": FLOAT,
    "repost_share": FLOAT,
}

# The creator_scores table, in order: the key, when, the engagement metrics, the verdicts.
# `evidence` is a JSON array of strings; `authenticity_flags` a JSON array of flag records.
SCORE_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "creator_id": STRING,
    "scored_at": UTC_TS,
    **{k: v for k, v in ENGAGEMENT_DTYPES.items() if k not in ("platform", "creator_id")},
    "tier": STRING,
    "tier_scheme": STRING,
    "account_type": STRING,
    "person_probability": FLOAT,
    "is_person": BOOL,
    "person_threshold": FLOAT,
    "needs_review": BOOL,
    "evidence": STRING,
    "model_version": STRING,
    "metrics_version": STRING,
    "contact_email": STRING,
    "contact_link": STRING,
    "authenticity_score": FLOAT,
    "authenticity_flags": STRING,
    "authenticity_version": STRING,
    "collab_stance": STRING,
    "collab_evidence": STRING,
    "paid_posts": INT,
    "gifted_posts": INT,
    "affiliate_posts": INT,
    "paid_share": FLOAT,
    "past_partners": STRING,
    "niches": STRING,
    "niche": STRING,
    "niche_probs": VECTOR,
    "content_vector": VECTOR,
    "language": STRING,
    "content_version": STRING,
    "niche_version": STRING,
}

# The audience_audits table without run_id (the warehouse adds it): a follower sample's verdict.
AUDIT_DTYPES: dict[str, Any] = {
    "platform": STRING,
    "creator_id": STRING,
    "audited_at": UTC_TS,
    "sample_size": INT,
    "real_share": FLOAT,
    "ci_low": FLOAT,
    "ci_high": FLOAT,
    "fake_share": FLOAT,
    "mass_share": FLOAT,
    "model_version": STRING,
    "reason": STRING,
}

PROFILE_COLUMNS: list[str] = list(PROFILE_DTYPES)
POST_COLUMNS: list[str] = list(POST_DTYPES)
RAW_COLUMNS: list[str] = list(RAW_DTYPES)
ERROR_COLUMNS: list[str] = list(ERROR_DTYPES)
SCORE_COLUMNS: list[str] = list(SCORE_DTYPES)

_TRUE_WORDS = ["true", "t", "yes", "y", "1"]
_FALSE_WORDS = ["false", "f", "no", "n", "0"]


def as_utc(value: datetime | pd.Timestamp | str) -> pd.Timestamp:
    """One timestamp in UTC; a naive value is taken to be UTC already (the records' rule)."""
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        return ts.tz_localize(timezone.utc).as_unit("us")
    return ts.tz_convert(timezone.utc).as_unit("us")


def all_na(index: pd.Index, dtype: Any) -> pd.Series:
    """A column of missing values of the given dtype."""
    return pd.Series(index=index, dtype=dtype)


def to_string(s: pd.Series) -> pd.Series:
    """Arrow-backed strings, NA for missing, so the regex signals can use RE2."""
    if s.dtype == STRING:
        return s
    # non-string scalars (numbers read from a CSV) become their text form
    return s.astype(STRING)


def to_int(s: pd.Series) -> pd.Series:
    """Nullable integers; text that is not a number becomes NA, fractions are rounded."""
    if s.dtype == INT:
        return s
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(INT)
    num = pd.to_numeric(s, errors="coerce")
    if pd.api.types.is_integer_dtype(num.dtype):
        return num.astype(INT)
    num = num.astype("float64")
    num = num.where(np.isfinite(num))
    return num.round().astype(INT)


def to_float(s: pd.Series) -> pd.Series:
    """Nullable floats; NaN and inf become NA."""
    num = pd.to_numeric(s, errors="coerce")
    arr = np.asarray(num.to_numpy(dtype="float64", na_value=np.nan), dtype="float64")
    arr = np.where(np.isfinite(arr), arr, np.nan)
    return pd.Series(pd.array(arr, dtype=FLOAT), index=s.index)


def to_bool(s: pd.Series) -> pd.Series:
    """Nullable booleans from bools, 0/1 numbers or words like "true"/"no"."""
    if s.dtype == BOOL:
        return s
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(BOOL)
    if pd.api.types.is_numeric_dtype(s.dtype):
        num = pd.to_numeric(s, errors="coerce")
        return num.ne(0).astype(BOOL).mask(num.isna())
    text = to_string(s).str.strip().str.lower()
    out = all_na(s.index, BOOL)
    out = out.mask(text.isin(_TRUE_WORDS).fillna(False), True)
    out = out.mask(text.isin(_FALSE_WORDS).fillna(False), False)
    return out


def to_utc(s: pd.Series) -> pd.Series:
    """Microsecond UTC timestamps; naive values are taken as UTC, unparseable ones as NaT."""
    if s.dtype == UTC_TS:
        return s
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert("UTC").dt.as_unit("us")
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return s.dt.tz_localize("UTC").dt.as_unit("us")
    out = pd.to_datetime(s, utc=True, errors="coerce", format="mixed") if len(s) else s
    return pd.Series(out, index=s.index).astype(UTC_TS)


def ts_micros(s: pd.Series) -> np.ndarray:
    """Microseconds since the epoch as int64; NaT becomes the smallest int64 (sorts first)."""
    naive = to_utc(s).dt.tz_convert(None)
    return np.asarray(naive.to_numpy(), dtype="datetime64[us]").view("int64")


_CONVERTERS = {STRING: to_string, INT: to_int, FLOAT: to_float, BOOL: to_bool, UTC_TS: to_utc,
               VECTOR: to_vectors}


def conform(df: pd.DataFrame, dtypes: Mapping[str, Any]) -> pd.DataFrame:
    """Exactly these columns, in this order, with these dtypes; absent columns become all-NA."""
    cols: dict[str, pd.Series] = {}
    for name, dtype in dtypes.items():
        if name in df.columns:
            cols[name] = _CONVERTERS[dtype](df[name])
        else:
            cols[name] = all_na(df.index, dtype)
    return pd.DataFrame(cols, index=df.index)


def arrow_table(df: pd.DataFrame, dtypes: Mapping[str, Any]) -> pa.Table:
    """A frame conform made with ``dtypes`` as one Arrow table, its vector columns as fixed-size
    lists: what a scoring process sends back and the warehouse stages without a Python object
    per row (pickling and staging the arrays one by one cost more than the rest of a chunk's write)."""
    return pa.table({name: arrow_vectors(df[name]) if dtype == VECTOR else pa.array(df[name], from_pandas=True)
                     for name, dtype in dtypes.items()})


def _records_frame(
    records: Sequence[Any], cls: type, dtypes: Mapping[str, Any], extra: Mapping[str, Any]
) -> pd.DataFrame:
    names = [f.name for f in dataclasses.fields(cls)]
    data: dict[str, Any] = {
        n: pd.Series([getattr(r, n) for r in records], dtype=object) for n in names
    }
    for n, value in extra.items():
        data[n] = pd.Series([value] * len(records), dtype=object)
    return conform(pd.DataFrame(data, index=pd.RangeIndex(len(records))), dtypes)


def profiles_frame(profiles: Sequence[Profile], observed_at: datetime) -> pd.DataFrame:
    """Profiles as rows (PROFILE_COLUMNS), stamped with when they were observed."""
    return _records_frame(profiles, Profile, PROFILE_DTYPES, {"observed_at": as_utc(observed_at)})


def posts_frame(posts: Sequence[Post], observed_at: datetime) -> pd.DataFrame:
    """Posts as rows (POST_COLUMNS); published_at becomes datetime64[us, UTC]."""
    return _records_frame(posts, Post, POST_DTYPES, {"observed_at": as_utc(observed_at)})


def raw_frame(raws: Sequence[RawResponse]) -> pd.DataFrame:
    """Raw HTTP exchanges as rows (RAW_COLUMNS), bodies verbatim."""
    return _records_frame(raws, RawResponse, RAW_DTYPES, {})


def errors_frame(errors: Sequence[ScrapeError]) -> pd.DataFrame:
    """Scrape errors as rows (ERROR_COLUMNS)."""
    return _records_frame(errors, ScrapeError, ERROR_DTYPES, {})


def lineage_frame(rows: Sequence[tuple[str, str, str, str]], found_at: datetime) -> pd.DataFrame:
    """(platform, creator_id, found_by, term) rows as the lineage a run loads, all ``found_at``."""
    frame = pd.DataFrame(list(rows), columns=["platform", "creator_id", "found_by", "term"], dtype=object)
    return conform(frame.assign(found_at=as_utc(found_at)), LINEAGE_DTYPES)
