"""Generation: builds the universe's creators (handles, ids, names, bios, counts) from a seed.

``build_universe(creators, seed)`` makes the accounts (cheap: 100k in a few seconds); posts
are made later, lazily, by ``sandbox.posts``. All the words come from ``sandbox/data``.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from datetime import datetime, timezone

from . import words
from .model import (MAX_CREATORS, MIN_CREATORS, PLATFORMS, REFERENCE_NOW,
                    SandboxCreator)
from .seeded import DAY_MS, ascii_key, b32, cum, derive, from_ms, loguniform, pick, rint, to_ms, wpick
from .universe import Universe

# Kinds are assigned in shuffled blocks of 50 with these exact counts, so every universe (>= 50)
# holds every kind on both platforms and the mix is ~60% people at any size.
_BLOCK_KINDS = {
    "person": 30, "meme": 4, "facts": 2, "animal": 3, "brand": 4, "news": 3, "repost": 2, "fan": 2,
}
_BLOCK = sum(_BLOCK_KINDS.values())


CULTURE_NAMES = tuple(words.CULTURES)
CULTURE_CUM = cum(v.weight for v in words.CULTURES.values())
SEPS_CUM = cum(words.SEP_WEIGHTS)
# Some niches host some page kinds more than others.
_PAGE_NICHE_WEIGHTS = {
    "meme": {"gaming": 5, "fitness": 3, "pets": 4, "parenting": 3, "tech": 3, "books": 2},
    "facts": {"tech": 3, "travel": 3, "pets": 2, "books": 2, "music": 2},
    "repost": {"baking": 3, "travel": 4, "fashion": 3, "photography": 4, "vegan food": 3},
}

_PERSON_TIERS = ((0.10, 200, 1_000), (0.46, 1_000, 10_000), (0.24, 10_000, 50_000),
                 (0.08, 50_000, 100_000), (0.07, 100_000, 500_000), (0.03, 500_000, 1_000_000),
                 (0.02, 1_000_000, 2_000_000))

# kind: followers range, following range, posts/day range, engagement rate range, repost share
_PAGE_CFG = {
    "meme": ((3_000, 1_500_000), (0, 150), (3.0, 15.0), (0.003, 0.05), (0.05, 0.15)),
    "facts": ((2_000, 900_000), (0, 80), (2.0, 8.0), (0.002, 0.02), (0.0, 0.08)),
    "animal": ((2_000, 800_000), (5, 300), (2.0, 8.0), (0.005, 0.05), (0.10, 0.25)),
    "brand": ((500, 300_000), (50, 1_500), (0.3, 3.0), (0.0005, 0.01), (0.0, 0.08)),
    "news": ((2_000, 2_000_000), (5, 500), (5.0, 40.0), (0.0003, 0.006), (0.0, 0.04)),
    "repost": ((1_000, 300_000), (100, 5_000), (3.0, 20.0), (0.002, 0.02), (0.40, 0.70)),
    "fan": ((200, 50_000), (100, 2_000), (2.0, 10.0), (0.005, 0.04), (0.30, 0.60)),
}



class _Builder:
    def __init__(self, seed: int, now: datetime):
        self.seed = seed
        self.now = now
        self.now_ms = to_ms(now)
        self.start_ms = {"bluesky": to_ms(datetime(2023, 4, 1, tzinfo=timezone.utc)),
                         "mastodon": to_ms(datetime(2017, 1, 1, tzinfo=timezone.utc))}
        self.taken: dict[str, set[str]] = {p: set() for p in PLATFORMS}
        self.ids: set[str] = set()

    # ---- handles ------------------------------------------------------------------------
    def claim(self, rng: random.Random, platform: str, base: str) -> str:
        base = base.lower()
        if not (base.isascii() and base.replace("_", "").isalnum()):
            base = re.sub(r"[^a-z0-9_]", "", base)
        base = base.strip("_")[:22] or "user"
        if base[0].isdigit():
            base = "x" + base
        if platform == "bluesky":
            base = base.replace("_", "-").strip("-") or "user"
        taken = self.taken[platform]
        cand, tries = base, 0
        while cand in taken:  # short numeric suffixes first, then a wider space
            tries += 1
            cand = f"{base}{rint(rng, 1, 999) if tries <= 4 else rint(rng, 1000, 9_999_999)}"
        taken.add(cand)
        return f"{cand}.bsky.social" if platform == "bluesky" else cand

    def new_id(self, rng: random.Random, platform: str, created_ms: int) -> str:
        while True:
            cid = ("did:plc:" + b32(rng, 24) if platform == "bluesky"
                   else str((created_ms << 16) | rng.getrandbits(16)))
            if cid not in self.ids:
                self.ids.add(cid)
                return cid

    # ---- one creator --------------------------------------------------------------------
    def creator(self, rng: random.Random, index: int, kind: str, platform: str) -> SandboxCreator:
        # Time math is done in integer milliseconds: aware-datetime arithmetic is slow, and
        # this runs 100k times for the biggest universe.
        now_ms = self.now_ms
        start_ms = self.start_ms[platform]
        span = now_ms - 45 * DAY_MS - start_ms
        # Bluesky's big sign-up waves were late 2023 and late 2024: skew towards recent.
        created_ms = start_ms + int(span * (rng.random() ** 0.7))
        if platform == "mastodon":  # Mastodon reports account creation at midnight
            created_ms -= created_ms % DAY_MS
        created = from_ms(created_ms)
        creator_id = self.new_id(rng, platform, created_ms)

        niche = self.niche_for(rng, kind)
        if kind == "person":
            c = self.person(rng, index, platform, niche, created, creator_id)
        else:
            c = self.page(rng, index, kind, platform, niche, created, creator_id)

        # avatars and banners live on the sandbox host, in each platform's URL style
        has_avatar = rng.random() < (0.93 if kind == "person" else 0.97)
        if platform == "bluesky":
            c.avatar = (f"/img/avatar/plain/{creator_id}/bafkrei{b32(rng, 52)}@jpeg"
                        if has_avatar else None)
            c.banner = (f"/img/banner/plain/{creator_id}/bafkrei{b32(rng, 52)}@jpeg"
                        if rng.random() < 0.6 else None)
        else:
            parts = "/".join(creator_id[i:i + 3] for i in range(0, len(creator_id), 3))
            c.avatar = (f"/system/accounts/avatars/{parts}/original/{rng.getrandbits(64):016x}.jpg"
                        if has_avatar else None)
            c.banner = (f"/system/accounts/headers/{parts}/original/{rng.getrandbits(64):016x}.jpg"
                        if rng.random() < 0.5 else None)

        # when they last posted: pages and most people are active, a few people went quiet
        age_days = max((now_ms - created_ms) / DAY_MS, 1.0)
        if kind == "person" and rng.random() < 0.06:
            gap = rng.uniform(20, 90)
        else:
            gap = min(rng.expovariate(c.posts_per_day), 14.0)
        gap = max(min(gap, age_days - 0.05), 0.0)
        c.last_post_at = from_ms(now_ms - int(gap * DAY_MS) - rint(rng, 60_000, 3_600_000))
        if kind == "person":
            c.posts_count = int(c.posts_per_day * age_days * rng.uniform(0.8, 1.3)
                                + rint(rng, 0, 60)) + 1
        else:
            c.posts_count = int(c.posts_per_day * age_days * rng.uniform(0.7, 1.1)) + 1

        if rng.random() < 0.015 and kind in ("person", "meme", "animal", "fan"):
            c.engagement_anomaly = True
            c.engagement_rate = rng.uniform(0.25, 0.9)
        return c

    def niche_for(self, rng: random.Random, kind: str) -> str:
        if kind == "animal":
            return "pets" if rng.random() < 0.9 else "photography"
        weights = _PAGE_NICHE_WEIGHTS.get(kind)
        if weights and rng.random() < 0.6:
            names = tuple(weights)
            return wpick(rng, names, cum(weights[n] for n in names))
        return pick(rng, words.NICHES)

    def followers_person(self, rng: random.Random) -> int:
        r = rng.random()
        for p, lo, hi in _PERSON_TIERS:
            if r < p:
                return int(loguniform(rng, lo, hi))
            r -= p
        return int(loguniform(rng, 1_000, 10_000))

    # ---- people -------------------------------------------------------------------------
    def person(self, rng, index, platform, niche, created, creator_id) -> SandboxCreator:
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
        style = rng.random()
        if style < 0.28:
            base = fa + la
        elif style < 0.40:
            base = f"{fa}_{la}"
        elif style < 0.52:
            base = f"{fa}{la[:1]}{rint(rng, 70, 99) if rng.random() < 0.5 else rint(rng, 1, 30)}"
        elif style < 0.66:
            base = f"{fa}{'_' if rng.random() < 0.4 else ''}{hw}"
        elif style < 0.72:
            base = f"the{ascii_key(nd['title'])}{fa}"
        elif style < 0.80:
            base = f"{la}{fa[:1]}"
        elif style < 0.90:
            base = fa + str(rint(rng, 1, 2005))
        else:  # a handle that says nothing about the name
            base = pick(rng, ("sleepy", "little", "quiet", "rainy", "tiny", "lazy", "wild",
                               "salty", "cosmic", "odd")) + "_" + pick(
                rng, ("fern", "otter", "crumb", "moth", "pebble", "heron", "biscuit", "comet",
                      "teacup", "sparrow"))
        handle = self.claim(rng, platform, base)

        # display name
        e = pick(rng, words.EMOJI + nd["emoji"])
        pron = pick(rng, words.PRONOUNS[gender])
        d = rng.random()
        if d < 0.38:
            display = f"{first} {last}"
        elif d < 0.48:
            display = f"{first} {last} {e}"
        elif d < 0.57:
            display = f"{first.lower()} {e}"
        elif d < 0.64:
            display = first
        elif d < 0.70:
            display = f"{first} {last[:1]}."
        elif d < 0.73:
            display = f"Dr. {first} {last}"
        elif d < 0.81:
            display = f"{first} | {pick(rng, nd['short']).title()}"
        elif d < 0.87:
            display = handle.split(".")[0]
        elif d < 0.91:
            display = f"{first} {last} ({pron})"
        elif d < 0.95:
            display = f"{first} {e}{pick(rng, nd['emoji'])}"
        else:
            display = f"{first.upper()} {last.upper()}"

        # engagement and cadence
        followers = self.followers_person(rng)
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
            bio = self.lang_bio(rng, language, nd, gender, city, pron, e, collab, email)
        else:
            bio = self.en_bio(rng, nd, city, job, role, pron, e, collab, email, website)
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

    def en_bio(self, rng, nd, city, job, role, pron, e, collab, email, website) -> str:
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

    def lang_bio(self, rng, lang, nd, gender, city, pron, e, collab, email) -> str:
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

    # ---- pages --------------------------------------------------------------------------
    def page(self, rng, index, kind, platform, niche, created, creator_id) -> SandboxCreator:
        nd = words.NICHE_DATA[niche]
        (f_lo, f_hi), (g_lo, g_hi), (p_lo, p_hi), (e_lo, e_hi), (r_lo, r_hi) = _PAGE_CFG[kind]
        followers = int(loguniform(rng, f_lo, f_hi))
        following = int(rng.uniform(g_lo, g_hi))
        ppd = rng.uniform(p_lo, p_hi)
        er = loguniform(rng, e_lo, e_hi)
        city = pick(rng, pick(rng, tuple(words.CULTURES.values()))[4])
        title, topic = nd["title"], nd["topic"]
        tag = pick(rng, nd["tags"])
        e = pick(rng, nd["emoji"])
        year = rint(rng, 2012, 2024)
        is_bot = False
        website = email = None
        vague = rng.random() < 0.12  # pages whose bio has no page words at all
        verified = False

        if kind == "brand":
            brand = f"{pick(rng, words.BRAND_PREFIX)} {pick(rng, nd['brand_words'])}"
            slug = ascii_key(brand)[:20]
            website = f"https://{slug}.example"
            product = pick(rng, nd["products"])
            products = product + ("s" if not product.endswith("s") else "")
            tagline = pick(rng, words.TAGLINES).format(product=product, Product=product.capitalize(),
                                                   city=city)
            fmt = dict(brand=brand, tagline=tagline, url=website, brandtag=slug[:18],
                       emoji=e, products=products, Products=products.capitalize(), topic=topic,
                       support=f"support@{slug}.example", city=city, year=year)
            bio = pick(rng, words.BRAND_BIOS_VAGUE if vague else words.BRAND_BIOS).format(**fmt)
            bio = bio.replace("..", ".")
            display = brand if rng.random() < 0.8 else f"{brand} {e}"
            base = slug if rng.random() < 0.6 else ascii_key(brand.split()[0]) + ascii_key(
                nd["brand_words"][0])[:8]
            email = f"hello@{slug}.example" if rng.random() < 0.3 else None
            if email:
                bio += f" | {email}"
            verified = rng.random() < 0.3
        elif kind == "news":
            name = pick(rng, words.NEWS_NAMES).format(title=title, City=city)
            is_bot = platform == "mastodon" and rng.random() < 0.5
            site = ascii_key(name)[:20]
            website = f"https://{site}.example"
            fmt = dict(name=name, title=title, topic=topic, tips=f"tips@{site}.example",
                       year=year, url=website)
            pool = words.NEWS_BOT_BIOS if is_bot else words.NEWS_BIOS
            bio = pick(rng, pool).format(**fmt)
            display = name if not is_bot or rng.random() < 0.5 else f"{name} (bot)"
            base = site if rng.random() < 0.7 else site[:12] + "news"
            verified = rng.random() < 0.4
        elif kind == "meme":
            display = pick(rng, words.MEME_NAMES).format(title=title, topic=topic)
            promo = f"promo.{ascii_key(title)}memes@{pick(rng, words.EMAIL_DOMAINS)}"
            fmt = dict(topic=topic, email=promo,
                       admin=ascii_key(display)[:10] + "_admin")
            bio = pick(rng, words.MEME_BIOS_VAGUE if vague else words.MEME_BIOS).format(**fmt)
            if "promo:" in bio:
                email = fmt["email"]
            base = (ascii_key(display)[:18] if rng.random() < 0.6
                    else f"{ascii_key(title)}memes{rint(rng, 1, 99)}")
        elif kind == "facts":
            display = pick(rng, words.FACT_NAMES).format(title=title)
            bio = pick(rng, words.FACT_BIOS_VAGUE if vague else words.FACT_BIOS).format(topic=topic)
            is_bot = platform == "mastodon" and rng.random() < 0.15
            base = ascii_key(display)[:18] if rng.random() < 0.7 else f"daily{ascii_key(title)}facts"
        elif kind == "animal":
            display = pick(rng, words.ANIMAL_NAMES)
            if rng.random() < 0.3:
                display += f" {e}"
            bio = ("" if vague else pick(rng, words.ANIMAL_BIOS)).format(tag=tag, year=year)
            if vague:
                bio = pick(rng, ("🐾", "pets pets pets", "good boys only 🐶", ""))
            base = ascii_key(display)[:18]
        elif kind == "repost":
            display = pick(rng, words.REPOST_NAMES).format(title=title)
            is_bot = platform == "mastodon" and rng.random() < 0.5
            pool = words.REPOST_BOT_BIOS if is_bot else words.REPOST_BIOS
            bio = pick(rng, pool).format(tag=tag, topic=topic)
            if vague and not is_bot:
                bio = f"{topic} {e}"
            base = (ascii_key(display)[:18] if rng.random() < 0.6
                    else f"best{ascii_key(title)}{pick(rng, ('daily', 'hub', 'feed'))}")
        else:  # fan: the name and bio are filled once the whole universe exists
            display, bio, base = "", "", ""

        handle = self.claim(rng, platform, base) if kind != "fan" else ""
        if platform == "mastodon" and kind == "brand" and handle and rng.random() < 0.4:
            camel = "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", display) if w)
            camel = re.sub(r"[^A-Za-z0-9]", "", camel)[:22]
            if camel and camel.lower() not in self.taken[platform]:
                self.taken[platform].discard(handle)
                self.taken[platform].add(camel.lower())
                handle = camel
        c = SandboxCreator(
            index=index, platform=platform, creator_id=creator_id, handle=handle,
            display_name=display, bio=bio, followers=followers, following=following,
            posts_count=0, kind=kind, niche=niche, is_bot=is_bot, engagement_anomaly=False,
            avatar=None, banner=None, created_at=created, language="en", verified=verified,
            discoverable=rng.random() < (0.7 if is_bot else 0.85), website=website, email=email,
            location=city if kind in ("brand", "news") else None, posts_per_day=ppd,
            engagement_rate=er, repost_share=rng.uniform(r_lo, r_hi),
            sponsored_share=0.0,
        )
        return c

    def fill_fan(self, rng: random.Random, c: SandboxCreator, target: SandboxCreator) -> None:
        tname = target.display_name
        tfirst = target.given_name or tname.split()[0]
        th = "@" + target.handle
        fmt = dict(T=tname, Tf=tfirst, tf=tfirst.lower(), th=th, year=rint(rng, 2019, 2025))
        c.display_name = pick(rng, words.FAN_NAMES).format(**fmt)
        c.bio = pick(rng, words.FAN_BIOS).format(**fmt)
        base = pick(rng, (f"{ascii_key(tfirst)}updates", f"{ascii_key(tname)}fans",
                           f"team{ascii_key(tfirst)}", f"{ascii_key(tfirst)}daily",
                           f"{ascii_key(tfirst)}archive"))
        c.handle = self.claim(rng, c.platform, base)
        c.fan_of = target.index
        c.niche = target.niche


def build_universe(creators: int = 300, seed: int = 42, now: datetime | None = None) -> Universe:
    """A deterministic universe of ``creators`` accounts (50..100,000), about half per platform.

    ``now`` is the universe's fixed "today" (default REFERENCE_NOW, 2026-11-01T12:00Z): every
    timestamp is relative to it, so output never depends on the wall clock. Posts are made
    lazily by ``Universe.posts_for``."""
    if isinstance(creators, bool) or not isinstance(creators, int):
        raise TypeError("creators must be an integer")
    if not MIN_CREATORS <= creators <= MAX_CREATORS:
        raise ValueError(
            f"creators must be between {MIN_CREATORS} and {MAX_CREATORS}, got {creators}")
    now = now or REFERENCE_NOW
    now = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    if now < datetime(2023, 6, 1, tzinfo=timezone.utc):
        raise ValueError("now must be 2023-06-01 or later (Bluesky accounts start in 2023)")
    builder = _Builder(seed, now)
    pattern = [k for k, n in _BLOCK_KINDS.items() for _ in range(n)]
    out: list[SandboxCreator] = []
    for block in range(math.ceil(creators / _BLOCK)):
        rng = random.Random(derive(seed, "block", block))
        kinds = pattern[:]
        rng.shuffle(kinds)
        offset = rng.randrange(2)
        seen: Counter = Counter()
        for kind in kinds:
            index = len(out)
            if index >= creators:
                break
            platform = PLATFORMS[(seen[kind] + offset) % 2]
            seen[kind] += 1
            out.append(builder.creator(rng, index, kind, platform))

    # fan pages are about the most-followed people on their platform
    top: dict[str, list[SandboxCreator]] = {}
    for p in PLATFORMS:
        people = sorted((c for c in out if c.platform == p and c.kind == "person"),
                        key=lambda c: (-c.followers, c.index))
        top[p] = people[:20]
    for c in out:
        if c.kind == "fan":
            rng = random.Random(derive(seed, "fan", c.index))
            builder.fill_fan(rng, c, pick(rng, top[c.platform]))
    return Universe(out, seed=seed, now=now)
