"""The warehouse layer: the only code in creator-scout that opens DuckDB.

``db`` (connect, the fair lock, transactions), ``migrate`` (numbered table migrations, then the
views in ``views/``), ``warehouse`` (the ``Warehouse`` a flow opens once per run), ``manifest``
(runs and batches), ``staging`` + ``load`` (typed, idempotent loads), ``tombstones`` + ``forget``
(erasure), ``queries`` (read-only questions), ``export`` (files for marketers).
"""
