"""The candidates' query without pandas: filters, orders and counts over the ``candidates`` view
(the materialised ``candidate_rows``) and its rows as plain dicts, so ``scout candidates`` showing
a table starts without importing pandas; ``warehouse.queries.candidates`` gives the same rows as a
DataFrame.

User values only ever travel as bound parameters; the only SQL assembled from strings is the
ORDER BY, chosen from a whitelist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.settings import Settings
from warehouse.db import DbPath, WarehouseError, connect, fetch_records

#: The tiers the ``candidates`` view can hold; a tier filter narrows within these.
CANDIDATE_TIERS = ("nano", "micro")

#: order_by name -> ORDER BY clause. Best first; the key columns make ties deterministic.
ORDER_BY: dict[str, str] = {
    "adjusted_er": "has_high_flag, adjusted_er DESC NULLS LAST",  # held-back creators, when shown, last
    "er_median": "er_median DESC NULLS LAST",
    "er_mean": "er_mean DESC NULLS LAST",
    "followers": "followers DESC NULLS LAST",
    "posts_per_week": "posts_per_week DESC NULLS LAST",
    "person_probability": "person_probability DESC NULLS LAST",
    "days_since_last_post": "days_since_last_post ASC NULLS LAST",
    "handle": "handle ASC",
    "scored_at": "scored_at DESC",
}

def candidate_filter(
    platforms: Iterable[str] | None = None, tiers: Iterable[str] | None = None, min_er: float | None = None,
    include_flagged: bool = True,
) -> tuple[str, list[Any]]:
    """The WHERE clause (empty or with a leading space) and its bound parameters; without
    ``include_flagged``, creators with a high-severity authenticity flag are left out."""
    where: list[str] = [] if include_flagged else ["NOT has_high_flag"]
    params: list[Any] = []
    if platforms is not None:
        wanted = _as_list(platforms)
        where.append(f"platform IN ({_placeholders(wanted)})")
        params.extend(wanted)
    if tiers is not None:
        wanted = _as_list(tiers)
        unknown = [t for t in wanted if t not in CANDIDATE_TIERS]
        if unknown:
            raise WarehouseError(
                f"Candidates are only in the tiers {', '.join(CANDIDATE_TIERS)}; "
                f"{', '.join(map(repr, unknown))} is not one of them."
            )
        where.append(f"tier IN ({_placeholders(wanted)})")
        params.extend(wanted)
    if min_er is not None:
        where.append("er_median >= ?")
        params.append(float(min_er))
    return (" WHERE " + " AND ".join(where) if where else ""), params


def candidate_sql(
    *,
    platforms: Iterable[str] | None = None,
    tiers: Iterable[str] | None = None,
    min_er: float | None = None,
    limit: int | None = None,
    order_by: str = "adjusted_er",
    include_flagged: bool = False,
) -> tuple[str, list[Any]]:
    """The query of the candidates matching the filters, best first (by default authenticity-
    adjusted ER, ``er_median * authenticity_score / 100``), and its bound parameters."""
    if order_by not in ORDER_BY:
        raise WarehouseError(f"Cannot order by {order_by!r}; choose one of {', '.join(ORDER_BY)}.")
    where, params = candidate_filter(platforms, tiers, min_er, include_flagged)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise WarehouseError(f"The limit must be a whole number of 0 or more, not {limit!r}.")
    tail = "" if limit is None else f" LIMIT {limit:d}"
    # One table (candidate_rows, materialised at load time): its top rows in one scan.
    return f"SELECT * FROM candidates{where} ORDER BY {ORDER_BY[order_by]}, platform, creator_id{tail}", params


@dataclass(frozen=True, slots=True)
class Listing:
    """A candidate table: its rows, how many candidates match in all, how many of those a
    high-severity flag holds back."""

    rows: list[dict[str, Any]]
    matching: int
    held_back: int


def candidate_listing(db_path: DbPath, *, config: Settings | None = None, **query: Any) -> Listing:
    """The rows :func:`candidate_sql` selects (``query``: its filters, limit and order) as dicts, with
    what :func:`count_candidates` and :func:`count_held_back` would say, in one connection (opening
    the file costs more than the counts)."""
    sql, params = candidate_sql(**query)
    where, filter_params = candidate_filter(query.get("platforms"), query.get("tiers"), query.get("min_er"))
    shown = "true" if query.get("include_flagged") else "NOT has_high_flag"
    with connect(db_path, read_only=True, config=config) as con:
        rows = fetch_records(con.execute(sql, params))
        counted = con.execute(f"SELECT count(*) FILTER (WHERE {shown}), count(*) FILTER (WHERE has_high_flag) "
                              f"FROM candidates{where}", filter_params).fetchone()
    matching, held_back = counted or (0, 0)
    return Listing(rows, int(matching), int(held_back))


def count_candidates(db_path: DbPath, *, include_flagged: bool = False, config: Settings | None = None,
                     **filters: Any) -> int:
    """How many rows ``candidates`` would return without a limit (to say what a cut left out);
    ``filters``: platforms, tiers, min_er, as :func:`candidate_sql` takes them."""
    return _count(db_path, "count(*)", *candidate_filter(**filters, include_flagged=include_flagged), config)


def count_held_back(db_path: DbPath, *, config: Settings | None = None, **filters: Any) -> int:
    """How many candidates matching the ``filters`` (platforms, tiers, min_er) have a high-severity
    authenticity flag."""
    return _count(db_path, "count(*) FILTER (WHERE has_high_flag)", *candidate_filter(**filters), config)


def _count(db_path: DbPath, expression: str, where: str, params: list[Any], config: Settings | None) -> int:
    with connect(db_path, read_only=True, config=config) as con:
        row = con.execute(f"SELECT {expression} FROM candidates{where}", params).fetchone()
        return int(row[0]) if row else 0


def _as_list(values: Iterable[str]) -> list[str]:
    """Accept one string or many, trimmed and lower-cased (platform and tier names are)."""
    items = [values] if isinstance(values, str) else list(values)
    return [str(v).strip().lower() for v in items]


def _placeholders(values: list[str]) -> str:
    # IN () is a syntax error; IN (NULL) matches nothing, which is what an empty filter means.
    return ", ".join("?" for _ in values) if values else "NULL"
