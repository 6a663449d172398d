"""Post generation: each creator's own posts and feed, made lazily from a seed derived from
the universe seed and the creator's index, so output never depends on the order of requests."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import words
from .fraud import ad_creative, spiked
from .model import MAX_POSTS, POST_WINDOW_DAYS, TAG_RE, SandboxCreator, SandboxPost, post_order
from .seeded import DAY_MS, ascii_key, b32, derive, from_ms, pick, rint, snowflake, tid, to_ms


class PostWriter:
    """Writes posts for the ``Universe`` it is mixed into (which owns the caches and pools)."""

    def _window_start(self, c: SandboxCreator) -> datetime:
        return max(self.now - timedelta(days=POST_WINDOW_DAYS), c.created_at)

    def _build_own(self, c: SandboxCreator) -> list[SandboxPost]:
        rng = random.Random(derive(self.seed, "own", c.index))
        rate = max(c.posts_per_day * (1.0 - c.repost_share), 0.02)
        oldest = self._window_start(c)
        oldest_ms = to_ms(oldest)
        t_ms = to_ms(c.last_post_at)
        out: list[SandboxPost] = []
        while len(out) < MAX_POSTS and t_ms > oldest_ms:
            out.append(self._make_own_post(c, rng, t_ms, len(out)))
            gap = max(rng.expovariate(rate), 90 / 86400)
            t_ms -= int(gap * DAY_MS) + int(rng.random() * 1000)
        return out

    def _build_feed(self, c: SandboxCreator) -> list[SandboxPost]:
        own = self.own_posts(c)
        limit = min(MAX_POSTS, c.posts_count)
        if c.repost_share <= 0:
            return own[:limit]
        rng = random.Random(derive(self.seed, "reposts", c.index))
        rate = max(c.posts_per_day * c.repost_share, 0.01)
        oldest = self._window_start(c)
        oldest_ms = to_ms(oldest)
        t_ms = to_ms(c.last_post_at) - int(rng.expovariate(rate) * DAY_MS)
        reposts: list[SandboxPost] = []
        used: set[str] = set()
        while len(reposts) < MAX_POSTS and t_ms > oldest_ms:
            original = self._pick_original(c, rng, from_ms(t_ms), used)
            if original is not None:
                used.add(original.id)
                reposts.append(self._make_repost(c, original, t_ms))
            t_ms -= int(max(rng.expovariate(rate), 60 / 86400) * DAY_MS)
        feed = sorted(own + reposts, key=post_order, reverse=True)
        return feed[:limit]

    def _pick_original(self, c: SandboxCreator, rng: random.Random, t: datetime,
                       used: set[str]) -> SandboxPost | None:
        """Another creator's own post, published before t and not reposted by c yet."""
        if c.kind == "fan" and c.fan_of is not None:
            pool = [c.fan_of]
        else:
            pool = (self._pool(c.platform, "originals", c.niche)
                    or self._pool(c.platform, "originals"))
        pool = [i for i in pool if i != c.index]
        if not pool:
            return None
        before = t - timedelta(minutes=10)
        for _ in range(4):
            author = self.creators[pick(rng, pool)]
            own = self.own_posts(author)
            # own is newest first: skip the posts published after the repost time
            lo, hi = 0, len(own)
            while lo < hi:
                mid = (lo + hi) // 2
                if own[mid].created_at >= before:
                    lo = mid + 1
                else:
                    hi = mid
            candidates = [p for p in own[lo:lo + 12] if p.id not in used]
            if candidates:
                # mostly fresh posts, sometimes an older one
                return candidates[min(int(rng.expovariate(0.5)), len(candidates) - 1)]
        return None

    def _make_repost(self, c: SandboxCreator, original: SandboxPost, t_ms: int) -> SandboxPost:
        t = from_ms(t_ms)
        if c.platform == "bluesky":
            pid = tid(t_ms, c.index)
        else:
            pid = str(snowflake(t_ms, c.index * 7 + 1))
        return SandboxPost(
            id=pid, creator_index=c.index, created_at=t, text=original.text,
            likes=original.likes, reposts=original.reposts, replies=original.replies,
            quotes=original.quotes, is_repost=True, language=original.language,
            tags=original.tags, is_sponsored=original.is_sponsored,
            bookmarks=original.bookmarks, mentions=original.mentions, original=original,
            cid=original.cid, creative=original.creative,
        )

    def _make_own_post(self, c: SandboxCreator, rng: random.Random, t_ms: int,
                       seq: int) -> SandboxPost:
        t = from_ms(t_ms)
        text, lang, sponsored, mentions = self._compose(c, rng, t)
        likes, reposts, replies, quotes, bookmarks = self._engagement(c, rng, sponsored)
        if c.platform == "bluesky":
            pid = tid(t_ms, c.index)
            cid = "bafyrei" + b32(rng, 52)
        else:
            pid = str(snowflake(t_ms, c.index * 131 + seq))
            cid = ""
        creative = ""
        if c.ad_network is not None:  # its own stream: the creator's other posts stay as they were
            ad = ad_creative(random.Random(derive(self.seed, "ad-post", c.index, seq)), self.seed,
                             c.ad_network)
            if ad is not None:
                text, creative, lang, sponsored, mentions = *ad, "en", True, []
        if c.engagement == "spiky_likes":
            likes = spiked(random.Random(derive(self.seed, "spike", c.index, seq)), likes)
        tags = (tuple(dict.fromkeys(m.lower() for m in TAG_RE.findall(text)))
                if "#" in text else ())
        return SandboxPost(id=pid, creator_index=c.index, created_at=t, text=text, likes=likes,
                           reposts=reposts, replies=replies, quotes=quotes, is_repost=False,
                           language=lang, tags=tags, is_sponsored=sponsored, bookmarks=bookmarks,
                           mentions=tuple(mentions), cid=cid, creative=creative)

    def _engagement(self, c: SandboxCreator, rng: random.Random, sponsored: bool):
        noise = rng.lognormvariate(0.0, 0.45)
        likes = c.followers * c.engagement_rate * noise * (0.75 if sponsored else 1.0)
        likes = int(likes)
        if c.engagement_anomaly:
            replies = int(likes * rng.uniform(0.0005, 0.004))
            reposts = int(likes * rng.uniform(0.001, 0.01))
        elif c.engagement == "comment_pods":  # the same draws, scaled: a pod comments on everything
            replies = int(likes * rng.uniform(0.02, 0.12) * 6)
            reposts = int(likes * rng.uniform(0.03, 0.18))
        else:
            replies = int(likes * rng.uniform(0.02, 0.12))
            reposts = int(likes * rng.uniform(0.03, 0.18))
        quotes = int(likes * rng.uniform(0.0, 0.03))
        bookmarks = int(likes * rng.uniform(0.0, 0.05)) if c.platform == "bluesky" else 0
        return likes, reposts, replies, quotes, bookmarks

    # ---- text ---------------------------------------------------------------------------
    def _someone(self, c: SandboxCreator, rng: random.Random, key: str = "people",
                 niche: str | None = None) -> SandboxCreator | None:
        pool = self._pool(c.platform, key, niche) or self._pool(c.platform, key)
        if not pool:
            return None
        for _ in range(3):
            i = pick(rng, pool[:60] if key == "people" else pool)
            if i != c.index:
                return self.creators[i]
        return None

    def _compose(self, c: SandboxCreator, rng: random.Random, t: datetime):
        """(text, language, is_sponsored, mentioned creator indices) for one own post."""
        nd = words.NICHE_DATA[c.niche]
        mentions: list[int] = []
        kind = c.kind
        if kind == "person":
            return self._compose_person(c, rng, t, nd)
        if kind == "meme":
            if rng.random() < 0.04:  # a paid promo for another account
                other = self._someone(c, rng, "people", c.niche)
                if other is not None:
                    mentions.append(other.index)
                    return (f"Go follow {self.mention(other)} for the best {nd['topic']} content "
                            f"🔥 #ad #promo", "en", True, mentions)
            text = pick(rng, words.MEME_POSTS).format(
                situation=pick(rng, nd["situations"]), title=nd["title"],
                title_l=nd["title"].lower())
            if rng.random() < 0.3:
                text += f" #{pick(rng, nd['tags'])}"
            if rng.random() < 0.25:
                text += " #memes"
            return text, "en", False, mentions
        if kind == "facts":
            fact = pick(rng, nd["facts"]) if rng.random() < 0.6 else pick(rng, words.GENERAL_FACTS)
            text = pick(rng, words.FACT_POSTS).format(fact=fact)
            if rng.random() < 0.35:
                text += " #didyouknow #facts"
            return text, "en", False, mentions
        if kind == "animal":
            credit_c = self._someone(c, rng, "people")
            if credit_c is not None:
                credit = self.mention(credit_c)
            else:
                credit = "submitted by a follower"
            text = pick(rng, words.ANIMAL_POSTS).format(
                pet=pick(rng, words.PET_NAMES), age=rint(rng, 1, 14), breed=pick(rng, words.BREEDS),
                action=pick(rng, words.ANIMAL_ACTIONS), credit=credit)
            if credit_c is not None and credit in text:
                mentions.append(credit_c.index)
            if rng.random() < 0.4:
                text += " #" + pick(rng, ("pets", "dogs", "cats", "caturday", "dogsofbluesky",
                                            "catsofmastodon"))
            return text, "en", False, mentions
        if kind == "brand":
            product = pick(rng, nd["products"])
            slug = ascii_key(c.display_name)[:20] or "shop"
            text = pick(rng, words.BRAND_POSTS).format(
                product=product, url=f"https://{slug}.example/{ascii_key(product)}",
                site=f"https://{slug}.example",
                pct=pick(rng, (10, 15, 20, 25, 30)),
                code=f"{slug[:6].upper()}{rint(rng, 10, 30)}",
                city=c.location or "London", k=max(1, c.followers // 1000),
                brandtag=slug[:18], amount=pick(rng, ("£30", "€40", "$50", "£25")),
                topic=nd["topic"])
            if rng.random() < 0.3:
                text += f" #{pick(rng, nd['tags'])}"
            return text, "en", False, mentions
        if kind == "news":
            if rng.random() < 0.6:
                headline = pick(rng, nd["headlines"])
            else:
                headline = pick(rng, words.NEWS_GENERIC).format(
                    noun=pick(rng, nd["nouns"]), topic=nd["topic"],
                    City=pick(rng, words.CULTURES["english"][4]), year=t.year)
            slug = "-".join(ascii_key(w) for w in headline.split()[:6])
            site = ascii_key(c.display_name)[:20] or "news"
            url = f"https://{site}.example/{t.year}/{t.month:02d}/{slug}"
            text = pick(rng, words.NEWS_POSTS).format(headline=headline, url=url)
            if rng.random() < 0.25:
                text += f" #{pick(rng, nd['tags'])}"
            return text, "en", False, mentions
        if kind == "repost":
            credit_c = self._someone(c, rng, "people", c.niche)
            credit = self.mention(credit_c) if credit_c is not None else "a follower"
            if credit_c is not None:
                mentions.append(credit_c.index)
            text = pick(rng, words.REPOST_OWN_POSTS).format(
                noun=pick(rng, nd["nouns"]), credit=credit, tag=pick(rng, nd["tags"]),
                topic=nd["topic"])
            return text, "en", False, mentions
        # fan
        target = self.creators[c.fan_of] if c.fan_of is not None else None
        tname = target.display_name if target is not None else "them"
        th = self.mention(target) if target is not None else tname
        text = pick(rng, words.FAN_POSTS).format(T=tname, th=th, thing=pick(rng, words.FAN_THINGS),
                                             n=rint(rng, 2, 9))
        if target is not None and th in text:
            mentions.append(target.index)
        return text, "en", False, mentions

    def _compose_person(self, c: SandboxCreator, rng: random.Random, t: datetime, nd: dict):
        mentions: list[int] = []
        lang = c.language if (c.language != "en" and rng.random() < 0.7) else "en"
        if rng.random() < c.sponsored_share:
            brand_c = self._someone(c, rng, "brands", c.niche) if rng.random() < 0.8 else None
            if brand_c is not None:
                brand = self.mention(brand_c)
                product = pick(rng, words.NICHE_DATA[brand_c.niche]["products"])
                mentions.append(brand_c.index)
            else:
                brand = f"{pick(rng, words.BRAND_PREFIX)} {pick(rng, nd['brand_words'])}"
                product = pick(rng, nd["products"])
            marker = pick(rng, words.SPONSOR_MARKERS[lang])
            code = f"{ascii_key(c.given_name or c.handle)[:6].upper()}{rint(rng, 10, 25)}"
            templates = words.SPONSORED_EN if lang == "en" else words.SPONSORED_LANG[lang]
            text = pick(rng, templates).format(brand=brand, product=product, marker=marker,
                                                code=code)
            if rng.random() < 0.4:
                text += f" #{pick(rng, nd['tags'])}"
            return text, lang, True, mentions
        if lang != "en":
            topic = nd["langs"][lang][0]
            text = pick(rng, words.LANG_POSTS[lang]).format(topic=topic)
            if rng.random() < 0.4:
                text += " " + pick(rng, nd["emoji"])
            if rng.random() < 0.3:
                text += f" #{pick(rng, nd['tags'])}"
            return text, lang, False, mentions
        r = rng.random()
        opener = ""
        if r < 0.68:
            core = pick(rng, nd["post_i"]).format(noun=pick(rng, nd["nouns"]))
            opener = pick(rng, words.OPENERS)
            keep_case = core.startswith(("I ", "I'm", "My ")) or core[:2].isupper()
            if opener and not keep_case:
                core = core[:1].lower() + core[1:]
        elif r < 0.93:
            core = pick(rng, words.LIFE_POSTS).format(month=t.strftime("%B"))
        else:
            core = f"What's your favourite {pick(rng, nd['nouns'])}? Genuinely asking"
        closer = pick(rng, words.CLOSERS)
        if closer[1:2].isupper() and core[-1:].isalnum():
            core += "."
        text = opener + core + closer
        if rng.random() < 0.05:
            friend = self._someone(c, rng, "people", c.niche)
            if friend is not None:
                text += f" (with {self.mention(friend)})"
                mentions.append(friend.index)
        if rng.random() < 0.35:
            k = 1 if rng.random() < 0.6 else rint(rng, 2, 3)
            tags = rng.sample(nd["tags"], min(k, len(nd["tags"])))
            text += " " + " ".join("#" + x for x in tags)
        if rng.random() < 0.15:
            text += " " + pick(rng, nd["emoji"])
        return text, "en", False, mentions

