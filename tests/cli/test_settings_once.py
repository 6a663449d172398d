"""Issue 11: the settings are read from the environment once, by the entry point (a CLI command
or a flow), and passed down: nothing below flows/ builds them on its own."""

from __future__ import annotations

import traceback
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app
from core.settings import Settings

FIXTURES = Path(__file__).parents[1] / "fixtures"
ENTRY_LAYERS = ("cli", "flows")


@pytest.fixture
def readers(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Who called ``Settings.from_env``: the package of the nearest frame of ours, per call."""
    calls: Counter[str] = Counter()
    real = Settings.from_env.__func__

    def spy(cls, *args, **kwargs):
        root = Path(__file__).parents[2]
        ours = [f for f in traceback.extract_stack()[:-1]
                if f.filename.startswith(str(root)) and "/tests/" not in f.filename and "/.venv/" not in f.filename]
        calls[Path(ours[-1].filename).relative_to(root).parts[0] if ours else "?"] += 1
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(Settings, "from_env", classmethod(spy))
    return calls


@pytest.mark.parametrize("command", [
    ["candidates"], ["candidates", "-f", "csv"], ["export", "-o", "{tmp}/c.csv"], ["export", "-o", "{tmp}/c.html"],
    ["report", "-o", "{tmp}/r.html"], ["forget", "--list-tombstones"],
])
def test_read_commands_read_the_settings_once_at_the_entry_point(readers, bakers_db, tmp_path, command):
    _settings_read_once(readers, bakers_db, tmp_path, command)


@pytest.mark.usefixtures("prefect_harness")  # forget scrubs Prefect too: the session's API, not a server of its own
def test_forget_reads_the_settings_once_at_the_entry_point(readers, bakers_db, tmp_path):
    _settings_read_once(readers, bakers_db, tmp_path, ["forget", "-p", "bluesky", "--handle", "nobody.example.com",
                                                       "--force"])


def _settings_read_once(readers, bakers_db, tmp_path, command: list[str]) -> None:
    db = bakers_db(5)
    readers.clear()  # building the file is the test's set-up, not the command
    args = [a.format(tmp=tmp_path) for a in command] + ["--db", str(db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert set(readers) <= set(ENTRY_LAYERS) and sum(readers.values()) == 1, readers


@pytest.mark.usefixtures("prefect_harness")
def test_an_import_reads_the_settings_in_its_command_and_its_flow_only(readers, tmp_path):
    result = CliRunner().invoke(app, ["import", "-p", "bluesky", str(FIXTURES / "bluesky" / "post_thread.json"),
                                      "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 0, result.output
    assert set(readers) <= set(ENTRY_LAYERS) and readers, readers
