"""A warehouse of real candidates without Prefect: records through the real transforms and load."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.records import Post, Profile
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse.load import load_run

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)


def _people(n: int, key: str, name: str, bio: str, text: str,
            counts: Callable[[int, int], tuple[int, int, int]]) -> tuple[list[Profile], list[Post]]:
    """``n`` nano people on Bluesky with 5 posts each; ``counts(i, k)`` is (followers, likes, comments)."""
    profiles, posts = [], []
    for i in range(n):
        cid, handle = f"did:plc:{key}{i:04d}", f"{key}{i}.bsky.social"
        profiles.append(Profile(
            platform="bluesky", creator_id=cid, handle=handle, display_name=f"{name} {i}", bio=bio,
            followers=counts(i, 0)[0], following=300, posts_count=400, profile_url=f"https://bsky.app/profile/{handle}"))
        posts.extend(Post(platform="bluesky", post_id=f"{cid}/p{k}", creator_id=cid, published_at=NOW - timedelta(days=k + 1),
                          text=text, likes=counts(i, k)[1], comments=counts(i, k)[2]) for k in range(5))
    return profiles, posts


def _bakers(n: int) -> tuple[list[Profile], list[Post]]:
    """``n`` home bakers, each a person with a different engagement."""
    return _people(n, "baker", "Lena Baker", "I bake sourdough at home, mum of two. My kitchen, my mess.",
                   "my loaf finally rose! so proud", lambda i, k: (2_000 + i, 20 + i, 3))


def _bought_likes(n: int) -> tuple[list[Profile], list[Post]]:
    """``n`` people whose likes were bought: about 45% ER and no comments."""
    return _people(n, "farm", "Harper Farm", "Mum of two, I love my garden and my dog.",
                   "my garden this morning", lambda i, k: (2_000, 900 + 10 * k, 0))


def _loaded(db: Path, run_id: str, profiles: list[Profile], posts: list[Post]) -> Path:
    """``db`` with the records scored and loaded as one completed discover run."""
    profile_rows, post_rows = profiles_frame(profiles, NOW), posts_frame(posts, NOW)
    load_run(db, run_id=run_id, profiles=profile_rows, posts=post_rows,
             scores=score_creators(profile_rows, post_rows, now=NOW),
             raw_responses=raw_frame([]), errors=errors_frame([]),
             run={"flow": "discover", "platform": "bluesky", "params": {}, "started_at": NOW,
                  "finished_at": NOW, "status": "completed"})
    return db


@pytest.fixture
def bakers_db(tmp_path: Path) -> Callable[[int], Path]:
    """A DuckDB file holding ``n`` candidates (and ``bought`` with bought likes), built the way a run builds it."""

    def build(n: int, bought: int = 0) -> Path:
        (profiles, posts), (fake_profiles, fake_posts) = _bakers(n), _bought_likes(bought)
        return _loaded(tmp_path / "scout.duckdb", "bakers", profiles + fake_profiles, posts + fake_posts)

    return build


#: (key, display name, bio, post text) of the niche warehouse's groups: what `scout match` tells apart.
NICHE_GROUPS = (
    ("cook", "Lena Cook", "Home cook: family recipes, sourdough baking and easy dinners. PR friendly",
     "tonight's dinner: lentil soup with fresh bread, recipe below"),
    ("paidcook", "Paula Cook", "Mum of two, I share my recipes and home cooking for busy families. Paid collaborations only",
     "my pasta bake recipe, ready in 20 minutes"),
    ("trainer", "Tom Trainer", "Personal trainer: gym workouts, lifting and running plans",
     "leg day: squats, deadlifts and a 5k run"),
    ("traveller", "Bo Traveller", "I'm Bo, I backpack across Asia with my partner: hostels, trains and mountain hikes",
     "sunrise over the rice terraces, day 12 of the trip"),
)


@pytest.fixture
def niche_db(tmp_path: Path) -> Path:
    """A warehouse of 3 nano people from each of NICHE_GROUPS (handles ``cook0.bsky.social`` ...),
    engagement rising with the number, built the way a run builds it."""
    profiles, posts = [], []
    for key, name, bio, text in NICHE_GROUPS:
        group = _people(3, key, name, bio, text, lambda i, k: (3_000 + 1_000 * i, 40 + 20 * i, 4 + i))
        profiles += group[0]
        posts += group[1]
    return _loaded(tmp_path / "scout.duckdb", "niches", profiles, posts)


@pytest.fixture(scope="session")
def interrupted_db(prefect_harness: None, sandbox, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding a completed discover of 10 seed creators and then a real `scout discover`
    of 60 killed (kill -9) inside the transaction loading its batch 3: batches 0-2 loaded, batch 3
    'fetched' (its bodies stored), the run left 'running' with its process gone. Do not write to
    it: copy it (:func:`copy_db`)."""
    import signal

    from flows.discover import discover
    from tests.flows.test_resume import POSTS, scout_discover, seed_handles

    db = tmp_path_factory.mktemp("interrupted") / "scout.duckdb"
    discover(platform="bluesky", base_url=sandbox.base_url, handles=seed_handles(sandbox)[:10], limit=10,
             posts_per_creator=POSTS, db_path=str(db), rate_per_second=200, audience_sample=0)
    killed = scout_discover(db, sandbox, kill_at="load:3")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    return db


def copy_db(db: Path, to: Path) -> Path:
    """A copy of a warehouse file with its write-ahead log (a killed writer may leave one)."""
    import shutil

    to.mkdir(parents=True, exist_ok=True)
    for path in (db, db.with_name(db.name + ".wal")):
        if path.exists():
            shutil.copy2(path, to / path.name)
    return to / db.name


@pytest.fixture(scope="session")
def demo_run(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The warehouse `scout demo` builds with its defaults and what it printed, run once per
    session (about 30 s)."""
    from typer.testing import CliRunner

    from cli.app import app

    work = tmp_path_factory.mktemp("demo")
    db = work / "scout.duckdb"
    demo = CliRunner().invoke(app, ["demo", "--db", str(db), "--output", str(work / "candidates.csv")],
                              catch_exceptions=False)
    assert demo.exit_code == 0, demo.output
    return db, demo.stdout


@pytest.fixture(scope="session")
def demo_db(demo_run: tuple[Path, str]) -> Path:
    """The warehouse `scout demo` builds with its defaults."""
    return demo_run[0]


def stored_run(db: Path, run_id: str, status: str, *, started: datetime, bodies: int = 3, body_kb: int = 1) -> None:
    """A batched run recorded the way the discover flow records one (open, one batch stored and
    loaded, finished as ``status``; 'running' stays open, owned by this process): two bakers
    scored, ``bodies`` raw bodies of ``body_kb`` KB fetched at ``started``, one retry."""
    from core.records import RawResponse
    from warehouse.manifest import RunStatus
    from warehouse.warehouse import Warehouse

    warehouse = Warehouse(db)
    run = {"flow": "discover", "platform": "bluesky", "params": {"queries": [run_id], "limit": 10},
           "started_at": started, "finished_at": None, "status": RunStatus.RUNNING}
    warehouse.open_run(run_id, run, fingerprint=run_id)
    raws = [RawResponse("bluesky", "profiles", f"{run_id}-{i}", f"https://bsky.test/{run_id}/{i}", 200,
                        f"{run_id} {i} " + "x" * body_kb * 1000, fetched_at=started) for i in range(bodies)]
    people, their_posts = _bakers(2)
    profiles, posts = profiles_frame(people, started), posts_frame(their_posts, started)
    frames = {"profiles": profiles, "posts": posts, "scores": score_creators(profiles, posts, now=started)}
    warehouse.save_batch(run_id=run_id, batch_no=1, refs=[f"{run_id}-{i}" for i in range(bodies)],
                         raws=raw_frame(raws), frames=frames, errors=errors_frame([]),
                         counts={"fetched": bodies, "requests": bodies + 1, "retries": 1})
    if status != RunStatus.RUNNING:
        warehouse.finish_run(run_id, RunStatus(status))
