"""Credentials never leave the process: ``redact`` for every URL and message we store, log or
raise, ``redact_secrets`` for stored bodies, and a log filter for urllib3's request lines."""

from __future__ import annotations

import functools
import json
import logging
import re
from urllib.parse import quote, quote_plus

from scrapers.settings import known_secrets

# Query parameters that carry credentials (YouTube `key`, Graph API `access_token`, ...).
CREDENTIAL_PARAMS = ("key", "api_key", "apikey", "access_token", "token", "client_secret",
                     "password", "sig")
_SECRET_PARAM = re.compile(rf"(?i)\b({'|'.join(CREDENTIAL_PARAMS)})=([^&\s#'\"]+)")
# Headers that carry credentials; any other header holding a known secret counts too.
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "x-goog-api-key",
                                "x-api-key"})


@functools.lru_cache(maxsize=64)
def _secret_forms(secret: str) -> tuple[str, ...]:
    """Every way ``secret`` gets written where it may turn up, longest first: as is, repr()
    (requests' InvalidHeader message), JSON-escaped (an echoed body), URL-encoded."""
    forms = {secret, repr(secret)[1:-1], ascii(secret)[1:-1], json.dumps(secret)[1:-1],
             quote(secret, safe=""), quote(secret), quote_plus(secret, safe="")}
    return tuple(sorted(forms, key=len, reverse=True))


def redact_secrets(text: str) -> str:
    """``text`` with every form of every token or key this process has read replaced.

    Applied to stored bodies: a server may echo the request (headers and all) in an error.
    Unlike :func:`redact` it leaves ``key=...`` text alone, which a post may legitimately hold.
    """
    for secret in known_secrets():
        for form in _secret_forms(secret):
            text = text.replace(form, "REDACTED")
    return text


def redact(text: str) -> str:
    """``text`` (a URL, an error message) with every credential hidden: the value of any
    credential parameter, and any token or key this process has read (``known_secrets``),
    wherever and however it appears (a path, a header echoed in an error, repr(), URL-encoded).

    Applied to every URL we store and every message we log or raise, so a key never reaches
    the warehouse, the logs or a Prefect artifact.
    """
    return _SECRET_PARAM.sub(r"\1=REDACTED", redact_secrets(text))


class RedactingFilter(logging.Filter):
    """Log records with credentials hidden: urllib3 logs each request line, query string and
    all, at DEBUG, so a token in a URL would reach any log that runs at that level."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


# urllib3 logs each request line, query string and all, at DEBUG.
logging.getLogger("urllib3.connectionpool").addFilter(RedactingFilter())
