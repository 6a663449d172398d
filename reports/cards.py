"""One card (and one table row) per creator, as plain values the template only has to place.

Everything from the data stays text here; the template's autoescaping makes it inert. Only the
numbers are formatted, and only http(s) URLs become links.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from reports.avatars import avatar_src
from reports.numbers import compact, missing, percent, score, utc, whole
from reports.sparkline import sparkline
from warehouse.cards import CardDetails

#: collab_stance -> how a card says it.
STANCES = {"open_to_gifting": "open to gifting", "paid_only": "paid only", "unknown": "not stated"}
POST_TEXT_CHARS = 280


def http_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL (safe as a link), else None: javascript: stays text."""
    text = "" if missing(value) else str(value).strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else None


def text(value: Any) -> str:
    return "" if missing(value) else str(value)


def evidence_lines(value: Any) -> list[str]:
    """Evidence as lines: a list (of strings, or of records with an ``evidence``) as JSON text or as
    DuckDB hands a LIST column over, or plain text."""
    if missing(value) or (isinstance(value, str) and not value.strip()):
        return []
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
    items = list(parsed) if isinstance(parsed, (list, tuple, np.ndarray)) else [parsed]
    return [str(item.get("evidence", item) if isinstance(item, dict) else item) for item in items]


def flags(value: Any) -> list[dict[str, str]]:
    """The authenticity flags (JSON list of records), each with its name, severity and evidence."""
    try:
        records = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        records = []
    return [{"name": str(r.get("name", "")), "severity": str(r.get("severity", "")),
             "evidence": str(r.get("evidence", ""))} for r in records if isinstance(r, dict)]


def niches(value: Any) -> list[str]:
    """"food:0.91|travel:0.05" -> ["food 91%", "travel 5%"]."""
    out = []
    for part in text(value).split("|"):
        name, _, probability = part.partition(":")
        if name:
            try:
                out.append(f"{name} {float(probability):.0%}")
            except ValueError:
                out.append(name)
    return out


def _posts(rows: list[dict[str, Any]], followers: Any) -> list[dict[str, str]]:
    out = []
    for post in rows:
        engagement = sum(0 if missing(post[k]) else int(post[k]) for k in ("likes", "comments", "shares"))
        body = text(post["text"])
        out.append({
            "date": utc(post["published_at"], "%Y-%m-%d"),
            "text": body if len(body) <= POST_TEXT_CHARS else body[:POST_TEXT_CHARS - 1] + "…",
            "likes": whole(post["likes"]), "comments": whole(post["comments"]), "shares": whole(post["shares"]),
            "views": whole(post["views"]),
            "er": "" if missing(followers) or not followers else percent(engagement / float(followers)),
        })
    return out


def _card(row: dict[str, Any], profile: dict[str, Any], posts: list[dict[str, Any]], history: list[float],
          avatar_cache: Path, has_fit: bool) -> dict[str, Any]:
    """One creator's card: ``row`` from the candidates view, the rest from ``CardDetails``."""
    link = http_url(row.get("profile_url"))
    name = text(row.get("display_name")) or text(row["handle"])
    niche_list = niches(row.get("niches"))
    return {
        "platform": text(row["platform"]), "handle": text(row["handle"]), "name": name,
        "profile_url": link, "unlinked_url": "" if link else text(row.get("profile_url")),
        "avatar": avatar_src(avatar_cache, text(profile.get("avatar_url")) or None),
        "bio": text(profile.get("bio")),
        "tier": text(row.get("tier")),
        "followers": compact(row.get("followers")), "followers_exact": whole(row.get("followers")),
        "followers_value": "" if missing(row.get("followers")) else int(row["followers"]),
        "er": percent(row.get("er_median")), "er_value": "" if missing(row.get("er_median")) else row["er_median"],
        "adjusted_er": percent(row.get("adjusted_er")),
        "adjusted_er_value": "" if missing(row.get("adjusted_er")) else row["adjusted_er"],
        "authenticity": score(row.get("authenticity_score")),
        "flags": flags(row.get("authenticity_flags")),
        "niches": niche_list,
        "stance": STANCES.get(text(row.get("collab_stance")), text(row.get("collab_stance"))),
        "stance_evidence": text(row.get("collab_evidence")),
        "email": text(row.get("contact_email")), "contact_link": http_url(row.get("contact_link")),
        "needs_review": not missing(row.get("needs_review")) and bool(row["needs_review"]),
        "fit": score(row.get("fit_score")) if has_fit else None,
        "fit_rank": whole(row.get("fit_rank")) if has_fit else "",
        "fit_evidence": evidence_lines(row.get("fit_evidence")) if has_fit else [],
        "spark": sparkline(history),
        "growth": (f"{'+' if history[-1] >= history[0] else '−'}{compact(abs(history[-1] - history[0]))} "
                   f"over {len(history)} observations") if len(history) >= 2 else "",
        "posts": _posts(posts, row.get("followers")),
        "search": " ".join([name, text(row["handle"]), text(row["platform"]), text(row.get("tier")), *niche_list]).lower(),
    }


def _by_creator(frame: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """``frame``'s rows as records per (platform, creator_id), in order: one pass, no per-creator lookups."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in frame.to_dict(orient="records"):
        grouped.setdefault((record["platform"], record["creator_id"]), []).append(record)
    return grouped


def build_cards(frame: pd.DataFrame, details: CardDetails, avatar_cache: Path) -> list[dict[str, Any]]:
    """The cards of ``frame``'s creators, in its order, with their posts, growth and avatar."""
    profiles, posts, snapshots = (_by_creator(f) for f in (details.profiles, details.posts, details.snapshots))
    has_fit = "fit_score" in frame.columns
    cards = []
    for row in frame.to_dict(orient="records"):
        k = (row["platform"], row["creator_id"])
        history = [float(s["followers"]) for s in snapshots.get(k, [])]
        cards.append(_card(row, profiles.get(k, [{}])[0], posts.get(k, []), history, avatar_cache, has_fit))
    return cards
