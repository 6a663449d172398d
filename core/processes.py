"""Helper processes that end with the process that started them.

A pool's worker waits for work on a pipe that it holds both ends of, so when its parent is
killed (SIGKILL, an OOM kill) it would wait for ever, holding its memory and any pipe its
parent's caller reads to the end. ``exit_with_parent`` is a pool initializer that prevents it.
"""

from __future__ import annotations

import os
import threading
import time

POLL_SECONDS = 0.5


def exit_with_parent(parent_pid: int) -> None:
    """Watch, from a daemon thread, that ``parent_pid`` is still this process's parent; once it
    is not (the parent died and the process was re-parented), end this process at once."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
