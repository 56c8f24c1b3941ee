"""``reintegrate app``: the trainer's page (``view.page``, a Mesa SolaraViz page) in the browser.

It runs ``solara run view.page`` with this environment's Python, bound to this machine only by
default, offline and quiet (:data:`SOLARA_SETTINGS`): a training room often has no internet,
and the page needs none (its front-end files come with the ``solara-assets`` package).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from experiments.cli.arguments import port

#: The page, as a module of the installed project (so it runs from a wheel too).
APP = "view.page"
#: Debian's chromium, and the flags that let it run headless here with no outside calls
#: (Playwright cannot download its own browser on these machines); for tests and benchmarks.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


#: Solara's settings for a room (each can still be overridden from the environment):
#: no usage telemetry; a closed page's session freed after two minutes rather than Solara's
#: 24 hours (each holds two models and their pictures, ~12 MB: a room of laptops reloading
#: would fill the machine); no "Solara" badge over the cards.
SOLARA_SETTINGS = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_KERNEL_CULL_TIMEOUT": "2m",
    "SOLARA_THEME_SHOW_BANNER": "False",
}
#: Solara warns at every page load over plain http on an address other than "localhost"
#: that its session cookie falls back to SameSite=lax: harmless for a page with no iframe.
QUIET_WARNINGS = "ignore:Cookies with samesite=none require https"


def solara_command(host: str, port: int, open_browser: bool) -> list[str]:
    """``solara run`` on the page, without its start-up check for a newer Solara on PyPI."""
    return [
        sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port),
        "--production", "--no-check-version", "--open" if open_browser else "--no-open",
    ]  # fmt: skip


def serve(host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False, env=None, **popen):
    """Start the page's server as a subprocess (the caller stops it); ``env`` adds to or
    overrides its environment (tests shorten the session lifetime, for one)."""
    from view.help import PAGE_TITLE  # the tab's name before the page's script runs

    warnings = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), QUIET_WARNINGS]))
    named = {**SOLARA_SETTINGS, "SOLARA_THEME_TITLE": PAGE_TITLE}
    full = {**named, **os.environ, "PYTHONWARNINGS": warnings, **(env or {})}
    return subprocess.Popen(solara_command(host, port, open_browser), env=full, **popen)


def register(sub) -> None:
    p = sub.add_parser("app", help="open the trainer's page: two strategies side by side, live")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    p.add_argument("--port", type=port, default=8765, help="port (default: 8765)")
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
