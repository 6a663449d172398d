"""Planted authenticity fraud: the ground truth that engagement, growth and audience flags are
scored against.

Every draw here comes from streams of its own (``derive(seed, "fraud")``, seven draws per
creator whatever it gets, and ``derive(seed, "ad-networks")``), never from the generator's, so a creator that gets no fraud
is byte for byte what it was before fraud existed. The kinds:

- engagement: ``bought_likes`` (the generator's old engagement anomaly: few comments per like),
  ``comment_pods`` (many short comments per like), ``spiky_likes`` (a few posts with many times
  the usual likes);
- bought followers: a round jump (+1,000, +5,000, ...) of fake accounts on one ``spike_day``;
- mass following: following thousands of accounts;
- an ad network: groups of unrelated small creators posting the same sponsored creatives of one
  campaign, whose hashtag (its niche's first tag) the creatives carry and the members' bios name
  (paid accounts advertise their deals), so a search that finds one member tends to find others.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from . import words
from .model import SandboxCreator
from .seeded import ascii_key, derive, loguniform, pick, rint

ROUND_JUMPS = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)
PODS_SHARE = 0.02  # of people, memes, animal and fan pages with organic engagement
SPIKY_SHARE = 0.02
BOUGHT_FOLLOWERS_SHARE = 0.05  # of people with at least 2,000 followers
MASS_FOLLOWING_SHARE = 0.03
MASS_FOLLOWING_MIN = 3_000  # above any organic person's following (the generator stops at 2,500)
AD_NETWORK_SHARE = 0.05  # of small people (under 100k followers) not planted otherwise
AD_NETWORK_SIZE = (5, 8)
AD_POST_SHARE = 0.4  # of an ad-network member's own posts that are the network's creatives
CREATIVES_PER_NETWORK = 4
SPIKY_POST_SHARE = 0.12  # of a spiky creator's posts with a burst of bought likes
SPIKE_DAYS = (-90, 45)  # when the bought followers arrive, in days from REFERENCE_NOW
_ENGAGEMENT_KINDS = ("person", "meme", "animal", "fan")


def plant_fraud(creators: Sequence[SandboxCreator], seed: int) -> None:
    """Give each creator its growth curve and, for a seeded share, a kind of fraud."""
    rng = random.Random(derive(seed, "fraud"))  # a fixed number of draws per creator, in order
    for c in creators:
        _plant_one(c, rng)
    _plant_ad_networks(creators, seed)


def _plant_one(c: SandboxCreator, rng: random.Random) -> None:
    # every draw is made whatever the creator is, so one planting never shifts another
    growth, engagement_roll, bought_roll, jump_roll, spike_roll, mass_roll, following = (
        loguniform(rng, 0.0002, 0.003), rng.random(), rng.random(), rng.uniform(0.15, 0.6),
        rint(rng, *SPIKE_DAYS), rng.random(), rint(rng, MASS_FOLLOWING_MIN, 9_000))
    c.growth_per_day = growth
    if c.engagement_anomaly:
        c.engagement = "bought_likes"
    elif c.kind in _ENGAGEMENT_KINDS and engagement_roll < PODS_SHARE:
        c.engagement = "comment_pods"
    elif c.kind in _ENGAGEMENT_KINDS and engagement_roll < PODS_SHARE + SPIKY_SHARE:
        c.engagement = "spiky_likes"
    if c.kind == "person" and c.followers >= 2_000 and bought_roll < BOUGHT_FOLLOWERS_SHARE:
        c.bought_followers = max(j for j in ROUND_JUMPS if j <= max(1_000, c.followers * jump_roll))
        c.spike_day = spike_roll
    if mass_roll < MASS_FOLLOWING_SHARE and c.kind in ("person", "fan", "repost"):
        c.mass_following = True
        c.following = following


def _plant_ad_networks(creators: Sequence[SandboxCreator], seed: int) -> None:
    """Groups of unrelated small creators (any niche, either platform) sharing creatives; each
    member's bio names the campaign's hashtag."""
    rng = random.Random(derive(seed, "ad-networks"))
    eligible = [c.index for c in creators if c.kind == "person" and c.followers < 100_000
                and c.engagement == "organic" and not c.bought_followers]
    members = rng.sample(eligible, min(len(eligible), round(len(eligible) * AD_NETWORK_SHARE)))
    group = 0
    while len(members) >= AD_NETWORK_SIZE[0]:
        size = min(rint(rng, *AD_NETWORK_SIZE), len(members))
        line = campaign_tag(seed, group) + " deals and codes 👇"
        for i in members[:size]:
            creators[i].ad_network = group
            creators[i].bio = f"{creators[i].bio}\n{line}" if creators[i].bio else line
        members = members[size:]
        group += 1


def followers_at(c: SandboxCreator, day: float) -> int:
    """The follower count ``day`` days after REFERENCE_NOW (day 0: the generated count).

    Organic followers grow smoothly, ``growth_per_day`` of today's organic count a day; bought
    ones arrive all at once on ``spike_day``."""
    organic = organic_at(c, day)
    return organic + (c.bought_followers if bought_by(c, day) else 0)


def organic_at(c: SandboxCreator, day: float) -> int:
    """The organic followers ``day`` days after REFERENCE_NOW."""
    today = c.followers - (c.bought_followers if bought_by(c, 0) else 0)
    return round(today * (1.0 + c.growth_per_day * day))  # linear: sane after years too


def bought_by(c: SandboxCreator, day: float) -> bool:
    """Whether the bought followers have arrived ``day`` days after REFERENCE_NOW."""
    return c.spike_day is not None and c.spike_day <= day


def bought_share(c: SandboxCreator, day: float) -> float:
    """The share of the follower list that is bought, ``day`` days after REFERENCE_NOW."""
    if not bought_by(c, day):
        return 0.0
    return round(c.bought_followers / max(followers_at(c, day), 1), 4)


_AD_TEMPLATES = (
    "Obsessed with the new {product} from {brand} ✨ Use code {code} for 20% off, link in bio #ad",
    "Not sponsored... just kidding, it is 😅 but {brand}'s {product} really changed my mornings. "
    "Code {code} #ad #sponsored",
    "3 reasons I switched to the {brand} {product}: it works, it's cheap, it ships fast. "
    "{code} for a discount #partner #ad",
    "Giveaway time! 🎁 Follow {brand}, like this post and tag 2 friends to win a {product} #ad",
)
_AD_VARIANTS = ("", " 💯", "!!", " 🙌", " 🔥")


def campaign_niche(seed: int, network: int) -> str:
    """The niche of the network's campaign (its own stream: the members keep their own niches)."""
    return pick(random.Random(derive(seed, "ad-campaign", network)), words.NICHES)


def campaign_tag(seed: int, network: int) -> str:
    """The campaign's hashtag: its niche's first tag, a word the niche's searches use."""
    return "#" + words.NICHE_DATA[campaign_niche(seed, network)]["tags"][0]


def ad_creative(post_rng: random.Random, seed: int, network: int) -> tuple[str, str] | None:
    """(caption, creative key) when this post of an ad-network member is one of the network's
    creatives (near-identical captions of the campaign's products with its hashtag: the same
    text, now and then a different ending), else None."""
    if post_rng.random() >= AD_POST_SHARE:
        return None
    n = rint(post_rng, 0, CREATIVES_PER_NETWORK - 1)
    rng = random.Random(derive(seed, "ad-creative", network, n))
    niche = words.NICHE_DATA[campaign_niche(seed, network)]
    brand = f"{pick(rng, words.BRAND_PREFIX)} {pick(rng, niche['brand_words'])}"
    caption = _AD_TEMPLATES[n % len(_AD_TEMPLATES)].format(
        product=pick(rng, niche["products"]), brand=brand,
        code=f"{ascii_key(brand)[:8].upper()}{rint(rng, 10, 30)}")
    return f"{caption} {campaign_tag(seed, network)}{pick(post_rng, _AD_VARIANTS)}", f"adnet{network}-creative{n}"


def spiked(post_rng: random.Random, likes: int) -> int:
    """A spiky creator's likes on one post: now and then a burst of 8 to 40 times as many."""
    if post_rng.random() < SPIKY_POST_SHARE:
        return int(likes * post_rng.uniform(8, 40))
    return likes
