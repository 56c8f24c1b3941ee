"""How long the trainer's page takes to show one month (numbers to read; nothing is asserted).

Each measurement clicks Step month after month and times every click:

1. On the server: the whole page (Mesa's SolaraViz inside Solara's layout) rendered with
   ``solara.render`` and its real Step button clicked. A click costs both models' month and
   every card's picture drawn and encoded as PNG — the work the page does per month. Measured
   with the page's own settings (the report's: 1,000 returnees, every household and every
   returnee of the default scenario drawn on both sides) and again with the Returnees slider
   at its top,
   set and Reset as a trainer would.
2. In the browser: the page served by ``reintegrate app``'s server and opened in headless
   chromium; the time from a click on Step until every card shows the new month and every
   picture has loaded. Browser and server share this machine's cores.

    python benchmarks/bench_app.py               # all three, 12 months each
    python benchmarks/bench_app.py --months 24   # more months
    python benchmarks/bench_app.py --no-browser  # server side only
    python benchmarks/bench_app.py --sessions 10 # 3. ten pages stepping at once (the default)
    python benchmarks/bench_app.py --reloads 200 # 4. memory over 200 page loads, nothing else

3. Many sessions: ``--sessions`` pages (a room of laptops) in one chromium, all clicking Step
   at once, month after month; median and 95th percentile of a step's time over all pages,
   each timed by its own page from its click until its month and pictures show.
4. Memory: ``--reloads`` page loads one after another; the most resident memory the server
   held (sampled every 20 loads), then the samples and the memory once the last closed
   session is culled (``--cull``, the app's 2 minutes).

Targets (the trainer's page issues): a month renders in under a second with the default
scenario's returnees on screen, on a laptop; 10 sessions stepping at once, median under 1 s
and 95% under 2 s.
"""

from __future__ import annotations

import argparse
import html
import re
import socket
import statistics
import subprocess
import time

from mesa.visualization import Slider

from experiments.cli.app import CHROMIUM, CHROMIUM_FLAGS, serve
from view.cards import COMPONENTS
from view.controls import MODEL_PARAMS, initial_values
from view.page import Page
from view.villages import MAX_HOUSEHOLDS_SHOWN

#: Every card shows the month and every picture has loaded (checked at each frame).
SHOWS_MONTH = """month => {
    const cards = [...document.querySelectorAll('.rt-card')];
    const images = [...document.querySelectorAll('.rt-picture img')];
    return cards.every(c => c.innerText.includes(month)) && images.every(i => i.complete);
}"""


def report(label: str, wall: list[float], cpu: list[float] | None = None) -> None:
    """Median, 90th percentile and worst month; CPU time too where measured."""

    def ms(seconds):
        p90 = statistics.quantiles(seconds, n=10, method="inclusive")[-1]
        return (
            f"median {1000 * statistics.median(seconds):5.0f} ms, 90% {1000 * p90:5.0f}, "
            f"max {1000 * max(seconds):5.0f}"
        )

    print(f"{label}\n    wall {ms(wall)}" + (f"   |   CPU {ms(cpu)}" if cpu else ""))


def on_screen(rc) -> str:
    """What the network cards drew, as the page's own note (under network A's legend) says."""
    import solara

    legends = [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets]
    note = next(text for text in legends if "who came back so far" in text)
    return html.unescape(re.search(r"<i>([^<]*)</i>$", note).group(1))


def server_side(months: int, returnees: int | None) -> None:
    """Click Step ``months`` times on the page rendered in this process."""
    import ipyvuetify as v
    import solara

    @solara.component
    def Whole():
        with solara.AppLayout():
            Page()

    _, rc = solara.render(Whole(), handle_error=False)
    if returnees is not None:  # as a trainer would: move the slider, press Reset
        sliders = [n for n, o in MODEL_PARAMS.items() if isinstance(o, Slider)]
        box = rc.find(v.TextField, class_="rt-value").widgets[sliders.index("n_returnees")]
        box.v_model = str(returnees)
        box.fire_event("keyup.enter", {})
        reset = next(b for b in rc.find(v.Btn).widgets if b.children[0].startswith("Reset"))
        reset.fire_event("click", {})
    step = rc.find(v.Btn, children=["Step"]).widget
    wall, cpu = [], []
    for _ in range(months):
        start, start_cpu = time.perf_counter(), time.process_time()
        step.fire_event("click", {})
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    shown = on_screen(rc)
    rc.close()  # or the next page would redraw along with it
    label = f"{returnees or initial_values(MODEL_PARAMS)['n_returnees']} returnees"
    report(f"server, {label}; {months} months; then: {shown}", wall, cpu)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_browser(months: int) -> None:
    """Click Step ``months`` times in headless chromium on the served page."""
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    server = serve("127.0.0.1", port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=60_000)
                    break
                except Exception:  # the server is still starting
                    time.sleep(0.5)
            step = page.locator("button:has-text('Step')")
            expect(step).to_be_visible(timeout=60_000)
            cards = page.locator(".rt-card")
            expect(cards).to_have_count(len(COMPONENTS), timeout=60_000)
            seconds = []
            for month in range(1, months + 1):
                start = time.perf_counter()
                step.click()
                page.wait_for_function(SHOWS_MONTH, arg=f"Month {month}:", polling="raf")
                seconds.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    print("browser months (ms):", [round(1000 * s) for s in seconds])
    returnees = initial_values(MODEL_PARAMS)["n_returnees"]
    report(f"browser, {returnees:,} returnees; {months} months; click until every card shows it",
           seconds)  # fmt: skip


#: In the page: click Step, then note how long until the month and every picture show
#: (timed by the page's own clock, so waiting on one page never adds to another's time).
CLICK_AND_TIME = """month => {
    window.stepTook = null;
    const start = performance.now();
    const step = [...document.querySelectorAll('button')]
        .find(b => b.textContent.trim() === 'Step');
    step.click();
    const shown = () => document.querySelector('.rt-month').innerText
            .startsWith('Month ' + month + ' ')
        && [...document.querySelectorAll('.rt-picture img')].every(i => i.complete);
    (function poll() {
        if (shown()) window.stepTook = performance.now() - start;
        else setTimeout(poll, 5);
    })();
}"""


def many_sessions(sessions: int, months: int) -> None:
    """``sessions`` pages in one headless chromium, each clicking Step at once, month after
    month: each page's time from its click until its month and pictures show."""
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    server = serve("127.0.0.1", port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            pages = []
            for _ in range(sessions):
                page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
                _goto(page, port)
                expect(page.locator(".rt-picture img")).to_have_count(
                    len(COMPONENTS), timeout=90_000
                )
                pages.append(page)
            for month in range(1, months + 1):
                for page in pages:  # all clicks first, then wait: the sessions step together
                    page.evaluate(CLICK_AND_TIME, month)
                for page in pages:
                    page.wait_for_function("window.stepTook !== null", timeout=120_000)
                    times.append(page.evaluate("window.stepTook") / 1000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
    print(
        f"browser, {sessions} sessions stepping at once, {months} months each: a step's time "
        f"median {1000 * statistics.median(times):.0f} ms, 95% {1000 * p95:.0f} ms, "
        f"max {1000 * max(times):.0f} ms"
    )


def reloads(times: int, cull: str) -> None:
    """The page opened and closed ``times`` times, one after another, as a room reloading;
    the server's memory every 20 loads, and once the last closed session was culled."""
    import psutil
    from playwright.sync_api import expect, sync_playwright
    from solara.util import parse_timedelta

    port = free_port()
    env = {"SOLARA_KERNEL_CULL_TIMEOUT": cull}
    server = serve("127.0.0.1", port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    memory = psutil.Process(server.pid)
    rss: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            for load in range(1, times + 1):
                context = browser.new_context(viewport={"width": 1280, "height": 720})
                page = context.new_page()
                _goto(page, port)
                expect(page.locator(".rt-picture img")).to_have_count(
                    len(COMPONENTS), timeout=90_000
                )
                context.close()
                if load % 20 == 0:
                    rss.append(round(memory.memory_info().rss / 2**20))
            browser.close()
        time.sleep(parse_timedelta(cull) + 10)  # the last sessions culled, their memory trimmed
        after = round(memory.memory_info().rss / 2**20)
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(f"server memory over {times} page loads (sessions culled {cull} after closing): "
          f"at most {max(rss):,} MB")  # fmt: skip
    print(f"    (every 20 loads: {rss} MB; once all were culled: {after} MB)")


def _goto(page, port: int) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            page.goto(f"http://127.0.0.1:{port}/", timeout=60_000)
            return
        except Exception:  # the server is still starting
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--sessions", type=int, default=10, help="pages stepping at once")
    parser.add_argument("--reloads", type=int, default=0, help="page loads for memory (e.g. 200)")
    parser.add_argument("--cull", default="2m", help="session lifetime after close (the app's)")
    args = parser.parse_args()
    if args.reloads:
        reloads(args.reloads, args.cull)
        return
    settings = initial_values(MODEL_PARAMS)
    print(
        f"scenario {settings['scenario_name']}, {len(COMPONENTS)} cards redrawn per month; "
        f"at most {MAX_HOUSEHOLDS_SHOWN:,} households drawn per network"
    )
    server_side(args.months, returnees=None)
    server_side(args.months, returnees=MODEL_PARAMS["n_returnees"].max)
    if not args.no_browser and CHROMIUM.exists():
        in_browser(args.months)
        many_sessions(args.sessions, args.months)


if __name__ == "__main__":
    main()
