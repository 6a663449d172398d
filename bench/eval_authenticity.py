"""Score every authenticity flag and the audience audit against the sandbox's planted truth.

    .venv/bin/python bench/eval_authenticity.py                  # the demo's seed and a second one
    .venv/bin/python bench/eval_authenticity.py --seeds 42 --growth-days 0

Not a test: it runs the demo's discovers (Bluesky and Mastodon, the demo's size, queries and
limits) against a sandbox per seed, then, with ``--growth-days N``, a second discover with the
sandbox clock N days on, so the follower_jump flag has two snapshots. It prints precision and
recall per flag and severity, the top 15 candidates' truth and the audit's error; it asserts
nothing. The figures are synthetic: they measure the flags against planted fraud, not the world.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.sandbox import (  # noqa: E402
    DEMO_CREATORS,
    DEMO_LIMIT_PER_PLATFORM,
    DEMO_PLATFORMS,
    DEMO_RATE_LIMIT,
    DEMO_RATE_WINDOW,
    DEMO_SEED,
    demo_discover,
)
from core.identity import instance_account_id  # noqa: E402
from sandbox import SandboxServer  # noqa: E402
from sandbox.followers import follower_kind  # noqa: E402
from sandbox.universe import Universe  # noqa: E402
from training.markdown import table  # noqa: E402

SECOND_SEED = 7
SEVERITIES = {"high": ("high",), "medium+": ("high", "medium"), "any": ("high", "medium", "low")}
FAKE_ENGAGEMENT = ("bought_likes", "comment_pods", "spiky_likes")
ENGAGEMENT_FLAGS = ("few_comments", "many_comments", "er_outlier", "likes_uniform", "likes_spiky")


def run_pipeline(seed: int, db: Path, creators: int, limit: int, days_elapsed: int) -> tuple[Universe, float]:
    """The demo's discovers against a sandbox of ``seed`` at ``days_elapsed``: its universe (for
    the truth) and the audit's requests per audited creator (the sandbox's requests less the
    discovers' own)."""
    audited = scraping = 0
    with SandboxServer(creators=creators, seed=seed, rate_limit=DEMO_RATE_LIMIT, rate_window=DEMO_RATE_WINDOW,
                       days_elapsed=days_elapsed).start() as server:
        for platform in DEMO_PLATFORMS:
            summary = demo_discover(server.base_url, db, platform, limit=limit)
            audited, scraping = audited + summary["audited"], scraping + summary["requests"]
        total = server.stats["requests"]
    return server.universe, (total - scraping) / max(audited, 1)


def sandbox_id(platform: str, creator_id: str) -> str:
    """The id the sandbox knows a creator by: a Mastodon account by its instance's own id."""
    return instance_account_id(creator_id) if platform == "mastodon" else creator_id


def scored(db: Path) -> pd.DataFrame:
    """The latest score of every creator, its flags as {name: severity}, and its latest audit."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("""
            select s.platform, s.creator_id, c.handle, s.authenticity_flags,
                   a.real_share, a.sample_size
            from latest_scores s join creators c using (platform, creator_id)
            left join (select * from audience_audits
                       qualify row_number() over (partition by platform, creator_id order by audited_at desc) = 1) a
              using (platform, creator_id)""").df()
    rows["creator_id"] = [sandbox_id(p, c) for p, c in zip(rows["platform"], rows["creator_id"], strict=True)]
    rows["flags"] = [{f["name"]: f["severity"] for f in json.loads(x or "[]")} for x in rows["authenticity_flags"]]
    return rows


def top_candidates(db: Path, n: int = 15) -> list[tuple[str, str, str]]:
    """(platform, creator_id, handle) of the first ``n`` candidates in the default order."""
    from warehouse.queries import candidates

    top = candidates(db).head(n)
    return [(p, sandbox_id(p, c), h) for p, c, h in zip(top["platform"], top["creator_id"], top["handle"], strict=True)]


def precision_recall(rows: pd.DataFrame, flags: tuple[str, ...], severities: tuple[str, ...],
                     truth: Callable[[dict], bool]) -> tuple[int, int, int, float, float]:
    """(flagged, true, hits, precision, recall) of ``flags`` at ``severities`` against ``truth``."""
    flagged = rows["flags"].map(lambda f: any(f.get(name) in severities for name in flags))
    actual = rows["truth"].map(truth)
    hits = int((flagged & actual).sum())
    return (int(flagged.sum()), int(actual.sum()), hits,
            hits / flagged.sum() if flagged.sum() else float("nan"), hits / actual.sum() if actual.sum() else float("nan"))


def flag_table(rows: pd.DataFrame, growth_days: int) -> list[list[str]]:
    """One line per (flag, truth, severity)."""
    checks: list[tuple[str, tuple[str, ...], Callable[[dict], bool]]] = [
        ("bought_likes", ("few_comments",), lambda t: t["engagement"] == "bought_likes"),
        ("bought_likes", ("er_outlier",), lambda t: t["engagement"] == "bought_likes"),
        ("bought_likes", ("likes_uniform",), lambda t: t["engagement"] == "bought_likes"),
        ("comment_pods", ("many_comments",), lambda t: t["engagement"] == "comment_pods"),
        ("spiky_likes", ("likes_spiky",), lambda t: t["engagement"] == "spiky_likes"),
        ("any fake engagement", ENGAGEMENT_FLAGS,
         lambda t: t["engagement"] in FAKE_ENGAGEMENT),
        ("mass_following", ("mass_following",), lambda t: t["mass_following"]),
        ("mass_following", ("follow_back_ratio",), lambda t: t["mass_following"]),
        ("ad_network", ("ad_network",), lambda t: t["ad_network"] is not None),
    ]
    if growth_days:
        checks.append((f"followers bought in days (0, {growth_days}]", ("follower_jump",),
                       lambda t: t["follower_spike_day"] is not None and 0 < t["follower_spike_day"] <= growth_days))
    out = []
    for truth_name, flags, truth in checks:
        for level, severities in SEVERITIES.items():
            flagged, actual, hits, precision, recall = precision_recall(rows, flags, severities, truth)
            out.append([truth_name, " + ".join(flags), level, str(flagged), str(actual), str(hits),
                        f"{precision:.2f}", f"{recall:.2f}"])
    return out


def audit_error(rows: pd.DataFrame, universe: Universe) -> tuple[int, float, float]:
    """(audited creators, mean audit real share - true real share, mean absolute error); the true
    share is over the same newest followers the audit sampled."""
    errors = []
    for r in rows.dropna(subset=["real_share"]).itertuples():
        c = universe.lookup(r.platform, r.creator_id)
        sample = universe.followers_of(c, None, int(r.sample_size))
        real = sum(follower_kind(universe.seed, c, k) == "real" for k, _ in sample) / max(len(sample), 1)
        errors.append(r.real_share - real)
    s = pd.Series(errors, dtype="float64")
    return len(s), float(s.mean()), float(s.abs().mean())


def evaluate(seed: int, creators: int, limit: int, growth_days: int, work: Path) -> None:
    db = work / f"seed{seed}.duckdb"
    universe, per_audit = run_pipeline(seed, db, creators, limit, 0)
    top = top_candidates(db)
    audited, bias, mae = audit_error(scored(db), universe)
    if growth_days:
        universe, _ = run_pipeline(seed, db, creators, limit, growth_days)
    truth = {(t["platform"], t["creator_id"]): t for t in universe.ground_truth()}
    rows = scored(db)
    rows["truth"] = [truth[k] for k in zip(rows["platform"], rows["creator_id"], strict=True)]
    bad_top = [f"{h} ({truth[p, c]['engagement']}, ad network {truth[p, c]['ad_network']})" for p, c, h in top
               if truth[p, c]["engagement"] != "organic" or truth[p, c]["ad_network"] is not None]
    print(f"\n## seed {seed}: {len(rows)} creators scored (synthetic sandbox truth, not real-world figures)\n")
    print(table(flag_table(rows, growth_days),
                ["truth", "flag", "severity", "flagged", "true", "hits", "precision", "recall"]))
    print(f"\ntop 15 candidates: {len(bad_top)} fake engagement or ad network{': ' if bad_top else ''}{', '.join(bad_top)}")
    print("top 15: " + ", ".join(h for _, _, h in top))
    print(f"audience audit (day 0): {audited} creators audited; real share audited - true: mean {bias:+.3f}, "
          f"mean absolute {mae:.3f}; {per_audit:.2f} requests per audited creator")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[DEMO_SEED, SECOND_SEED])
    parser.add_argument("--creators", type=int, default=DEMO_CREATORS)
    parser.add_argument("--limit", type=int, default=DEMO_LIMIT_PER_PLATFORM)
    parser.add_argument("--growth-days", type=int, default=30, help="Second discover this many days on (0: none).")
    args = parser.parse_args()
    from cli.console import quiet_prefect
    from core.settings import Settings

    quiet_prefect(False, Settings.from_env())
    with tempfile.TemporaryDirectory() as work:
        for seed in args.seeds:
            evaluate(seed, args.creators, args.limit, args.growth_days, Path(work))


if __name__ == "__main__":
    main()
