"""Authenticity: open flags with their value, threshold and evidence, and a versioned 0-100 score.

Pure and vectorised like every transform: the warehouse's benchmarks and snapshot history come in
as frames (``AuthenticityContext``), every creator's scores and recent posts for the ad-network
pass (``rescore_ad_network``); nothing here reads a file or a database.
"""

from transforms.authenticity.combine import (
    AuthenticityContext,
    all_flags,
    authenticity_columns,
    rescore_ad_network,
)
from transforms.authenticity.records import AUTHENTICITY_VERSION

__all__ = ["AUTHENTICITY_VERSION", "AuthenticityContext", "all_flags", "authenticity_columns", "rescore_ad_network"]
