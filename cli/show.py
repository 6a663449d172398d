"""``scout show HANDLE``: one creator's card in the terminal, from what the warehouse holds.

Every value from the data is escaped before Rich sees it: a bio such as ``[link=...]`` is text.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from cli.console import USAGE_ERROR, clear_errors, console, fail
from cli.options import DEFAULT_DB, DbOption, check_platform, creator_key, settings

if TYPE_CHECKING:
    import pandas as pd


def show(
    handle: Annotated[str, typer.Argument(help="The creator's handle or id; a Mastodon username or Bluesky "
                                                "name alone when one stored creator has it.")],
    platform: Annotated[str | None, typer.Option("--platform", "-p", help="Look on this platform only.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one creator's card: profile, tier, growth, ER, niches, flags, stance, contact, posts, lineage."""
    from warehouse.creator_card import creator_card
    from warehouse.forget import HandleNotResolved

    if not handle.strip().lstrip("@"):
        raise fail("scout show needs a handle", USAGE_ERROR)
    if platform is not None:
        platform = check_platform(platform)
        handle = creator_key(platform, handle)
    with clear_errors():
        try:
            card = creator_card(db, handle, platform, config=settings())
        except HandleNotResolved as exc:  # bad input: which creator is meant
            raise fail(str(exc), USAGE_ERROR) from None
    console.print(Panel(Group(*_sections(card)), title=_title(card.profile), title_align="left"))


def _title(profile: dict[str, Any]) -> str:
    name = profile.get("display_name") or profile["handle"]
    return f"[bold]{escape(str(name))}[/] @{escape(profile['handle'])} · {profile['platform']}"


def _sections(card: Any) -> list[Any]:
    profile, score = card.profile, card.score or {}
    parts: list[Any] = []
    if profile.get("profile_url"):
        parts.append(escape(str(profile["profile_url"])))
    parts.append(escape(profile.get("bio") or "(no bio)"))
    parts.append(_facts(profile, score, card.growth))
    flags = json.loads(score.get("authenticity_flags") or "[]")
    parts.append("[bold]authenticity[/] " + (f"{score['authenticity_score']:.0f}/100" if _known(
        score.get("authenticity_score")) else "not scored") + "".join(
        f"\n  {escape(f['severity'])} {escape(f['name'])}: {escape(str(f.get('evidence') or ''))}" for f in flags))
    parts.append(f"[bold]collaboration[/] {escape(score.get('collab_stance') or 'unknown')}"
                 + (f" ({escape(score['collab_evidence'])})" if score.get("collab_evidence") else ""))
    parts.append(_posts(card.posts, profile.get("followers")))
    parts.append(_lineage(card.lineage))
    return parts


def _facts(profile: dict[str, Any], score: dict[str, Any], growth: pd.DataFrame) -> Table:
    """Two columns of label and value: counts, growth, tier, ER, cadence, niches, verdict, contact."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    latest = growth.iloc[-1] if len(growth) else None
    rows = [
        ("followers", _count(profile.get("followers"))
         + (f"  ({_signed(latest['growth_30d'])} in 30 days)" if latest is not None
            and _known(latest["growth_30d"]) else "")),
        ("following / posts", f"{_count(profile.get('following'))} / {_count(profile.get('posts_count'))}"),
        ("snapshots", f"{len(growth)}" + (f", since {growth['observed_at'].iloc[0]:%Y-%m-%d}" if len(growth) else "")),
        ("tier", score.get("tier") or "unknown"),
        ("median ER", _percent(score.get("er_median"))
         + (f" over {score['n_posts']} posts" if _known(score.get("n_posts")) else "")),
        ("posts per week", f"{score['posts_per_week']:.1f}" if _known(score.get("posts_per_week")) else "unknown"),
        ("niches", escape(score.get("niches") or "unknown")),
        ("account", f"{escape(score.get('account_type') or 'unknown')}"
         + (f" (p(person) {score['person_probability']:.2f})" if _known(score.get("person_probability")) else "")),
        ("contact", escape(" · ".join(str(v) for v in (score.get("contact_email"), score.get("contact_link")) if v)
                           or "none found")),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table


def _posts(posts: pd.DataFrame, followers: Any) -> Table:
    table = Table(title="latest posts", title_justify="left", show_edge=False)
    for header, justify in (("published", "left"), ("text", "left"), ("likes", "right"), ("comments", "right"),
                            ("shares", "right"), ("ER", "right"), ("kind", "left")):
        table.add_column(header, justify=justify, overflow="fold", max_width=60 if header == "text" else None)
    for post in posts.to_dict(orient="records"):
        engaged = sum(int(post[c]) for c in ("likes", "comments", "shares") if _known(post.get(c)))
        er = engaged / followers if _known(post.get("likes")) and _known(followers) and followers else None
        kind = "repost" if post.get("is_repost") else (post.get("collab_kind") or "")
        table.add_row(f"{post['published_at']:%Y-%m-%d}" if _known(post.get("published_at")) else "",
                      escape((post.get("text") or "")[:200]), _count(post.get("likes")),
                      _count(post.get("comments")), _count(post.get("shares")), _percent(er), escape(kind))
    return table


def _lineage(lineage: pd.DataFrame) -> Table:
    table = Table(title="where this creator came from", title_justify="left", show_edge=False)
    for header in ("found", "how", "term", "run"):
        table.add_column(header, overflow="fold")
    for row in lineage.to_dict(orient="records"):
        table.add_row(f"{row['found_at']:%Y-%m-%d %H:%M}", escape(row["found_by"]), escape(row["term"]),
                      escape(f"{row['flow'] or 'run'} {row['run_id']}"))
    if lineage.empty:
        table.add_row("", "not recorded (loaded before lineage was kept)", "", "")
    return table


def _known(value: Any) -> bool:
    import pandas as pd  # imported by the card's reader already; not by `scout --help`

    return value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value))


def _count(value: Any) -> str:
    return f"{int(value):,}" if _known(value) else "unknown"


def _signed(value: Any) -> str:
    return f"{int(value):+,}"


def _percent(value: Any) -> str:
    return f"{value:.2%}" if _known(value) else "unknown"
