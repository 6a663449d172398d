"""``scout match`` over the warehouse: the stored creators a brief fits, best first, and saving
them as a named shortlist.

The warehouse reads (latest score per creator, the brief's filters pushed down, the ``--like``
seeds) are ``warehouse.matching``'s; the ranking is ``transforms.fit``'s; this only joins them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.brief import Brief
from core.settings import Settings
from flows.briefs import brief_params


def rank_warehouse(db_path: Path, brief: Brief, *, limit: int | None = None,
                   config: Settings | None = None) -> pd.DataFrame:
    """The warehouse's creators ranked against ``brief`` (``fit_rank`` 1 first), at most ``limit``:
    every creator scored on the pool (scalars, with the dot products of its stored vectors
    computed in SQL), the full rows and evidence read and written for the ones returned only."""
    from transforms.fit import MODEL_VERSIONS, excluded, fit_reference, score_fit
    from warehouse.warehouse import Warehouse

    warehouse = Warehouse(db_path, config)
    seeds = warehouse.seed_frame(brief.like) if brief.like else None
    reference = fit_reference(brief, seeds)
    with warehouse.match_read(brief, reference.products, MODEL_VERSIONS) as read:
        pool = read.pool[~excluded(read.pool, brief)] if brief.exclude else read.pool  # SQL leaves them to us
        ranking = score_fit(pool, brief, reference, top=limit)
        rows = read.rows(pool["score_row"].to_numpy()[ranking.order])
    return ranking.explain(rows)


def save_matches(db_path: Path, name: str, brief: Brief, ranked: pd.DataFrame,
                 config: Settings | None = None) -> bool:
    """Store ``brief`` and ``ranked`` as the shortlist ``name``; True when one was replaced."""
    from transforms.fit import FIT_VERSION
    from warehouse.shortlists import save_shortlist

    return save_shortlist(db_path, name=name, text=brief.text, params=brief_params(brief),
                          fit_version=FIT_VERSION, ranked=ranked, config=config)
