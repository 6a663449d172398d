"""Generated people: names by culture, handles and display names in the styles people use,
bios (English or their own language) with collab terms and contacts, and their counts."""

from __future__ import annotations

import random
from datetime import datetime

from . import words
from .handles import Handles
from .model import SandboxCreator
from .seeded import ascii_key, by_roll, cum, loguniform, pick, rint, wpick

CULTURE_NAMES = tuple(words.CULTURES)
CULTURE_CUM = cum(v.weight for v in words.CULTURES.values())
SEPS_CUM = cum(words.SEP_WEIGHTS)

_PERSON_TIERS = ((0.10, 200, 1_000), (0.46, 1_000, 10_000), (0.24, 10_000, 50_000),
                 (0.08, 50_000, 100_000), (0.07, 100_000, 500_000), (0.03, 500_000, 1_000_000),
                 (0.02, 1_000_000, 2_000_000))


def _followers(rng: random.Random) -> int:
    r = rng.random()
    for p, lo, hi in _PERSON_TIERS:
        if r < p:
            return int(loguniform(rng, lo, hi))
        r -= p
    return int(loguniform(rng, 1_000, 10_000))


def _nameless_handle(rng: random.Random) -> str:
    """A handle that says nothing about the name: an adjective and a small creature."""
    return pick(rng, ("sleepy", "little", "quiet", "rainy", "tiny", "lazy", "wild", "salty",
                      "cosmic", "odd")) + "_" + pick(
        rng, ("fern", "otter", "crumb", "moth", "pebble", "heron", "biscuit", "comet", "teacup",
              "sparrow"))


def person(rng: random.Random, handles: Handles, index: int, platform: str, niche: str,
           created: datetime, creator_id: str) -> SandboxCreator:
    """A person: a name from a culture, a handle and display name in one of many styles, a bio
    in English or their language, and a person's counts and cadence."""
    nd = words.NICHE_DATA[niche]
    culture = wpick(rng, CULTURE_NAMES, CULTURE_CUM)
    _, fem, masc, lasts, cities, (lang_code, lang_p) = words.CULTURES[culture]
    g = rng.random()
    gender = "f" if g < 0.5 else ("m" if g < 0.95 else "n")
    first = pick(rng, fem if gender == "f" else masc if gender == "m" else fem + masc)
    last = pick(rng, lasts)
    if culture == "polish" and gender == "f" and last.endswith("ski"):
        last = last[:-1] + "a"
    city = pick(rng, cities)
    language = lang_code if (lang_code != "en" and rng.random() < lang_p) else "en"

    # handle
    fa, la = ascii_key(first), ascii_key(last)
    hw = pick(rng, nd["handle_words"])
    base = by_roll(rng.random(), (
        (0.28, lambda: fa + la),
        (0.40, lambda: f"{fa}_{la}"),
        (0.52, lambda: f"{fa}{la[:1]}{rint(rng, 70, 99) if rng.random() < 0.5 else rint(rng, 1, 30)}"),
        (0.66, lambda: f"{fa}{'_' if rng.random() < 0.4 else ''}{hw}"),
        (0.72, lambda: f"the{ascii_key(nd['title'])}{fa}"),
        (0.80, lambda: f"{la}{fa[:1]}"),
        (0.90, lambda: fa + str(rint(rng, 1, 2005))),
    ), otherwise=lambda: _nameless_handle(rng))
    handle = handles.claim(rng, platform, base)

    # display name
    e = pick(rng, words.EMOJI + nd["emoji"])
    pron = pick(rng, words.PRONOUNS[gender])
    display = by_roll(rng.random(), (
        (0.38, lambda: f"{first} {last}"),
        (0.48, lambda: f"{first} {last} {e}"),
        (0.57, lambda: f"{first.lower()} {e}"),
        (0.64, lambda: first),
        (0.70, lambda: f"{first} {last[:1]}."),
        (0.73, lambda: f"Dr. {first} {last}"),
        (0.81, lambda: f"{first} | {pick(rng, nd['short']).title()}"),
        (0.87, lambda: handle.split(".")[0]),
        (0.91, lambda: f"{first} {last} ({pron})"),
        (0.95, lambda: f"{first} {e}{pick(rng, nd['emoji'])}"),
    ), otherwise=lambda: f"{first.upper()} {last.upper()}")

    # engagement and cadence
    followers = _followers(rng)
    following = int(loguniform(rng, 80, 2_500))
    if followers < 1_000 and rng.random() < 0.5:
        following = int(followers * rng.uniform(0.6, 2.0)) + 20
    er = loguniform(rng, 0.01, 0.08)
    if followers > 1_000_000:
        er *= 0.4
    elif followers > 100_000:
        er *= 0.6
    ppd = loguniform(rng, 1 / 7, 1.0)

    # the bio
    collab = None
    r = rng.random()
    if r < 0.07:
        collab = "paid_only"
    elif r < 0.16:
        collab = "gifting"
    email = None
    if rng.random() < (0.10 if followers < 10_000 else 0.22):
        user = pick(rng, (f"{fa}.{la}", f"{fa}{la}{rint(rng, 1, 99)}", f"hello.{fa}",
                           f"collabs.{fa}", f"{fa}{hw}"))
        email = f"{user}@{pick(rng, words.EMAIL_DOMAINS)}"
    website = None
    if rng.random() < 0.18:
        website = pick(rng, (f"https://{fa}{la}.example.com", f"https://{fa}{hw}.example",
                              f"https://example.com/{fa}{la}", f"https://links.example/{fa}"))
    sponsored = loguniform(rng, 0.04, 0.13)
    if collab == "paid_only":
        sponsored = rng.uniform(0.12, 0.22)
    if followers < 1_000:
        sponsored = rng.uniform(0.0, 0.04)
    job = pick(rng, words.JOBS)
    role = pick(rng, words.ROLES[gender])

    if rng.random() < 0.05:
        bio = ""
    elif rng.random() < 0.04:  # ambiguous on purpose: a person with a business-y bio
        biz = f"{pick(rng, words.BRAND_PREFIX)} {pick(rng, nd['brand_words'])}"
        bio = pick(rng, (
            f"Founder @ {biz} {e} | we ship nationwide | {city}",
            f"Owner of {biz}. Orders via the link below 👇",
            f"I run {biz} from my kitchen table. Wholesale: {email or 'DM'}",
            f"{first} here 👋 I make the {pick(rng, nd['products'])}s at {biz}",
        ))
    elif language != "en":
        bio = _lang_bio(rng, language, nd, gender, city, pron, e, collab, email)
    else:
        bio = _en_bio(rng, nd, city, job, role, pron, e, collab, email, website)
    if email and email not in bio:
        email = None  # an address only exists if the profile shows it
    # (a website missing from the bio still shows in Mastodon's profile fields)

    c = SandboxCreator(
        index=index, platform=platform, creator_id=creator_id, handle=handle,
        display_name=display, bio=bio, followers=followers, following=following,
        posts_count=0, kind="person", niche=niche, is_bot=False, engagement_anomaly=False,
        avatar=None, banner=None, created_at=created, language=language,
        verified=followers > 1_000_000 and rng.random() < 0.5,
        discoverable=rng.random() < 0.9, website=website, email=email,
        pronouns=pron if rng.random() < 0.3 else None, location=city, collab=collab,
        posts_per_day=ppd, engagement_rate=er, repost_share=rng.uniform(0.0, 0.15),
        sponsored_share=sponsored, given_name=first, culture=culture,
    )
    return c


def _en_bio(rng, nd, city, job, role, pron, e, collab, email, website) -> str:
    parts: list[str] = []
    if rng.random() < 0.72:
        parts.append(pick(rng, nd["bio_i"]).format(city=city, job=job))
    if rng.random() < 0.35:
        parts.append(role)
    if rng.random() < 0.35:
        parts.append(job if rng.random() < 0.5 else f"{job} by day")
    if rng.random() < 0.45 or not parts:
        parts.append(pick(rng, nd["short"]))
    if rng.random() < 0.2:
        parts.append(pick(rng, words.HOBBIES))
    rng.shuffle(parts) if rng.random() < 0.35 else None
    if rng.random() < 0.25:
        parts.append(pron)
    if rng.random() < 0.3 and not any(city in p for p in parts):
        parts.append(pick(rng, (f"📍 {city}", f"based in {city}", f"{city} {e}", city)))
    if collab == "paid_only":
        parts.append(pick(rng, words.PAID_EN))
    elif collab == "gifting":
        parts.append(pick(rng, words.GIFT_EN))
    if email:
        parts.append(pick(rng, words.EMAIL_PREFIX_EN) + email)
    if website and rng.random() < 0.7:
        parts.append(pick(rng, ("", "🔗 ", "more: ", "blog: ")) + website)
    sep = wpick(rng, words.SEPS, SEPS_CUM)
    bio = sep.join(p for p in parts if p)
    if sep == ". " and bio and not bio.endswith((".", "!", "?")) and rng.random() < 0.5:
        bio += "."
    if rng.random() < 0.3:
        bio += " " + e
    if rng.random() < 0.12 and not email and not website:
        bio = bio.lower()
    return bio


def _lang_bio(rng, lang, nd, gender, city, pron, e, collab, email) -> str:
    topic, stmt = nd["langs"][lang]
    role = pick(rng, words.LANG_ROLES[lang][gender])
    tpl = pick(rng, words.LANG_BIO[lang])
    bio = tpl.format(stmt=stmt, Stmt=stmt[:1].upper() + stmt[1:], topic=topic,
                     Topic=topic[:1].upper() + topic[1:], city=city, role=role, emoji=e,
                     pron=pron)
    extra = []
    if collab == "paid_only":
        extra.append(words.LANG_PAID[lang])
    elif collab == "gifting":
        extra.append(words.LANG_GIFT[lang])
    if email:
        extra.append(words.LANG_EMAIL[lang] + email)
    if extra:
        bio = bio + (" | " if rng.random() < 0.6 else "\n") + " | ".join(extra)
    return bio
