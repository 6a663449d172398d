"""One local Prefect API server shared by every ``scout`` command, started on first use.

Prefect's temporary server costs each command 5-10 s to start (more on a busy machine). Instead,
the first command starts Prefect's own app the way ``SubprocessASGIServer`` does, in its own
session, and records it in ``$PREFECT_HOME/scout-api.json``; later commands find it there. Every
command holds a lease while it runs (a file named by its pid under ``scout-api/leases/``); the
server's watchdog thread stops it once no lease has belonged to a live process for the idle time,
so it never outlives its last user by more than that, even when that user was killed with -9.
A file lock around finding, starting and stopping makes two commands at once share one server.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from core.errors import ScoutError

DEFAULT_IDLE_SECONDS = 300.0
POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0  # after SIGTERM, uvicorn's own shutdown; then a hard exit
PORT_IN_USE = 3  # uvicorn's exit code when its port was taken between our choice and its bind
# What SubprocessASGIServer adds to the server's environment (no UI, Prefect's ephemeral mode).
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


@dataclass(frozen=True)
class SharedServer:
    """What ``scout-api.json`` records of the running server."""

    pid: int
    url: str
    started: float
    idle_seconds: float


@dataclass(frozen=True)
class Places:
    """The files of the shared server under one ``PREFECT_HOME``."""

    home: Path

    @property
    def state(self) -> Path:
        return self.home / "scout-api.json"

    @property
    def leases(self) -> Path:
        return self.home / "scout-api" / "leases"

    @property
    def lock(self) -> Path:
        return self.home / "scout-api" / "lock"

    @property
    def log(self) -> Path:
        return self.home / "scout-api" / "server.log"


def process_token(pid: int) -> str | None:
    """A live process's identity (its start time, so a reused pid is not taken for it); None once
    it is gone or a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    except OSError:  # no /proc: whether the pid exists is all we can know
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return ""
    return None if fields[0] in ("Z", "X") else fields[19]


@contextlib.contextmanager
def locked(places: Places) -> Iterator[None]:
    """Finding, starting and stopping the server, one process at a time."""
    places.lock.parent.mkdir(parents=True, exist_ok=True)
    with places.lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def take_lease(places: Places) -> None:
    """Say this process uses the server until it exits (a killed one's lease is found dead)."""
    places.leases.mkdir(parents=True, exist_ok=True)
    lease, draft = places.leases / str(os.getpid()), places.leases / f".{os.getpid()}"
    draft.write_text(process_token(os.getpid()) or "")
    draft.replace(lease)  # whole, never seen half written by the watchdog
    atexit.register(lease.unlink, missing_ok=True)


def live_leases(places: Places) -> int:
    """How many leases belong to live processes; the others are removed."""
    live = 0
    for lease in places.leases.glob("[0-9]*") if places.leases.is_dir() else ():
        token = process_token(int(lease.name))
        with contextlib.suppress(OSError):
            if token is not None and token == lease.read_text():
                live += 1
            else:
                lease.unlink()
    return live


def recorded(places: Places) -> SharedServer | None:
    try:
        return SharedServer(**json.loads(places.state.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def healthy(server: SharedServer, patience: float = 15.0) -> bool:
    """The recorded process is alive and its API answers within ``patience`` seconds (a busy
    server is slow, not dead: replacing it would break the commands using it)."""
    if process_token(server.pid) is None:
        return False
    try:
        with urllib.request.urlopen(f"{server.url}/health", timeout=patience) as response:
            return response.status == 200
    except OSError:
        return False


def shared_api_url(home: Path, idle_seconds: float, startup_seconds: float) -> str:
    """The shared server's API URL for this process, under a lease: the recorded server when it
    answers, else a new one (a dead or unhealthy one is replaced)."""
    places = Places(home)
    with locked(places):
        take_lease(places)
        server = recorded(places)
        if server is None or not healthy(server):
            if server is not None:
                _terminate(server.pid)
            server = _start(places, idle_seconds, startup_seconds)
            places.state.write_text(json.dumps(asdict(server)))
        return server.url


def use_prefect_api(mode: str | None, idle_seconds: float | None) -> None:
    """Point this process's Prefect at an API before any flow runs: a configured PREFECT_API_URL
    (a real server, a worker, a test harness) is kept as it is; otherwise the shared server, or,
    under ``SCOUT_PREFECT_SERVER=temporary``, Prefect's per-command server guarded to die with us."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import get_current_settings

    from flows.server_guard import guard_temporary_server

    settings = get_current_settings()
    if settings.api.url:
        return
    if mode == "temporary":
        guard_temporary_server()
        return
    os.environ["PREFECT_API_URL"] = shared_api_url(
        settings.home, idle_seconds or DEFAULT_IDLE_SECONDS, settings.server.ephemeral.startup_timeout_seconds)
    refresh_global_settings_context()  # Prefect read its settings when first imported


def stop_shared_server(home: Path) -> SharedServer | None:
    """Stop the recorded server (None when none is recorded) and forget it."""
    places = Places(home)
    with locked(places):
        server = recorded(places)
        if server is not None:
            _terminate(server.pid)
            places.state.unlink(missing_ok=True)
        return server


def _ours(pid: int) -> bool:
    """Whether ``pid`` runs this module (a recorded pid may since belong to someone else)."""
    try:
        return __name__.encode() in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return process_token(pid) is not None


def _terminate(pid: int) -> None:
    if not _ours(pid):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS * 2
    while process_token(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        if process_token(pid) is not None:
            os.kill(pid, signal.SIGKILL)


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def _start(places: Places, idle_seconds: float, startup_seconds: float) -> SharedServer:
    """Prefect's app under uvicorn, as SubprocessASGIServer runs it, plus this module's watchdog."""
    import prefect
    from prefect.settings import get_current_settings

    env = {**os.environ, **SERVER_ENV, **get_current_settings().to_environment_variables(exclude_unset=True)}
    env.pop("PREFECT_API_URL", None)
    places.log.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + startup_seconds
    while True:
        port = _free_port()
        args = [sys.executable, "-m", __name__, str(places.home), str(idle_seconds),
                "--app-dir", str(prefect.__module_path__.parent), "--factory", "prefect.server.api.server:create_app",
                "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"]
        with places.log.open("ab") as log:
            process = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                       start_new_session=True)
        server = SharedServer(process.pid, f"http://127.0.0.1:{port}/api", time.time(), idle_seconds)
        while process.poll() is None and not healthy(server, patience=1.0):
            if time.monotonic() > deadline:
                process.kill()
                raise ScoutError(f"the shared Prefect server did not answer within {startup_seconds:.0f} s "
                                 f"(its log: {places.log}); SCOUT_PREFECT_SERVER=temporary avoids it")
            time.sleep(0.1)
        if process.poll() is None:
            return server
        if process.returncode != PORT_IN_USE:
            raise ScoutError(f"the shared Prefect server exited with code {process.returncode} at start "
                             f"(its log: {places.log})")


def _watch(places: Places, idle_seconds: float) -> None:
    """Stop this server once no lease has been live for ``idle_seconds``; under the lock, so a
    command that just took a lease is never left with a server that is going away."""
    last_used = time.monotonic()
    while True:
        time.sleep(POLL_SECONDS)
        if live_leases(places):
            last_used = time.monotonic()
        elif time.monotonic() - last_used >= idle_seconds:
            with locked(places):
                if live_leases(places):
                    last_used = time.monotonic()
                    continue
                if (server := recorded(places)) is not None and server.pid == os.getpid():
                    places.state.unlink(missing_ok=True)
            break
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)


if __name__ == "__main__":
    home, idle = Path(sys.argv[1]), float(sys.argv[2])
    threading.Thread(target=_watch, args=(Places(home), idle), daemon=True, name="idle-watch").start()
    sys.argv = ["uvicorn", *sys.argv[3:]]
    runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)
