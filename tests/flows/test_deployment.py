"""prefect.yaml's pull step, resolved the way a worker's flow run resolves it (no server)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml
from prefect.deployments.steps.core import StepExecutionError, run_steps

CHECKOUT = Path(__file__).resolve().parents[2]


def pull_into(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: str | None) -> Path:
    """Run prefect.yaml's pull steps from an unrelated directory; the directory they entered."""
    steps = yaml.safe_load((CHECKOUT / "prefect.yaml").read_text())["pull"]
    if home is None:
        monkeypatch.delenv("SCOUT_HOME", raising=False)
    else:
        monkeypatch.setenv("SCOUT_HOME", home)
    monkeypatch.chdir(tmp_path)  # restored afterwards, whatever the steps did
    asyncio.run(run_steps(steps, print_function=lambda *_: None))
    return Path.cwd()


def test_without_scout_home_the_pull_enters_this_checkout(monkeypatch, tmp_path):
    assert pull_into(monkeypatch, tmp_path, None) == CHECKOUT


def test_scout_home_is_honoured(monkeypatch, tmp_path):
    other = tmp_path / "other-checkout"
    (other / "flows").mkdir(parents=True)
    (other / "flows" / "discover.py").write_text("")
    assert pull_into(monkeypatch, tmp_path, str(other)) == other


def test_a_scout_home_that_is_no_checkout_says_so(monkeypatch, tmp_path):
    with pytest.raises(StepExecutionError) as caught:
        pull_into(monkeypatch, tmp_path, str(tmp_path / "nowhere"))
    message = str(caught.value.__cause__)
    assert "SCOUT_HOME" in message and "nowhere" in message and "\n" not in message


@pytest.mark.parametrize("deployment", yaml.safe_load((CHECKOUT / "prefect.yaml").read_text())["deployments"],
                         ids=lambda deployment: deployment["name"])
def test_every_deployment_loads_its_flow_and_its_parameters_fit(deployment):
    """What a worker does first: load the entrypoint and check the parameters against the flow
    (a discover on Dask passes its discover parameters on: they must fit discover)."""
    from prefect.flows import load_flow_from_entrypoint

    from flows.discover import discover

    params = deployment["parameters"]
    flow = load_flow_from_entrypoint(str(CHECKOUT / deployment["entrypoint"]))
    assert flow.validate_parameters(params).items() >= params.items()
    if "discover_params" in params:
        assert discover.validate_parameters(params["discover_params"]).items() >= params["discover_params"].items()
