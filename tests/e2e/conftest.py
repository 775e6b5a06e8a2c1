"""The web app in a real browser: Debian's Chromium driven by Playwright, against the product
served by `otelbi serve` (gateway + both services, the built app at /) on a real PostgreSQL
store and generated warehouses.

`make test` builds the app first (frontend/dist); without a build these tests fail, they do
not skip. Screenshots go to test-artifacts/ (OTELBI_TEST_ARTIFACTS to move it), and every
page is checked for console errors and Content-Security-Policy violations.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from otelbi.domains import Domain
from otelbi.warehouse.engines import duckdb_path
from tests.conftest import POSTGRES_ADMIN_URL, PROJECT_ROOT
from tests.integration.test_split_mode import free_port

FRONTEND_DIST = PROJECT_ROOT / "frontend" / "dist"
AXE_SOURCE = PROJECT_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("OTELBI_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium keeps calling hosts this machine
# cannot reach (../shared/browser-testing.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
# Two shared cores: a page's first visit (chunks, warehouse queries) can take a few seconds.
expect.set_options(timeout=20_000)
PHONE = {"width": 390, "height": 844}


@dataclass
class Product:
    """A running product: its base URL and where its log goes."""

    url: str
    log: Path
    report_dir: Path
    postgres_url: str


def _database(name: str) -> str:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"otelbi serve exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            if httpx.get(f"{url}/api/config", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"otelbi serve did not answer within 90 s:\n{log.read_text()}")


def start_product(
    stack: ExitStack, data_dir: Path, work_dir: Path, *, port: int | None = None, **settings: str
) -> Product:
    """Start `otelbi serve` on a fresh database and `port` (default: a free one); stopped
    when `stack` closes. `settings` (environment variables) win over the defaults here."""
    assert (FRONTEND_DIST / "index.html").exists(), (
        "the web app is not built: run `make test` (or `cd frontend && npm ci && npm run build`)"
    )
    name = f"otelbi_e2e_{uuid.uuid4().hex[:10]}"
    postgres_url = _database(name)
    stack.callback(_drop_database, name)
    port = port or free_port()
    log = work_dir / f"serve-{port}.log"
    report_dir = work_dir / f"reports-{port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "OIDC_"))},
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(data_dir),
        "FRONTEND_DIST_DIR": str(FRONTEND_DIST),
        "REPORT_OUTPUT_DIR": str(report_dir),
        "REQUIRE_FRONTEND_AUTH": "false",
        "JOBS_ENABLED": "true",
        "JOBS_STARTUP_DELAY_SECONDS": "0",
        "OTEL_SDK_DISABLED": "true",
        "PORT": str(port),
        **settings,
    }
    output = stack.enter_context(log.open("w"))
    process = subprocess.Popen(
        [sys.executable, "-m", "otelbi.cli", "serve"],
        env=env,
        cwd=work_dir,
        stdout=output,
        stderr=subprocess.STDOUT,
    )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(url, process, log)
    return Product(url=url, log=log, report_dir=report_dir, postgres_url=postgres_url)


def wait_for_startup_jobs(product: Product) -> None:
    """Wait until each domain service's jobs have run once after start (events, snapshots)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        done = True
        for domain in ("aw", "wwi"):
            jobs = {
                job["job_id"]
                for job in httpx.get(f"{product.url}/api/{domain}/jobs").json()["items"]
            }
            runs = httpx.get(f"{product.url}/api/jobs/{domain}", params={"limit": 200}).json()[
                "items"
            ]
            finished = {run["job_id"] for run in runs if run["status"] != "running"}
            done = done and jobs <= finished
        if done:
            return
        time.sleep(0.5)
    log = product.log.read_text()
    raise AssertionError(f"the start-up jobs did not finish within 180 s:\n{log}")


@pytest.fixture(scope="session")
def product(
    generated_warehouses: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Product]:
    """The product on generated warehouses, shared by the browser tests of a session; its
    start-up jobs have run (so job history, snapshots and stock events exist)."""
    with ExitStack() as stack:
        running = start_product(stack, generated_warehouses, tmp_path_factory.mktemp("e2e"))
        wait_for_startup_jobs(running)
        yield running


@pytest.fixture(scope="session")
def product_without_wwi(
    generated_warehouses: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Product]:
    """The product whose WideWorldImporters warehouse is gone (AdventureWorks still there)."""
    data_dir = tmp_path_factory.mktemp("no-wwi")
    target = duckdb_path(Domain.AW, data_dir)
    target.parent.mkdir(parents=True)
    shutil.copy(duckdb_path(Domain.AW, generated_warehouses), target)
    with ExitStack() as stack:
        yield start_product(stack, data_dir, tmp_path_factory.mktemp("e2e-no-wwi"))


# Per module, not per session: Playwright's sync API keeps an asyncio loop running in this
# thread while it is open, and later tests that call asyncio.run() must not find one.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.messages.append(f"console error: {message.text} ({where})")

    def expect_none(self, *, allowed: tuple[str, ...] = ()) -> None:
        """Fail on any problem, except console errors containing one of `allowed`."""
        unexpected = [m for m in self.messages if not any(a in m for a in allowed)]
        assert unexpected == [], "\n".join(unexpected)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop-sized page in a fresh context (en-US, light theme) with its problems checked."""
    context = browser.new_context(
        viewport=DESKTOP, locale="en-US", color_scheme="light", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def problems(page: Page) -> PageProblems:
    """What goes wrong in `page` (watched from before its first navigation)."""
    return PageProblems(page)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact and return its path."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page) -> list[dict[str, object]]:
    """Return axe-core's serious and critical violations on the page as it is now."""
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]
