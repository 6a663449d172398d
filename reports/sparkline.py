"""A follower-growth sparkline as a small inline SVG, drawn from numbers only (nothing to escape)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

WIDTH, HEIGHT, PAD = 120, 28, 2


def sparkline(values: Sequence[float]) -> Markup | None:
    """A polyline through ``values`` (oldest first), or None with fewer than two observations."""
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / (len(values) - 1)
    points = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD):.1f}" for i, v in enumerate(values)
    )
    return Markup(
        f'<svg class="spark" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="follower growth">'
        f'<polyline fill="none" stroke="#2f6fdf" stroke-width="1.5" points="{points}"/></svg>'
    )
