"""Follower samples against the real sandbox: Bluesky getFollowers + getProfiles, Mastodon's
followers list; the request count is read from the sandbox's own ``/_sandbox/stats``."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from core.identity import instance_account_id
from scrapers.http import HttpClient
from scrapers.mastodon.ids import instance_host
from scrapers.registry import get_platform
from transforms.audience import followers_frame

#: requests per audited creator for a 100-follower sample (issue 13's budget)
BUDGET = {"bluesky": 5, "mastodon": 2}


def _served(sandbox: Any, platform: str) -> int:
    return requests.get(f"{sandbox.base_url}/_sandbox/stats", timeout=5).json()["by_platform"].get(platform, 0)


def _stored_id(sandbox: Any, platform: str, creator: Any) -> str:
    """The creator's id as the warehouse holds it (Mastodon: ``<host>:<account id>``)."""
    return f"{instance_host(sandbox.base_url)}:{creator.creator_id}" if platform == "mastodon" else creator.creator_id


def _creator(sandbox: Any, platform: str) -> Any:
    """A creator with more than 100 followers, so a 100-follower sample is a true sample."""
    return next(c for c in sandbox.universe.creators
                if c.platform == platform and sandbox.universe.followers_now(c) > 250)


@pytest.mark.parametrize("platform", sorted(BUDGET))
def test_a_100_follower_sample_within_the_request_budget(sandbox: Any, platform: str) -> None:
    creator = _creator(sandbox, platform)
    before = _served(sandbox, platform)
    with HttpClient(platform=platform, rate_per_second=500.0, burst=100) as http:
        sample = get_platform(platform).sample_followers(http, sandbox.base_url, _stored_id(sandbox, platform, creator),
                                                         size=100)
        assert http.stats["requests"] == len(http.raw_responses) == BUDGET[platform]
    assert _served(sandbox, platform) - before == BUDGET[platform]
    assert sample.reason is None and len(sample.followers) == 100
    ids = [f.profile.creator_id for f in sample.followers]
    assert len(set(ids)) == 100
    for follower in sample.followers:
        follower_id = follower.profile.creator_id
        truth = sandbox.universe.truth(platform, instance_account_id(follower_id) if platform == "mastodon" else follower_id)
        assert truth["follows"] == creator.handle  # a follower of this creator, not anyone
        assert follower.profile.followers is not None and follower.profile.following is not None
        assert follower.profile.posts_count is not None and follower.created_at is not None
    frame = followers_frame([sample])
    assert set(frame["has_default_avatar"]) <= {True, False} and frame["has_default_avatar"].any()


def test_a_small_sample_asks_for_no_more_than_it_needs(sandbox: Any) -> None:
    creator = _creator(sandbox, "mastodon")
    with HttpClient(platform="mastodon", rate_per_second=500.0, burst=100) as http:
        sample = get_platform("mastodon").sample_followers(http, sandbox.base_url, creator.creator_id, size=7)
        assert len(http.raw_responses) == 1 and "limit=7" in http.raw_responses[0].url
    assert len(sample.followers) == 7


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok"])
def test_platforms_without_follower_lists_say_so_without_a_request(platform: str) -> None:
    with HttpClient(platform=platform, rate_per_second=500.0, burst=100) as http:
        sample = get_platform(platform).sample_followers(http, "https://example.invalid", "someone", size=100)
        assert http.stats["requests"] == 0
    assert sample.followers == [] and "no" in sample.reason and sample.platform == platform
