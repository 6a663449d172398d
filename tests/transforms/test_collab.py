"""Collaboration stance from bios and collab_kind from posts, in several languages, traps included."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from core.records import Post, Profile
from transforms.collab import _partners, bio_stance, post_collab
from transforms.collab_words import MENTION
from transforms.frames import STRING, posts_frame, profiles_frame
from transforms.score import score_creators

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def texts(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype=STRING)


@pytest.mark.parametrize(("bio", "stance", "words"), [
    ("PR friendly ✨ | London", "open_to_gifting", "pr friendly"),
    ("DM for collabs 💌", "open_to_gifting", "dm for collabs"),
    ("gifting welcome • vegan baking", "open_to_gifting", "gifting welcome"),
    ("PR-Pakete willkommen 💌", "open_to_gifting", "pr-pakete willkommen"),
    ("abierta a colaboraciones y regalos", "open_to_gifting", "abierta a colaboraciones"),
    ("ouverte aux collabs 💌", "open_to_gifting", "ouverte aux collabs"),
    ("aperta a collaborazioni", "open_to_gifting", "aperta a collaborazioni"),
    ("aberta a parcerias e recebidos", "open_to_gifting", "aberta a parcerias"),
    ("open voor samenwerkingen", "open_to_gifting", "open voor samenwerkingen"),
    ("paid collaborations only, rates in DM", "paid_only", "paid collaborations only"),
    ("no free promos please", "paid_only", "no free promos"),
    ("rates on request", "paid_only", "rates on request"),
    ("Management: anna@agency.com", "paid_only", "management:"),
    ("nur bezahlte Kooperationen", "paid_only", "nur bezahlte kooperationen"),
    ("solo colaboraciones pagadas", "paid_only", "solo colaboraciones pagadas"),
    ("collaborations rémunérées uniquement", "paid_only", "collaborations remunerees uniquement"),
    ("apenas parcerias pagas", "paid_only", "apenas parcerias pagas"),
    ("DM for collabs | paid only", "paid_only", "paid only"),
    ("𝓟𝓡 𝓯𝓻𝓲𝓮𝓷𝓭𝓵𝔂 🌸", "open_to_gifting", "pr friendly"),  # a "fancy font" bio reads as its letters
])
def test_bio_stance_in_several_languages(bio, stance, words):
    out = bio_stance(texts(bio))
    assert out["collab_stance"].tolist() == [stance]
    assert f'"{words}"' in out["collab_evidence"][0]


@pytest.mark.parametrize("bio", [
    "not open to collabs right now", "time management coach", "baker, mum, dog person", None])
def test_bio_without_a_stance_is_unknown(bio):
    out = bio_stance(texts(bio))
    assert out["collab_stance"].tolist() == ["unknown"] and out["collab_evidence"].isna().all()


@pytest.mark.parametrize(("text", "kind", "partners"), [
    ("Loving this dress #ad @zara", "paid", "@zara"),
    ("Anzeige | die neue Creme von @nivea", "paid", "@nivea"),
    ("Nuevo sérum #publi @marca", "paid", "@marca"),
    ("Paid partnership with @adidas", "paid", "@adidas"),
    ("Vidéo sponsorisée par @loreal", "paid", "@loreal"),
    ("Sponsored by @brand, thank you!", "paid", "@brand"),
    ("So proud to be a brand ambassador for @lush", "paid", "@lush"),
    ("c/o @nike new running shoes", "gifted", "@nike"),
    ("Thanks @glossier for sending these goodies!", "gifted", "@glossier"),
    ("Gracias @marca por el regalo 🎁", "gifted", "@marca"),
    ("Recebidos da semana da @loja", "gifted", "@loja"),
    ("PR sample from @ordinary, first thoughts", "gifted", "@ordinary"),
    ("Use code ANNA20 for 20% off @brand", "affiliate", "@brand"),
    ("Mit dem Code LISA10 spart ihr bei @shop", "affiliate", "@shop"),
    ("Outfit details on liketk.it/3abc", "affiliate", None),
])
def test_post_collab_kind_in_several_languages(text, kind, partners):
    out = post_collab(texts(text))
    assert out["collab_kind"].tolist() == [kind]
    assert out["is_sponsored"].tolist() == [kind == "paid"]
    assert out["partners"].tolist() == [partners if partners else pd.NA]
    assert out["collab_evidence"].notna().all()


@pytest.mark.parametrize("text", [
    "Anniversary dinner with my partner @sam ❤️",           # a partner who is a spouse
    "Beach day 📷 c/o @bestfriend",                          # c/o as a photo credit
    "New blog post is up, link in bio!",                     # link in bio to the creator's own blog
    "unbezahlte Werbung: mein Lieblingsbuch von @verlag",   # German for "unpaid"
    "Dress code tonight: black tie",                         # a code that is no discount
    "An adventure in the alps #adventure",                   # #ad is not #adventure
    None,
])
def test_traps_stay_organic(text):
    out = post_collab(texts(text))
    assert out["collab_kind"].tolist() == ["organic"] and out["partners"].isna().all()


def test_a_spouse_in_a_paid_post_is_no_partner_and_nor_is_the_author():
    out = post_collab(texts("#ad with my husband @tom for @hotel, by @me"), own_handle=texts("me"))
    assert out["partners"].tolist() == ["@hotel"]


def test_the_platform_label_makes_a_post_paid():
    out = post_collab(texts("just a caption"), platform_paid=pd.Series([True], dtype="boolean"))
    assert out["collab_kind"].tolist() == ["paid"]
    assert out["collab_evidence"].tolist() == ["the platform's paid-partnership label"]


def test_score_creators_counts_each_creators_history_and_partners():
    profiles = [Profile("bluesky", "ana", "ana", bio="PR friendly | baker"), Profile("bluesky", "bo", "bo")]
    captions = ["#ad @flour", "#ad @flour again", "c/o @oven", "use code ANA10 @shop", "my bread", "more bread"]
    posts = [Post("bluesky", f"a{i}", "ana", NOW - timedelta(days=i + 1), t, likes=5)
             for i, t in enumerate(captions)]
    posts.append(Post("bluesky", "b0", "bo", NOW - timedelta(days=1), "hello", likes=1))
    scores = score_creators(profiles_frame(profiles, NOW), posts_frame(posts, NOW), now=NOW).set_index("creator_id")
    ana, bo = scores.loc["ana"], scores.loc["bo"]
    assert (ana["collab_stance"], ana["paid_posts"], ana["gifted_posts"], ana["affiliate_posts"]) == (
        "open_to_gifting", 2, 1, 1)
    assert ana["paid_share"] == pytest.approx(2 / 6)
    assert ana["past_partners"] == "@flour, @oven, @shop"
    assert (bo["collab_stance"], bo["paid_posts"], bo["paid_share"]) == ("unknown", 0, 0.0)
    assert pd.isna(bo["past_partners"])


def _named(text: str | None, own: str | None) -> str | None:
    """What a post names, read the plain way: every MENTION match once, in order, but the own handle."""
    names = dict.fromkeys(re.findall(MENTION, text or ""))
    return " ".join(n for n in names if own is None or n != "@" + own) or None


def test_partners_are_every_mention_once_in_order_but_the_creators_own():
    rng = random.Random(7)
    pieces = [*"ab_.@ 1x,", "é", "@brand", " @a.b. ", "@@", "x@y.com", "@_", "@.", "@..z", "🙂"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)] + [None, ""]
    own = [rng.choice(["brand", "a.b", "y.com", "_", None]) for _ in texts]
    commercial = np.array([rng.random() < 0.8 for _ in texts])
    got = _partners(pd.Series(texts, dtype=STRING), commercial, pd.Series(own, dtype=STRING)).tolist()
    expected = [_named(t, o) if c else None for t, o, c in zip(texts, own, commercial, strict=True)]
    assert [None if pd.isna(g) else g for g in got] == expected
    assert sum(e is not None for e in expected) > 1000  # the texts name accounts often enough to tell
