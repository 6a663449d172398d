"""What a batched command shows while its flow runs: a bar on a terminal, a line per batch elsewhere.

The flow reports each finished batch through :mod:`flows.progress`; here that becomes a Rich
progress bar (batch x of y, creators per second, ETA) when stdout is a terminal, and one plain
line per batch when it is not (a log file, CI), so an unattended run still says how far it got.
``discover``, ``import`` and ``demo`` use it; any later batched command takes it as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
)

from cli.console import console
from flows.progress import BatchProgress, listening


@contextmanager
def showing_progress(description: str, *, verbose: bool = False) -> Iterator[None]:
    """Show the batches of the flow the block runs. Off a terminal with ``verbose``, Prefect's own
    INFO log already prints each batch's line, so it is not printed twice."""
    if not console.is_terminal:
        if verbose:
            yield
            return
        with listening(lambda progress: console.print(progress.line, highlight=False, soft_wrap=True)):
            yield
        return
    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[detail]}"), console=console, transient=True)
    task = bar.add_task(description, total=None, detail="")

    def advance(progress: BatchProgress) -> None:
        bar.update(task, completed=progress.batch, total=progress.batches, detail=progress.detail)

    with bar, listening(advance):
        yield
