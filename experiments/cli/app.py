"""``reintegrate app``: the trainer's page (``view.page``, a Mesa SolaraViz page) in the browser.

It runs ``solara run view.page`` with this environment's Python, bound to this machine only by
default, and with Solara's usage telemetry switched off: a training room often has no
internet, and the page needs none (its front-end files come with the ``solara-assets``
package).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

#: The page, as a module of the installed project (so it runs from a wheel too).
APP = "view.page"
#: Debian's chromium, and the flags that let it run headless here with no outside calls
#: (Playwright cannot download its own browser on these machines); for tests and benchmarks.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    return [
        sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port),
        "--production", "--open" if open_browser else "--no-open",
    ]  # fmt: skip


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False, **popen):
    """Start the page's server as a subprocess (the caller stops it)."""
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    return subprocess.Popen(solara_command(host, port, open_browser), env=env, **popen)


def register(sub) -> None:
    p = sub.add_parser("app", help="open the trainer's page: two strategies side by side, live")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    p.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    p.add_argument(
        "--no-browser",
        action="store_true",
        help="do not open a browser window; go to http://HOST:PORT yourself",
    )
    p.set_defaults(handler=handle)


def handle(args) -> int:
    print(f"opening the trainer's page at http://{args.host}:{args.port} (Ctrl+C to stop)")
    server = serve(args.host, args.port, open_browser=not args.no_browser)
    # stopped by Ctrl+C or by a kill: either way, stop the server too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        return server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
