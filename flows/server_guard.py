"""Prefect's temporary API server exits when the CLI that started it dies, even by kill -9.

Prefect starts that server as ``python -m uvicorn ...`` and stops it at exit; a killed CLI never
gets there and the server ran on with no parent. ``guard_temporary_server`` makes Prefect start
it as ``python -m flows.server_guard PID -m uvicorn ...`` instead: the same server, plus a thread
that stops it once its parent (PID) is gone. It runs in its own session, so a Ctrl-C at the
terminal reaches the CLI only: the CLI then still has a server to report the interrupted run to,
instead of retrying a dead one for a minute, and stops it at exit.
"""

from __future__ import annotations

import os
import runpy
import signal
import sys
import threading
import time
from typing import Any

POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0  # after SIGTERM, uvicorn's own shutdown; then a hard exit


class _GuardedSubprocess:
    """The subprocess module as prefect.server.api.server sees it, starting uvicorn guarded."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def Popen(self, args: list[str], **kwargs: Any) -> Any:  # noqa: N802 - subprocess's name
        if list(args[1:3]) == ["-m", "uvicorn"]:
            args = [args[0], "-m", __name__, str(os.getpid()), *args[1:]]
            kwargs.setdefault("start_new_session", True)
        return self._module.Popen(args, **kwargs)


def guard_temporary_server() -> None:
    """Make the temporary server Prefect may start from this process die with it."""
    from prefect.server.api import server

    if not isinstance(server.subprocess, _GuardedSubprocess):
        server.subprocess = _GuardedSubprocess(server.subprocess)


def _watch(parent: int) -> None:
    """Stop this process once ``parent`` is gone (we were re-parented, or it never existed)."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)


if __name__ == "__main__":
    parent_pid, module = int(sys.argv[1]), sys.argv[3]
    threading.Thread(target=_watch, args=(parent_pid,), daemon=True, name="parent-watch").start()
    sys.argv = [module, *sys.argv[4:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
