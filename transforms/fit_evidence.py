"""``fit_evidence``: why a creator fits a brief (or not), in plain words joined by "; ".

One line per component in a fixed order (niche, words, lookalike, language, engagement,
authenticity, collaboration stance), worded by its sign: a part at or above half its range reads
as a reason for ("posts about food ..."), below as one against ("posts little about food ...").
An unknown part says so. Built with Arrow string kernels, a million rows in well under a second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.brief import Brief
from core.identity import handle_key
from transforms.niches import NICHES

_NULL = pa.scalar(None, pa.string())


def _fixed(x: np.ndarray, digits: int = 2) -> pa.Array:
    """Numbers as "0.91" (``digits`` decimals, non-negative), null for NaN; no Python loop."""
    scale = 10 ** digits
    known = ~np.isnan(x)
    i = np.round(np.where(known, np.abs(x), 0.0) * scale).astype(np.int64)
    whole = pa.array(i // scale).cast(pa.string())
    frac = pc.utf8_lpad(pa.array(i % scale).cast(pa.string()), digits, "0")
    text = pc.binary_join_element_wise(whole, frac, ".") if digits else whole
    return pc.if_else(pa.array(known), text, _NULL)


def _join(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation; null wherever any array part is null."""
    arrays = [p for p in parts if not isinstance(p, str)]
    n = len(arrays[0])
    cols = [pa.array(np.full(n, p, dtype=object), pa.string()) if isinstance(p, str) else p.cast(pa.string())
            for p in parts]
    return pc.binary_join_element_wise(*cols, "")


def _when(mask: np.ndarray, text: pa.Array) -> pa.Array:
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), text, _NULL)


def _pick(mask_for: np.ndarray, yes: pa.Array, no: pa.Array, known: np.ndarray) -> pa.Array:
    return _when(known, pc.if_else(pa.array(np.asarray(mask_for, dtype=bool)), yes, no))


def _names(handles: list[str]) -> str:
    """"@a", "@a and @b", "@a, @b and @c"; more than three end "and N others"."""
    if len(handles) > 3:
        return f"{', '.join(handles[:2])} and {len(handles) - 2} others"
    return " and ".join([", ".join(handles[:-1]), handles[-1]] if len(handles) > 1 else handles)


def _niche_line(brief_niche: np.ndarray, niche: np.ndarray, fit: np.ndarray) -> pa.Array:
    b = int(np.argmax(brief_niche))
    name = NICHES[b]
    brief_part = f", brief {name} {brief_niche[b]:.2f}"
    top = np.argmax(np.nan_to_num(niche, nan=-1.0), axis=1)
    top_name = pa.array(np.asarray(NICHES, dtype=object)[top], pa.string())
    top_p = _fixed(np.take_along_axis(niche, top[:, None], axis=1).ravel())
    mine = _fixed(niche[:, b])
    yes = _join(f"posts about {name}: niche {name} ", mine, brief_part)
    no = _join(f"posts little about {name}: niche {name} ", mine, " (mostly ", top_name, " ", top_p, ")",
               brief_part)
    return _pick(fit >= 0.5, yes, no, ~np.isnan(fit))


def evidence_lines(*, brief: Brief, brief_niche: np.ndarray | None, niche: np.ndarray,
                   comp: dict[str, np.ndarray], language: pd.Series, er: np.ndarray,
                   er_pct: np.ndarray, auth: np.ndarray, tier: pd.Series, stance: pd.Series,
                   stance_words: pd.Series, seeds: pd.DataFrame | None, has_vectors: np.ndarray,
                   cosine: np.ndarray) -> pd.Series:
    """Each row's evidence, "; "-joined, in the order of the module docstring."""
    n = len(niche)
    lines: list[pa.Array] = []
    if brief_niche is not None:
        lines.append(_niche_line(brief_niche, niche, comp["fit_niche"]))
        text = comp["fit_text"]
        sim = _fixed(cosine)
        lines.append(_pick(text >= 0.5, _join("words close to the brief: similarity ", sim),
                           _join("words far from the brief: similarity ", sim), ~np.isnan(text)))
        lines.append(_when(~has_vectors, pa.array(["content unknown: no text to read"] * n, pa.string())))
    if seeds is not None:
        who = _names(["@" + handle_key(h) for h in seeds["handle"].dropna().astype(str)])
        like = comp["fit_like"]
        sim = _fixed(like)
        lines.append(_pick(like >= 0.5, _join(f"niche and vocabulary like {who}: similarity ", sim),
                           _join(f"unlike {who}: similarity ", sim), ~np.isnan(like)))
    if brief.languages:
        lang = pa.array(language.fillna("").to_numpy(dtype=object), pa.string())
        known = language.notna().to_numpy(dtype=bool)
        asked = ", ".join(brief.languages)
        lines.append(pc.if_else(pa.array(known), pc.if_else(
            pa.array(comp["fit_language"] >= 1.0), _join("language ", lang, " matches"),
            _join("language ", lang, f", not {asked}")), "language unknown"))
    tier_text = pa.array(tier.fillna("its tier").to_numpy(dtype=object), pa.string())
    top_share = _fixed(np.maximum(np.ceil(100 * (1 - er_pct)), 1), 0)
    bottom_share = _fixed(np.maximum(np.ceil(100 * er_pct), 1), 0)
    er_text = _fixed(er * 100, 1)
    lines.append(_pick(er_pct >= 0.5, _join("ER ", er_text, "%: top ", top_share, "% of ", tier_text),
                       _join("ER ", er_text, "%: bottom ", bottom_share, "% of ", tier_text),
                       ~np.isnan(er_pct) & ~np.isnan(er)))
    lines.append(_when(~np.isnan(auth), _join("authenticity ", _fixed(auth * 100, 0), "/100")))
    lines.append(_when(np.isnan(comp["fit_quality"]),
                       pa.array(["quality unknown: no ER or authenticity"] * n, pa.string())))
    words = pa.array(stance_words.fillna("").to_numpy(dtype=object), pa.string())
    kind = stance.fillna("").to_numpy(dtype=object)
    lines.append(_when(kind == "open_to_gifting", _join("open to gifting: ", words)))
    lines.append(_when(kind == "paid_only", _join("paid only: ", words)))
    joined = pc.binary_join_element_wise(*lines, "; ", null_handling="skip")
    return pd.Series(joined.to_numpy(zero_copy_only=False), dtype=object)
