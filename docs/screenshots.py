"""The screenshots of docs/trainers.md, taken afresh from the real page.

Serves the page as ``reintegrate app`` does (on a free port of this machine), opens it in
headless chromium at a projector's 1280x720 and a large screen's 1920x1080, plays the first
months at the page's defaults and saves what the room would see, before any scrolling:

    python docs/screenshots.py            # docs/img/app-1280.png, app-1920.png, app-present.png
    python docs/screenshots.py --months 24

The pictures are saved as 256-colour PNGs, to keep the repository small.
"""

from __future__ import annotations

import argparse
import io
import socket
import subprocess
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect, sync_playwright

from experiments.cli.app import CHROMIUM, CHROMIUM_FLAGS, serve

PICTURES = Path(__file__).with_name("img")
#: (file, width, height, presentation on)
SHOTS = [("app-1280.png", 1280, 720, False), ("app-1920.png", 1920, 1080, False),
         ("app-present.png", 1280, 720, True)]  # fmt: skip
WAIT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the page's server did not listen within {seconds:.0f} s")


def take(browser, url: str, name: str, width: int, height: int, presenting: bool, months: int):
    """One screenshot: the page at ``width`` x ``height``, ``months`` stepped."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, timeout=WAIT_MS)
    step = page.locator("button:has-text('Step')")
    expect(step).to_be_visible(timeout=WAIT_MS)
    if presenting:
        page.get_by_text("Presentation: larger charts").click()
        expect(page.locator(".rt-presenting")).to_have_count(1)
    for month in range(1, months + 1):
        step.click()
        expect(page.locator(".rt-month")).to_contain_text(f"Month {month} of", timeout=WAIT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.rt-picture img')].every(i => i.complete)"
    )
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    shot.quantize(256).save(PICTURES / name, optimize=True)
    context.close()
    print(f"{PICTURES / name}: {width}x{height}, month {months}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--months", type=int, default=12, help="months to step first (default 12)")
    args = p.parse_args()
    port = _free_port()
    server = serve("127.0.0.1", port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _listening(port)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            for name, width, height, presenting in SHOTS:
                take(browser, f"http://127.0.0.1:{port}/", name, width, height, presenting,
                     args.months)  # fmt: skip
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
