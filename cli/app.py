"""The ``scout`` Typer app: the commands of every group, registered in one place.

Every input is validated before any work starts, so bad input costs one clear line and a
non-zero exit, never a traceback and never a half-written file. Heavy imports (Prefect) happen
inside the commands that need them, so ``scout --help`` stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli import (
    authenticity,
    candidates,
    classify,
    classify_posts,
    discover,
    forget,
    match,
    prune,
    report,
    rescore,
    runs,
    sandbox,
    saved,
    server,
    show,
)
from cli.console import show_tracebacks

app = typer.Typer(
    name="scout",
    help="creator-scout: find real nano and micro creators, with the evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """creator-scout: find real nano and micro creators, with the evidence."""
    show_tracebacks(verbose)


app.command()(discover.discover)
app.command("candidates")(candidates.candidates_cmd)
app.command("export")(candidates.export_cmd)
app.command()(report.report)
app.command()(match.match)
app.command()(match.shortlist)
app.command()(classify.classify)
app.command()(authenticity.authenticity)
app.command("classify-posts")(classify_posts.classify_posts)
app.command("parse")(saved.parse_cmd)
app.command("import")(saved.import_cmd)
app.command()(forget.forget)
app.command()(rescore.rescore)
app.command()(runs.runs)
app.command()(prune.prune)
app.command()(show.show)
app.command()(sandbox.sandbox)
app.command()(sandbox.demo)
app.add_typer(server.app, name="server")
