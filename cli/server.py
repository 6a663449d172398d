"""``scout server status|stop``: the shared local Prefect server that flow commands report to."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import typer

from cli.console import clear_errors, console
from cli.options import settings

if TYPE_CHECKING:
    from flows.shared_server import Places

app = typer.Typer(help="The shared local Prefect server scout's flow commands report to.", no_args_is_help=True)


def _prefect_api() -> tuple[str | None, Places]:
    """The configured PREFECT_API_URL (None when unset) and the shared server's files."""
    from prefect.settings import get_current_settings

    from flows.shared_server import Places

    current = get_current_settings()
    return current.api.url, Places(current.home)


@app.command()
def status() -> None:
    """Whether the shared server runs, where, for how long and for how many commands."""
    from flows.shared_server import DEFAULT_IDLE_SECONDS, healthy, live_leases, recorded

    config = settings()
    with clear_errors():
        configured, places = _prefect_api()
    if configured:
        console.print(f"PREFECT_API_URL is set: scout's flows report to {configured}, not to a shared server.")
    elif config.prefect_server == "temporary":
        console.print("SCOUT_PREFECT_SERVER=temporary: each command starts and stops its own server.")
    server = recorded(places)
    if server is None or not healthy(server):
        next_one = "" if configured or config.prefect_server == "temporary" else "; the next flow command starts one"
        console.print(f"No shared Prefect server is running (state: {places.state}){next_one}.")
        return
    idle = config.prefect_idle or DEFAULT_IDLE_SECONDS
    console.print(f"shared Prefect server pid {server.pid} at {server.url}, up {time.time() - server.started:.0f} s, "
                  f"used by {live_leases(places)} command(s); it stops {server.idle_seconds:.0f} s after the "
                  f"last one ends (new servers: {idle:.0f} s).", highlight=False)


@app.command()
def stop() -> None:
    """Stop the shared server now (its flow runs stay in Prefect's database under PREFECT_HOME)."""
    from flows.shared_server import stop_shared_server

    with clear_errors():
        _, places = _prefect_api()
        stopped = stop_shared_server(places.home)
    if stopped is None:
        console.print("No shared Prefect server was recorded; nothing to stop.")
    else:
        console.print(f"stopped the shared Prefect server pid {stopped.pid} at {stopped.url}.", highlight=False)
