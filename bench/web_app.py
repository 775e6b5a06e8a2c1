"""The web app's weight and the Overview's speed, as a browser sees them.

1. Initial JS: the scripts index.html loads before anything renders (the entry and its
   module preloads), gzip-compressed, against the 250 KiB budget; and the whole JS of the
   Overview's first visit (the entry plus the chunks it pulls in, charts included).
2. Overview fully rendered: Chromium (Debian's, through Playwright) opens / in a fresh
   context (cold cache) against `otelbi serve` on generated warehouses, and reads
   `performance.now()` when every KPI tile, the channel split, the outlook tiles and the
   sparkline's chart are on screen with no loading placeholder left — the time from the
   start of navigation to a page a person can read. Median and worst of N runs.

    cd frontend && npm run build && cd ..
    .venv/bin/python bench/web_app.py                 # scale 1 warehouses, 7 runs
    .venv/bin/python bench/web_app.py --scale 0.05 --runs 3
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from otelbi.domains import Domain
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path

DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
BUDGET_KIB = 250
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RENDERED = """() => {
  const ready = (id) => document.querySelector(`[data-testid=${id}]`) !== null;
  return ['aw-revenue-value', 'wwi-revenue-value', 'outlook-forecast', 'outlook-critical',
          'outlook-events', 'channel-internet-revenue'].every(ready)
    && document.querySelector('canvas') !== null
    && document.querySelector('[aria-busy=true]') === null;
}"""


def _gzip_kib(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


def initial_scripts() -> list[Path]:
    """Return the JS files index.html loads before the app renders."""
    html = (DIST / "index.html").read_text()
    names = re.findall(r'(?:src|href)="/(assets/[^"]+\.js)"', html)
    return [DIST / name for name in names]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    scripts = initial_scripts()
    initial = sum(_gzip_kib(path) for path in scripts)
    print(f"initial JS (gzip -9): {initial:.1f} KiB in {len(scripts)} file(s), budget {BUDGET_KIB}")

    with tempfile.TemporaryDirectory() as work:
        data_dir = Path(work) / "data"
        for domain in Domain:
            generate_warehouse(domain, duckdb_path(domain, data_dir), scale=args.scale, seed=1)
        port = _free_port()
        env = {
            **os.environ,
            "DATA_DIR": str(data_dir),
            "FRONTEND_DIST_DIR": str(DIST),
            "REQUIRE_FRONTEND_AUTH": "false",
            "JOBS_ENABLED": "false",
            "OTEL_SDK_DISABLED": "true",
            "REPORT_OUTPUT_DIR": str(Path(work) / "reports"),
            "PORT": str(port),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "otelbi.cli", "serve"],
            env=env,
            cwd=work,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(240):
                try:
                    httpx.get(f"{url}/api/config", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.25)
            _measure(url, args.runs)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _measure(url: str, runs: int) -> None:
    times: list[float] = []
    overview_js = 0.0
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        # One warm-up visit: the server's first queries open the warehouses.
        for run in range(runs + 1):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url + "/")
            page.wait_for_function(RENDERED, polling=20, timeout=30_000)
            elapsed = float(page.evaluate("performance.now()"))
            if run == 0:
                loaded = page.evaluate(
                    "performance.getEntriesByType('resource').map(e => e.name)"
                    ".filter(n => n.endsWith('.js'))"
                )
                overview_js = sum(_gzip_kib(DIST / n.split("/", 3)[3]) for n in loaded)
            else:
                times.append(elapsed)
            context.close()
        browser.close()
    print(f"Overview first visit, all JS it loads (gzip -9): {overview_js:.1f} KiB")
    print(
        f"Overview fully rendered after navigation: median {statistics.median(times):.0f} ms, "
        f"worst {max(times):.0f} ms over {len(times)} cold-cache visits (budget 1500 ms)"
    )


if __name__ == "__main__":
    main()
