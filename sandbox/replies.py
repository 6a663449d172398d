"""Replies to a post (what Bluesky's ``getPostThread`` shows), made on request from the seed.

Replies come from the creator's followers. A creator in a comment pod gets most of its replies
from the same few pod accounts, in the same few short words; everyone else gets varied replies
from many followers. Only Bluesky serves them: the sandbox's Mastodon gives reply counts only."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from . import words
from .followers import follower_account
from .fraud import followers_at
from .model import SandboxCreator, SandboxPost
from .seeded import derive, from_ms, pick, rint, tid, to_ms

REPLY_CAP = 100  # replies shown per post; the post's reply count may be higher
POD_SIZE = 12
POD_REPLY_SHARE = 0.85  # of a pod creator's replies that come from its pod
POD_COMMENTS = ("🔥🔥🔥", "Love this! 😍", "Amazing content 👏", "So good!!", "Great post 🙌",
                "Yes!! 💯")
_REPLIES = ("This is so true", "Love the {noun}!", "Where did you get the {noun}?",
            "Haha, same here", "Saving this for later", "Great tip, thanks!",
            "How long did that take?", "Okay but the {noun} though", "I needed this today",
            "Trying this tomorrow", "Wait, is this in {city}?", "The {noun} looks amazing",
            "Ha! My {noun} did exactly that", "Any tips for a beginner?", "Same, every single time")


@dataclass(frozen=True, slots=True)
class Reply:
    """One reply: its author (a follower of the creator), text and record key."""

    author: SandboxCreator
    text: str
    created_at: datetime
    rkey: str
    likes: int


def replies_to(seed: int, c: SandboxCreator, post: SandboxPost, day: float,
               until: datetime) -> list[Reply]:
    """Up to REPLY_CAP replies to c's own ``post``, oldest first, none after ``until``."""
    followers = followers_at(c, day)
    if followers <= 0 or post.is_repost:
        return []
    rng = random.Random(derive(seed, "replies", c.index, post.id))
    pod = random.Random(derive(seed, "pod", c.index))
    pod_members = [rint(pod, 0, followers - 1) for _ in range(POD_SIZE)]
    pod_words = pod.sample(POD_COMMENTS, 3)
    nd = words.NICHE_DATA[c.niche]
    t_ms = to_ms(post.created_at)
    until_ms, out = to_ms(until), []
    for i in range(min(post.replies, REPLY_CAP)):
        t_ms += int(rng.expovariate(1 / 1_800_000)) + 1_000  # about half an hour apart
        if t_ms > until_ms:
            break
        if c.engagement == "comment_pods" and rng.random() < POD_REPLY_SHARE:
            k, text = pick(rng, pod_members), pick(rng, pod_words)
        else:
            k = rint(rng, 0, followers - 1)
            text = pick(rng, _REPLIES).format(noun=pick(rng, nd["nouns"]),
                                              city=c.location or "London")
        author = follower_account(seed, c.platform, c, k)
        out.append(Reply(author, text, from_ms(t_ms), tid(t_ms, i), int(rng.expovariate(0.5))))
    return out
