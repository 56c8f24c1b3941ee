"""How long the trainer's page takes to show one month (numbers to read; nothing is asserted).

Two measurements, each over a run of months clicked one at a time:

1. On the server: the whole page (Mesa's SolaraViz inside Solara's layout) rendered with
   ``solara.render`` and its real Step button clicked. A click costs both models' month and
   every picture drawn and encoded as PNG — the work the page does per month. Measured for
   the page as shipped (500 returnees; the network views draw a sample of villages) and with
   every household and every returnee drawn on both sides (all 500 returnees on screen).
2. In the browser: the page served by ``solara run`` and opened in headless chromium; the
   time from a click on Step until every card shows the new month (its pictures included).

    python benchmarks/bench_app.py               # both, 12 months each
    python benchmarks/bench_app.py --months 24   # more months
    python benchmarks/bench_app.py --no-browser  # server side only

Target (issue 4): a month renders in under a second with 500 returnees on screen on a laptop.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import app  # noqa: E402
from experiments.app_command import CHROMIUM, CHROMIUM_FLAGS, serve  # noqa: E402

SHIPPED_CAP = app.MAX_HOUSEHOLDS_SHOWN
#: Every card shows the month and every picture has loaded (checked at each frame).
SHOWS_MONTH = """month => {
    const cards = [...document.querySelectorAll('.vue-grid-item .v-card')];
    const images = [...document.querySelectorAll('.vue-grid-item img')];
    return cards.every(c => c.innerText.includes(month)) && images.every(i => i.complete);
}"""


def report(label: str, wall: list[float], cpu: list[float] | None = None) -> None:
    """Median and worst month; CPU time too where measured (it ignores a busy machine)."""

    def ms(seconds):
        return f"median {1000 * statistics.median(seconds):5.0f} ms, max {1000 * max(seconds):5.0f}"

    print(f"{label}\n    wall {ms(wall)}" + (f"   |   CPU {ms(cpu)}" if cpu else ""))


def drawn(model: app.SideBySide) -> str:
    side = model.sides["A"]
    graph = app.networks.to_networkx(side.world, max_households=app.MAX_HOUSEHOLDS_SHOWN)
    kinds = [kind for kind, _ in graph]
    return f"{kinds.count('household')} households, {kinds.count('returnee')} returnees per side"


def server_side(months: int, everyone: bool) -> None:
    import ipyvuetify as v
    import solara

    app.MAX_HOUSEHOLDS_SHOWN = None if everyone else SHIPPED_CAP

    @solara.component
    def Whole():
        with solara.AppLayout():
            app.Page()

    _, rc = solara.render(Whole(), handle_error=False)
    step = rc.find(v.Btn, children=["Step"]).widget
    wall, cpu = [], []
    for _ in range(months):
        start, start_cpu = time.perf_counter(), time.process_time()
        step.fire_event("click", {})
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    rc.close()  # or the next page would redraw along with it
    model = app.SideBySide(**app.initial_values(app.MODEL_PARAMS))
    for _ in range(months):
        model.step()
    what = "every household and returnee" if everyone else "as shipped"
    report(f"server, {what}; {months} months; then {drawn(model)}", wall, cpu)


def in_browser(months: int) -> None:
    from playwright.sync_api import expect, sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
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
            cards = page.locator(".vue-grid-item .v-card")
            expect(cards).to_have_count(len(app.COMPONENTS), timeout=60_000)
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
    report(f"browser, as shipped; {months} months; click until every card shows the month", seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    settings = app.initial_values(app.MODEL_PARAMS)
    print(
        f"{settings['n_returnees']} returnees, scenario {settings['scenario_name']}, "
        f"{len(app.COMPONENTS)} views redrawn per month"
    )
    server_side(args.months, everyone=False)
    server_side(args.months, everyone=True)
    if not args.no_browser and CHROMIUM.exists():
        in_browser(args.months)


if __name__ == "__main__":
    main()
