"""The pull step of ``prefect.yaml``: which checkout a worker's flow run works in.

Prefect's own ``set_working_directory`` with ``{{ $SCOUT_HOME }}`` got an empty string when the
worker was started without it, and failed deep in the run with ``FileNotFoundError: ''``.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.errors import InputError

#: The checkout this code was installed from (``make install`` installs it in place).
THIS_CHECKOUT = Path(__file__).resolve().parents[1]


def enter_checkout(directory: str = "") -> dict[str, str]:
    """Change into ``directory`` ($SCOUT_HOME, templated by Prefect; empty when unset), or this
    checkout when it is empty; refuse, in one line, a directory that holds no flows to run."""
    home = Path(directory).expanduser() if directory.strip() else THIS_CHECKOUT
    if not (home / "flows" / "discover.py").is_file():
        given = f"SCOUT_HOME={home}" if directory.strip() else f"SCOUT_HOME is unset and {home}"
        raise InputError(f"{given} is not a creator-scout checkout (no flows/discover.py); "
                         "set SCOUT_HOME to the checkout the worker should run.")
    os.chdir(home)
    return {"directory": str(home)}
