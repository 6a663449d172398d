"""Authenticity: open flags with their value, threshold and evidence, and a versioned 0-100 score.

Pure and vectorised like every transform: the warehouse's benchmarks, snapshot history and other
creators' posts come in as frames (``AuthenticityContext``); nothing here reads a file or a database.
"""

from transforms.authenticity.combine import (
    AuthenticityContext,
    all_flags,
    authenticity_columns,
)
from transforms.authenticity.records import AUTHENTICITY_VERSION

__all__ = ["AUTHENTICITY_VERSION", "AuthenticityContext", "all_flags", "authenticity_columns"]
