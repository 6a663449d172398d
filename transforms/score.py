"""The one entry point flows call: raw frames in, one creator_scores row per creator out.

normalize -> engagement -> post signals -> account type -> tier -> contacts -> content (niches,
vector, language). The posts are
mapped to their creators once and every step reuses that mapping, so a 30M-post rescore
hashes the post keys only once.
"""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa

from transforms._keys import creator_positions
from transforms._text import from_arrow
from transforms.account_known import trusted
from transforms.account_model import MODEL_VERSION
from transforms.account_type import post_signals_from_positions, score_account_type
from transforms.authenticity import AuthenticityContext, all_flags, authenticity_columns
from transforms.collab import creator_collab
from transforms.contacts import extract_contacts
from transforms.content import creator_content
from transforms.content_model import CONTENT_VERSION
from transforms.engagement import (
    DEFAULT_FORMULA,
    DEFAULT_LAST_N,
    METRICS_VERSION,
    engagement_from_positions,
    er_sample,
)
from transforms.frames import BOOL, SCORE_DTYPES, UTC_TS, arrow_table, as_utc, conform
from transforms.niches import NICHE_VERSION
from transforms.normalize import normalize_posts, normalize_profiles
from transforms.tiers import DEFAULT, TierScheme, assign_tier, resolve_scheme

SCORE_VERSIONS = {"model_version": MODEL_VERSION, "metrics_version": METRICS_VERSION,
                  "content_version": CONTENT_VERSION, "niche_version": NICHE_VERSION}
# Verdicts this close to the threshold go to a human instead of being silently kept or dropped.
REVIEW_MARGIN = 0.1


def needs_review(probability: np.ndarray, threshold: float,
                 share: np.ndarray | None = None) -> np.ndarray:
    """True where a probability is within REVIEW_MARGIN of the threshold, or where too little
    of the profile was known (``share`` below account_known.TRUSTED_SHARE) for the verdict
    to stand on its own. A NaN probability is never flagged."""
    near = np.abs(probability - threshold) < REVIEW_MARGIN
    if share is None:
        return near
    return near | (~trusted(np.asarray(share, dtype=float)) & ~np.isnan(probability))


def _evidence_json(evidence: pd.Series) -> pd.Series:
    """Each row's evidence list as a JSON array (non-ASCII kept as is)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    return from_arrow(pa.array([dumps(e) for e in evidence.tolist()], pa.large_string()),
                      evidence.index)


def _naive_published(posts: pd.DataFrame) -> pd.DataFrame:
    """The text and publication time content reads, the time as naive UTC: the same instants
    in the same order, but a numpy datetime column, so ordering the newest posts never boxes
    every timestamp as an object (that alone was a seventh of a rescore's time)."""
    return pd.DataFrame({"published_at": posts["published_at"].dt.tz_convert(None), "text": posts["text"]})


def score_creators(
    profiles: pd.DataFrame,
    posts: pd.DataFrame,
    *,
    now: datetime,
    tier_scheme: TierScheme | str = DEFAULT,
    formula: str = DEFAULT_FORMULA,
    person_threshold: float = 0.5,
    last_n: int = DEFAULT_LAST_N,
    faces: pd.DataFrame | None = None,
    authenticity: AuthenticityContext | None = None,
) -> pd.DataFrame:
    """One row per unique (platform, creator_id) in profiles, columns exactly SCORE_COLUMNS.

    ``tier_scheme`` may be a TierScheme, a built-in name ("later_fohr") or a spec
    ("nano:1000,micro:10000"). ``is_person`` is person_probability >= person_threshold, and
    account_type uses the same threshold so the two never disagree; ``needs_review`` marks
    probabilities within REVIEW_MARGIN of the threshold. ``scored_at`` is ``now``.
    ``faces`` (platform, creator_id, face_in_avatar), when given, adds the avatar signal.
    ``authenticity`` carries what the warehouse knows beyond these frames (tier benchmarks,
    snapshot history, other creators' posts); without it the flags use fallbacks and the batch.
    Pure: no IO, deterministic for the same inputs.
    """
    scheme = resolve_scheme(tier_scheme)
    if not 0.0 <= person_threshold <= 1.0:
        raise ValueError(f"person_threshold must be within 0..1, got {person_threshold}")
    scored_at = as_utc(now)

    creators = normalize_profiles(profiles)
    clean_posts = normalize_posts(posts)
    n = len(creators)
    pos = creator_positions(creators, clean_posts)

    metrics = engagement_from_positions(
        creators, clean_posts, pos, now=scored_at, formula=formula, last_n=last_n
    )
    shares = post_signals_from_positions(clean_posts, pos, n)

    features = creators.assign(
        posts_per_week=metrics["posts_per_week"],
        repost_share=metrics["repost_share"],
        credit_share=shares["credit_share"],
        first_person_post_share=shares["first_person_post_share"],
    )
    if faces is not None and not faces.empty:
        key = ["platform", "creator_id"]
        found = creators[key].merge(faces[[*key, "face_in_avatar"]].drop_duplicates(key),
                                    on=key, how="left")
        features["face_in_avatar"] = found["face_in_avatar"].astype("boolean").to_numpy()
    kind = score_account_type(features, threshold=person_threshold, assume_clean=True)
    contacts = extract_contacts(creators["bio"], creators["external_url"])
    prob = kind["person_probability"]
    p = prob.to_numpy(dtype=float, na_value=np.nan)

    tier = assign_tier(creators["followers"], scheme)
    flags = all_flags(creators, clean_posts, pos, er_sample(clean_posts, pos, last_n), metrics, tier,
                      now=scored_at, context=authenticity or AuthenticityContext())
    out = metrics.assign(
        scored_at=pd.Series(scored_at, index=metrics.index, dtype=UTC_TS),
        tier=tier,
        tier_scheme=scheme.label,
        account_type=kind["account_type"],
        person_probability=prob,
        is_person=pd.array(p >= person_threshold, dtype=BOOL),
        person_threshold=person_threshold,
        needs_review=pd.array(needs_review(p, person_threshold,
                                           kind["known_share"].to_numpy(dtype=float)), dtype=BOOL),
        evidence=_evidence_json(kind["evidence"]),
        contact_email=contacts["contact_email"],
        contact_link=contacts["contact_link"],
        **SCORE_VERSIONS,
        **authenticity_columns(flags, n).set_index(metrics.index),
        **creator_collab(creators, clean_posts, pos).set_index(metrics.index),
        **creator_content(creators, _naive_published(clean_posts), pos).set_index(metrics.index),
    )
    return conform(out, SCORE_DTYPES).reset_index(drop=True)


def score_stored(
    profiles: pa.Table, posts: pa.Table, *, now: datetime, tier_scheme: TierScheme | str = DEFAULT,
    person_threshold: float = 0.5, authenticity: AuthenticityContext | None = None,
) -> pa.Table:
    """score_creators over stored profiles and posts read as Arrow (a rescore's chunk), the
    scores as Arrow too (transforms.frames.arrow_table): a scoring process is sent Arrow buffers
    and sends Arrow buffers back, which the warehouse stages as they are. Stored posts need no
    ``collab_kind``: normalize_posts reads it again with today's rules."""
    scores = score_creators(profiles.to_pandas(), posts.to_pandas(), now=now, tier_scheme=tier_scheme,
                            person_threshold=person_threshold, authenticity=authenticity)
    return arrow_table(scores, SCORE_DTYPES)
