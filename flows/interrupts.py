"""Ctrl-C that cannot get lost.

Python raises ``KeyboardInterrupt`` wherever the main thread happens to be when the signal
arrives. Inside library code (Prefect runs some calls through futures that catch
``BaseException`` and are never read) it can be caught and dropped, and the run then went on
to finish and exit 0. While ``remembered_interrupts`` is active the signal is also remembered
and every fetch stops at its next request, so the batch loop sees it at its next step
(``raise_if_interrupted``) even when the exception itself was swallowed.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from scrapers.http import stop_requests

_SEEN = threading.Event()


def _remember(signum: int, frame: FrameType | None) -> None:
    _SEEN.set()
    stop_requests()
    raise KeyboardInterrupt


@contextmanager
def remembered_interrupts() -> Iterator[None]:
    """Remember SIGINT for the block (only the main thread can install a handler; elsewhere, and
    where SIGINT is ignored, nothing changes)."""
    _SEEN.clear()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if main else signal.SIG_IGN
    if previous is signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, _remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def raise_if_interrupted() -> None:
    """Raise the interrupt now if one arrived and was swallowed on its way."""
    if _SEEN.is_set():
        raise KeyboardInterrupt
