"""Instagram handle rule, checked before any request."""

from __future__ import annotations

import re

from scrapers.validate import check_username

# 1-30 letters, digits, periods, underscores; no leading/trailing or double period.
_USERNAME = re.compile(r"^(?!\.)(?!.*\.\.)(?!.*\.$)[a-z0-9._]{1,30}$")
_RULE = "1-30 letters, digits, periods and underscores, not starting or ending with a period"


def validate_handle(handle: str) -> str:
    """Lower-case username, or InvalidInput with the rule."""
    return check_username("Instagram", _USERNAME, _RULE, handle)
