"""TikTok handle rule, checked before any request."""

from __future__ import annotations

import re

from scrapers.validate import check_username

# 2-24 letters, digits, periods, underscores; no trailing period.
_USERNAME = re.compile(r"^(?!.*\.$)[a-z0-9._]{2,24}$")
_RULE = "2-24 letters, digits, periods and underscores, not ending with a period"


def validate_handle(handle: str) -> str:
    """Lower-case username, or InvalidInput with the rule."""
    return check_username("TikTok", _USERNAME, _RULE, handle)
