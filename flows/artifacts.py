"""What a discover run leaves in the Prefect UI, and its counts in one line (CLI and UI alike)."""

from __future__ import annotations

import json
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.markdown import md_cell
from warehouse.queries import candidates, run_summary
from warehouse.warehouse import Warehouse


@task(cache_policy=NO_CACHE)
def publish_artifacts(warehouse: Warehouse, run_id: str, platform: str, summary: dict[str, Any]) -> None:
    """A table of the top candidates and a markdown summary, visible in the Prefect UI."""
    top = candidates(warehouse.path, platforms=[platform], limit=20, config=warehouse.config)
    columns = ["handle", "display_name", "tier", "followers", "er_median", "person_probability"]
    create_table_artifact(
        key=f"top-candidates-{platform}",
        table=json.loads(top[columns].to_json(orient="records")),
        description=f"Top {platform} candidates by median engagement rate",
    )
    details = run_summary(warehouse.path, run_id, config=warehouse.config)
    lines = [
        f"# discover {md_cell(platform)}",
        f"- creators scored: {summary['creators']}",
        f"- posts: {summary['posts']}",
        f"- requests: {summary['requests']} ({summary['requests_per_creator']:.2f} per creator)",
        f"- retries: {summary['retries']}",
        f"- errors: {summary['errors']}",
        "- " + format_counts(summary),
        "",
        "| tier | creators |",
        "|---|---|",
        *[f"| {md_cell(tier)} | {n} |" for tier, n in details["by_tier"].items()],
        "",
        "| account type | creators |",
        "|---|---|",
        *[f"| {md_cell(kind)} | {n} |" for kind, n in details["by_account_type"].items()],
    ]
    reasons = details["top_error_reasons"]
    if reasons:
        lines += ["", "| error | count |", "|---|---|"]
        lines += [f"| {md_cell(reason)} | {n} |" for reason, n in reasons]
    create_markdown_artifact(key=f"discover-summary-{platform}", markdown="\n".join(lines))


def format_counts(summary: dict[str, Any]) -> str:
    """The run counts in one line, the same in the CLI output and the Prefect artifact."""
    counts = summary["counts"]
    line = ", ".join(f"{key} {counts[key]}" for key in ("fetched", "loaded", "retried", "quarantined", "errors"))
    return f"{line}; batches {summary['batches']} ({summary['batches_reused']} reused from an earlier attempt)"
