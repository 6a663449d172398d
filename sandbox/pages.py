"""Generated pages: brands, news, meme, fact, animal, repost and fan accounts, each with the
names, bios, handles and counts of its kind."""

from __future__ import annotations

import random
import re
from datetime import datetime

from . import words
from .handles import Handles
from .model import SandboxCreator
from .seeded import ascii_key, loguniform, pick, rint

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


def page(rng: random.Random, handles: Handles, index: int, kind: str, platform: str, niche: str,
         created: datetime, creator_id: str) -> SandboxCreator:
    """A page of ``kind`` (not a fan page: ``fill_fan`` names those once every person exists)."""
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

    handle = handles.claim(rng, platform, base) if kind != "fan" else ""
    if platform == "mastodon" and kind == "brand" and handle and rng.random() < 0.4:
        camel = "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", display) if w)
        camel = re.sub(r"[^A-Za-z0-9]", "", camel)[:22]
        if camel and handles.swap(platform, handle, camel):
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


def fill_fan(rng: random.Random, handles: Handles, c: SandboxCreator, target: SandboxCreator) -> None:
    """Make ``c`` a fan page of ``target``: its name, bio, handle and niche."""
    tname = target.display_name
    tfirst = target.given_name or tname.split()[0]
    th = "@" + target.handle
    fmt = dict(T=tname, Tf=tfirst, tf=tfirst.lower(), th=th, year=rint(rng, 2019, 2025))
    c.display_name = pick(rng, words.FAN_NAMES).format(**fmt)
    c.bio = pick(rng, words.FAN_BIOS).format(**fmt)
    base = pick(rng, (f"{ascii_key(tfirst)}updates", f"{ascii_key(tname)}fans",
                       f"team{ascii_key(tfirst)}", f"{ascii_key(tfirst)}daily",
                       f"{ascii_key(tfirst)}archive"))
    c.handle = handles.claim(rng, c.platform, base)
    c.fan_of = target.index
    c.niche = target.niche
