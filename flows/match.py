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
    """The warehouse's creators ranked against ``brief`` (``fit_rank`` 1 first), at most ``limit``."""
    from transforms.fit import brief_mask, rank_fit
    from warehouse.warehouse import Warehouse

    warehouse = Warehouse(db_path, config)
    creators = warehouse.match_frame(brief)
    creators = creators[brief_mask(creators, brief)]  # what SQL leaves to it: the exclusions
    seeds = warehouse.seed_frame(brief.like) if brief.like else None
    return rank_fit(creators, brief, seeds, top=limit)


def save_matches(db_path: Path, name: str, brief: Brief, ranked: pd.DataFrame,
                 config: Settings | None = None) -> bool:
    """Store ``brief`` and ``ranked`` as the shortlist ``name``; True when one was replaced."""
    from transforms.fit import FIT_VERSION
    from warehouse.shortlists import save_shortlist

    return save_shortlist(db_path, name=name, text=brief.text, params=brief_params(brief),
                          fit_version=FIT_VERSION, ranked=ranked, config=config)
