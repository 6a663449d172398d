"""Defaults that need no validation library: the CLI's option defaults and help read them
without importing pydantic (``core.settings``)."""

from __future__ import annotations

#: Where the warehouse lives unless ``SCOUT_DB`` or ``--db`` says otherwise.
FALLBACK_DB_PATH = "data/scout.duckdb"
