"""Handles, base URLs and platform names are checked before any request is made."""

from __future__ import annotations

import pytest

from scrapers import bluesky, mastodon
from scrapers.errors import InvalidInput
from scrapers.registry import PLATFORMS, get_platform, validate_handle
from scrapers.validate import validate_base_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("alice.bsky.social", "alice.bsky.social"),
        ("@Alice.BSKY.social", "alice.bsky.social"),
        ("  @marisol.bsky.social ", "marisol.bsky.social"),
        ("yuki-draws.bsky.social", "yuki-draws.bsky.social"),
        ("jay.example.com", "jay.example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("did:plc:k4r7aqw2m3xzt5vbn6hyjdoq", "did:plc:k4r7aqw2m3xzt5vbn6hyjdoq"),
        ("did:web:blog.example.com", "did:web:blog.example.com"),
    ],
)
def test_good_bluesky_handles_are_normalised(given: str, expected: str) -> None:
    assert validate_handle("bluesky", given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "@",
        "alice",  # not domain-like
        "alice bsky.social",
        "alice_b.bsky.social",
        "alice.bsky.social/",
        "-alice.bsky.social",
        "alice-.bsky.social",
        "alice..bsky.social",
        "alice.bsky.123",  # the TLD may not start with a digit
        "alice.bsky.social;drop table",
        "handle.invalid",
        "did:plc:tooshort",
        "did:plc:K4R7AQW2M3XZT5VBN6HYJDO1",  # 1 is not base32
        "did:key:z6Mkabc",
        "a" * 64 + ".bsky.social",
    ],
)
def test_bad_bluesky_handles_raise_one_clear_sentence(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_handle("bluesky", bad)
    message = str(info.value)
    assert message.endswith((".", "?")) and message.count(". ") == 0
    if bad.strip().strip("@"):
        assert repr(bad) in message


def test_bare_bluesky_name_suggests_the_full_handle() -> None:
    with pytest.raises(InvalidInput, match=r"did you mean 'alice\.bsky\.social'"):
        validate_handle("bluesky", "@alice")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("jonas", "jonas"),
        ("@jonas", "jonas"),
        ("Gargron", "Gargron"),
        ("jonas_baecker", "jonas_baecker"),
        ("@jonas@Mastodon.Social", "jonas@mastodon.social"),
        ("amelie@boulangerie.example", "amelie@boulangerie.example"),
        ("kasia@bäckerei.example", "kasia@xn--bckerei-5wa.example"),
        ("first.last@pleroma.example", "first.last@pleroma.example"),
    ],
)
def test_good_mastodon_handles_are_normalised(given: str, expected: str) -> None:
    assert validate_handle("mastodon", given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "@",
        "jo nas",
        "jonas!",
        "jonas@",
        "jonas@mastodon",  # no dot in the instance
        "jonas@mastodon..social",
        "jonas@mastodon.social/extra",
        "jonas@@mastodon.social",
        "<script>",
        "jonas@mastodon.social@other.social",
        "x" * 65,
    ],
)
def test_bad_mastodon_handles_raise(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_handle("mastodon", bad)
    assert "handle" in str(info.value).lower()


def test_unknown_platform_handle_rules() -> None:
    with pytest.raises(InvalidInput, match="no handle rules"):
        validate_handle("myspace", "tom")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://mastodon.social", "https://mastodon.social"),
        ("https://mastodon.social/", "https://mastodon.social"),
        ("HTTPS://Mastodon.Social/", "https://mastodon.social"),
        ("  https://public.api.bsky.app  ", "https://public.api.bsky.app"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:9000/", "http://localhost:9000"),
        ("https://example.com/sub/path/", "https://example.com/sub/path"),
    ],
)
def test_good_base_urls(given: str, expected: str) -> None:
    assert validate_base_url(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "mastodon.social",
        "ftp://mastodon.social",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://",
        "https://mastodon social",
        "https://mas todon.social",
        "https://mastodon.social:port",
        "https://user:secret@mastodon.social",
        "https://-bad-.example",
    ],
)
def test_bad_base_urls_raise(bad: str) -> None:
    with pytest.raises(InvalidInput) as info:
        validate_base_url(bad)
    assert "URL" in str(info.value)


def test_registry_maps_names_to_packages() -> None:
    assert set(PLATFORMS) == {"bluesky", "mastodon", "youtube", "instagram", "tiktok"}
    assert PLATFORMS["bluesky"] is bluesky.BLUESKY and PLATFORMS["mastodon"] is mastodon.MASTODON
    assert get_platform("Bluesky ") is bluesky.BLUESKY
    for module in PLATFORMS.values():
        assert callable(module.discover) and callable(module.fetch_creators)
        assert callable(module.parse) and callable(module.parse_saved)


def test_registry_unknown_platform_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="known platforms: bluesky, instagram, mastodon, tiktok, youtube"):
        get_platform("myspace")


# Issue 10, defect 15: every validation gap is one line on stderr and exit 2, nothing created.
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from typer.testing import CliRunner  # noqa: E402

from cli.app import app  # noqa: E402

LONG = "a" * 300


def _one_line_exit_2(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    text = result.output.strip()
    assert result.exit_code == 2, text
    assert "Traceback" not in text and "\n" not in text and text.count("error:") == 1, text
    assert not list(tmp_path.glob("*.duckdb")), "nothing may be created"
    return text


@pytest.mark.parametrize(("args", "message"), [
    (["candidates", "--limit", "100000000000000000000"], "limit"),
    (["candidates", "--limit", "0"], "limit"),
    (["candidates", "--db", "{tmp}/" + LONG + "/x.duckdb"], "at most 255"),
    (["discover", "-p", "bluesky", "-q", "x", "--db", "{tmp}/" + LONG + ".duckdb"], "at most 255"),
    (["export", "-o", "{tmp}/" + LONG + ".csv", "--db", "{tmp}/x.duckdb"], "at most 255"),
    (["export", "-o", "{tmp}/" + LONG + "/x.csv", "--db", "{tmp}/x.duckdb"], "at most 255"),
])
def test_cli_validation_gaps_are_one_line_and_exit_2(args, message, tmp_path):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert message in _one_line_exit_2(args, tmp_path).lower()


@pytest.mark.parametrize("command", [["candidates"], ["discover", "-p", "bluesky", "-q", "x"],
                                     ["forget", "-p", "bluesky", "--handle", "a.bsky.social"]])
def test_a_fifo_as_db_fails_fast(command, tmp_path):
    fifo = tmp_path / "pipe.duckdb"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = CliRunner().invoke(app, [*command, "--db", str(fifo)], catch_exceptions=False)
    assert result.exit_code == 2 and "not a regular file" in result.output, result.output
    assert time.monotonic() - started < 30  # it used to block forever in open()


@pytest.mark.parametrize(("variable", "value"), [
    (v, bad) for v in ("SCOUT_RATE_PER_SECOND", "SCOUT_RATE_BURST", "SCOUT_READ_TIMEOUT",
                       "SCOUT_MAX_BODY_BYTES") for bad in ("abc", "0", "-1", "nan", "inf")
] + [("SCOUT_RATE_BURST", "1.5"), ("SCOUT_MAX_BODY_BYTES", "²"), ("SCOUT_MAX_BODY_BYTES", "9" * 5000)])
def test_bad_numeric_environment_is_refused_before_a_run(variable, value, tmp_path):
    args = ["discover", "-p", "bluesky", "-q", "x", "--db", str(tmp_path / "x.duckdb")]
    assert variable in _one_line_exit_2(args, tmp_path, env={variable: value})


@pytest.mark.parametrize("variable", ["SCOUT_YOUTUBE_DAILY_QUOTA", "SCOUT_YOUTUBE_SEARCH_QUOTA"])
def test_bad_youtube_quota_is_refused_before_the_flow(variable, tmp_path):
    args = ["discover", "-p", "youtube", "--handle", "@somebody", "--db", str(tmp_path / "x.duckdb")]
    assert variable in _one_line_exit_2(args, tmp_path, env={variable: "abc"})


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "soon"])
def test_bad_lock_timeout_exits_2(value, tmp_path):
    args = ["discover", "-p", "bluesky", "-q", "x", "--db", str(tmp_path / "x.duckdb")]
    assert "SCOUT_LOCK_TIMEOUT" in _one_line_exit_2(args, tmp_path, env={"SCOUT_LOCK_TIMEOUT": value})


def test_an_export_removes_temp_files_a_killed_export_left(tmp_path):
    import pandas as pd

    from warehouse.export import export_candidates

    target = tmp_path / "out.csv"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a PID that no longer runs: its export was killed mid-write
    stale = tmp_path / f".out.csv.scout-export.{gone.pid}.0123abcd.tmp"
    live = tmp_path / f".out.csv.scout-export.{os.getpid()}.89abcdef.tmp"  # a concurrent export
    other = tmp_path / ".out.csv.notes.tmp"  # not ours
    for path in (stale, live, other):
        path.write_text("half")
    export_candidates(pd.DataFrame({"handle": ["a"]}), target, "csv")
    assert target.exists() and not stale.exists() and live.exists() and other.exists()


def test_an_export_killed_mid_write_leaves_a_recognisable_temp_file_the_next_export_removes(tmp_path):
    script = (
        "import os, signal, pandas as pd\n"
        "import warehouse.export as e\n"
        "def die(frame, tmp):\n"
        "    tmp.write_text('half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "e._write_csv = die\n"
        f"e.export_candidates(pd.DataFrame({{'handle': ['a']}}), {str(tmp_path / 'out.csv')!r}, 'csv')\n"
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == -signal.SIGKILL
    left = list(tmp_path.glob(".out.csv.scout-export.*.tmp"))
    assert len(left) == 1
    import pandas as pd

    from warehouse.export import export_candidates

    export_candidates(pd.DataFrame({"handle": ["b"]}), tmp_path / "out.csv", "csv")
    assert not left[0].exists() and (tmp_path / "out.csv").exists()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
    except OSError:
        return ""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_kill_9_of_discover_leaves_no_prefect_server_running(tmp_path, sandbox):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    env["SCOUT_PREFECT_SERVER"] = "temporary"  # the per-command server, whose death is asserted
    scout = subprocess.Popen(
        [str(Path(sys.executable).parent / "scout"), "discover", "-p", "bluesky", "--instance", sandbox.base_url,
         "-q", "baking", "--rate", "2", "--db", str(tmp_path / "k.duckdb")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    server = None
    while server is None and time.monotonic() < deadline and scout.poll() is None:
        server = next((c for c in _children(scout.pid) if "uvicorn" in _cmdline(c)), None)
        time.sleep(0.2)
    assert server is not None, "the discover never started Prefect's temporary server"
    scout.kill()
    scout.wait()
    deadline = time.monotonic() + 30  # the watchdog polls every 0.5 s, then up to 5 s of shutdown
    while _running(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _running(server), f"orphaned Prefect server {server}: {_cmdline(server)}"
