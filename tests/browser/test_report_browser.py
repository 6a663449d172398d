"""The HTML report in a real browser: Debian's Chromium, headless, driven by Selenium through
Debian's chromedriver (no driver or browser download: Selenium Manager is told to stay offline).

The report is written by the real `scout report` from a real DuckDB file and opened as a file.
Skipped with one reason when /usr/bin/chromium is absent (`make test-browser` installs it).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import report_warehouse
from typer.testing import CliRunner

from cli.app import app

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000")
CREATORS = 50

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="no /usr/bin/chromium and /usr/bin/chromedriver; `make test-browser` installs them"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of 50 creators, one of them hostile, written by `scout report`."""
    tmp = tmp_path_factory.mktemp("report")
    db, cache = report_warehouse.build(tmp, CREATORS)
    out = tmp / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "-o", str(out), "--avatar-cache", str(cache)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SE_OFFLINE", "true")  # Selenium Manager may not download anything
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture()
def page(browser, report: Path):
    """The report freshly loaded (so no test sees another's sorting or filtering)."""
    browser.get(report.as_uri())
    return browser


def visible(driver, selector: str) -> list:
    return [e for e in driver.find_elements("css selector", selector) if e.is_displayed()]


def show(driver, view: str) -> None:
    """Click the Cards or Table button."""
    driver.find_element("css selector", f'button[data-view="{view}-view"]').click()


def test_cards_charts_and_avatars_render(page, report: Path, tmp_path: Path, capsys) -> None:
    timing = page.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd};")
    shot = tmp_path / "report.png"
    assert page.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nreport of {CREATORS} creators: {report.stat().st_size:,} bytes; rendered in Chromium: "
              f"DOMContentLoaded {timing['dom']:.0f} ms, load {timing['load']:.0f} ms; screenshot {shot}")

    assert len(page.find_elements("css selector", "article.card")) == CREATORS
    assert len(page.find_elements("css selector", "#creator-table tbody tr")) == CREATORS
    charts = page.find_elements("css selector", "figure.chart svg")
    assert len(charts) == 4 and all(c.size["width"] > 100 and c.size["height"] > 100 for c in charts)
    assert len([s for s in page.find_elements("css selector", "article.card svg.spark") if s.size["width"] > 0]) == CREATORS
    avatars = page.execute_script(
        "return Array.from(document.querySelectorAll('img.avatar'), i => [i.complete, i.naturalWidth, i.src.slice(0, 22)]);")
    assert len(avatars) == CREATORS and all(done and width > 0 for done, width, _ in avatars)
    kinds = [src for _, _, src in avatars]
    assert kinds.count("data:image/svg+xml;bas") == 1  # the one creator without a cached avatar
    assert {"data:image/png;base64,", "data:image/jpeg;base64"} <= set(kinds)
    assert page.find_element("id", "shown").text == f"{CREATORS} of {CREATORS} shown"  # the script ran
    assert "ER" in page.find_element("css selector", "article.card .stats").text


def test_hostile_names_bios_and_captions_are_inert_text(page) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert  # noqa: B018 - the property raises when no dialog opened
    assert page.execute_script(
        "return [document.scripts.length, document.querySelectorAll('iframe, object, embed, marquee').length,"
        " document.querySelectorAll('[onerror], [onload], [onmouseover]').length,"
        " Array.from(document.images).filter(i => !i.src.startsWith('data:')).length];") == [1, 0, 0, 0]
    card = page.find_element("css selector", f'article.card[data-search*="{report_warehouse.HOSTILE_HANDLE}"]')
    assert report_warehouse.HOSTILE_NAME in card.text  # shown as the creator wrote it
    assert "</script><script>alert(2)</script>" in card.find_element("css selector", ".bio").text
    assert "<img src=x onerror=alert(4)>" in card.text and "<iframe" in card.text


def test_table_sorts_by_clicking_a_column(page) -> None:
    from selenium.webdriver.common.keys import Keys

    assert not visible(page, "#creator-table") and visible(page, "article.card")  # cards first
    show(page, "table")
    assert visible(page, "#creator-table") and not visible(page, "article.card")
    rows = page.find_elements("css selector", "#creator-table tbody tr")
    assert max(r.size["height"] for r in rows) <= 40  # compact: 20+ rows on a 1000-pixel screen, not 3
    header = next(th for th in page.find_elements("css selector", "#creator-table th") if th.text == "followers")

    def followers() -> list[int]:
        return [int(td.get_attribute("data-v")) for td in
                page.find_elements("css selector", "#creator-table tbody tr td:nth-child(4)")]

    header.click()
    assert followers() == sorted(followers(), reverse=True) and header.get_attribute("aria-sort") == "descending"
    header.click()
    assert followers() == sorted(followers()) and header.get_attribute("aria-sort") == "ascending"
    name = page.find_element("css selector", "#creator-table th")
    name.click()
    names = [td.text.lower() for td in page.find_elements("css selector", "#creator-table tbody td:first-child")]
    assert names == sorted(names)
    tier = next(th for th in page.find_elements("css selector", "#creator-table th") if th.text == "tier")
    tier.send_keys(Keys.ENTER)  # the keyboard sorts too
    assert tier.get_attribute("aria-sort") == "ascending" and name.get_attribute("aria-sort") is None


def test_filter_and_tier_select_hide_rows_and_cards(page) -> None:
    from selenium.webdriver.support.ui import Select

    page.find_element("id", "filter").send_keys("rosa")
    assert len(visible(page, "article.card")) == 1
    assert page.find_element("id", "shown").text == f"1 of {CREATORS} shown"
    show(page, "table")
    assert len(visible(page, "#creator-table tbody tr")) == 1
    page.find_element("id", "filter").clear()
    page.find_element("id", "filter").send_keys(" ")  # an input event; all match a blank again
    Select(page.find_element("id", "tier-filter")).select_by_value("micro")
    rows = visible(page, "#creator-table tbody tr")
    assert 0 < len(rows) < CREATORS and {r.get_attribute("data-tier") for r in rows} == {"micro"}
    show(page, "cards")
    cards = visible(page, "article.card")
    assert len(cards) == len(rows) and {c.get_attribute("data-tier") for c in cards} == {"micro"}


def test_no_request_leaves_the_file_and_the_policy_blocks_nothing_of_ours(browser, report: Path) -> None:
    browser.get_log("performance")  # drop what earlier pages logged
    browser.get(report.as_uri())
    requested = [json.loads(entry["message"])["message"]["params"]["request"]["url"]
                 for entry in browser.get_log("performance")
                 if json.loads(entry["message"])["message"]["method"] == "Network.requestWillBeSent"]
    assert requested and all(url.startswith(("file:", "data:")) for url in requested), requested
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    console = [entry["message"] for entry in browser.get_log("browser")]
    assert not [m for m in console if "Content Security Policy" in m], console  # our style and script hashes hold


def test_print_shows_cards_and_table_without_controls(page, tmp_path: Path) -> None:
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not visible(page, ".controls") and visible(page, "#creator-table")
        assert len(visible(page, "article.card")) == CREATORS
        pdf = base64.b64decode(page.print_page())
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") > 5
