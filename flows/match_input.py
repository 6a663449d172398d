"""``scout match --input``: a brief ranked over a creators CSV (and its posts CSV), no warehouse.

Reading is ``scout classify``'s (flows/csv_stream.py: chunks, counts as platforms print them,
line-numbered errors) and so is the person-or-page verdict (``flows.classify.classify_frame``);
the output is the input rows, unchanged, sorted by ``fit_rank``, with the match columns after
them, written to a temp file renamed at the end. Filters apply only when the brief has them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.brief import Brief
from core.errors import InputError
from core.identity import handle_keys, split_ref
from flows.classify import classify_frame
from flows.csv_stream import (
    DEFAULT_CHUNK_ROWS,
    atomic_output,
    check_paths,
    model_inputs,
    parse_counts,
    read_chunks,
    write_csv,
)
from transforms.collab import bio_stance
from transforms.content import content_profile
from transforms.fit import brief_mask, rank_fit
from transforms.niches import POSTS_PER_CREATOR
from transforms.tiers import assign_tier

MATCH_OUTPUT = ("fit_score", "fit_rank", "niches", "fit_evidence", "account_type", "person_probability",
                "tier", "collab_stance")
ER_OUTPUT = "er_median"
POST_COUNTS = ("likes", "comments", "shares")
POST_TEXT = "text"


@dataclass
class MatchInputSummary:
    rows: int = 0
    written: int = 0
    posts: int = 0
    with_er: bool = False


def _creator_features(chunk: pd.DataFrame, first_row: int, path: Path) -> pd.DataFrame:
    """What ranking reads of one chunk of creators: the person-or-page verdict as ``scout
    classify`` gives it, followers and tier, the bio's collaboration stance, names and bio."""
    verdict = classify_frame(chunk, threshold=0.5, first_row=first_row, path=path, evidence=False)
    texts = model_inputs(chunk, passed=("platform",), texts=("display_name", "bio"))
    followers = parse_counts(chunk, ("followers",), first_row, path).get("followers")
    if followers is None:
        followers = pd.Series(pd.NA, index=chunk.index, dtype="Float64")
    bio = texts["bio"] if "bio" in texts else pd.Series(pd.NA, index=chunk.index, dtype="string")
    stance = bio_stance(bio)
    platform = {"platform": texts["platform"].str.strip().str.lower()} if "platform" in texts else {}
    return pd.DataFrame({
        **platform,  # no column, no platform filter: a brief's platforms keep every row
        "handle": chunk["handle"],
        "display_name": texts["display_name"] if "display_name" in texts else pd.NA,
        "bio": bio,
        "followers": followers.astype("Int64"),
        "tier": assign_tier(followers.astype("Int64")),
        "account_type": verdict["account_type"],
        "person_probability": verdict["person_probability"],
        "collab_stance": stance["collab_stance"],
        "collab_evidence": stance["collab_evidence"],
    }, index=chunk.index)


def _owner_keys(frame: pd.DataFrame, by_platform: bool) -> pd.Series:
    """The key a post finds its creator by: handle, and platform when both files name it."""
    keys = handle_keys(frame["handle"])
    return frame["platform"].str.strip().str.lower() + ":" + keys if by_platform else keys


def _read_posts(path: Path, chunk_rows: int) -> pd.DataFrame:
    """Every post's key columns, text and counts (line-numbered errors as for creators)."""
    parts = []
    for chunk, first_row in read_chunks(path, (), chunk_rows, ("handle", POST_TEXT)):
        part = chunk.reindex(columns=["platform", "handle", POST_TEXT]).copy()
        for column, values in parse_counts(chunk, POST_COUNTS, first_row, path).items():
            part[column] = values
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _with_posts(creators: pd.DataFrame, posts: pd.DataFrame, has_platform: bool
                ) -> tuple[np.ndarray, pd.DataFrame]:
    """Each post's creator row (-1 for a handle not in the creators file) and the creators with
    ``er_median`` (likes + comments + shares over followers, the median of their posts) when the
    posts have likes or comments."""
    by_platform = has_platform and posts["platform"].notna().all()
    keys = _owner_keys(creators, by_platform)
    first_row = pd.Series(np.arange(len(keys)), index=keys.to_numpy()).groupby(level=0).first()
    owner = _owner_keys(posts.fillna({"platform": ""}), by_platform).map(first_row)
    owner = owner.fillna(-1).to_numpy(dtype=np.int64)
    counted = [c for c in POST_COUNTS if c in posts]
    if not {"likes", "comments"} & set(counted):
        return owner, creators
    engagement = posts[counted].fillna(0).sum(axis=1).to_numpy(dtype=float)
    followers = creators["followers"].to_numpy(dtype=float, na_value=np.nan)
    mine = owner >= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = engagement[mine] / followers[owner[mine]]
    rates = pd.Series(rate).where(np.isfinite(rate)).groupby(owner[mine]).median()
    er = pd.Series(np.nan, index=range(len(creators)))
    er.loc[rates.index] = rates.to_numpy()
    return owner, creators.assign(er_median=pd.array(er.round(6).to_numpy(), dtype="Float64"))


def _seed_rows(creators: pd.DataFrame, brief: Brief, path: Path) -> np.ndarray:
    """The rows the brief's ``like`` handles name (``@h``, ``h`` or ``platform:h``); a seed the
    file does not hold is bad input."""
    keys = handle_keys(creators["handle"]).to_numpy(dtype=object)
    platforms = creators["platform"].to_numpy(dtype=object) if "platform" in creators else None
    seeds = np.zeros(len(creators), dtype=bool)
    for ref in brief.like:
        platform, key = split_ref(ref)
        hit = (keys == key) & (platforms == platform if platform and platforms is not None else True)
        if not hit.any():
            raise InputError(f"--like {ref!r} is not a creator in {path}; a seed must be one of its rows")
        seeds |= hit
    return seeds


def match_csv(input_path: Path, output_path: Path, brief: Brief, *, posts_path: Path | None = None,
              force: bool = False, chunk_rows: int = DEFAULT_CHUNK_ROWS,
              on_chunk: Callable[[int], None] | None = None) -> MatchInputSummary:
    """Rank every row of ``input_path`` against ``brief`` into ``output_path``: the rows as
    written, best fit first, with MATCH_OUTPUT (and ``er_median`` when posts give likes or
    comments); rows the brief's filters leave out, and its ``like`` seeds, are not written.
    ``on_chunk(rows)`` hears of each chunk of creators read (a progress display)."""
    check_paths([input_path, *([posts_path] if posts_path else [])], output_path, force)
    added = (*MATCH_OUTPUT, ER_OUTPUT)
    rows, features = [], []
    for chunk, first_row in read_chunks(input_path, added, chunk_rows, ("handle",)):
        rows.append(chunk)
        features.append(_creator_features(chunk, first_row, input_path))
        if on_chunk:
            on_chunk(len(chunk))
    table = pd.concat(rows, ignore_index=True)
    creators = pd.concat(features, ignore_index=True)
    summary = MatchInputSummary(rows=len(table))
    posts = _read_posts(posts_path, chunk_rows) if posts_path else None
    owner = np.zeros(0, dtype=np.int64)
    texts = pd.Series([], dtype="string")
    if posts is not None:
        owner, creators = _with_posts(creators, posts, "platform" in table)
        summary.posts, summary.with_er = len(posts), ER_OUTPUT in creators
        owner = np.where(pd.Series(owner).groupby(owner).cumcount().to_numpy() < POSTS_PER_CREATOR, owner, -1)
        texts = posts[POST_TEXT]
    content = content_profile(creators["display_name"], creators["bio"], texts, owner)
    creators = creators.join(content.set_index(creators.index))
    seeds = _seed_rows(creators, brief, input_path)
    kept = brief_mask(creators, brief) & ~seeds
    ranked = rank_fit(creators[kept], brief, creators[seeds] if seeds.any() else None)
    out = table.loc[ranked.index].assign(**{c: ranked[c] for c in MATCH_OUTPUT})
    out["fit_score"] = out["fit_score"].round(4)  # as classify rounds person_probability
    if summary.with_er:
        out[ER_OUTPUT] = ranked[ER_OUTPUT]
    with atomic_output(output_path) as sink:
        write_csv(out.reset_index(drop=True), sink, header=True)
    summary.written = len(out)
    return summary
