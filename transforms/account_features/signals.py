"""Named signals: one dense column each, with the plain words the evidence quotes, and the fixed
priors for signals the training data cannot teach."""

from __future__ import annotations

import math
import string
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms._text import (
    _arrow,
    extract,
    matches,
    words,
)
from transforms.account_features.inputs import Fields, Lexicon
from transforms.account_words import (
    AGE,
    ALL_CAPS,
    ALL_LOWERCASE,
    CAMEL_HANDLE,
    CAMEL_NAME,
    CAPITALISED_PAIR,
    CLOCK_TIME,
    CREDIT_PATTERN,
    DIGITS_END_PATTERN,
    EMAIL_PATTERN,
    EMOJI_PATTERN,
    FAMILY,
    FIRST_PERSON,
    FIRST_PERSON_POST_PATTERN,
    HANDLE_BOT,
    HANDLE_WORDS,
    HASHTAG_PATTERN,
    LINK_PATTERN,
    LIST_SEPARATOR_PATTERN,
    MENTION_PATTERN,
    NAME_ARTICLE,
    NAME_FIRST_TOKEN,
    NAME_LAST_TOKEN,
    OWN_VIEWS,
    PAGE_WORDS,
    PHONE_PATTERN,
    PRONOUNS,
    REPLY_START,
    ROLES,
    TEXT_ARTICLE,
    TITLE_CASE_NAME,
    URL_START,
    WE_PATTERN,
)
from transforms.frames import to_string

PRIORS = {
    "is_bot": -12.0,  # the owner marked it automated (Mastodon's flag): outweighs any wording
    "cadence": -0.9,  # per doubling of posts per week above CADENCE_FREE_PER_WEEK ...
    "cadence_max": -2.5,  # ... down to this
    "repost_share": -2.5,  # at 100% reposts, scaled from 0 at REPOST_SHARE_FREE
    "face_yes": 0.8,  # a face detected in the avatar
    "face_no": -0.4,  # an avatar checked and no face found
}
CADENCE_FREE_PER_WEEK = 14.0  # two posts a day is still a person's pace
REPOST_SHARE_FREE = 0.5

PAGE_KINDS = ("meme", "facts", "animal", "brand", "news", "repost", "fan")
_PAGE_LABEL = {k: (k or "page") for k in PAGE_WORDS}

# ---------------------------------------------------------------- named signals


@dataclass(frozen=True)
class Signal:
    """One named dense feature and how the evidence words it ("{m}": matched phrase)."""

    key: str
    text: str
    group: str = ""  # signals sharing a group make one evidence line
    kind: str | None = None  # page family it points to, for the subtype rule


Wording = Callable[[np.ndarray], np.ndarray]  # row positions -> object array of phrases


@dataclass
class Signals:
    """Values of the named signals for n rows, and how to word each for chosen rows.

    Phrases are produced only for the rows whose evidence shows them (a few per row), so
    the regexes run as cheap yes/no matches over the whole frame.
    """

    n: int
    values: dict[str, np.ndarray] = field(default_factory=dict)
    wording: dict[str, Wording] = field(default_factory=dict)

    def put(self, key: str, value: np.ndarray, wording: Wording | None = None) -> None:
        self.values[key] = np.nan_to_num(np.asarray(value, dtype=np.float64))
        if wording is not None:
            self.wording[key] = wording

    def phrase(self, key: str, pattern: str, text: pd.Series,
               within: np.ndarray | None = None) -> np.ndarray:
        """1 where the pattern matches; the evidence quotes its group "m".

        ``within``: the only rows that can match (a cheaper test already ruled out the
        rest), so the regex runs on those alone.
        """
        if within is None:
            hit = _match(text, pattern)
        else:
            hit = np.zeros(self.n, dtype=bool)
            rows = np.flatnonzero(within)
            if len(rows):
                hit[rows] = _match(text.iloc[rows], pattern)
        self.put(key, hit, _extracting(text, pattern))
        return hit

    def matrix(self, keys: list[str]) -> np.ndarray:
        if not keys:
            return np.zeros((self.n, 0))
        out = np.empty((self.n, len(keys)))
        for j, k in enumerate(keys):
            out[:, j] = self.values[k]
        return out


def _extracting(text: pd.Series, pattern: str) -> Wording:
    def wording(rows: np.ndarray) -> np.ndarray:
        found = extract(text.iloc[rows], pattern)
        return found.to_numpy(dtype=object, na_value="")
    return wording


def _texts(series: pd.Series) -> Wording:
    values = series.to_numpy(dtype=object, na_value="")
    return lambda rows: values[rows]


def _numbers(x: np.ndarray, fmt: str) -> Wording:
    return lambda rows: np.array([fmt % v for v in np.nan_to_num(x[rows]).tolist()],
                                 dtype=object)


def _signal_specs() -> list[Signal]:
    s = [
        Signal("name_given", "display name starts with a common first name ('{m}')"),
        Signal("name_given_strength", "", group="name_given"),
        Signal("name_title_case", "display name looks like 'First Last'"),
        Signal("name_given_title_case", "", group="name_title_case"),
        Signal("name_one_word", "display name is a single word"),
        Signal("name_long", "display name is long ({m} words)"),
        Signal("name_article", "display name starts with '{m}'"),
        Signal("name_caps", "display name is in capitals"),
        Signal("name_digits", "display name contains digits"),
        Signal("name_emoji", "display name has emoji or symbols"),
        Signal("name_camel", "display name is written as one CamelCase word"),
        Signal("handle_camel", "handle is several CamelCase words"),
        Signal("bio_has_name", "bio repeats the display name"),
        Signal("handle_given", "handle starts with a common first name ('{m}')"),
        Signal("handle_given_strength", "", group="handle_given"),
        Signal("handle_has_name", "handle contains the display name's '{m}'"),
        Signal("handle_has_given", "", group="handle_has_name"),
        Signal("handle_not_name", "display name is a person's but the handle is not"),
        Signal("handle_digits", "handle ends in digits"),
        Signal("handle_bot", "handle says 'bot'"),
        Signal("name_last_given", "display name ends with a common first name ('{m}')"),
        Signal("handle_has_digit", "handle contains digits"),
        Signal("handle_underscore", "handle has an underscore"),
        Signal("handle_length", "handle is {m} characters long"),
        Signal("bio_empty", "no bio"),
        Signal("bio_length", "bio is {m} characters long"),
        Signal("bio_first_person", "bio speaks in the first person ('{m}')"),
        Signal("bio_first_person_count", "", group="bio_first_person"),
        Signal("bio_we", "bio speaks as a group ('{m}')"),
        Signal("bio_pronouns", "bio lists pronouns '{m}'"),
        Signal("bio_family", "bio names a family role '{m}'"),
        Signal("bio_role", "bio names a personal role '{m}'"),
        Signal("bio_age", "bio gives an age '{m}'"),
        Signal("bio_own_views", "bio says '{m}'"),
        Signal("bio_link", "bio has a link"),
        Signal("bio_email", "bio gives an email address"),
        Signal("bio_phone", "bio gives a phone number"),
        Signal("bio_hashtags", "bio has {m} hashtags"),
        Signal("bio_mentions", "bio mentions other accounts"),
        Signal("bio_emoji", "bio has emoji"),
        Signal("bio_emoji_count", "", group="bio_emoji"),
        Signal("bio_exclaims", "bio exclaims ({m} '!')"),
        Signal("bio_digit_share", "bio is {m}% digits"),
        Signal("bio_capitalised_pair", "bio names someone or something ('{m}')"),
        Signal("bio_list", "bio is a list ('a | b | c')"),
        Signal("bio_lowercase", "bio is written all in lowercase"),
        Signal("bio_title_words", "bio capitalises most words"),
        Signal("bio_article", "bio starts with '{m}'"),
        Signal("post_credit", "{m}", kind="repost"),
        Signal("post_first_person", "{m}"),
        Signal("post_link", "the sample post has a link"),
        Signal("post_reply", "the sample post talks to someone (@)"),
        Signal("post_hashtags", "the sample post has several hashtags"),
        Signal("post_we", "the sample post speaks as a group ('{m}')"),
        Signal("post_links", "the sample post has several links"),
        Signal("post_headline", "the sample post reads like a headline"),
        Signal("post_timestamp", "the sample post carries a timestamp"),
        Signal("post_mentions", "the sample post mentions {m} accounts"),
        Signal("post_caps_share", "the sample post is {m}% capitals"),
        Signal("post_length", "the sample post is {m} characters long"),
        Signal("followers", "{m}"),
        Signal("followers_1k", "", group="followers"),
        Signal("followers_10k", "", group="followers"),
        Signal("following", "", group="followers"),
        Signal("following_1k", "", group="followers"),
        Signal("follow_ratio", "", group="followers"),
        Signal("follow_ratio_hi", "", group="followers"),
        Signal("posts_per_follower", "has posted {m}"),
    ]
    for kind, label in _PAGE_LABEL.items():
        s.append(Signal(f"bio_{label}", "bio says '{m}'", kind=kind))
        s.append(Signal(f"name_{label}", "display name says '{m}'", kind=kind))
        s.append(Signal(f"handle_{label}", "handle contains '{m}'", kind=kind))
    return s


NAMELESS = "_nameless"  # suffix of a signal's second weight, for profiles without a display name
BASE_SIGNALS: list[Signal] = _signal_specs()
BASE_KEYS: list[str] = [s.key for s in BASE_SIGNALS]
# Every signal again, for profiles without a display name (the column given, the value
# empty). Without a name the same wording means something else: there is no name to check
# a first name or 'First Last' against, and the bio and post carry all the weight. So each
# signal has a second weight that applies only there ("feature augmentation": shared +
# per-domain weights). Its value is the signal's value on those rows, 0 elsewhere, so at run
# time a row simply adds the second weight to the first (see dense_matrix) and the evidence
# line of a signal carries both. A weight for the missing name itself measured no better.
SIGNAL_KEYS: list[str] = [*BASE_KEYS, *(k + NAMELESS for k in BASE_KEYS)]


def nameless(f: Fields) -> np.ndarray:
    """1 where the display name is known to be empty (an absent column is unknown)."""
    return (f.name.isna().to_numpy() & ("display_name" in f.columns)).astype(np.float64)


def dense_matrix(s: Signals, f: Fields) -> np.ndarray:
    """The named-signal columns of the model (SIGNAL_KEYS): the signals, then the same
    signals on nameless rows only."""
    base = s.matrix(BASE_KEYS)
    return np.hstack([base, base * nameless(f)[:, None]])


_PAGE_PATTERNS = {k: words(v) for k, v in PAGE_WORDS.items()}
_HANDLE_PATTERNS = {k: f"(?P<m>{v})" for k, v in HANDLE_WORDS.items()}
_ANY_PAGE_WORD = words([w for ws in PAGE_WORDS.values() for w in ws])
HANDLE_LENGTH_MAX = 15.0  # Twitter's limit: the longest handle in the training data
_HANDLE_PREFIX_MAX = 10  # longer given names are rare; prefixes 4..10 letters are tried
_ANY_HANDLE_WORD = "|".join(f"(?:{v})" for v in HANDLE_WORDS.values())
_FIRST_PERSON_WORDS = words(FIRST_PERSON)


def _log10p(x: np.ndarray) -> np.ndarray:
    return np.log10(1.0 + np.maximum(np.nan_to_num(x), 0.0))


def _match(text: pd.Series, pattern: str) -> np.ndarray:
    """Plain bool: does the pattern occur (RE2, stops at the first match)."""
    return matches(text, pattern).to_numpy()


def _count(text: pd.Series, pattern: str) -> np.ndarray:
    if len(text) == 0:
        return np.zeros(0)
    c = pc.count_substring_regex(_arrow(text), pattern)
    return np.asarray(pc.fill_null(c, 0).to_numpy(), dtype=np.float64)


def _byte_view(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of all rows back to back, and each row's start offset (n + 1)."""
    n = len(text)
    arr = pc.fill_null(_arrow(to_string(text)).combine_chunks(), "").cast(pa.large_string())
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return data, offsets - offsets[0]


def _per_row(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """How many of the byte positions fall in each row."""
    rows = np.searchsorted(offsets, positions, side="right") - 1
    return np.bincount(rows, minlength=len(offsets) - 1).astype(np.float64)


def _count_bytes(text: pd.Series, *charsets: str) -> list[np.ndarray]:
    """Per row and per charset, how many of its characters the text has (ASCII charsets, so
    a byte is a character; 0 for NA). One pass over the bytes, no regex: fast."""
    if len(text) == 0:
        return [np.zeros(0) for _ in charsets]
    data, offsets = _byte_view(text)
    out = []
    for chars in charsets:
        table = np.zeros(256, dtype=np.int32)
        table[np.frombuffer(chars.encode("ascii"), dtype=np.uint8)] = 1
        total = np.r_[0, np.cumsum(table[data])]
        out.append((total[offsets[1:]] - total[offsets[:-1]]).astype(np.float64))
    return out


def _n_words(text: pd.Series) -> np.ndarray:
    """Words as spaces + 1 (text is whitespace-collapsed); 0 for NA. No regex: fast."""
    if len(text) == 0:
        return np.zeros(0)
    data, offsets = _byte_view(text)
    return np.where(text.notna().to_numpy(), _per_row(offsets, np.flatnonzero(data == 32)) + 1,
                    0.0)


def _mostly_capitalised(cased: pd.Series, min_words: int) -> np.ndarray:
    """At least min_words words and >= 60% of them start with a capital ("Official Store Of").

    Counted on the bytes: an ASCII capital at the start of the text or after a space.
    """
    if len(cased) == 0:
        return np.zeros(0, dtype=bool)
    data, offsets = _byte_view(cased)
    space = data == 32
    n_words = np.where(cased.notna().to_numpy(), _per_row(offsets, np.flatnonzero(space)) + 1, 0)
    upper = (data >= 65) & (data <= 90)
    starts_word = np.zeros(len(data), dtype=bool)
    starts_word[1:] = space[:-1]
    starts_word[offsets[:-1][offsets[:-1] < offsets[1:]]] = True
    capitals = _per_row(offsets, np.flatnonzero(upper & starts_word))
    return (n_words >= min_words) & (capitals >= 0.6 * n_words)


def _first_token(text: pd.Series) -> pd.Series:
    """The first run of letters after a title: 'Dr. Maya-Jane P' -> 'maya' (lowercased text)."""
    return extract(text, NAME_FIRST_TOKEN)


def _last_token(text: pd.Series) -> pd.Series:
    return extract(text, NAME_LAST_TOKEN)


def _contains(haystack: pd.Series, needle: pd.Series, min_len: int) -> np.ndarray:
    """Row-wise "needle in haystack", only for needles of at least min_len characters."""
    ok = (needle.str.len().fillna(0).to_numpy() >= min_len) & haystack.notna().to_numpy()
    out = np.zeros(len(needle), dtype=bool)
    rows = np.flatnonzero(ok)
    if len(rows):
        sd = np.dtypes.StringDType()
        h = haystack.iloc[rows].to_numpy(dtype=object).astype(sd)
        nd = needle.iloc[rows].to_numpy(dtype=object).astype(sd)
        out[rows] = np.strings.find(h, nd) >= 0
    return out


def _handle_given(handle: pd.Series, lexicon: Lexicon) -> tuple[np.ndarray, Wording]:
    """The longest first name the handle starts with: the whole leading word (>= 3 letters)
    or a prefix of it (>= 4 letters: "mattjones" -> "matt"). One lexicon lookup for all
    candidate prefixes of all rows."""
    run = handle.str.replace("[^a-z].*$", "", regex=True)
    run_len = run.str.len().fillna(0).to_numpy()
    n = len(run)
    lengths = [0, *range(_HANDLE_PREFIX_MAX, 3, -1)]  # 0: the whole run; then longest first
    candidates = pd.concat([run if k == 0 else run.str.slice(0, k) for k in lengths],
                           ignore_index=True)
    strength = lexicon.lookup(candidates).reshape(len(lengths), n)
    strength[0] *= run_len >= 3
    for i, k in enumerate(lengths[1:], start=1):
        strength[i] *= run_len > k  # a proper prefix, not the whole run again
    found = strength > 0
    first = np.where(found.any(axis=0), found.argmax(axis=0), -1)
    best_len = np.where(first > 0, np.array(lengths)[np.maximum(first, 0)], 0)
    value = np.where(first >= 0, strength[np.maximum(first, 0), np.arange(n)], 0.0)
    text = run.to_numpy(dtype=object, na_value="")

    def words(rows: np.ndarray) -> np.ndarray:
        return np.array([t if k == 0 else t[:k] for t, k in
                         zip(text[rows].tolist(), best_len[rows].tolist())], dtype=object)

    return value, words


def named_signals(f: Fields, lexicon: Lexicon) -> Signals:
    """Every named signal's value per row (see BASE_SIGNALS for what each means)."""
    s = Signals(f.n)
    _name_signals(f, s, lexicon)
    _bio_signals(f, s)
    _post_signals(f, s)
    _count_signals(f, s)
    return s


def _name_signals(f: Fields, s: Signals, lexicon: Lexicon) -> None:
    """Display name and handle: a first name, 'First Last', shape, name vs handle."""
    name, name_cased, handle = f.name, f.name_cased, f.handle
    token = _first_token(name)
    strength = lexicon.lookup(token) * (token.str.len().fillna(0).to_numpy() >= 2)
    given = strength > 0
    s.put("name_given", given, _texts(token))
    s.put("name_given_strength", strength)
    page_word = _match(name, _ANY_PAGE_WORD)
    title_case = _match(name_cased, TITLE_CASE_NAME) & ~page_word
    s.put("name_title_case", title_case)
    s.put("name_given_title_case", title_case & given)
    n_words = _n_words(name)
    s.put("name_one_word", n_words == 1)
    s.put("name_long", n_words >= 4, _numbers(n_words, "%d"))
    s.phrase("name_article", NAME_ARTICLE, name)
    s.put("name_caps", _match(name_cased.str.replace("[^A-Za-z]", "", regex=True), ALL_CAPS))
    s.put("name_digits", _match(name, "[0-9]"))
    s.put("name_emoji", _match(name, EMOJI_PATTERN))
    s.put("name_camel", _match(name_cased, CAMEL_NAME))
    s.put("handle_camel", _match(f.handle_cased, CAMEL_HANDLE))
    s.put("bio_has_name", _contains(f.bio, name, 5))

    h_strength, h_words = _handle_given(handle, lexicon)
    s.put("handle_given", h_strength > 0, h_words)
    s.put("handle_given_strength", h_strength)
    handle_letters = handle.str.replace("[^a-z]", "", regex=True)
    last = _last_token(name)
    has_first = _contains(handle_letters, token, 3)
    has_last = _contains(handle_letters, last, 3)
    s.put("handle_has_name", has_first | has_last, _texts(token.where(has_first, last)))
    s.put("handle_has_given", has_first & given)
    s.put("handle_not_name", given & title_case & ~(has_first | has_last)
          & handle.notna().to_numpy())
    s.put("handle_digits", _match(handle, DIGITS_END_PATTERN))
    s.put("handle_bot", _match(handle, HANDLE_BOT))
    last_strength = lexicon.lookup(last) * (last.str.len().fillna(0).to_numpy() >= 2)
    s.put("name_last_given", last_strength * (n_words >= 2), _texts(last))
    s.put("handle_has_digit", _match(handle, "[0-9]"))
    s.put("handle_underscore", _count(handle, "_") > 0)
    h_len = handle.str.len().fillna(0).to_numpy(dtype=np.float64)
    # centred on a typical handle (10 characters), 0 when there is none; capped at Twitter's
    # 15, the longest the training data can have: longer handles (TikTok, Bluesky domains)
    # are no evidence the weight was fitted on
    s.put("handle_length", np.where(h_len > 0, (np.minimum(h_len, HANDLE_LENGTH_MAX) - 10.0)
                                    / 15.0, 0.0), _numbers(h_len, "%d"))
    handle_page = _match(handle, _ANY_HANDLE_WORD)
    for kind, label in _PAGE_LABEL.items():
        s.phrase(f"name_{label}", _PAGE_PATTERNS[kind], name, within=page_word)
        s.phrase(f"handle_{label}", _HANDLE_PATTERNS[kind], handle, within=handle_page)


def _bio_signals(f: Fields, s: Signals) -> None:
    """Bio wording: first person vs we, pronouns, family and roles, page words, shape."""
    bio, cased = f.bio, f.bio_cased
    s.put("bio_empty", bio.isna().to_numpy() & ("bio" in f.columns))  # known to be empty
    length = bio.str.len().fillna(0).to_numpy(dtype=np.float64)
    s.put("bio_length", np.where(length > 0, length / 160.0 - 0.5, 0.0),
          _numbers(length, "%d"))
    first_person = _FIRST_PERSON_WORDS
    s.phrase("bio_first_person", first_person, bio)
    s.put("bio_first_person_count", np.minimum(_count(bio, first_person), 4) / 4)
    s.phrase("bio_we", WE_PATTERN, cased)
    s.phrase("bio_pronouns", words(PRONOUNS), bio)
    s.phrase("bio_family", words(FAMILY), bio)
    s.phrase("bio_role", words(ROLES), bio)
    s.phrase("bio_age", words(AGE), bio)
    s.phrase("bio_own_views", words(OWN_VIEWS), bio)
    s.put("bio_link", _match(bio, LINK_PATTERN))
    s.put("bio_email", _match(bio, EMAIL_PATTERN))
    s.put("bio_phone", _match(bio, PHONE_PATTERN))
    tags = _count(cased, HASHTAG_PATTERN)
    s.put("bio_hashtags", np.minimum(tags, 4) / 4, _numbers(tags, "%d"))
    s.put("bio_mentions", _match(bio, MENTION_PATTERN))
    s.put("bio_emoji", _match(cased, EMOJI_PATTERN))
    s.put("bio_emoji_count", np.minimum(_count(cased, EMOJI_PATTERN), 3) / 3)
    bangs = _count(bio, "!")
    s.put("bio_exclaims", np.minimum(bangs, 3) / 3, _numbers(bangs, "%d"))
    digits = np.where(length > 0, _count(bio, "[0-9]") / np.maximum(length, 1.0), 0.0)
    s.put("bio_digit_share", 5.0 * digits, _numbers(100 * digits, "%.0f"))
    s.phrase("bio_capitalised_pair", CAPITALISED_PAIR, cased)
    s.put("bio_list", _count(bio, LIST_SEPARATOR_PATTERN) >= 2)
    s.put("bio_lowercase", _match(cased, ALL_LOWERCASE) & (length >= 10))
    s.put("bio_title_words", _mostly_capitalised(cased, 4))
    s.phrase("bio_article", TEXT_ARTICLE, bio)
    page_word = _match(bio, _ANY_PAGE_WORD)
    for kind, label in _PAGE_LABEL.items():
        s.phrase(f"bio_{label}", _PAGE_PATTERNS[kind], bio, within=page_word)


def _share_or_sample(share: np.ndarray, sample_hit: np.ndarray, has_sample: np.ndarray
                     ) -> np.ndarray:
    """The share over many posts when known, else the one sample post's 0/1."""
    return np.where(np.isfinite(share), share, np.where(has_sample, sample_hit, 0.0))


def _share_words(share: np.ndarray, value: np.ndarray, of_posts: str, sample: str) -> Wording:
    """'40% of posts <of_posts>' where the share is known, else the sample post's phrase."""
    def words(rows: np.ndarray) -> np.ndarray:
        return np.array([sample if math.isnan(s) else f"{round(v * 100)}% of posts {of_posts}"
                         for s, v in zip(share[rows].tolist(), value[rows].tolist())],
                        dtype=object)
    return words


def _post_signals(f: Fields, s: Signals) -> None:
    """Post wording: from the shares over recent posts, else from one sample post."""
    post = f.post
    has = post.notna().to_numpy()
    credit = _share_or_sample(f.num["credit_share"], _match(post, CREDIT_PATTERN), has)
    first = _share_or_sample(f.num["first_person_post_share"],
                             _match(post, FIRST_PERSON_POST_PATTERN), has)
    s.put("post_credit", credit, _share_words(
        f.num["credit_share"], credit, "credit another account",
        "the sample post credits another account"))
    s.put("post_first_person", first, _share_words(
        f.num["first_person_post_share"], first, "are in the first person",
        "the sample post is in the first person"))
    s.put("post_link", _match(post, LINK_PATTERN))
    s.put("post_reply", _match(post, REPLY_START))
    s.put("post_hashtags", _count(post, HASHTAG_PATTERN) >= 2)
    s.phrase("post_we", WE_PATTERN, f.post_cased)
    s.put("post_links", _count(post, URL_START) >= 2)
    s.put("post_headline", _mostly_capitalised(f.post_cased, 3))
    s.put("post_timestamp", _match(post, CLOCK_TIME))
    mentions = _count(post, MENTION_PATTERN)
    s.put("post_mentions", np.minimum(mentions, 3) / 3, _numbers(mentions, "%d"))
    upper, lower = _count_bytes(f.post_cased, string.ascii_uppercase, string.ascii_lowercase)
    letters = upper + lower
    caps = np.where(letters >= 10, upper / np.maximum(letters, 1.0), 0.0)
    s.put("post_caps_share", caps, _numbers(100 * caps, "%.0f"))
    length = post.str.len().fillna(0).to_numpy(dtype=np.float64)
    s.put("post_length", np.where(length > 0, length / 140.0 - 0.5, 0.0), _numbers(length, "%d"))


def _count_signals(f: Fields, s: Signals) -> None:
    """Counts on a log10 scale, centred on a typical small account; unknown -> 0.

    Evidence words all follower/following terms as one line ("has 5000 followers and
    follows 12") and all post-count terms as another.
    """
    followers, following, posts = f.num["followers"], f.num["following"], f.num["posts"]
    known_f, known_g, known_p = np.isfinite(followers), np.isfinite(following), np.isfinite(posts)
    lf, lg, lp = _log10p(followers), _log10p(following), _log10p(posts)

    def follow_words(rows: np.ndarray) -> np.ndarray:
        out = []
        for fo, fg in zip(followers[rows].tolist(), following[rows].tolist()):
            parts = [] if math.isnan(fo) else [f"has {int(fo)} followers"]
            parts += [] if math.isnan(fg) else [f"follows {int(fg)}"]
            out.append(" and ".join(parts))
        return np.array(out, dtype=object)

    s.put("followers", np.where(known_f, lf - 2.5, 0.0), follow_words)
    s.put("followers_1k", np.where(known_f, np.maximum(lf - 3.0, 0.0), 0.0))
    s.put("followers_10k", np.where(known_f, np.maximum(lf - 4.0, 0.0), 0.0))
    s.put("following", np.where(known_g, lg - 2.5, 0.0))
    s.put("following_1k", np.where(known_g, np.maximum(lg - 3.0, 0.0), 0.0))
    ratio = np.where(known_f & known_g, np.clip(lg - lf, -3, 3), 0.0)
    s.put("follow_ratio", ratio)
    s.put("follow_ratio_hi", np.maximum(ratio, 0.0))
    # Posts per follower only: absolute post counts depend on the platform's age (2010s
    # Twitter accounts vs a 2023 Bluesky), the ratio much less.
    def posts_words(rows: np.ndarray) -> np.ndarray:
        return np.array([f"{int(p)} times to {int(fo)} followers" for p, fo in
                         zip(posts[rows].tolist(), followers[rows].tolist())], dtype=object)

    # clipped below at -1 (ten times more followers than posts): big accounts that just moved
    # to a young platform have posted little there yet
    s.put("posts_per_follower", np.where(known_p & known_f, np.clip(lp - lf, -1, 3), 0.0),
          posts_words)


# ---------------------------------------------------------------- prior signals


def prior_contributions(f: Fields) -> dict[str, np.ndarray]:
    """Fixed-weight logit contributions of the signals the training data lacks (PRIORS)."""
    ppw = np.nan_to_num(f.num["posts_per_week"])
    with np.errstate(divide="ignore", invalid="ignore"):
        doublings = np.log2(np.maximum(ppw, CADENCE_FREE_PER_WEEK) / CADENCE_FREE_PER_WEEK)
    repost = np.nan_to_num(f.num["repost_share"])
    excess = np.clip((repost - REPOST_SHARE_FREE) / (1 - REPOST_SHARE_FREE), 0, 1)
    face = f.face
    return {
        "is_bot": np.where(f.is_bot == 1, PRIORS["is_bot"], 0.0),
        "cadence": np.maximum(PRIORS["cadence"] * doublings, PRIORS["cadence_max"]),
        "repost_share": PRIORS["repost_share"] * excess,
        "face": np.where(face == 1, PRIORS["face_yes"], np.where(face == 0, PRIORS["face_no"], 0.0)),
    }


