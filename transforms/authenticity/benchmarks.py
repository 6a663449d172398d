"""What "normal" is per platform and tier: the warehouse's own benchmark, or a fallback table.

The warehouse's ``tier_benchmarks`` view gives, per (platform, tier), how many creators it
holds, the median and MAD of their log median ER, and their median comments per 100 likes.
A cell with fewer than ``MIN_BENCHMARK_CREATORS`` creators is too small to trust, so the
fallback constants below are used instead (and the evidence says which was used).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_BENCHMARK_CREATORS = 30
#: 1.4826 * MAD estimates a standard deviation for normally distributed values.
MAD_TO_SIGMA = 1.4826

#: Fallback median ER per tier (fractions), in line with published nano/micro benchmarks
#: (nano about 4%, micro about 2.5%); the log-ER spread is a factor of about 2 either way.
FALLBACK_ER_MEDIAN: dict[str, float] = {"nano": 0.04, "micro": 0.025, "mid": 0.018, "macro": 0.013, "mega": 0.01}
FALLBACK_LOG_ER_SIGMA = 0.7
DEFAULT_ER_MEDIAN = 0.03

#: Fallback comments per 100 likes per platform (text platforms reply more than photo and video).
FALLBACK_COMMENTS_PER_100_LIKES: dict[str, float] = {
    "bluesky": 6.0, "mastodon": 6.2, "youtube": 4.0, "instagram": 2.0, "tiktok": 1.0,
}
DEFAULT_COMMENTS_PER_100_LIKES = 3.0

BENCHMARK_COLUMNS = ["platform", "tier", "n_creators", "log_er_median", "log_er_mad", "comments_per_100_likes"]


def benchmarks_for(platform: pd.Series, tier: pd.Series, measured: pd.DataFrame | None) -> pd.DataFrame:
    """Per creator: log_er_median, log_er_sigma, comments_per_100_likes and the source of each
    ("warehouse: N creators" or "fallback"), aligned with ``platform``/``tier``."""
    cells = pd.DataFrame({"platform": platform.astype(object).to_numpy(),
                          "tier": tier.astype(object).to_numpy()})
    fallback_er = cells["tier"].map(FALLBACK_ER_MEDIAN).astype("float64").fillna(DEFAULT_ER_MEDIAN)
    fallback_cpl = (cells["platform"].map(FALLBACK_COMMENTS_PER_100_LIKES).astype("float64")
                    .fillna(DEFAULT_COMMENTS_PER_100_LIKES))
    out = pd.DataFrame({
        "log_er_median": np.log(fallback_er.to_numpy()),
        "log_er_sigma": FALLBACK_LOG_ER_SIGMA,
        "comments_per_100_likes": fallback_cpl.to_numpy(),
        "er_source": "fallback table",
        "cpl_source": "fallback table",
    })
    if measured is None or measured.empty:
        return out
    found = cells.merge(measured[BENCHMARK_COLUMNS].astype({"platform": object, "tier": object}),
                        on=["platform", "tier"], how="left")
    n = found["n_creators"].astype("float64").fillna(0).to_numpy()
    source = "warehouse: " + pd.Series(n.astype(np.int64)).astype(str) + " creators"
    sigma = MAD_TO_SIGMA * found["log_er_mad"].astype("float64").to_numpy()
    er_ok = (n >= MIN_BENCHMARK_CREATORS) & np.isfinite(found["log_er_median"].astype("float64")) & (sigma > 0)
    cpl = found["comments_per_100_likes"].astype("float64").to_numpy()
    cpl_ok = (n >= MIN_BENCHMARK_CREATORS) & (cpl > 0)
    out["log_er_median"] = np.where(er_ok, found["log_er_median"].astype("float64"), out["log_er_median"])
    out["log_er_sigma"] = np.where(er_ok, sigma, out["log_er_sigma"])
    out["er_source"] = np.where(er_ok, source, out["er_source"])
    out["comments_per_100_likes"] = np.where(cpl_ok, cpl, out["comments_per_100_likes"])
    out["cpl_source"] = np.where(cpl_ok, source, out["cpl_source"])
    return out
