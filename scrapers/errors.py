"""Scraper exceptions, rooted in one base so callers can catch the whole family."""


class ScraperError(Exception):
    """Base of every error the scraping layer raises on purpose."""


class FetchFailed(ScraperError):
    """A request kept failing (429/5xx/network) after every retry; safe to retry later."""


class RobotsDisallowed(ScraperError):
    """robots.txt forbids this URL for our user agent."""


class InvalidInput(ScraperError):
    """A handle, URL or parameter that cannot be valid; the message says why."""
