"""Issue 16, item 4: CLI flow commands share one local Prefect server instead of starting one each.

Every test runs real ``scout`` processes with their own PREFECT_HOME and no PREFECT_API_URL, as a
user's shell would, and stops the server it may have left in a finaliser.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from flows.shared_server import process_token, stop_shared_server

SCOUT = str(Path(sys.executable).parent / "scout")
SAVED = str(Path(__file__).parents[1] / "fixtures" / "bluesky" / "post_thread.json")


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A PREFECT_HOME of the test's own; whatever server is recorded there is stopped afterwards."""
    prefect_home = tmp_path / "prefect"
    prefect_home.mkdir()
    yield prefect_home
    stop_shared_server(prefect_home)


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "SCOUT_PREFECT_SERVER")}
    return {**env, "PREFECT_HOME": str(home), **extra}


def _import(home: Path, db: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([SCOUT, "import", "-p", "bluesky", SAVED, "--db", str(db)], env=_env(home, **extra),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def _state(home: Path) -> dict[str, object]:
    return json.loads((home / "scout-api.json").read_text())


def _servers_of(home: Path) -> list[int]:
    """Live shared-server processes started for ``home`` (their command line names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if entry.name.isdigit() and b"flows.shared_server" in argv and str(home).encode() in argv \
                and process_token(int(entry.name)) is not None:
            found.append(int(entry.name))
    return found


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while process_token(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    return process_token(pid) is None


def test_two_commands_in_a_row_share_one_server_and_a_dead_recorded_one_is_replaced(home, tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (home / "scout-api.json").write_text(json.dumps(
        {"pid": int(gone.stdout), "url": "http://127.0.0.1:9/api", "started": 0.0, "idle_seconds": 300.0}))
    _import(home, tmp_path / "w.duckdb")
    first = _state(home)
    assert first["pid"] != int(gone.stdout) and first["url"] != "http://127.0.0.1:9/api"
    _import(home, tmp_path / "w.duckdb")
    assert _state(home) == first  # the same server: same pid, same start time
    assert _servers_of(home) == [first["pid"]]
    assert list((home / "scout-api" / "leases").iterdir()) == []  # each command gave its lease back


def test_a_recorded_pid_that_is_no_server_is_replaced_and_left_alone(home, tmp_path):
    """A stale record whose pid now belongs to another process: a new server, the process untouched."""
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        (home / "scout-api.json").write_text(json.dumps(
            {"pid": bystander.pid, "url": "http://127.0.0.1:9/api", "started": 0.0, "idle_seconds": 300.0}))
        _import(home, tmp_path / "w.duckdb")
        assert _state(home)["pid"] != bystander.pid and _servers_of(home) == [_state(home)["pid"]]
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()


def test_two_commands_starting_at_once_end_with_one_server(home, tmp_path):
    commands = [subprocess.Popen([SCOUT, "import", "-p", "bluesky", SAVED, "--db", str(tmp_path / f"{n}.duckdb")],
                                 env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for n in range(2)]
    for command in commands:
        _, err = command.communicate(timeout=300)
        assert command.returncode == 0, err
    assert _servers_of(home) == [_state(home)["pid"]]


def test_the_server_stops_once_idle_after_its_last_command_ends(home, tmp_path):
    """A live lease (here a helper process's) keeps the server; once it is given back, the server
    stops after SCOUT_PREFECT_IDLE seconds and forgets itself."""
    holder = subprocess.Popen([sys.executable, "-c", "import sys, pathlib; from flows.shared_server import Places, take_lease; "
                               "take_lease(Places(pathlib.Path(sys.argv[1]))); print('leased', flush=True); "
                               "sys.stdin.read()", str(home)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "leased\n"
    _import(home, tmp_path / "w.duckdb", SCOUT_PREFECT_IDLE="1")
    pid = int(_state(home)["pid"])
    time.sleep(3)
    assert process_token(pid) is not None, "the server stopped while a live process held a lease"
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0
    assert _wait_gone(pid, 60), "the shared server outlived its idle time"
    assert not (home / "scout-api.json").exists()


def test_a_killed_command_s_lease_does_not_keep_the_server_alive(home, tmp_path, sandbox):
    scout = subprocess.Popen(
        [SCOUT, "discover", "-p", "bluesky", "--instance", sandbox.base_url, "-q", "baking", "--rate", "2",
         "--db", str(tmp_path / "k.duckdb")],
        env=_env(home, SCOUT_PREFECT_IDLE="1"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lease = home / "scout-api" / "leases" / str(scout.pid)
    deadline = time.monotonic() + 120
    while not (lease.exists() and (home / "scout-api.json").exists()) and time.monotonic() < deadline:
        assert scout.poll() is None, "the discover ended before it was killed"
        time.sleep(0.2)
    time.sleep(1)  # the command now runs its flow on the shared server
    pid = int(_state(home)["pid"])
    scout.send_signal(signal.SIGKILL)
    scout.wait()
    assert lease.exists()  # kill -9: the command could not give its lease back
    assert _wait_gone(pid, 60), "a killed command's lease kept the shared server alive"
    assert not lease.exists()


def test_scout_server_status_and_stop(home, tmp_path):
    def scout(*args: str, **extra: str) -> str:
        done = subprocess.run([SCOUT, "server", *args], env=_env(home, **extra), capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "No shared Prefect server is running" in scout("status")
    assert scout("status", PREFECT_API_URL="http://127.0.0.1:9/api").splitlines()[0] == (
        "PREFECT_API_URL is set: scout's flows report to http://127.0.0.1:9/api, not to a shared server.")
    _import(home, tmp_path / "w.duckdb")
    state = _state(home)
    status = scout("status")
    assert f"pid {state['pid']} at {state['url']}" in status and "used by 0 command(s)" in status
    assert f"stopped the shared Prefect server pid {state['pid']}" in scout("stop")
    assert _wait_gone(int(state["pid"]), 1) and not (home / "scout-api.json").exists()
    assert "No shared Prefect server is running" in scout("status")
    assert "nothing to stop" in scout("stop")


@pytest.mark.parametrize(("variable", "value", "words"), [
    ("SCOUT_PREFECT_IDLE", "soon", "SCOUT_PREFECT_IDLE must be a positive number, not 'soon'."),
    ("SCOUT_PREFECT_IDLE", "0", "SCOUT_PREFECT_IDLE must be a positive number, not '0'."),
    ("SCOUT_PREFECT_SERVER", "forever", "SCOUT_PREFECT_SERVER must be one of shared, temporary, not 'forever'."),
])
@pytest.mark.parametrize("command", [["import", "-p", "bluesky", SAVED, "--db", "{tmp}/w.duckdb"], ["server", "status"]])
def test_a_bad_server_setting_is_one_line_and_exit_2(monkeypatch, home, tmp_path, variable, value, words, command):
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, [part.format(tmp=tmp_path) for part in command])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: {words}"
    assert not (tmp_path / "w.duckdb").exists() and not (home / "scout-api.json").exists()


def test_ctrl_c_stops_the_command_not_the_shared_server(home, tmp_path, sandbox):
    """The terminal's SIGINT reaches the command's process group; the shared server runs in its own
    session, so it records the interrupted run and serves the next command."""
    scout = subprocess.Popen(
        [SCOUT, "discover", "-p", "bluesky", "--instance", sandbox.base_url, "-q", "baking", "--rate", "200",
         "--db", str(tmp_path / "c.duckdb")],
        env=_env(home, SCOUT_FAULT_STOP_AT="fetch:1"), start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while Path(f"/proc/{scout.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
        assert scout.poll() is None and time.monotonic() < deadline, scout.communicate()
        time.sleep(0.1)
    server = _state(home)
    os.killpg(scout.pid, signal.SIGINT)
    os.killpg(scout.pid, signal.SIGCONT)
    _, err = scout.communicate(timeout=300)
    assert scout.returncode == 130, err
    assert err.strip().startswith("interrupted during batch 1") and len(err.strip().splitlines()) == 1, err
    assert _servers_of(home) == [server["pid"]]
    _import(home, tmp_path / "w.duckdb")
    assert _state(home) == server


@pytest.mark.usefixtures("prefect_harness")
def test_a_configured_prefect_api_url_is_used_and_no_server_is_started(home, tmp_path):
    from prefect.settings import PREFECT_API_URL

    done = subprocess.run([SCOUT, "import", "-p", "bluesky", SAVED, "--db", str(tmp_path / "w.duckdb")],
                          env=_env(home, PREFECT_API_URL=str(PREFECT_API_URL.value())),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not (home / "scout-api.json").exists() and not (home / "scout-api").exists()
