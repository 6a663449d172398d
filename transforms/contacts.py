"""Contact details a creator published in their bio, so outreach does not need a lookup.

Only what the creator wrote publicly is used. Email: the first address in the bio, after
undoing the usual obfuscations ("name [at] domain [dot] com", "name(at)domain.com",
"name at domain dot com"), lowercased. Link: the first http(s) URL in the bio, else the first
bare domain with a common TLD ("linktr.ee/x" -> "https://linktr.ee/x"), else the profile's
external_url.
"""

from __future__ import annotations

import pandas as pd

from transforms._text import clean_text, extract, matches
from transforms.frames import STRING, to_string

CONTACTS_VERSION = "contacts-v1"

_OPEN = r"[\[\(\{<]"
_CLOSE = r"[\]\)\}>]"
_AT_BRACKETED = r"(?i) *" + _OPEN + r" *(?:at|@) *" + _CLOSE + " *"
_DOT_BRACKETED = r"(?i) *" + _OPEN + r" *(?:dot|\.) *" + _CLOSE + " *"
_LOCAL = r"[a-z0-9][a-z0-9._%+-]*"
_SPELLED = (
    r"(?i)(?:^|[^a-z0-9._%+-])(?P<user>" + _LOCAL + r") +at +(?P<host>[a-z0-9-]+(?: +dot +"
    r"[a-z0-9-]+)*) +dot +(?P<tld>[a-z]{2,24})(?:$|[^a-z0-9])"
)
EMAIL = r"(?i)(?P<m>" + _LOCAL + r"@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,24})"
URL = r"(?i)(?P<m>https?://[^ <>\"'()\[\]{}|]+)"
_TLDS = [
    "com", "net", "org", "info", "biz", "io", "co", "me", "ee", "ly", "to", "gg", "tv", "fm",
    "app", "dev", "link", "bio", "page", "site", "shop", "store", "art", "xyz", "blog", "online",
    "uk", "de", "fr", "es", "it", "nl", "br", "ca", "au", "jp", "eu", "ai", "in", "us",
]
BARE_DOMAIN = (
    r"(?i)(?:^|[^a-z0-9@._%+/-])(?P<m>(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:"
    + "|".join(sorted(_TLDS, key=lambda t: (-len(t), t)))
    + r")(?:/[^ <>\"'()\[\]{}|]*)?)(?:$|[^a-z0-9-])"
)
_TRAILING = r"[.,;:!?…]+$"


def _deobfuscate(bio: pd.Series) -> pd.Series:
    """Bracketed and spelled-out 'at'/'dot' turned back into '@'/'.'."""
    bio = bio.str.replace("＠", "@", regex=False)
    bio = bio.str.replace(_AT_BRACKETED, "@", regex=True)
    bio = bio.str.replace(_DOT_BRACKETED, ".", regex=True)
    spelled = matches(bio, _SPELLED)
    if spelled.any():
        sub = bio[spelled]
        user, host, tld = (extract(sub, _SPELLED, group=g) for g in ("user", "host", "tld"))
        host = host.str.replace("(?i) +dot +", ".", regex=True)
        bio = bio.mask(spelled, user + "@" + host + "." + tld + " " + sub)
    return bio


def extract_contacts(bio: pd.Series, external_url: pd.Series | None = None) -> pd.DataFrame:
    """contact_email and contact_link per row, same index as ``bio``; NA where none.

    ``external_url`` is aligned by position with ``bio``.
    """
    text = _deobfuscate(clean_text(bio))
    email = extract(text, EMAIL).str.lower()
    # on the de-obfuscated text, so an email's domain is never mistaken for a link
    url = extract(text, URL).str.replace(_TRAILING, "", regex=True)
    bare = extract(text, BARE_DOMAIN).str.replace(_TRAILING, "", regex=True)
    link = url.fillna("https://" + bare)
    if external_url is not None:
        link = link.fillna(clean_text(to_string(external_url)).set_axis(text.index))
    link = link.mask(link.str.len().eq(0))
    return pd.DataFrame(
        {"contact_email": email.astype(STRING), "contact_link": link.astype(STRING)},
        index=text.index,
    )
