"""The trainer's page in a real browser: Debian's chromium driven by Playwright, offline.

The test starts ``solara run view.page`` as a subprocess on a free port of 127.0.0.1 (through
``reintegrate app``'s own :func:`serve`), opens it in headless chromium, changes a slider and a
strategy, resets, steps, and checks that every picture drew and moved, that the two sides
tell different stories, that the page made no request beyond this machine and logged no
error. It leaves a screenshot in results/screenshots/app.png and stops the server itself.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image

from experiments.cli.app import CHROMIUM, CHROMIUM_FLAGS, serve

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# Each run leaves its screenshot in results/ (not tracked); UPDATE_SCREENSHOT=1 also refreshes
# the README's picture in docs/img/.
SCREENSHOT = ROOT / "results" / "screenshots" / "app.png"
README_PICTURE = ROOT / "docs" / "img" / "app.png"
VIEWS = 6  # two networks, three charts, the spending bars
START_TIMEOUT_S = 90
WAIT_MS = 30_000
SUSTAINABLE = "Sustainably reintegrated: A against B"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the page's server exited:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the page's server did not listen within {START_TIMEOUT_S} s")


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser installs it)")
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    with open(log, "w") as out:
        server = serve("127.0.0.1", port, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for_port(port, server, log)
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=15)


@pytest.fixture
def page(url):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            page.errors, page.outside, page.failed = [], [], []
            page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
            page.on("pageerror", lambda e: page.errors.append(str(e)))
            page.on("request", lambda r: _outside(r.url) and page.outside.append(r.url))
            page.on("response", lambda r: r.status >= 400 and page.failed.append(r.url))
            page.goto(url, timeout=WAIT_MS * 2)
            yield page
        finally:
            browser.close()


def _outside(address: str) -> bool:
    parsed = urlparse(address)
    return parsed.scheme not in {"blob", "data"} and parsed.hostname != "127.0.0.1"


def _control(page, label: str):
    return page.locator(".v-input").filter(has=page.locator(f"label:text-is('{label}')"))


def _choose(page, label: str, option: str) -> None:
    _control(page, label).locator(".v-input__slot").click()
    menu = page.locator(".menuable__content__active .v-list-item__title")
    menu.filter(has_text=re.compile(f"^{re.escape(option)}$")).click()


def _card(page, title: str):
    return page.locator(".v-card").filter(has=page.locator(f"b:text-is('{title}')"))


def _pictures(page, attempts: int = 5) -> list[bytes]:
    """Each view's picture as the browser drew it.

    A view still settling replaces its <img> element; a picture caught in that moment is
    taken again (a bounded number of times) rather than failing the test on timing.
    """
    for _ in range(attempts - 1):
        try:
            return _capture(page)
        except playwright.Error:
            page.wait_for_timeout(500)
    return _capture(page)


def _capture(page) -> list[bytes]:
    images = page.locator(".vue-grid-item img")
    expect(images).to_have_count(VIEWS, timeout=WAIT_MS)
    for i in range(VIEWS):
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 100", arg=images.nth(i).element_handle()
        )
    return [images.nth(i).screenshot() for i in range(VIEWS)]


def _colours(png: bytes) -> int:
    return len(Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20) or [])


def _step_to(page, month: int) -> None:
    page.locator("button:has-text('Step')").click()
    expect(_card(page, SUSTAINABLE)).to_contain_text(f"Month {month}:", timeout=WAIT_MS)


def _both_sides(text: str) -> list[tuple[str, str]]:
    """``A 12% / B 30%`` pairs from a card's line of this month's numbers."""
    return re.findall(r"A ([\d.,%–]+) / B ([\d.,%–]+)", text)


expect = playwright.expect


def test_the_page_runs_offline_and_shows_two_strategies_diverging(page):
    expect(page.locator("button:has-text('Step')")).to_be_visible(timeout=WAIT_MS * 2)
    _pictures(page)

    split = {
        name: _control(page, f"{name.title()} support (%)")
        for name in ("individual", "community", "structural")
    }
    weights = {
        name: int(c.locator("[role=slider]").get_attribute("aria-valuenow"))
        for name, c in split.items()
    }
    thumb = split["individual"].locator("[role=slider]")
    thumb.focus()
    thumb.press("End")
    expect(thumb).to_have_attribute("aria-valuenow", "100")
    _choose(page, "Strategy A", "none")
    page.locator("button:has-text('Reset')").click()

    share = round(100 * 100 / (100 + weights["community"] + weights["structural"]))
    expect(page.get_by_text("A: none — who is settling in")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text(f"Your split of the budget: {share}% individual")).to_be_visible()

    before = _pictures(page)
    for month in range(1, 7):
        _step_to(page, month)
    after = _pictures(page)
    for first, last in zip(before, after, strict=True):
        assert last != first, "a view did not change after six months"
        assert _colours(last) > 8, "a view is blank"
    assert after[0] != after[1], "the two networks are the same picture"

    money = _both_sides(_card(page, "Where the money went").inner_text())
    assert money and money[0][0] == "0" and money[0][1] != "0"  # "none" buys nothing
    outcomes = [
        pair
        for title in (SUSTAINABLE, "Economic, social and psychosocial", "The community around them")
        for pair in _both_sides(_card(page, title).inner_text())
    ]
    assert len(outcomes) >= 6 and any(a != b for a, b in outcomes)

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    page.screenshot(path=SCREENSHOT)
    assert Image.open(SCREENSHOT).size[0] > 800
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(SCREENSHOT, README_PICTURE)
    assert not page.errors, page.errors
    assert not page.outside, f"the page reached beyond this machine: {page.outside}"
    assert not page.failed, f"missing front-end files: {page.failed}"
