"""Saved shortlists: a named brief and its ranked matches (tables ``briefs`` and ``matches``).

A name is one shortlist: saving it again replaces the brief and every match in one transaction,
so a reader sees the old list or the new one, never a mix. Reading a shortlist joins each match
to the creator and the score it was matched on, so it shows what `scout match` showed.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import pandas as pd

from core.brief import Brief
from core.errors import InputError
from core.settings import Settings
from warehouse.db import DbPath, connect, transaction
from warehouse.queries import nullable

#: The columns of ``matches`` a ranked frame fills (the rest: brief_id, matched_at).
MATCH_COLUMNS = ("platform", "creator_id", "scored_at", "fit_rank", "fit_score", "fit_niche", "fit_text",
                 "fit_language", "fit_quality", "fit_like", "fit_evidence")


class UnknownShortlist(InputError):
    """No shortlist of that name; the message lists the saved ones."""


@dataclass(frozen=True)
class SavedBrief:
    """A stored brief: its id, name, words, filters and seeds (``params``), formula version and date."""

    brief_id: str
    name: str
    text: str
    params: dict[str, Any]
    fit_version: str
    created_at: datetime

    @property
    def brief(self) -> Brief:
        """The brief as it was asked (its filters and seeds from ``params``)."""
        known = {f.name for f in fields(Brief)} - {"text", "name"}
        given = {k: tuple(v) if isinstance(v, list) else v for k, v in self.params.items() if k in known}
        return Brief(text=self.text, name=self.name, **given)


def save_shortlist(db_path: DbPath, *, name: str, text: str, params: dict[str, Any], fit_version: str,
                   ranked: pd.DataFrame, config: Settings | None = None) -> bool:
    """Store the brief and its ranked creators under ``name``; True when it replaced a shortlist
    of that name. One transaction: the old list stays whole if anything fails."""
    brief_id = str(uuid.uuid4())
    rows = ranked.reindex(columns=list(MATCH_COLUMNS)).assign(brief_id=brief_id)
    with connect(db_path, config=config) as con, transaction(con, f"Saving shortlist {name!r}"):
        old = [b for (b,) in con.execute("SELECT brief_id FROM briefs WHERE name = ?", [name]).fetchall()]
        con.execute("DELETE FROM matches WHERE brief_id IN (SELECT unnest(?::VARCHAR[]))", [old])
        con.execute("DELETE FROM briefs WHERE brief_id IN (SELECT unnest(?::VARCHAR[]))", [old])
        con.execute("INSERT INTO briefs VALUES (?, ?, ?, ?, ?, current_timestamp)",
                    [brief_id, name, text, json.dumps(params, ensure_ascii=False), fit_version])
        con.register("ranked_matches", rows)
        con.execute("INSERT INTO matches BY NAME SELECT *, current_timestamp AS matched_at FROM ranked_matches")
        con.unregister("ranked_matches")
    return bool(old)


def shortlist_names(db_path: DbPath, config: Settings | None = None) -> list[str]:
    """The saved shortlists' names, newest first."""
    with connect(db_path, read_only=True, config=config) as con:
        return [n for (n,) in con.execute("SELECT name FROM briefs ORDER BY created_at DESC, name").fetchall()]


def read_shortlist(db_path: DbPath, name: str, config: Settings | None = None
                   ) -> tuple[SavedBrief, pd.DataFrame]:
    """The brief saved as ``name`` and its matches, best first, each with the creator's handle,
    name and followers and the tier, ER, niches and stance of the score it was matched on."""
    with connect(db_path, read_only=True, config=config) as con:
        found = con.execute("SELECT brief_id, name, text, params, fit_version, created_at FROM briefs "
                            "WHERE name = ?", [name]).fetchone()
        if found is None:
            names = [n for (n,) in con.execute("SELECT name FROM briefs ORDER BY name").fetchall()]
            saved = f"saved: {', '.join(names)}" if names else "none is saved yet (scout match --save NAME)"
            raise UnknownShortlist(f"No shortlist named {name!r}; {saved}")
        brief = SavedBrief(*found[:3], json.loads(found[3]), *found[4:])
        rows = con.execute(
            """
            SELECT c.handle, m.platform, s.tier, c.followers, s.er_median, m.fit_score, m.fit_rank,
                   s.niches, s.collab_stance, m.fit_evidence, c.display_name, c.profile_url,
                   s.authenticity_score, s.account_type, s.person_probability, s.collab_evidence,
                   s.past_partners, m.fit_niche, m.fit_text, m.fit_language, m.fit_quality, m.fit_like,
                   m.creator_id, m.scored_at, m.matched_at, s.niche, s.language,
                   s.er_median * coalesce(s.authenticity_score, 100) / 100 AS adjusted_er,
                   s.authenticity_flags, coalesce(s.needs_review, false) AS needs_review,
                   s.contact_email, s.contact_link
            FROM matches AS m
            JOIN creators AS c USING (platform, creator_id)
            LEFT JOIN creator_scores AS s USING (platform, creator_id, scored_at)
            WHERE m.brief_id = ?
            QUALIFY row_number() OVER (PARTITION BY m.platform, m.creator_id ORDER BY s.run_id DESC) = 1
            ORDER BY m.fit_rank
            """,
            [brief.brief_id],
        ).df()
    return brief, nullable(rows)
