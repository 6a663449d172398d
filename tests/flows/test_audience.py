"""The audit step against the sandbox's truth: bought followers in a creator's newest followers
lower its audience credibility, measured on a real follower sample over loopback."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from flows.audience import audit_audience
from sandbox import SandboxServer


@pytest.fixture(scope="module")
def server() -> Any:
    with SandboxServer(creators=600, seed=42, rate_limit=100_000).start() as sb:
        yield sb


def _fake_share_of_newest(sb: Any, c: Any, n: int = 100) -> float:
    """The truth: the share of bought followers among the creator's newest ``n``."""
    kinds = [sb.universe.truth(c.platform, f.creator_id)["follower_kind"]
             for _, f in sb.universe.followers_of(c, None, n)]
    return kinds.count("fake") / len(kinds)


@pytest.mark.parametrize("platform", ["bluesky", "mastodon"])
def test_bought_followers_lower_the_audience_credibility(server: Any, platform: str) -> None:
    u = server.universe
    mine = [c for c in u.creators if c.platform == platform and u.followers_now(c) > 500]
    bought = max(mine, key=lambda c: _fake_share_of_newest(server, c))
    clean = [c for c in mine if _fake_share_of_newest(server, c) == 0][:5]
    assert u.truth(platform, bought.creator_id)["bought_follower_share"] > 0
    assert _fake_share_of_newest(server, bought) >= 0.3 and len(clean) == 5
    ids = [bought.creator_id] + [c.creator_id for c in clean]
    audits, spent = audit_audience.fn(platform, server.base_url, ids, 100, 500.0, pd.Timestamp.now(tz="UTC"))
    assert spent["requests"] == len(ids) * {"bluesky": 5, "mastodon": 2}[platform]  # counted for the run
    audits = audits.set_index("creator_id")
    assert (audits["sample_size"] == 100).all() and audits["reason"].isna().all()
    shares = audits[["real_share", "fake_share", "mass_share"]].sum(axis=1)
    assert ((shares - 1).abs() < 1e-9).all()
    assert (audits["ci_low"] <= audits["real_share"]).all() and (audits["real_share"] <= audits["ci_high"]).all()
    # the creator with bought followers is told apart from every clean one, beyond the intervals
    assert audits.loc[bought.creator_id, "ci_high"] < audits.loc[ids[1:], "ci_low"].min()
