"""Shared fixtures: an isolated PREFECT_HOME, one Prefect test harness per session, a sandbox."""

from __future__ import annotations

import os
import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports prefect: never touch the developer's ~/.prefect.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="scout-test-prefect-")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"  # no network: telemetry would only log errors
os.environ.pop("SCOUT_DB", None)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A throwaway Prefect API (SQLite in a temp dir), started once for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture(autouse=True)
def no_shared_prefect_server_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """A CLI command run by a test may start the shared Prefect server (``flows.shared_server``)
    under the session's PREFECT_HOME or one in the test's tmp_path: it is stopped after the test,
    and a PREFECT_API_URL an in-process command set for itself is taken back."""
    api_url = os.environ.get("PREFECT_API_URL")
    yield
    from flows.shared_server import stop_shared_server

    tmp = request.node.funcargs.get("tmp_path")
    states = [Path(os.environ["PREFECT_HOME"]) / "scout-api.json", *(tmp.rglob("scout-api.json") if tmp else ())]
    for state in states:
        if state.exists():
            stop_shared_server(state.parent)
    if os.environ.get("PREFECT_API_URL") != api_url:
        if api_url is None:
            del os.environ["PREFECT_API_URL"]
        else:
            os.environ["PREFECT_API_URL"] = api_url
        from prefect.context import refresh_global_settings_context

        refresh_global_settings_context()


@pytest.fixture()
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory nobody may write to (skips where permissions are ignored, e.g. as root);
    writable again afterwards so tmp_path can be cleaned up."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running with privileges that ignore directory permissions")
        yield locked
    finally:
        locked.chmod(0o755)


@pytest.fixture(scope="session")
def sandbox():
    """One sandbox on a free loopback port for all tests that fetch."""
    from sandbox import SandboxServer

    with SandboxServer(creators=120, seed=7, rate_limit=2000, rate_window=10.0).start() as server:
        yield server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``slow``: every test that starts Prefect (the harness), a subprocess or a browser, and the
    few marked by hand (scale builds of several seconds). ``make test-fast`` deselects them; ``make test``
    runs everything."""
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        source = inspect.getsource(function) if function is not None else ""
        if "prefect_harness" in getattr(item, "fixturenames", ()) or "subprocess" in source \
                or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """One line saying whether the browser tests ran, so a run without Chromium says so."""
    reports = [r for outcome in ("passed", "failed", "error", "skipped") for r in terminalreporter.stats.get(outcome, [])
               if getattr(r, "when", "call") in ("call", "setup") and "browser" in getattr(r, "keywords", {})]
    ran = [r for r in reports if r.when == "call"]
    skipped = [r for r in reports if r.skipped]
    if ran:
        terminalreporter.write_line(f"browser tests: {len(ran)} ran in headless Chromium", bold=True)
    elif skipped:
        terminalreporter.write_line("browser tests: SKIPPED, /usr/bin/chromium is not installed "
                                    "(make test-browser installs it and runs them)", bold=True)


@pytest.fixture
def resetting_port() -> Iterator[int]:
    """A port that accepts every connection and resets it at once (RST, no answer)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()
