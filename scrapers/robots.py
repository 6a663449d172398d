"""robots.txt, read once per origin and asked before any HTML page is fetched (RFC 9309)."""

from __future__ import annotations

import logging
from urllib import robotparser
from urllib.parse import urlsplit

import requests

from scrapers.ratelimit import TokenBucket
from scrapers.redaction import RedactingFilter, redact

log = logging.getLogger(__name__)
log.addFilter(RedactingFilter())


class RobotsCache:
    """Each origin's parsed robots.txt, fetched the first time a URL there is asked about."""

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._parsers: dict[str, robotparser.RobotFileParser] = {}

    def allows(self, url: str, session: requests.Session, bucket: TokenBucket,
               timeout: tuple[float, float]) -> bool:
        """The verdict for our user agent; an unreachable robots.txt allows, 401/403 forbid."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._parsers.get(origin)
        if parser is None:
            parser = robotparser.RobotFileParser(origin + "/robots.txt")
            bucket.acquire()
            try:
                resp = session.get(origin + "/robots.txt", timeout=timeout)
                if resp.status_code in (401, 403):
                    parser.disallow_all = True
                elif resp.status_code >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(resp.text.splitlines())
            except requests.RequestException:
                parser.allow_all = True
            self._parsers[origin] = parser
        allowed = parser.can_fetch(self.user_agent, url)
        log.info("robots.txt %s %s", "allows" if allowed else "disallows", redact(url))
        return allowed
