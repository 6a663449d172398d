"""One root for every error creator-scout raises on purpose, and a family for each kind.

The CLI prints a ``ScoutError`` as one line and exits with its ``exit_code`` (2 for bad input,
1 for a run that failed); anything else is a bug and says so. Layers raise the family's own
subclasses (``scrapers.errors``), so callers can catch as narrowly or as widely as they need.
"""

from __future__ import annotations


class ScoutError(Exception):
    """Base of every error raised on purpose; the message is one plain sentence."""

    exit_code = 1


class InputError(ScoutError, ValueError):
    """Bad user input (an option, a handle, a path, a setting): nothing was started. Also a
    ValueError, as Python's own bad-value errors are."""

    exit_code = 2


class FetchError(ScoutError):
    """A platform could not be fetched from (network, refusals, quotas)."""


class ParseError(ScoutError):
    """A body or file could not be read as what it claims to be."""


class WarehouseError(ScoutError):
    """A warehouse problem a CLI user can act on."""


class WarehouseInputError(WarehouseError, InputError):
    """Bad input the user gave the warehouse (a path, a setting): exit 2, as for any bad input."""
