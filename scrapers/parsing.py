"""What every platform parser shares: kind dispatch, JSON decoding, error records.

The contract is "a body that does not parse becomes a ScrapeError with a reason, never a
crash"; keeping it in one place means a new platform cannot forget half of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from core.records import ParseResult, RawResponse, ScrapeError
from scrapers.settings import OVERSIZED_KIND, REFUSED_KIND
from scrapers.text import as_str, decode_json

Parser = Callable[[RawResponse, Any], ParseResult]


def error_for(raw: RawResponse, reason: str, handle: str | None = None) -> ScrapeError:
    """A ScrapeError pointing at the raw body it came from."""
    return ScrapeError(
        platform=raw.platform,
        handle=handle if handle is not None else (raw.request_key or None),
        url=raw.url,
        status=raw.status,
        reason=reason,
        raw_response_id=raw.response_id,
    )


def json_payload(raw: RawResponse, message_keys: tuple[str, ...]) -> tuple[Any, ParseResult | None]:
    """Decoded JSON, or a ParseResult holding the error (HTTP error status or bad JSON).

    ``message_keys`` are where the platform puts its error text, most specific first.
    """
    data, reason = decode_json(raw.body)
    if raw.status >= 400:
        message = None
        if isinstance(data, dict):
            message = next((m for k in message_keys if (m := as_str(data.get(k)))), None)
        return None, ParseResult(errors=[error_for(raw, message or f"HTTP {raw.status}")])
    if reason is not None:
        return None, ParseResult(errors=[error_for(raw, reason)])
    return data, None


def _guarded(parse: Callable[[], ParseResult], raw: RawResponse) -> ParseResult:
    try:
        return parse()
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises"
        return ParseResult(errors=[error_for(raw, f"parser failed: {type(exc).__name__}: {exc}")])


def dispatch(
    raw: RawResponse,
    parsers: Mapping[str, Parser],
    *,
    label: str,
    message_keys: tuple[str, ...],
    page_parsers: Mapping[str, Callable[[RawResponse], ParseResult]] | None = None,
    api_error: Callable[[Any], str | None] | None = None,
) -> ParseResult:
    """Run the parser for ``raw.kind``; an unexpected failure is reported, never raised.

    ``page_parsers`` take HTML pages (not JSON); ``api_error`` finds an error the platform
    reports inside a 200 answer (Graph API, TikTok Research API).
    """
    if raw.kind == OVERSIZED_KIND:
        return ParseResult(errors=[error_for(
            raw, "response body over the size limit (SCOUT_MAX_BODY_BYTES); not read")])
    if raw.kind == REFUSED_KIND:
        return ParseResult(errors=[error_for(raw, f"not fetched: {raw.body}")])
    if page_parsers and raw.kind in page_parsers:
        return _guarded(lambda: page_parsers[raw.kind](raw), raw)
    parser = parsers.get(raw.kind)
    if parser is None:
        return ParseResult(errors=[error_for(raw, f"unknown {label} response kind {raw.kind!r}")])
    if api_error is not None:
        reason = api_error(decode_json(raw.body)[0])
        if reason is not None:
            return ParseResult(errors=[error_for(raw, reason)])
    data, failed = json_payload(raw, message_keys)
    if failed is not None:
        return failed
    return _guarded(lambda: parser(raw, data), raw)


def parse_saved_json(
    body: str,
    *,
    platform: str,
    detect: Callable[[Any], str | None],
    parse: Callable[[RawResponse], ParseResult],
    expected: str,
    source: str = "saved file",
) -> ParseResult:
    """A body saved by a user (no request to go with it): detect its kind from its content.

    ``detect`` maps decoded JSON to a parser kind, or None when it is not a body we know; the
    error then says what was expected, which is what a user needs to pick the right file.
    """
    raw = RawResponse(platform, "saved", "", source, 200, body)
    data, reason = decode_json(body)
    kind = detect(data) if reason is None else None
    if kind is None:
        why = f"not a {expected}" + (f" ({reason})" if reason else "")
        return ParseResult(errors=[error_for(raw, why)], unrecognised=True)
    raw.kind = kind
    return parse(raw)
