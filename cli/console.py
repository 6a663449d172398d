"""Where the CLI writes, and how an error becomes one line and an exit code.

Only a ``ScoutError`` is the user's to fix and prints as one clean line with its exit code;
any other exception is a bug and says so, with the traceback under ``-v``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from core.errors import ScoutError

if TYPE_CHECKING:
    from core.settings import Settings

# Piped output (CI logs, `| less`) has no width; 80 columns would truncate every handle.
console = Console(width=None if sys.stdout.isatty() else 140)
err_console = Console(stderr=True, soft_wrap=True)  # an error is one line, never wrapped

USAGE_ERROR = 2  # exit code of bad input, as for Click's own usage errors
INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a Ctrl-C


class _Tracebacks:
    """Whether -v asked to see a bug's traceback instead of one line (set once per process)."""

    shown = False


def show_tracebacks(verbose: bool) -> None:
    """-v anywhere on the command line shows tracebacks from then on."""
    _Tracebacks.shown = _Tracebacks.shown or verbose


def fail(message: str, code: int = 1) -> typer.Exit:
    """One red line on stderr and a non-zero exit."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Our own errors (``ScoutError``) become one line and their exit code (2 for bad input);
    anything else is a bug, and says so in one line unless -v asks for the traceback."""
    try:
        yield
    except ScoutError as exc:
        raise fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt as exc:  # Ctrl-C: what became of the work (a run says), not a bug
        err_console.print(escape(str(exc) or "interrupted"), highlight=False)
        raise typer.Exit(INTERRUPTED) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if _Tracebacks.shown:
            raise
        raise fail(f"unexpected {type(exc).__name__}: {exc} (a bug; run `scout -v ...` for the "
                   "traceback and report it)") from None


# Prefect's words for a flow Ctrl-C stopped, and ours for the fetch tasks it stopped.
_INTERRUPT_WORDS = ("aborted by an interrupt signal", "the run was interrupted")


def _not_an_interrupt(record: logging.LogRecord) -> bool:
    return not any(words in record.getMessage() for words in _INTERRUPT_WORDS)


def quiet_prefect(verbose: bool, config: Settings) -> None:
    """Prefect logs at INFO are for the UI; on a terminal, warnings are enough by default.

    Telemetry is off unless asked for: offline it only fails, loudly, in the middle of a run.
    A local API server gets 90 s to start, not Prefect's 20: on a busy 2-core machine it can take
    longer, and the run then died with a bare RuntimeError before doing anything.
    Unless PREFECT_API_URL names a server, the command reports to the shared local one
    (``flows.shared_server``), or with ``SCOUT_PREFECT_SERVER=temporary`` to Prefect's temporary
    server, made to exit with this process, even on kill -9.
    Dask (``--task-runner dask``) logs its cluster's life at INFO, and warns when it kills a slow
    worker at the end; its errors are enough (read from the environment when it is imported).
    """
    from flows.shared_server import use_prefect_api

    show_tracebacks(verbose)
    if not verbose:  # Ctrl-C is said in our own line, not in Prefect's "Crash detected!" and task errors
        for name in ("prefect.flow_runs", "prefect.task_runs"):
            logging.getLogger(name).addFilter(_not_an_interrupt)
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if verbose else "error")
    with clear_errors():
        use_prefect_api(config.prefect_server, config.prefect_idle)
