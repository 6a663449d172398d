"""Text from strangers (names, error reasons, URLs) inside Prefect markdown artifacts.

A ``|`` would split a table cell, a newline would end the row, and ``<img onerror=…>`` or
``[x](javascript:…)`` would be markup; ``md_cell`` makes any value read as the text it is.
"""

from __future__ import annotations

import html
import math
import re
from typing import Any

from core.text import clean_text

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start
# emphasis, code, links, images, tables, strikethrough or autolinks inside a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()|~!#])")
MAX_CELL_CHARS = 200


def md_cell(value: Any, max_chars: int = MAX_CELL_CHARS) -> str:
    """``value`` as inert text for one markdown table cell (or list item): one line, HTML
    escaped, markdown punctuation escaped, invisible and bidi characters dropped, at most
    ``max_chars`` characters of the original (cut with an ellipsis)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join((clean_text(str(value)) or "").split())  # every line break becomes a space
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    # Markdown first: the entities html.escape writes ("&lt;") must not get backslashes.
    return html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", text), quote=False)
