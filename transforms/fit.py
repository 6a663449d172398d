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

``rank_fit`` is three steps a caller over a million stored rows takes apart: ``fit_reference``
(the brief and seeds read once), ``score_fit`` (every row scored, the best ``top`` picked; the
dot products with the stored vectors may come precomputed as ``FitReference.products``) and
``FitRanking.explain`` (evidence for the picked rows only, from their full rows).
"""

from __future__ import annotations

from dataclasses import dataclass

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
#: Dot products a caller may compute beside the stored vectors (FitReference.products).
NICHE_MATCH, TEXT_SIMILARITY, LIKE_SIMILARITY = PRODUCTS = ("niche_match", "text_similarity", "like_similarity")
#: Version column -> the model version this code's vectors carry (another's are not comparable).
MODEL_VERSIONS = {"content_version": CONTENT_VERSION, "niche_version": NICHE_VERSION}
VERSION_COLUMNS = tuple(MODEL_VERSIONS)
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
    return keep & ~excluded(creators, brief)


def excluded(creators: pd.DataFrame, brief: Brief) -> np.ndarray:
    """True for the rows the brief's ``exclude`` names, the one filter a warehouse leaves to pandas."""
    return _refs_mask(creators, brief.exclude)


def _quality(creators: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(quality, ER percentile within tier, authenticity in 0..1); NaN where unknown."""
    er = pd.Series(_floats(creators, "er_median"))
    tier, _ = pd.factorize(_strings(creators, "tier").fillna(""))  # Arrow's codes: no Python strings
    groups = er.groupby(tier, sort=False)
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


def _unit(vector: np.ndarray) -> np.ndarray:
    """``vector`` at length 1: stored content vectors are unit vectors, so a dot product with it is
    their cosine."""
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


@dataclass(frozen=True)
class FitReference:
    """What every row is compared with, worked out once per match: the brief's niche
    probabilities and unit content vector, the seeds and their centroids (mean niche probs, unit
    mean content vector, mean log10 followers; None where no seed has one)."""

    brief_niche: np.ndarray | None = None
    brief_vector: np.ndarray | None = None
    seeds: pd.DataFrame | None = None
    seed_niche: np.ndarray | None = None
    seed_vector: np.ndarray | None = None
    seed_size: float | None = None

    @property
    def products(self) -> dict[str, tuple[str, np.ndarray]]:
        """A column's name -> (a vector column, a vector): the column holds each row's dot product
        with it (niche probs with the brief's; the content vector, current or unknown, with the
        brief's and the seeds' unit vectors: their cosines). A caller may compute these beside the
        stored vectors (the warehouse does, in SQL) so a million of them never reach pandas;
        ``score_fit`` reads them, and computes the ones a frame lacks."""
        wanted = ((NICHE_MATCH, "niche_probs", self.brief_niche), (TEXT_SIMILARITY, "content_vector", self.brief_vector),
                  (LIKE_SIMILARITY, "content_vector", self.seed_vector))
        return {name: (column, vector) for name, column, vector in wanted if vector is not None}

    @property
    def like_by_content(self) -> bool:
        """Whether any seed had content to compare (not audience size alone)."""
        return self.seed_vector is not None or self.seed_niche is not None


def fit_reference(brief: Brief, seeds: pd.DataFrame | None = None, content: ContentModel | None = None
                  ) -> FitReference:
    """The brief read by the ``content`` model (the packaged one by default; vectors of two models
    are not comparable) and the seeds' centroids over the seeds that have each."""
    brief_niche, brief_vector = text_profile(brief.text, content) if brief.text.strip() else (None, None)
    brief_vector = _unit(brief_vector) if brief_vector is not None else None
    if seeds is None or not len(seeds):
        return FitReference(brief_niche, brief_vector)
    s_niche = _known_rows(current_niches(seeds))
    s_vec = _known_rows(current_vectors(seeds))
    s_size = _known_rows(np.log10(np.maximum(_floats(seeds, "followers"), 1.0))[:, None])
    return FitReference(brief_niche, brief_vector, seeds,
                        seed_niche=s_niche.mean(axis=0) if len(s_niche) else None,
                        seed_vector=_unit(s_vec.mean(axis=0)) if len(s_vec) else None,
                        seed_size=float(s_size.mean()) if len(s_size) else None)


def _vectors(df: pd.DataFrame, column: str) -> np.ndarray:
    """A vector column as a matrix: the current niche probs or content vectors (NaN rows where stale)."""
    return current_vectors(df) if column == "content_vector" else current_niches(df)


def _products(creators: pd.DataFrame, reference: FitReference) -> dict[str, np.ndarray]:
    """Each of ``reference.products``: the caller's column where the frame has it, else computed
    from the rows' vectors (NaN where a row has none, or a stale content vector)."""
    matrices: dict[str, np.ndarray] = {}
    out = {}
    for name, (column, vector) in reference.products.items():
        if name in creators.columns:
            out[name] = _floats(creators, name)
        else:
            out[name] = matrices.setdefault(column, _vectors(creators, column)) @ vector
    return out


def _likeness(niche: np.ndarray, cosine: np.ndarray | None, followers: np.ndarray, reference: FitReference
              ) -> np.ndarray:
    """fit_like: content, niche and audience size closeness to the seeds' centroids."""
    size = np.log10(np.maximum(followers, 1.0))
    parts = [
        (0.4, np.clip(cosine, 0, 1) if cosine is not None else None),
        (0.4, 1.0 - 0.5 * np.abs(niche - reference.seed_niche).sum(axis=1) if reference.seed_niche is not None else None),
        (0.2, np.clip(1 - np.abs(size - reference.seed_size) / SIZE_DECADES, 0, 1)
         if reference.seed_size is not None else None),
    ]
    return _blend({str(i): (w, v) for i, (w, v) in enumerate(parts) if v is not None}, len(niche))


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


def _best(score: np.ndarray, top: int | None) -> np.ndarray:
    """Positions of the ``top`` best scores (all when None), best first, ties in input order: a
    stable sort's first ``top``, found by partitioning a million scores instead of sorting them."""
    key = -np.nan_to_num(score, nan=-1.0)
    if top is None or top >= len(key):
        return np.argsort(key, kind="stable")
    near = np.flatnonzero(key <= np.partition(key, top - 1)[top - 1])
    return near[np.argsort(key[near], kind="stable")][:top]


@dataclass(frozen=True)
class FitRanking:
    """The best rows' scores and parts, in rank order (``order``: their positions in the frame
    scored), and what their evidence needs; ``explain`` writes it for just those rows."""

    brief: Brief
    reference: FitReference
    order: np.ndarray
    score: np.ndarray
    comp: dict[str, np.ndarray]
    cosine: np.ndarray
    er: np.ndarray
    er_pct: np.ndarray
    auth: np.ndarray

    def explain(self, rows: pd.DataFrame) -> pd.DataFrame:
        """``rows`` (the ranked creators, in ``order``: the scored frame's rows, or the full stored
        rows of just these) with FIT_COLUMNS; vectors, their versions and similarities dropped."""
        def picked(name: str) -> pd.Series:
            return _strings(rows, name).reset_index(drop=True)

        evidence = evidence_lines(
            brief=self.brief, brief_niche=self.reference.brief_niche, niche=_vectors(rows, "niche_probs"), comp=self.comp,
            language=picked("language").str.lower(), er=self.er, er_pct=self.er_pct, auth=self.auth,
            tier=picked("tier"), stance=picked("collab_stance"), stance_words=picked("collab_evidence"),
            seeds=self.reference.seeds, like_by_content=self.reference.like_by_content,
            has_vectors=~np.isnan(current_vectors(rows)).any(axis=1), stale=stale_vectors(rows),
            stale_niche=stale_niches(rows), cosine=self.cosine,
        )
        out = rows.drop(columns=[c for c in (*VECTOR_COLUMNS, *VERSION_COLUMNS, *PRODUCTS)
                                 if c in rows.columns])
        return out.assign(
            fit_score=pd.array(self.score, dtype=FLOAT),
            fit_rank=pd.array(np.arange(1, len(self.order) + 1), dtype=INT),
            **{k: pd.array(v, dtype=FLOAT) for k, v in self.comp.items()},
            fit_evidence=from_arrow(evidence, out.index),
        )


def score_fit(creators: pd.DataFrame, brief: Brief, reference: FitReference, *, top: int | None = None
              ) -> FitRanking:
    """Every row's fit-v1 score and parts (the seeds' own rows left out), and the best ``top`` (all
    by default) in rank order. Ties keep the input order, so the same rows in the same order
    always rank the same. Inputs used (any may be missing): platform, handle, followers,
    niche_probs, content_vector or the ``products`` columns, language, er_median,
    authenticity_score, tier."""
    kept = None
    if reference.seeds is not None:
        seeds = reference.seeds
        refs = tuple(f"{p}:{h}" for p, h in zip(_strings(seeds, "platform").fillna(""),
                                                 _strings(seeds, "handle").fillna(""), strict=True))
        kept = np.flatnonzero(~_refs_mask(creators, refs))
        creators = creators.iloc[kept]
    n = len(creators)
    products = _products(creators, reference)
    cosine = products.get(TEXT_SIMILARITY, np.full(n, np.nan))
    comp: dict[str, np.ndarray] = {k: np.full(n, np.nan) for k in WEIGHTS}
    if reference.brief_niche is not None:
        comp["fit_niche"] = np.clip(products[NICHE_MATCH] / reference.brief_niche.max(), 0, 1)
    if reference.brief_vector is not None:
        comp["fit_text"] = np.clip((cosine - TEXT_FLOOR) / (TEXT_FULL - TEXT_FLOOR), 0, 1)
    if brief.languages:
        language = _strings(creators, "language").str.lower()
        wanted = [v.lower() for v in brief.languages]
        comp["fit_language"] = np.where(language.isna(), np.nan,
                                        language.isin(wanted).fillna(False).astype(float))
    comp["fit_quality"], er_pct, auth = _quality(creators)
    if reference.seeds is not None:
        comp["fit_like"] = _likeness(_vectors(creators, "niche_probs"), products.get(LIKE_SIMILARITY),
                                     _floats(creators, "followers"), reference)
    score = _blend({k: (WEIGHTS[k], v) for k, v in comp.items()}, n, unknown_is_zero=True)
    order = _best(score, top)
    return FitRanking(brief, reference, order if kept is None else kept[order], score[order],
                      {k: v[order] for k, v in comp.items()}, cosine[order],
                      _floats(creators, "er_median")[order], er_pct[order], auth[order])


def rank_fit(creators: pd.DataFrame, brief: Brief, seeds: pd.DataFrame | None = None,
             content: ContentModel | None = None, *, top: int | None = None) -> pd.DataFrame:
    """``creators`` sorted by fit_rank (1 = best), FIT_COLUMNS added, seeds' rows left out, and
    the VECTOR_COLUMNS and VERSION_COLUMNS dropped (read here, meaningless to show). ``top``: only
    the best ``top`` rows are returned, and only theirs get evidence written (every row is still
    scored and ranked). ``content``: the content model that made the creators' vectors (the
    packaged one by default), which reads the brief too. Also uses collab_stance and
    collab_evidence, for the evidence.
    """
    ranking = score_fit(creators, brief, fit_reference(brief, seeds, content), top=top)
    return ranking.explain(creators.iloc[ranking.order])
