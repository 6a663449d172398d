"""Saved pages are untrusted: a 50 MB hostile page parses in linear time (issue 10, defect 14).

Each shape below was quadratic or worse before: '<script ' repeated in the TikTok script regex,
and an unclosed tag at the end of the page in html.parser (Instagram, YouTube). Each parse runs
in a child process so a regression fails on the time bound instead of hanging the suite.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SIZE = 50 * 1024 * 1024
LIMIT_SECONDS = 60  # generous: each parse takes 0.1-2 s here; the quadratic ones never finished

SHAPES = {
    "script tags without '>'": ("<script ", ""),
    "script ids without '>'": ('<script id="SIGI_STATE" ', ""),
    "one script tag, many ids": (' id="__UNIVERSAL_DATA_FOR_REHYDRATION__"', "<script"),
    "unclosed end tags": ("</", "<html>"),
    "unclosed processing instructions": ("<?", "<html>"),
    "meta tags without '>'": ("<meta ", "<html>"),
    "ytInitialData assignments without an object": ("ytInitialData =", "<html><script>"),
}

_CHILD = """
import sys, time
from scrapers.registry import get_platform
platform, unit, head, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
page = head + unit * ((size - len(head)) // len(unit))
started = time.perf_counter()
result = get_platform(platform).parse_saved(page)
assert not result.profiles and result.errors, result
print(f"{time.perf_counter() - started:.2f}")
"""


@pytest.mark.parametrize("platform", ["tiktok", "instagram", "youtube"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_50_mb_hostile_page_parses_within_the_time_bound(platform, shape):
    unit, head = SHAPES[shape]
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, platform, unit, head, str(SIZE)],
                              capture_output=True, text=True, timeout=LIMIT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{platform}: a 50 MB page of {shape} took over {LIMIT_SECONDS} s")
    assert done.returncode == 0, done.stderr[-2000:]
    print(f"{platform} {shape}: {done.stdout.strip()} s")


def test_the_linear_scan_finds_the_same_scripts_as_before():
    from scrapers.tiktok.page import SIGI, script_text

    assert script_text('<SCRIPT type="application/json" id="SIGI_STATE" nonce=1>{"a":1}</script>',
                       SIGI) == '{"a":1}'
    assert script_text('<script class="SIGI_STATE" id=\'SIGI_STATE\'>{}</Script>x', SIGI) == "{}"
    assert script_text('<script id="SIGI_STATE">{"cut', SIGI) == '{"cut'  # truncated save
    assert script_text('<script>var s = "SIGI_STATE"</script>', SIGI) is None
    assert script_text('<div id="SIGI_STATE"></div><script id="SIGI_STATEX">{}</script>', SIGI) is None
    assert script_text('<script id="SIGI_STATE" <b> <script id="SIGI_STATE">[1]</script>',
                       SIGI) == "[1]"
