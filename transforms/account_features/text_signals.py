"""Bio and post wording signals: first person vs we, pronouns, family and roles, page
words, shape; post shares over recent posts, else one sample post."""

from __future__ import annotations

import math
import string

import numpy as np

from transforms._text import (
    words,
)
from transforms.account_features.inputs import Fields
from transforms.account_features.values import (
    ANY_PAGE_WORD,
    PAGE_LABEL,
    PAGE_PATTERNS,
    Signals,
    Wording,
    count,
    count_bytes,
    found,
    mostly_capitalised,
    numbers,
)
from transforms.account_words import (
    AGE,
    ALL_LOWERCASE,
    CAPITALISED_PAIR,
    CLOCK_TIME,
    CREDIT_PATTERN,
    EMAIL_PATTERN,
    EMOJI_PATTERN,
    FAMILY,
    FIRST_PERSON,
    FIRST_PERSON_POST_PATTERN,
    HASHTAG_PATTERN,
    LINK_PATTERN,
    LIST_SEPARATOR_PATTERN,
    MENTION_PATTERN,
    OWN_VIEWS,
    PHONE_PATTERN,
    PRONOUNS,
    REPLY_START,
    ROLES,
    TEXT_ARTICLE,
    URL_START,
    WE_PATTERN,
)

_FIRST_PERSON_WORDS = words(FIRST_PERSON)


def bio_signals(f: Fields, s: Signals) -> None:
    """Bio wording: first person vs we, pronouns, family and roles, page words, shape."""
    bio, cased = f.bio, f.bio_cased
    s.put("bio_empty", bio.isna().to_numpy() & ("bio" in f.columns))  # known to be empty
    length = bio.str.len().fillna(0).to_numpy(dtype=np.float64)
    s.put("bio_length", np.where(length > 0, length / 160.0 - 0.5, 0.0),
          numbers(length, "%d"))
    first_person = _FIRST_PERSON_WORDS
    s.phrase("bio_first_person", first_person, bio)
    s.put("bio_first_person_count", np.minimum(count(bio, first_person), 4) / 4)
    s.phrase("bio_we", WE_PATTERN, cased)
    s.phrase("bio_pronouns", words(PRONOUNS), bio)
    s.phrase("bio_family", words(FAMILY), bio)
    s.phrase("bio_role", words(ROLES), bio)
    s.phrase("bio_age", words(AGE), bio)
    s.phrase("bio_own_views", words(OWN_VIEWS), bio)
    s.put("bio_link", found(bio, LINK_PATTERN))
    s.put("bio_email", found(bio, EMAIL_PATTERN))
    s.put("bio_phone", found(bio, PHONE_PATTERN))
    tags = count(cased, HASHTAG_PATTERN)
    s.put("bio_hashtags", np.minimum(tags, 4) / 4, numbers(tags, "%d"))
    s.put("bio_mentions", found(bio, MENTION_PATTERN))
    s.put("bio_emoji", found(cased, EMOJI_PATTERN))
    s.put("bio_emoji_count", np.minimum(count(cased, EMOJI_PATTERN), 3) / 3)
    bangs = count(bio, "!")
    s.put("bio_exclaims", np.minimum(bangs, 3) / 3, numbers(bangs, "%d"))
    digits = np.where(length > 0, count(bio, "[0-9]") / np.maximum(length, 1.0), 0.0)
    s.put("bio_digit_share", 5.0 * digits, numbers(100 * digits, "%.0f"))
    s.phrase("bio_capitalised_pair", CAPITALISED_PAIR, cased)
    s.put("bio_list", count(bio, LIST_SEPARATOR_PATTERN) >= 2)
    s.put("bio_lowercase", found(cased, ALL_LOWERCASE) & (length >= 10))
    s.put("bio_title_words", mostly_capitalised(cased, 4))
    s.phrase("bio_article", TEXT_ARTICLE, bio)
    page_word = found(bio, ANY_PAGE_WORD)
    for kind, label in PAGE_LABEL.items():
        s.phrase(f"bio_{label}", PAGE_PATTERNS[kind], bio, within=page_word)


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


def post_wording_signals(f: Fields, s: Signals) -> None:
    """Post wording: from the shares over recent posts, else from one sample post."""
    post = f.post
    has = post.notna().to_numpy()
    credit = _share_or_sample(f.num["credit_share"], found(post, CREDIT_PATTERN), has)
    first = _share_or_sample(f.num["first_person_post_share"],
                             found(post, FIRST_PERSON_POST_PATTERN), has)
    s.put("post_credit", credit, _share_words(
        f.num["credit_share"], credit, "credit another account",
        "the sample post credits another account"))
    s.put("post_first_person", first, _share_words(
        f.num["first_person_post_share"], first, "are in the first person",
        "the sample post is in the first person"))
    s.put("post_link", found(post, LINK_PATTERN))
    s.put("post_reply", found(post, REPLY_START))
    s.put("post_hashtags", count(post, HASHTAG_PATTERN) >= 2)
    s.phrase("post_we", WE_PATTERN, f.post_cased)
    s.put("post_links", count(post, URL_START) >= 2)
    s.put("post_headline", mostly_capitalised(f.post_cased, 3))
    s.put("post_timestamp", found(post, CLOCK_TIME))
    mentions = count(post, MENTION_PATTERN)
    s.put("post_mentions", np.minimum(mentions, 3) / 3, numbers(mentions, "%d"))
    upper, lower = count_bytes(f.post_cased, string.ascii_uppercase, string.ascii_lowercase)
    letters = upper + lower
    caps = np.where(letters >= 10, upper / np.maximum(letters, 1.0), 0.0)
    s.put("post_caps_share", caps, numbers(100 * caps, "%.0f"))
    length = post.str.len().fillna(0).to_numpy(dtype=np.float64)
    s.put("post_length", np.where(length > 0, length / 140.0 - 0.5, 0.0), numbers(length, "%d"))

