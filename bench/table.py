"""`make bench`: every benchmark in one run, side by side, and one table of their figures.

Each bench script prints its headline figures as lines ``BENCH {"figure": ..., "value": ...,
"unit": ..., "command": ...}`` (and whatever it likes for people around them). This runs the
scripts one after another as subprocesses (so one's memory peak never hides in another's),
passes their output through, collects those lines and prints one Markdown table at the end:
figure, value, target, and the command that measured it. A script that fails or is missing
is a row saying so; the others still run.

    .venv/bin/python bench/table.py                  # the full set (1M creators: ~15-25 min)
    .venv/bin/python bench/table.py --quick          # smaller sizes, a few minutes
    .venv/bin/python bench/table.py --only rescore candidates --json out.json

Not a test: nothing here asserts on a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PREFIX = "BENCH "


@dataclass(frozen=True)
class Step:
    """One bench script and its arguments for a full and a quick run."""

    name: str
    script: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()


STEPS = (
    Step("rescore-100k", "bench_rescore.py", ("--creators", "100000"), ("--creators", "20000")),
    Step("rescore-1m", "bench_rescore.py", ("--creators", "1000000"),
         ("--creators", "100000")),
    Step("candidates", "bench_candidates.py", (), ("--creators", "100000")),
    Step("match", "bench_match.py", (), ("--creators", "100000")),
    Step("match-input", "bench_match_input.py", ("--posts-each", "8"), ("--rows", "5000", "--posts-each", "8")),
    Step("discover", "bench_discover.py", (),
         ("--creators", "200", "--runs", "1", "--memory-limits", "100", "400")),
    Step("classify", "bench_classify.py", (), ("--rows", "50000", "--dev-rows", "50000")),
)


def parse_figures(lines: list[str]) -> list[dict]:
    """The BENCH lines of a script's output, in order; a malformed one is skipped, not fatal."""
    figures = []
    for line in lines:
        if line.startswith(PREFIX):
            try:
                figure = json.loads(line[len(PREFIX):])
            except json.JSONDecodeError:
                continue
            if isinstance(figure, dict) and "figure" in figure and "value" in figure:
                figures.append(figure)
    return figures


def run_step(step: Step, quick: bool) -> tuple[list[dict], str | None]:
    """Run one script, echoing its output; (figures, why it produced none or None)."""
    script = BENCH / step.script
    if not script.exists():
        return [], f"{step.script} is not in bench/"
    argv = [sys.executable, str(script), *(step.quick if quick else step.full)]
    print(f"\n## {step.name}: {' '.join(argv[1:])}", flush=True)
    lines: list[str] = []
    started = time.perf_counter()
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          cwd=BENCH.parent, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            print(line, end="", flush=True)
    seconds = time.perf_counter() - started
    figures = parse_figures(lines)
    if proc.returncode != 0:
        return figures, f"exit {proc.returncode} after {seconds:.0f} s"
    return figures, None if figures else "printed no BENCH line"


def _value(figure: dict) -> str:
    value = figure["value"]
    text = f"{value:,.3g}" if isinstance(value, float) and abs(value) < 100 else (
        f"{value:,.0f}" if isinstance(value, (int, float)) else str(value))
    return f"{text} {figure.get('unit', '')}".strip()


def table(rows: list[tuple[str, dict | None, str | None]]) -> str:
    """Markdown: one row per figure (or per step that gave none, with why)."""
    out = ["| step | figure | value | target | command |", "|---|---|---|---|---|"]
    for step, figure, problem in rows:
        if figure is None:
            out.append(f"| {step} | - | {problem} | | |")
            continue
        command = str(figure.get("command", "")).replace("|", "\\|")
        out.append(f"| {step} | {figure['figure']} | {_value(figure)} | {figure.get('target', '')} | `{command}` |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: minutes, not tens of minutes")
    parser.add_argument("--only", nargs="+", choices=[s.name for s in STEPS], metavar="STEP",
                        help="run only these steps: " + ", ".join(s.name for s in STEPS))
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()
    steps = [s for s in STEPS if not args.only or s.name in args.only]
    load = os.getloadavg()[0]
    rows: list[tuple[str, dict | None, str | None]] = []
    for step in steps:
        figures, problem = run_step(step, args.quick)
        rows += [(step.name, f, None) for f in figures]
        if problem:
            rows.append((step.name, None, problem))
    print(f"\n# make bench: {len(steps)} steps, {os.cpu_count()} CPUs, load {load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([{"step": s, **(f or {"problem": p})} for s, f, p in rows], indent=2))


if __name__ == "__main__":
    main()
