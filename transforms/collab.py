"""Collaboration stance (from the bio) and history (from the posts), pure and vectorised.

A marketer offering product rather than a fee needs to know who says they are open to gifting,
who works for pay only, and how each creator has worked with brands before. Every verdict
carries the words that decided it; the phrases live in ``transforms.collab_words``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from transforms._text import _arrow, extract, fold, from_arrow, matches
from transforms.collab_words import (
    BIO_SIGNALS,
    BIO_TRAPS,
    FOLDABLE,
    MENTION,
    POST_SIGNALS,
    POST_TRAPS,
)
from transforms.frames import BOOL, FLOAT, INT, STRING, to_string

KINDS = ("paid", "gifted", "affiliate", "organic")
STANCES = ("open_to_gifting", "paid_only", "unknown")
PAST_PARTNERS_SHOWN = 10
PLATFORM_LABEL = "the platform's paid-partnership label"


def _readable(text: pd.Series, traps: str) -> pd.Series:
    """Lower-case ASCII-folded text with the traps blanked out, as the signals read it. Only
    rows with a letter that folding changes are folded: Unicode normalisation of every caption
    cost more than all the signals together."""
    text = to_string(text)
    foldable = matches(text, FOLDABLE).to_numpy()
    if foldable.any():
        text = text.copy()
        text[foldable] = fold(text[foldable])
    return text.str.lower().str.replace(traps, " ", regex=True)


def _first_signal(text: pd.Series, signals: tuple[tuple[str, str, str], ...], default: str,
                  evidence_too: bool = True) -> tuple[pd.Series, pd.Series, dict[str, np.ndarray]]:
    """The verdict of the first signal that matches each row, the words that matched (all NA
    unless ``evidence_too``: extracting them is most of the cost when only verdicts are wanted),
    and every signal's own hits (what the evaluation reports per signal)."""
    verdict = np.full(len(text), default, dtype=object)
    evidence = pd.Series(pd.NA, index=text.index, dtype=STRING)
    decided = np.zeros(len(text), dtype=bool)
    hits: dict[str, np.ndarray] = {}
    # one pass over every row for any signal; each signal then reads only those rows
    candidates = np.flatnonzero(matches(text, "|".join(f"(?:{p})" for _, _, p in signals)).to_numpy())
    some = text.iloc[candidates]
    for name, label, pattern in signals:
        hit = np.zeros(len(text), dtype=bool)
        hit[candidates] = matches(some, pattern).to_numpy()
        hits[name] = hit
        new = hit & ~decided
        if not new.any():
            continue
        verdict[new] = label
        decided |= new
        if evidence_too:
            found = extract(text[new], pattern).str.strip()
            evidence[new] = ('"' + found + '" (' + name + ")").to_numpy()
    return pd.Series(verdict, index=text.index, dtype=STRING), evidence, hits


def bio_stance(bio: pd.Series) -> pd.DataFrame:
    """``collab_stance`` (open_to_gifting, paid_only or unknown) and ``collab_evidence`` (the bio's
    words that decided it) per bio. Paid-only wins: "DM for collabs, paid only" is paid only."""
    stance, evidence, _ = _first_signal(_readable(bio, BIO_TRAPS), BIO_SIGNALS, "unknown")
    return pd.DataFrame({"collab_stance": stance, "collab_evidence": "bio says " + evidence},
                        index=bio.index)


def _partners(text: pd.Series, commercial: np.ndarray, own_handle: pd.Series | None) -> pd.Series:
    """The @accounts a commercial post names (spouses and photo credits already blanked), each
    once in the order named, the creator's own handle left out, as "@a @b"; NA for organic posts.
    In Arrow kernels: a mention is what follows an "@" up to its last handle character (MENTION's
    matches), so no Python list is made per post."""
    out = pd.Series(pd.NA, index=text.index, dtype=STRING)
    if not commercial.any():
        return out
    picked = np.flatnonzero(commercial)
    after_at = pc.list_slice(pc.split_pattern(_arrow(text.iloc[picked]).combine_chunks(), "@"), 1)
    post = pc.list_parent_indices(after_at).to_numpy()
    matched = pc.extract_regex(pc.list_flatten(after_at), f"^(?P<handle>{MENTION.removeprefix('@')})")
    handle = matched.field("handle")  # "" where nothing matched: matched itself is null there
    keep = matched.is_valid().to_numpy(zero_copy_only=False)
    if own_handle is not None:
        own = _arrow(fold(own_handle.iloc[picked]).str.lower().str.lstrip("@")).combine_chunks()
        mine = pc.equal(handle, pc.take(own.cast(handle.type), pa.array(post)))
        keep &= ~pc.fill_null(mine, False).to_numpy(zero_copy_only=False)
    found = pd.DataFrame({"post": post[keep], "handle": from_arrow(handle.filter(pa.array(keep)),
                                                                    pd.RangeIndex(int(keep.sum())))})
    found = found.drop_duplicates()  # the first time a post names an account
    offsets = np.zeros(len(picked) + 1, dtype=np.int32)
    np.cumsum(np.bincount(found["post"].to_numpy(), minlength=len(picked)), out=offsets[1:])
    large = pa.large_string()
    names = pc.binary_join_element_wise(pa.scalar("@", large), _arrow(found["handle"]).combine_chunks(),
                                        pa.scalar("", large))
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(offsets), names), pa.scalar(" ", large))
    out.iloc[picked] = from_arrow(joined, pd.RangeIndex(len(picked))).replace("", pd.NA).to_numpy()
    return out


def post_collab(text: pd.Series, own_handle: pd.Series | None = None,
                platform_paid: pd.Series | None = None) -> pd.DataFrame:
    """Per post: ``collab_kind`` (paid, gifted, affiliate or organic), ``is_sponsored`` (paid),
    ``partners`` (the brands it names) and ``collab_evidence``. ``platform_paid``, the platform's
    own paid-partnership flag where a scraper read one, makes a post paid whatever its words."""
    readable = _readable(text, POST_TRAPS)
    kind, evidence, _ = _post_kinds(readable, platform_paid)
    commercial = kind.ne("organic").to_numpy()
    return pd.DataFrame({
        "collab_kind": kind,
        "is_sponsored": pd.array(kind.eq("paid").to_numpy(), dtype=BOOL),
        "partners": _partners(readable, commercial, own_handle),
        "collab_evidence": evidence,
    }, index=text.index)


def post_signal_hits(text: pd.Series) -> dict[str, np.ndarray]:
    """Which posts each named signal matches, for measuring what each one catches."""
    return _post_kinds(_readable(text, POST_TRAPS), None)[2]


def _post_kinds(readable: pd.Series, platform_paid: pd.Series | None, evidence_too: bool = True
                ) -> tuple[pd.Series, pd.Series, dict[str, np.ndarray]]:
    """Each post's kind, the words that decided it (see _first_signal) and every signal's hits;
    partners are not read here (a rescore needs only the kind of 30M posts, and the partners of a few)."""
    kind, evidence, hits = _first_signal(readable, POST_SIGNALS, "organic", evidence_too)
    if platform_paid is not None:
        flagged = platform_paid.fillna(False).to_numpy(dtype=bool) & kind.ne("paid").to_numpy()
        kind[flagged] = "paid"
        evidence[flagged] = PLATFORM_LABEL
    return kind, evidence, hits


def with_collab_kind(posts: pd.DataFrame) -> pd.DataFrame:
    """The posts with ``collab_kind`` filled in where it is missing (the stored posts carry it)."""
    missing = posts["collab_kind"].isna().to_numpy() if "collab_kind" in posts else np.ones(len(posts), bool)
    if not missing.any():
        return posts
    readable = _readable(posts["text"][missing], POST_TRAPS)
    kinds = _post_kinds(readable, posts["is_sponsored"][missing], evidence_too=False)[0]
    out = posts.copy()
    if "collab_kind" not in out:
        out["collab_kind"] = pd.Series(pd.NA, index=out.index, dtype=STRING)
    out.loc[missing, "collab_kind"] = kinds
    return out


def creator_collab(creators: pd.DataFrame, posts: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """Per creator (``creators``' rows; ``pos`` maps each post to one, -1 for none): the bio's
    stance and the posts' history: paid, gifted and affiliate counts, the paid share of posts
    and the past partners, most often named first. A post's ``collab_kind`` is read where
    missing (normalize_posts fills it), partners only from the commercial posts."""
    n = len(creators)
    kind = with_collab_kind(posts)["collab_kind"].to_numpy(dtype=object)
    mine = pos >= 0
    commercial = mine & (kind != "organic")
    readable = _readable(posts["text"][commercial], POST_TRAPS).reset_index(drop=True)
    own = pd.Series(creators["handle"].to_numpy(dtype=object)[pos[commercial]], dtype=STRING)
    partners = _partners(readable, np.ones(len(readable), dtype=bool), own)
    counts = {k: np.bincount(pos[mine & (kind == k)], minlength=n) for k in KINDS[:3]}
    total = np.bincount(pos[mine], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        paid_share = np.where(total > 0, counts["paid"] / np.maximum(total, 1), np.nan)
    stance = bio_stance(creators["bio"]).reset_index(drop=True)
    return pd.DataFrame({
        "collab_stance": stance["collab_stance"],
        "collab_evidence": stance["collab_evidence"],
        "paid_posts": pd.array(counts["paid"], dtype=INT),
        "gifted_posts": pd.array(counts["gifted"], dtype=INT),
        "affiliate_posts": pd.array(counts["affiliate"], dtype=INT),
        "paid_share": pd.array(paid_share, dtype=FLOAT),
        "past_partners": _past_partners(partners, pos[commercial], n),
    })


def _past_partners(partners: pd.Series, pos: np.ndarray, n: int) -> pd.Series:
    """Each creator's partners over their posts, most often named first, as "@a, @b"."""
    out = pd.Series(pd.NA, index=pd.RangeIndex(n), dtype=STRING)
    named = partners.notna().to_numpy() & (pos >= 0)
    if not named.any():
        return out
    pairs = pd.DataFrame({"creator": pos[named], "partner": partners[named].str.split(" ").to_numpy()})
    pairs = pairs.explode("partner")
    ranked = pairs.groupby(["creator", "partner"], sort=False).size().rename("times").reset_index()
    ranked = ranked.sort_values(["creator", "times", "partner"], ascending=[True, False, True])
    ranked = ranked.groupby("creator").head(PAST_PARTNERS_SHOWN)
    # each creator's run of rows joined by Arrow (a Python join per creator cost a second per 20k)
    creator = ranked["creator"].to_numpy()
    starts = np.flatnonzero(np.r_[True, creator[1:] != creator[:-1]])
    lists = pa.ListArray.from_arrays(np.r_[starts, creator.size].astype(np.int32),
                                     pa.array(ranked["partner"].to_numpy(dtype=object), pa.string()))
    out.iloc[creator[starts]] = pc.binary_join(lists, ", ").to_pylist()
    return out
