"""The warehouse layer: the only code in creator-scout that opens DuckDB.

``db`` (connect, errors), ``migrate`` (numbered SQL), ``load`` (one run, one transaction),
``queries`` (read-only questions), ``export`` (files for marketers), ``forget`` (erasure).
"""
