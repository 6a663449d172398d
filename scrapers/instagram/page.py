"""A saved Instagram profile page (HTML) -> a Profile, from its Open Graph meta tags.

Only ever run on files a user saved from a browser: instagram.com's robots.txt forbids
automated collection, so creator-scout never fetches these pages itself. The counts sit in
``og:description`` ("1,234 Followers, 56 Following, 78 Posts - See Instagram photos and videos
from Name (@handle)"), worded and abbreviated in the viewer's language; a wording we do not
know leaves the counts unknown (None), never 0.
"""

from __future__ import annotations

import html
import re

from core.records import ParseResult, Profile, RawResponse
from scrapers.counts import parse_count
from scrapers.parsing import error_for

PLATFORM = "instagram"

# Count labels as og:description words them, per language (lower-case, longest first wins).
_LABELS: dict[str, tuple[str, ...]] = {
    "followers": ("followers", "follower", "seguidores", "seguidor", "abonnés", "abonné"),
    "following": ("following", "gefolgt", "seguidos", "seguido", "seguindo", "abonnements",
                  "abonnement", "profili seguiti", "seguiti"),
    "posts": ("posts", "post", "beiträge", "beitrag", "publicaciones", "publicación",
              "publicações", "publicação", "publications", "publication"),
}
_BY_LENGTH = sorted(((label, field) for field, labels in _LABELS.items() for label in labels),
                    key=lambda pair: -len(pair[0]))
_DASH = re.compile(r"\s[-–—]\s")
_SEGMENTS = re.compile(r",\s+|\s[·•]\s")
_NAME_HANDLE = re.compile(r"^(?P<name>.*?)\s*\(@(?P<handle>[A-Za-z0-9._]{1,30})\)")
_HANDLE = re.compile(r"\(@(?P<handle>[A-Za-z0-9._]{1,30})\)")
# The newer wording: 'Name (@handle) on Instagram: "bio"' (en, de, es, fr, pt, it).
_BIO = re.compile(r"\)\s+(?:on|auf|en|sur|no|su)\s+Instagram:\s*[\"“](?P<bio>.*)[\"”]\s*$",
                  re.DOTALL)
_URL_HANDLE = re.compile(r"instagram\.com/(?P<handle>[A-Za-z0-9._]{1,30})/?(?:[?#]|$)")
_LOGIN_TITLE = re.compile(
    r"^\s*(?:log\s?in|login|anmelden|iniciar sesión|connexion|entrar|accedi)\b", re.IGNORECASE)
_NOT_FOUND_TITLE = re.compile(r"page not found|seite nicht gefunden|página no encontrada",
                              re.IGNORECASE)
# The three tags read, found by a scan that is linear on any page (html.parser is quadratic on
# hostile saved pages, e.g. an unclosed tag at the end): a tag runs to the first '>' outside quotes
# and cannot hold a bare '<'; the atomic group never backtracks into it.
_TAG = re.compile(r"""<(meta|input|title)\b((?>[^<>"']+|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)
_ATTR = re.compile(r"""([^\s=/"'<>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_NOT_PROFILE_PATHS = frozenset({"accounts", "explore", "p", "reel", "reels", "stories", "direct"})


def parse_profile_html(raw: RawResponse) -> ParseResult:
    """The Profile a saved profile page shows, or one ScrapeError saying why there is none."""
    meta, title, login_form = _scan(raw.body)
    description = meta.get("og:description") or meta.get("description") or ""
    og_title = meta.get("og:title", "")
    handle, name = _identity(og_title, description, meta.get("og:url", ""))
    if handle is None:
        why = _why_no_profile(login_form, title, meta)
        return ParseResult(errors=[error_for(raw, why)], unrecognised=why == NOT_A_PROFILE_PAGE)
    counts = _counts(description)
    user_id = meta.get("instapp:owner_user_id", "").strip()
    profile = Profile(
        platform=PLATFORM,
        creator_id=user_id if user_id.isdigit() else handle.lower(),
        handle=handle,
        display_name=name,
        bio=_bio(description),
        followers=counts.get("followers"),
        following=counts.get("following"),
        posts_count=counts.get("posts"),
        verified=None,
        avatar_url=meta.get("og:image") or None,
        external_url=None,
        profile_url=f"https://www.instagram.com/{handle}/",
        id_is_alias=True,  # a saved page's user id (or its handle), not the Graph API's account id
    )
    return ParseResult(profiles=[profile])


def _scan(page: str) -> tuple[dict[str, str], str, bool]:
    """(``property``/``name`` -> ``content`` of every meta tag, first one winning; the title;
    whether a password input is there), in one linear pass over the page."""
    meta: dict[str, str] = {}
    title: str | None = None
    login_form = False
    for tag in _TAG.finditer(page):
        name = tag[1].lower()
        if name == "title":
            if title is None:  # its text runs to the next tag
                end = page.find("<", tag.end())
                title = " ".join(html.unescape(page[tag.end():end if end >= 0 else None]).split())
            continue
        attrs = _attrs(tag[2])
        if name == "input":
            login_form = login_form or attrs.get("name") == "password"
        elif (key := attrs.get("property") or attrs.get("name")) and "content" in attrs:
            meta.setdefault(key.strip().lower(), attrs["content"].strip())
    return meta, title or "", login_form


def _attrs(text: str) -> dict[str, str]:
    """A tag's attributes, names lower-cased, values unescaped; the first of a name wins."""
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTR.findall(text):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


def _identity(og_title: str, description: str, og_url: str) -> tuple[str | None, str | None]:
    """(handle, display name): og:title first, then og:description, then og:url."""
    match = _NAME_HANDLE.match(og_title)
    if match:
        return match["handle"], match["name"].strip() or None
    match = _HANDLE.search(description)
    if match:
        rest = _DASH.split(description, maxsplit=1)[-1]
        named = _NAME_HANDLE.match(rest)
        # 'Name (@handle) on Instagram: "..."' names the account; 'See ... from Name' does not
        # separate the name from the sentence, so then the name stays unknown.
        name = named["name"].strip() if named and _BIO.search(rest) else None
        return match["handle"], name or None
    match = _URL_HANDLE.search(og_url)
    if match and match["handle"].lower() not in _NOT_PROFILE_PATHS:
        return match["handle"], None
    return None, None


def _counts(description: str) -> dict[str, int | None]:
    """{"followers", "following", "posts"} from the text before the dash; unknown words skipped."""
    head = _DASH.split(description, maxsplit=1)[0]
    counts: dict[str, int | None] = {}
    for segment in _SEGMENTS.split(head):
        text = segment.strip().lower()
        for label, field in _BY_LENGTH:
            if text.endswith(label) and field not in counts:
                counts[field] = parse_count(text[: -len(label)].strip() or None)
                break
    return counts


def _bio(description: str) -> str | None:
    match = _BIO.search(description)
    return match["bio"].strip() if match else None


NOT_A_PROFILE_PAGE = ("not an Instagram profile page: no og:title or og:description naming the "
                      "account as 'Name (@handle)'")


def _why_no_profile(login_form: bool, title: str, meta: dict[str, str]) -> str:
    """The reason a page holds no profile, in words that say what to do about it."""
    if _LOGIN_TITLE.match(title) or login_form or "/accounts/login" in meta.get("og:url", ""):
        return ("login wall: save the page while logged in to Instagram "
                "(this copy shows the login form, not the profile)")
    if _NOT_FOUND_TITLE.search(title):
        return "Instagram page not found: the account does not exist or was renamed"
    return NOT_A_PROFILE_PAGE
