"""Avatars inlined as data: URIs from the avatar cache, so the report loads nothing remote.

Only raster images recognised by their first bytes are inlined (an SVG or an unknown blob in the
cache could be anything); a creator whose avatar is not cached gets a neutral silhouette.
"""

from __future__ import annotations

import base64
from pathlib import Path

from scrapers.avatars import MAX_AVATAR_BYTES, cache_path

#: Magic bytes -> MIME type of the image formats a browser shows in an <img>.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

_SILHOUETTE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">'
    '<rect width="96" height="96" fill="#e4e7eb"/><circle cx="48" cy="38" r="17" fill="#aab2bd"/>'
    '<path d="M16 90c4-19 17-29 32-29s28 10 32 29z" fill="#aab2bd"/></svg>'
)
PLACEHOLDER = "data:image/svg+xml;base64," + base64.b64encode(_SILHOUETTE.encode()).decode("ascii")


def image_type(data: bytes) -> str | None:
    """The MIME type of ``data`` from its first bytes (WebP too), or None when not an image we inline."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((mime for magic, mime in _SIGNATURES if data.startswith(magic)), None)


def avatar_src(cache_dir: Path, url: str | None) -> str:
    """A data: URI of the cached avatar of ``url``, or the placeholder when there is none to show."""
    if not url:
        return PLACEHOLDER
    path = cache_path(cache_dir, url)
    try:
        if path.stat().st_size > MAX_AVATAR_BYTES:
            return PLACEHOLDER
        data = path.read_bytes()
    except OSError:
        return PLACEHOLDER
    mime = image_type(data)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}" if mime else PLACEHOLDER
