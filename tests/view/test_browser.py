"""The trainer's page in a real browser: Debian's chromium driven by Playwright, offline.

One server per module: ``solara run view.page`` started through ``reintegrate app``'s own
:func:`serve` on a free port of 127.0.0.1 (with a session lifetime of seconds, so the memory
test need not wait minutes), stopped by the fixture. The tests open the page in headless
chromium as a trainer would: they change settings, reset, step and play; they check the
layout from the page's geometry at projector and large-screen sizes, that play never runs
past the end and says so, that memory stays flat over repeated page loads, and that the page
asked for nothing beyond this machine, logged no error and printed nothing about Solara.
A run leaves screenshots in results/screenshots/ (docs/screenshots.py takes the docs' own).
"""

from __future__ import annotations

import html
import io
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest
from PIL import Image

from experiments.cli.app import CHROMIUM, CHROMIUM_FLAGS, serve
from model.scenario import load_scenario
from view import memory
from view.charts import chart_text_px
from view.kept_figure import DPI

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "results" / "screenshots"
VIEWS = 6  # two networks, three charts, the spending bars
START_TIMEOUT_S = 90
WAIT_MS = 30_000
SUSTAINABLE = "Sustainably reintegrated: A against B"
#: Seconds a closed page's session lives on in the test server (the app's default: minutes).
CULL_S = 3


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
def server(tmp_path_factory):
    """The page's server: its address, its log and its process."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser installs it)")
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    with open(log, "w") as out:
        env = {"SOLARA_KERNEL_CULL_TIMEOUT": f"{CULL_S}s"}
        process = serve("127.0.0.1", port, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_for_port(port, process, log)
            yield f"http://127.0.0.1:{port}/", log, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@pytest.fixture(scope="module")
def browser(server):
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _open(browser, url: str, width: int = 1500, height: int = 1000):
    """A new page at ``url`` in its own browser context, recording what went wrong."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors, page.outside, page.failed = [], [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: _outside(r.url) and page.outside.append(r.url))
    page.on("response", lambda r: r.status >= 400 and page.failed.append(r.url))
    page.goto(url, timeout=WAIT_MS * 2)
    expect(page.locator("button:has-text('Step')")).to_be_visible(timeout=WAIT_MS * 2)
    return page


@pytest.fixture
def page(browser, server):
    page = _open(browser, server[0])
    yield page
    page.context.close()


def _outside(address: str) -> bool:
    parsed = urlparse(address)
    return parsed.scheme not in {"blob", "data"} and parsed.hostname != "127.0.0.1"


def _choose(page, label: str, option: str) -> None:
    control = page.locator(".v-input").filter(has=page.locator(f"label:text-is('{label}')"))
    control.locator(".v-input__slot").click()
    menu = page.locator(".menuable__content__active .v-list-item__title")
    menu.filter(has_text=re.compile(f"^{re.escape(option)}$")).click()


def _box(page, label: str):
    """The box that shows and takes a slider setting's value."""
    setting = page.locator(".rt-setting").filter(has=page.locator(f"span:text-is('{label}')"))
    return setting.locator(".rt-value input")


def _type(page, label: str, text: str) -> None:
    box = _box(page, label)
    box.fill(text)
    box.press("Enter")


def _card(page, title: str):
    return page.locator(".rt-card").filter(has=page.locator(f".rt-title:text-is('{title}')"))


def _pictures(page, attempts: int = 5) -> list[bytes]:
    """Each view's picture as the browser drew it (taken again, a bounded number of times,
    if a picture is caught while its element is being replaced)."""
    for _ in range(attempts - 1):
        try:
            return _capture(page)
        except playwright.Error:
            page.wait_for_timeout(500)
    return _capture(page)


def _capture(page) -> list[bytes]:
    images = page.locator(".rt-picture img")
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


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    page.screenshot(path=SCREENSHOTS / name)


def _clean(page) -> None:
    assert not page.errors, page.errors
    assert not page.outside, f"the page reached beyond this machine: {page.outside}"
    assert not page.failed, f"missing front-end files: {page.failed}"


def test_the_tab_is_named_from_the_first_byte_not_solara(server):
    """A room sees the tab's name while the page loads: the HTML the server sends names the
    page before any script runs (Solara's own default is "Solara")."""
    with urllib.request.urlopen(server[0], timeout=WAIT_MS / 1000) as response:
        sent = response.read().decode()
    titles = re.findall(r"<title>(.*?)</title>", sent, flags=re.S)
    assert [html.unescape(t.strip()) for t in titles] == [
        "Two strategies, one population — trainer's page"
    ]


def test_the_page_runs_offline_and_shows_two_strategies_diverging(page, server):
    assert page.title() == "Two strategies, one population — trainer's page"
    _pictures(page)
    weights = {n: int(_box(page, f"{n.title()} support (%)").input_value()) for n in
               ("individual", "community", "structural")}  # fmt: skip
    _type(page, "Individual support (%)", "100")
    _choose(page, "Strategy A", "none")
    expect(page.locator(".rt-pending")).to_have_count(2)  # both wait for Reset
    page.locator("button:has-text('Reset')").click()
    # a Reset makes two models and their first pictures on the server: seconds on a busy
    # machine, so it is waited for as every month is, not for the 5 s of a page-only change
    expect(page.locator(".rt-pending")).to_have_count(0, timeout=WAIT_MS)

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
    _screenshot(page, "app.png")
    _clean(page)
    log = server[1].read_text()
    assert "New version" not in log and "samesite" not in log.lower(), log[-2000:]


#: Every piece of text or picture a card holds, with where it is and whether it is cut or
#: covered: inside its card, inside the window's width, not overflowing, and the element
#: itself on top at its centre once scrolled into view.
GEOMETRY = """() => {
  const problems = [];
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 &&
                           a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  for (const card of document.querySelectorAll('.rt-card')) {
    const title = card.querySelector('.rt-title').innerText;
    for (const el of card.querySelectorAll('.rt-title, .rt-live, .rt-key, .rt-picture img')) {
      el.scrollIntoView({block: 'center'});
      const r = el.getBoundingClientRect(), c = card.getBoundingClientRect();
      const what = title + ' / ' + el.className;
      if (!inside(r, c)) problems.push('outside its card: ' + what);
      if (r.left < 0 || r.right > window.innerWidth) problems.push('off screen: ' + what);
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        problems.push('cut: ' + what);
      const probe = document.elementFromPoint((r.left + r.right) / 2,
                                              Math.min((r.top + r.bottom) / 2, r.top + 10));
      if (!probe || !(el.contains(probe) || probe.contains(el))) problems.push('covered: ' + what);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize(
    ("width", "height", "scenario", "smallest"),
    [(1280, 720, "dispersed", 360), (1920, 1080, "default", 600)],
)  # a context as the menu names it: its plain label
def test_no_key_or_label_is_cut_or_covered_and_pictures_grow(
    browser, server, width, height, scenario, smallest
):
    page = _open(browser, server[0], width, height)
    try:
        _choose(page, "Return context", load_scenario(scenario).label)
        page.locator("button:has-text('Reset')").click()
        _step_to(page, 1)
        _pictures(page)
        if scenario == "dispersed":  # the note that the network is a sample is on screen
            expect(_card(page, "A: individual — who is settling in")).to_contain_text("sample")
        assert page.evaluate(GEOMETRY) == []
        widths = page.eval_on_selector_all(
            ".rt-picture img", "els => els.map(e => e.getBoundingClientRect().width)"
        )
        assert min(widths) >= smallest  # large enough for the back of the room
        keys = page.eval_on_selector_all(
            ".rt-key", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert min(keys) >= 15
        for label in ("Budget (USD)", "Initial welcome (0-1)"):  # values readable at a glance
            box = _box(page, label)
            assert box.evaluate("e => e.scrollWidth <= e.clientWidth") and box.input_value()
        _screenshot(page, f"app-{width}.png")
        _clean(page)
    finally:
        page.context.close()


#: Where the room's eyes go, measured at the top of the page (as it opens): each picture's
#: drawn and natural width, the two headline numbers' and the outcome chart's boxes, the
#: panes that scroll (the page's own included), and the smallest computed font of any text
#: in a card or the header.
PROJECTOR = """() => {
  document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; });
  window.scrollTo(0, 0);
  const box = e => { const r = e.getBoundingClientRect();
                     return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const cards = [...document.querySelectorAll('.rt-card')];
  const pictures = cards.map(c => { const img = c.querySelector('.rt-picture img');
      return {title: c.querySelector('.rt-title').innerText,
              shown: img.getBoundingClientRect().width, natural: img.naturalWidth}; });
  const outcome = cards.find(c => c.innerText.includes('A against B'));
  const panes = [...document.querySelectorAll('body *')].filter(e => {
      const s = getComputedStyle(e);
      return /(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 1; })
    .map(e => e.tagName + '.' + e.className + ' in ' + e.parentElement.className);
  if (document.scrollingElement.scrollHeight > window.innerHeight + 1) panes.push('the page');
  const texts = [...document.querySelectorAll('.rt-header *, .rt-card *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
  return {pictures, panes, height: window.innerHeight,
          headlines: [...document.querySelectorAll('.rt-headline')].map(box),
          outcome: box(outcome.querySelector('.rt-picture img')),
          smallestText: Math.min(...texts.map(e => parseFloat(getComputedStyle(e).fontSize))),
          pageText: document.body.innerText};
}"""
#: The size on screen (CSS px) below which the back of a room cannot read a chart's text.
LEGIBLE_PX = 14


def _chart_text(pictures: list[dict]) -> dict[str, float]:
    """The size on screen of each chart's text (the networks have none)."""
    return {p["title"]: chart_text_px(p["natural"] / DPI, p["shown"]) for p in pictures
            if "who is settling in" not in p["title"]}  # fmt: skip


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_on_a_projector_the_outcome_and_its_numbers_show_at_once_and_every_text_is_legible(
    browser, server, width, height
):
    page = _open(browser, server[0], width, height)
    try:
        _step_to(page, 1)
        _pictures(page)
        seen = page.evaluate(PROJECTOR)
        assert len(seen["headlines"]) == 2  # A and B, with the outcome chart, before scrolling
        for shown in [*seen["headlines"], seen["outcome"]]:
            assert shown["top"] >= 0 and shown["bottom"] <= seen["height"]
        assert len(seen["panes"]) == 1, f"one pane scrolls, not {seen['panes']}"
        assert seen["smallestText"] >= LEGIBLE_PX
        text = _chart_text(seen["pictures"])
        assert len(text) == VIEWS - 2 and min(text.values()) >= LEGIBLE_PX, text
        assert "USD per returnee" in seen["pageText"]
        assert not re.search(r"\w_\w", seen["pageText"]), "a file or field name on the page"
        page.get_by_text("Presentation: larger charts").click()
        expect(page.locator(".rt-presenting")).to_have_count(1)
        expect(page.locator(".rt-settings")).to_be_hidden()
        larger = _chart_text(page.evaluate(PROJECTOR)["pictures"])
        assert all(larger[title] > 1.15 * size for title, size in text.items()), (text, larger)
        _clean(page)
    finally:
        page.context.close()


def _months_seen(page) -> list[int]:
    return page.evaluate("window.monthsSeen")


def test_quick_clicks_on_play_run_one_loop_that_stops_at_the_end_and_says_so(page):
    page.evaluate("""() => { window.monthsSeen = [];
        new MutationObserver(() => {
            const m = document.querySelector('.rt-month');
            if (m) window.monthsSeen.push(parseInt(m.innerText.split(' ')[1]));
        }).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    horizon = int(page.locator(".rt-month").inner_text().split(" of ")[1])
    _choose(page, "Speed while playing", "fast: as fast as it draws")
    play = page.locator("button:has-text('Play'), button:has-text('Pause')")
    for _ in range(3):  # play, pause, play: as a trainer clicking quickly
        play.click()
    expect(page.locator(".rt-end")).to_contain_text("The run is over", timeout=WAIT_MS * 4)
    expect(page.locator(".rt-month")).to_have_text(f"Month {horizon} of {horizon}")
    expect(page.locator(".rt-end")).to_contain_text("Reset")
    expect(page.locator("button:has-text('Step')")).to_be_disabled()
    expect(page.locator("button:has-text('Play')")).to_be_disabled()
    seen = _months_seen(page)
    assert max(seen) == horizon and seen == sorted(seen)  # never past the end, never back
    page.locator("button:has-text('Reset')").click()
    expect(page.locator(".rt-end")).to_have_count(0, timeout=WAIT_MS)  # a Reset: see above
    expect(page.locator(".rt-month")).to_have_text(f"Month 0 of {horizon}")
    _clean(page)


RELOADS = 12


@pytest.mark.slow
def test_memory_stays_flat_over_repeated_page_loads(browser, server):
    """Each load makes a session (two models, their pictures); once closed pages' sessions are
    culled the server must give their memory back. It used to keep ~4-10 MB a load (freed
    heap glibc held on to); ``benchmarks/bench_app.py --reloads 200`` measures 200 loads."""
    url, _, process = server
    rss = []

    def load(times: int) -> None:
        for _ in range(times):
            page = _open(browser, url, 1280, 720)
            _pictures(page)
            page.context.close()
        time.sleep(CULL_S + memory.TRIM_DELAY_S + 2)  # culled, then trimmed
        rss.append(psutil.Process(process.pid).memory_info().rss / 2**20)

    load(4)  # warm-up: imports, caches, the first pictures
    load(RELOADS // 2)
    load(RELOADS // 2)
    per_load = (rss[-1] - rss[1]) / (RELOADS // 2)
    assert per_load < 1.5, f"server memory (MB) after each round: {rss}"
    assert rss[-1] - rss[0] < 30, f"server memory (MB) after each round: {rss}"
