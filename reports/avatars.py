"""Avatars inlined as data: URIs from the avatar cache, so the report loads nothing remote.

Only raster images recognised by their first bytes are inlined (an SVG or an unknown blob in the
cache could be anything); a creator whose avatar is not cached gets a neutral silhouette. A card
shows an avatar at 56 CSS pixels, so each is shrunk to 112 pixels a side first: a 200-pixel JPEG
of 12 KB becomes about 4.5 KB.
"""

from __future__ import annotations

import base64
from pathlib import Path

import cv2
import numpy as np

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
#: Twice the 56 CSS pixels a card shows, for high-density screens.
AVATAR_PIXELS = 112


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
    if mime is None:
        return PLACEHOLDER
    mime, data = shrunk(data) or (mime, data)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def shrunk(data: bytes) -> tuple[str, bytes] | None:
    """(MIME type, bytes) of the image at most ``AVATAR_PIXELS`` a side, JPEG (PNG when it has
    transparency); None when OpenCV cannot read or write it, and the original is kept."""
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None or image.dtype != np.uint8:
        return None
    scale = AVATAR_PIXELS / max(image.shape[:2])
    if scale < 1:
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    alpha = image.ndim == 3 and image.shape[2] == 4
    ok, out = cv2.imencode(".png" if alpha else ".jpg", image, [] if alpha else [cv2.IMWRITE_JPEG_QUALITY, 85])
    return ("image/png" if alpha else "image/jpeg", out.tobytes()) if ok else None
