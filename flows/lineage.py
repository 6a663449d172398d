"""Lineage: which query, hashtag, seed handle or saved file found each creator of a run.

Discovery returns refs that say how they were found (``core.records.Found``); the run stores that
beside its refs (``runs.ref_sources``), so a resumed run still knows, and each batch turns the refs
it loads into rows of ``creator_lineage`` for the creators they named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from core.records import Found, ParseResult
from transforms.frames import lineage_frame

#: [found_by, term] of one ref; None where it is not known (a run stored before lineage).
Source = list[str] | None


def ref_sources(refs: Sequence[str]) -> list[Source]:
    """How each ref was found, in the refs' order, as the run stores it."""
    return [[ref.found_by, ref.term] if isinstance(ref, Found) else None for ref in refs]


def sources_by_ref(refs: Sequence[str] | None, sources: Sequence[Source] | None) -> dict[str, list[str]]:
    """Ref -> [found_by, term], from a run's stored refs and sources (empty for an older run)."""
    if not refs or not sources:
        return {}
    return {ref: source for ref, source in zip(refs, sources, strict=True) if source}


def credit_brief(refs: Sequence[str], brief: Mapping[str, Any] | None) -> list[str]:
    """Refs found by one of a brief's own search terms (``discover --brief-file``) are credited to
    it: found_by ``brief``, term ``NAME: query olive``. ``brief``: name, queries, hashtags."""
    if not brief:
        return list(refs)
    own = {("query", q) for q in brief.get("queries", ())} | {("hashtag", h) for h in brief.get("hashtags", ())}
    return [Found(ref, "brief", f"{brief['name']}: {ref.found_by} {ref.term}")
            if isinstance(ref, Found) and (ref.found_by, ref.term) in own else ref for ref in refs]


def batch_lineage(platform: str, parsed: ParseResult, sources: Mapping[str, list[str]],
                  loaded: pd.DataFrame, found_at: datetime) -> pd.DataFrame:
    """The lineage rows of one batch: each ref's source for the creator its profile shows, for the
    creators the batch loads (``loaded``: its profiles frame; a quarantined creator has none)."""
    rows = {(platform, profile.creator_id, *source)
            for ref, source in sources.items() for profile in parsed.for_creators([ref]).profiles}
    return _loaded_only(rows, loaded, found_at)


def import_lineage(platform: str, files: Mapping[Path, ParseResult], loaded: pd.DataFrame,
                   found_at: datetime) -> pd.DataFrame:
    """An import's lineage: every creator it loads with a profile in a file was found by
    ``import FILE``."""
    rows = {(platform, profile.creator_id, "import", str(path))
            for path, parsed in files.items() for profile in parsed.profiles}
    return _loaded_only(rows, loaded, found_at)


def _loaded_only(rows: set[tuple[str, ...]], loaded: pd.DataFrame, found_at: datetime) -> pd.DataFrame:
    ids = set(loaded["creator_id"].astype(str))
    return lineage_frame(sorted(r for r in rows if r[1] in ids), found_at)
