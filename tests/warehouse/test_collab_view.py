"""The candidates view and the stored posts carry the collaboration columns (migration 012)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from core.records import Post, Profile
from transforms.collab import with_collab_kind
from transforms.frames import errors_frame, posts_frame, profiles_frame, raw_frame
from transforms.score import score_creators
from warehouse.load import load_run

NOW = datetime(2026, 3, 1, tzinfo=UTC)
COLLAB = ["collab_stance", "collab_evidence", "paid_posts", "gifted_posts", "affiliate_posts", "paid_share",
          "past_partners"]


def test_candidates_show_stance_and_history_and_posts_their_kind(tmp_path):
    db = tmp_path / "scout.duckdb"
    profiles = profiles_frame([Profile("bluesky", "ana", "ana", display_name="Ana Silva", followers=4000,
                                       following=300, bio="I'm Ana, I bake sourdough at home. PR friendly")], NOW)
    captions = ["my sourdough today #ad @flourco", "c/o @ovenco new tray", "I baked rye this morning"]
    posts = with_collab_kind(posts_frame([Post("bluesky", f"p{i}", "ana", NOW - timedelta(days=i + 1), t, likes=80,
                                               comments=6) for i, t in enumerate(captions)], NOW))
    load_run(db, run_id="r1", profiles=profiles, posts=posts, scores=score_creators(profiles, posts, now=NOW),
             raw_responses=raw_frame([]), errors=errors_frame([]),
             run={"flow": "discover", "platform": "bluesky", "params": {}, "started_at": NOW,
                  "finished_at": NOW, "status": "completed"})
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(f"SELECT {', '.join(COLLAB)} FROM candidates WHERE creator_id = 'ana'").fetchall()
        kinds = con.execute("SELECT post_id, collab_kind FROM posts ORDER BY post_id").fetchall()
    assert row == [("open_to_gifting", 'bio says "pr friendly" (open to gifting)', 1, 1, 0, 1 / 3,
                    "@flourco, @ovenco")]
    assert kinds == [("p0", "paid"), ("p1", "gifted"), ("p2", "organic")]
