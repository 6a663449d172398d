"""Named signals: the list of them (one dense column each, with the plain words the evidence
quotes) and named_signals, which computes them group by group (name_signals, text_signals,
count_signals; the fixed priors are in count_signals)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transforms.account_features.count_signals import (
    POSTS_PER_FOLLOWER_FLOOR,
    count_signals,
)
from transforms.account_features.inputs import Fields, Lexicon
from transforms.account_features.name_signals import name_signals
from transforms.account_features.text_signals import bio_signals, post_wording_signals
from transforms.account_features.values import PAGE_LABEL, Signals

PAGE_KINDS = ("meme", "facts", "animal", "brand", "news", "repost", "fan")

# ---------------------------------------------------------------- named signals


@dataclass(frozen=True)
class Signal:
    """One named dense feature and how the evidence words it ("{m}": matched phrase).

    ``leans``: which way the wording reads, +1 for a person, -1 against, 0 a plain measure;
    a shown line's share must have the same sign (tests hold every shown line to it).
    ``baseline``: the value of an unremarkable account, 0 for a cue that is absent or a count
    centred on a typical account; a line is shown only when its share differs from the
    share at the baseline (account_evidence), so a signal where nearly everyone sits says
    nothing.
    """

    key: str
    text: str
    group: str = ""  # signals sharing a group make one evidence line
    kind: str | None = None  # page family it points to, for the subtype rule
    leans: int = 0
    baseline: float = 0.0


def _signal_specs() -> list[Signal]:
    s = [
        Signal("name_given", "display name starts with a common first name ('{m}')", leans=1),
        Signal("name_given_strength", "", group="name_given"),
        Signal("name_title_case", "display name looks like 'First Last'", leans=1),
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
        Signal("handle_given", "handle starts with a common first name ('{m}')", leans=1),
        Signal("handle_given_strength", "", group="handle_given"),
        # in the training data a handle that repeats the display name is a page's more often
        # (53% people, 69% overall: brands are named as their handle), and the model weighs
        # it so, even with a first name ('lena' counts already in the name and the handle)
        Signal("handle_has_name", "handle repeats the display name's '{m}', as pages' do",
               leans=-1),
        Signal("handle_has_given", "", group="handle_has_name"),
        Signal("handle_not_name", "display name is a person's but the handle is not", leans=-1),
        Signal("handle_digits", "handle ends in digits"),
        Signal("handle_bot", "handle says 'bot'", leans=-1),
        Signal("name_last_given", "display name ends with a common first name ('{m}')", leans=1),
        Signal("handle_has_digit", "handle contains digits"),
        Signal("handle_underscore", "handle has an underscore"),
        Signal("handle_length", "handle name {m} characters long"),
        Signal("bio_empty", "no bio"),
        Signal("bio_length", "bio is {m} characters long"),
        Signal("bio_first_person", "bio speaks in the first person ('{m}')", leans=1),
        Signal("bio_first_person_count", "", group="bio_first_person"),
        Signal("bio_we", "bio speaks as a group ('{m}')", leans=-1),
        Signal("bio_pronouns", "bio lists pronouns '{m}'", leans=1),
        Signal("bio_family", "bio names a family role '{m}'", leans=1),
        Signal("bio_role", "bio names a personal role '{m}'", leans=1),
        Signal("bio_age", "bio gives an age '{m}'", leans=1),
        Signal("bio_own_views", "bio says '{m}'", leans=1),
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
        Signal("post_credit", "{m}", kind="repost", leans=-1),
        Signal("post_first_person", "{m}", leans=1),
        Signal("post_link", "the sample post has a link"),
        Signal("post_reply", "the sample post talks to someone (@)"),
        Signal("post_hashtags", "the sample post has several hashtags"),
        Signal("post_we", "the sample post speaks as a group ('{m}')", leans=-1),
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
        Signal("posts_per_follower", "has posted {m}", baseline=POSTS_PER_FOLLOWER_FLOOR),
    ]
    for kind, label in PAGE_LABEL.items():
        s.append(Signal(f"bio_{label}", "bio says '{m}'", kind=kind, leans=-1))
        s.append(Signal(f"name_{label}", "display name says '{m}'", kind=kind, leans=-1))
        s.append(Signal(f"handle_{label}", "handle contains '{m}'", kind=kind, leans=-1))
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


def named_signals(f: Fields, lexicon: Lexicon) -> Signals:
    """Every named signal's value per row (see BASE_SIGNALS for what each means)."""
    s = Signals(f.n)
    name_signals(f, s, lexicon)
    bio_signals(f, s)
    post_wording_signals(f, s)
    count_signals(f, s)
    return s

