"""How well each creator fits a brief: ``fit_score`` in 0..1, its parts, and the reasons in words.

fit-v1 (``FIT_VERSION``; change the version whenever this formula changes)::

    fit_score = sum(w_k * s_k for known k) / sum(w_k for every k some row knows)

    component     weight  s_k (each in 0..1)
    fit_niche      0.30   (brief niche probs . creator niche probs) / max(brief niche probs)
    fit_text       0.20   clip((cos(brief vector, creator vector) - 0.05) / (0.45 - 0.05), 0, 1)
    fit_language   0.10   1 if the creator's language is one the brief names, else 0
    fit_quality    0.20   mean of the known of: ER percentile within the creator's tier among
                          the rows ranked ((rank - 0.5) / count, ties averaged), authenticity / 100
    fit_like       0.50   with seeds only: 0.4 * clip(cos(vector, seeds' mean vector), 0, 1)
                          + 0.4 * (1 - total variation distance of niche probs to the seeds' mean)
                          + 0.2 * max(0, 1 - |log10 followers - seeds' mean log10 followers| / 2)

A component is unknown (NA, and named in ``fit_evidence``) when its input is: a creator with no
text has no niche or text part; a brief without text none either; a brief naming no languages,
or a creator whose language could not be told, has no language part; no ER and no authenticity,
no quality. The weights are renormalised over the components the rows can have: one no row
knows (a brief without languages, an input without ER or authenticity columns) is left out; one
unknown for some rows only counts 0 for them, so a creator nobody can read never outranks the
ones whose posts match. No component known for any row: no score, input order.
Collaboration stance is a filter (``brief_mask``), not a part of the score; it is said in the
evidence. ``rank_fit`` ranks the rows it is given: apply ``brief_mask`` first to filter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.brief import Brief
from core.identity import handle_keys, split_ref
from transforms._text import from_arrow
from transforms.content import CONTENT_DIM, text_profile
from transforms.content_model import CONTENT_VERSION, ContentModel
from transforms.fit_evidence import evidence_lines
from transforms.frames import FLOAT, INT, STRING
from transforms.niches import NICHE_VERSION, NICHES
from transforms.vectors import as_matrix

FIT_VERSION = "fit-v1"
FIT_COLUMNS = ("fit_score", "fit_rank", "fit_niche", "fit_text", "fit_language", "fit_quality",
               "fit_like", "fit_evidence")
WEIGHTS = {"fit_niche": 0.30, "fit_text": 0.20, "fit_language": 0.10, "fit_quality": 0.20,
           "fit_like": 0.50}
TEXT_FLOOR, TEXT_FULL = 0.05, 0.45  # brief-to-creator cosines: unrelated texts sit near 0
VECTOR_COLUMNS = ("niche_probs", "content_vector")
VERSION_COLUMNS = ("content_version", "niche_version")
SIZE_DECADES = 2.0  # audience sizes this many powers of ten apart share nothing


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column, or all-NA when the frame lacks it (its component becomes unknown)."""
    return df[name] if name in df.columns else pd.Series(pd.NA, index=df.index, dtype=object)


def _floats(df: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(_column(df, name), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _strings(df: pd.DataFrame, name: str) -> pd.Series:
    return _column(df, name).astype(STRING)


def _refs_mask(creators: pd.DataFrame, refs: tuple[str, ...]) -> np.ndarray:
    """True for rows named by any of ``refs`` (``@h``, ``h`` or ``platform:h``)."""
    hit = np.zeros(len(creators), dtype=bool)
    if not refs or not len(creators):
        return hit
    keys = handle_keys(_column(creators, "handle")).fillna("").to_numpy(dtype=object)
    platforms = _strings(creators, "platform").str.lower().fillna("").to_numpy(dtype=object)
    for platform, key in map(split_ref, refs):
        hit |= (keys == key) & ((platforms == platform) if platform else True)
    return hit


def brief_mask(creators: pd.DataFrame, brief: Brief) -> np.ndarray:
    """The rows the brief's filters keep. A filter on a column the frame lacks keeps everyone.

    - platforms, tiers: the row's value is one of them.
    - languages: the creator's language is one of them, or unknown (NULL: too little text to
      tell, which should not hide a creator; the evidence says "language unknown").
    - min_authenticity: authenticity_score >= it; a creator not scored for it is kept.
    - collaboration ``gifting``: everyone whose bio does not say paid only; ``paid``: everyone
      but a creator whose bio asks for gifts (open_to_gifting) and who has no paid post;
      ``any``: everyone.
    - exclude: handles in any spelling (``@h``, ``h``, ``platform:h``), on any platform unless
      one is named.
    """
    keep = np.ones(len(creators), dtype=bool)
    for field, column in (("platforms", "platform"), ("tiers", "tier")):
        wanted = [v.lower() for v in getattr(brief, field)]
        if wanted and column in creators.columns:
            keep &= _strings(creators, column).str.lower().isin(wanted).fillna(False).to_numpy(dtype=bool)
    if brief.languages and "language" in creators.columns:
        language = _strings(creators, "language").str.lower()
        keep &= (language.isin([v.lower() for v in brief.languages]) | language.isna()).to_numpy(dtype=bool)
    if brief.min_authenticity is not None and "authenticity_score" in creators.columns:
        score = _floats(creators, "authenticity_score")
        keep &= np.isnan(score) | (score >= brief.min_authenticity)
    if "collab_stance" in creators.columns and brief.collaboration != "any":
        stance = _strings(creators, "collab_stance").fillna("unknown").to_numpy(dtype=object)
        if brief.collaboration == "gifting":
            keep &= stance != "paid_only"
        else:
            keep &= (stance != "open_to_gifting") | (np.nan_to_num(_floats(creators, "paid_posts")) > 0)
    return keep & ~_refs_mask(creators, brief.exclude)


def _cosine(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Cosine of each row with ``vector`` (rows are unit vectors; NaN rows stay NaN)."""
    return matrix @ (vector / max(float(np.linalg.norm(vector)), 1e-12))


def _quality(creators: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(quality, ER percentile within tier, authenticity in 0..1); NaN where unknown."""
    er = pd.Series(_floats(creators, "er_median"))
    tier = _strings(creators, "tier").fillna("").reset_index(drop=True)
    groups = er.groupby(tier.to_numpy(dtype=object))
    pct = ((groups.rank() - 0.5) / groups.transform("count")).to_numpy(dtype=float)
    auth = np.clip(_floats(creators, "authenticity_score") / 100.0, 0.0, 1.0)
    both = np.vstack([pct, auth])
    known = (~np.isnan(both)).sum(axis=0)
    with np.errstate(invalid="ignore"):
        quality = np.where(known > 0, np.nansum(both, axis=0) / np.maximum(known, 1), np.nan)
    return quality, pct, auth


def _stale(df: pd.DataFrame, version_column: str, current: str, value_column: str) -> np.ndarray:
    """Rows with a ``value_column`` that another model than ``current`` made (the frame says so
    in ``version_column``; a frame without that column holds this code's values)."""
    if version_column not in df.columns:
        return np.zeros(len(df), dtype=bool)
    made = _strings(df, version_column).fillna("").to_numpy(dtype=object) != current
    return made & _column(df, value_column).notna().to_numpy(dtype=bool)


def stale_vectors(df: pd.DataFrame) -> np.ndarray:
    """Rows whose content_vector another content model made (``content_version``)."""
    return _stale(df, "content_version", CONTENT_VERSION, "content_vector")


def stale_niches(df: pd.DataFrame) -> np.ndarray:
    """Rows whose niches another niche model read (``niche_version``; migration 019 cleared
    their niche_probs, whose width and order were another taxonomy's)."""
    return _stale(df, "niche_version", NICHE_VERSION, "niches")


def current_niches(df: pd.DataFrame) -> np.ndarray:
    """niche_probs as a matrix, a NaN row where they are missing or stale (not comparable)."""
    niche = as_matrix(_column(df, "niche_probs"), len(NICHES))
    stale = stale_niches(df)
    return np.where(stale[:, None], np.float32(np.nan), niche) if stale.any() else niche


def current_vectors(df: pd.DataFrame) -> np.ndarray:
    """content_vector as a matrix, a NaN row where it is missing or stale (not comparable)."""
    vectors = as_matrix(_column(df, "content_vector"), CONTENT_DIM)
    stale = stale_vectors(df)
    return np.where(stale[:, None], np.float32(np.nan), vectors) if stale.any() else vectors


def _known_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix[~np.isnan(matrix).any(axis=1)]


def _likeness(niche: np.ndarray, vectors: np.ndarray, followers: np.ndarray, seeds: pd.DataFrame
              ) -> tuple[np.ndarray, bool]:
    """fit_like: content, niche and audience size closeness to the seeds' centroid (over the
    seeds that have each), and whether any seed had content to compare (not size alone)."""
    s_niche = _known_rows(current_niches(seeds))
    s_vec = _known_rows(current_vectors(seeds))
    s_size = _known_rows(np.log10(np.maximum(_floats(seeds, "followers"), 1.0))[:, None])
    size = np.log10(np.maximum(followers, 1.0))
    parts = [
        (0.4, np.clip(_cosine(vectors, s_vec.mean(axis=0)), 0, 1) if len(s_vec) else None),
        (0.4, 1.0 - 0.5 * np.abs(niche - s_niche.mean(axis=0)).sum(axis=1) if len(s_niche) else None),
        (0.2, np.clip(1 - np.abs(size - s_size.mean()) / SIZE_DECADES, 0, 1) if len(s_size) else None),
    ]
    like = _blend({str(i): (w, v) for i, (w, v) in enumerate(parts) if v is not None}, len(niche))
    return like, bool(len(s_vec) or len(s_niche))


def _blend(parts: dict[str, tuple[float, np.ndarray]], n: int, *, unknown_is_zero: bool = False) -> np.ndarray:
    """Weighted mean over the parts; NaN where none is known. A part no row knows is left out;
    with ``unknown_is_zero`` a part some rows know counts 0 for the rows that do not."""
    total, weight = np.zeros(n), np.zeros(n)
    for w, values in parts.values():
        known = ~np.isnan(values)
        if unknown_is_zero and known.any():
            known = np.ones(n, dtype=bool)
        total += np.where(np.isnan(values), 0.0, values) * w
        weight += known * w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def rank_fit(creators: pd.DataFrame, brief: Brief, seeds: pd.DataFrame | None = None,
             content: ContentModel | None = None, *, top: int | None = None) -> pd.DataFrame:
    """``creators`` sorted by fit_rank (1 = best), FIT_COLUMNS added, seeds' rows left out, and
    the VECTOR_COLUMNS and VERSION_COLUMNS dropped (read here, meaningless to show; reordering a million of them
    was most of the cost of returning the rows). ``top``: only the best ``top`` rows are returned,
    and only theirs get evidence written (every row is still scored and ranked).

    Inputs used (any may be missing): platform, handle, followers, niche_probs, content_vector,
    language, er_median, authenticity_score, collab_stance, collab_evidence, tier. Ties keep
    the input order, so the same rows in the same order always rank the same. ``content``: the
    content model that made the creators' vectors (the packaged one by default), which reads the
    brief too: vectors of two models are not comparable.
    """
    seeds = seeds if seeds is not None and len(seeds) else None
    if seeds is not None:
        refs = tuple(f"{p}:{h}" for p, h in zip(_strings(seeds, "platform").fillna(""),
                                                 _strings(seeds, "handle").fillna(""), strict=True))
        creators = creators[~_refs_mask(creators, refs)]
    n = len(creators)
    niche = current_niches(creators)
    vectors = current_vectors(creators)
    brief_niche, brief_vector = text_profile(brief.text, content) if brief.text.strip() else (None, None)
    comp: dict[str, np.ndarray] = {k: np.full(n, np.nan) for k in WEIGHTS}
    cosine = np.full(n, np.nan)
    if brief_niche is not None:
        comp["fit_niche"] = np.clip(niche @ brief_niche / brief_niche.max(), 0, 1)
    if brief_vector is not None:
        cosine = _cosine(vectors, brief_vector)
        comp["fit_text"] = np.clip((cosine - TEXT_FLOOR) / (TEXT_FULL - TEXT_FLOOR), 0, 1)
    language = _strings(creators, "language").str.lower()
    if brief.languages:
        wanted = [v.lower() for v in brief.languages]
        comp["fit_language"] = np.where(language.isna(), np.nan,
                                        language.isin(wanted).fillna(False).astype(float))
    comp["fit_quality"], er_pct, auth = _quality(creators)
    followers = _floats(creators, "followers")
    by_content = False
    if seeds is not None:
        comp["fit_like"], by_content = _likeness(niche, vectors, followers, seeds)
    score = _blend({k: (WEIGHTS[k], v) for k, v in comp.items()}, n, unknown_is_zero=True)
    order = np.argsort(-np.nan_to_num(score, nan=-1.0), kind="stable")[:top]

    def picked(series: pd.Series) -> pd.Series:
        return series.iloc[order].reset_index(drop=True)

    evidence = evidence_lines(
        brief=brief, brief_niche=brief_niche, niche=niche[order], comp={k: v[order] for k, v in comp.items()},
        language=picked(language), er=_floats(creators, "er_median")[order], er_pct=er_pct[order],
        auth=auth[order], tier=picked(_strings(creators, "tier")), stance=picked(_strings(creators, "collab_stance")),
        stance_words=picked(_strings(creators, "collab_evidence")), seeds=seeds, like_by_content=by_content,
        has_vectors=~np.isnan(vectors[order]).any(axis=1), stale=stale_vectors(creators)[order],
        stale_niche=stale_niches(creators)[order],
        cosine=cosine[order],
    )
    out = creators.drop(columns=[c for c in (*VECTOR_COLUMNS, *VERSION_COLUMNS) if c in creators.columns]).iloc[order]
    return out.assign(
        fit_score=pd.array(score[order], dtype=FLOAT),
        fit_rank=pd.array(np.arange(1, len(order) + 1), dtype=INT),
        **{k: pd.array(v[order], dtype=FLOAT) for k, v in comp.items()},
        fit_evidence=from_arrow(evidence, out.index),
    )

