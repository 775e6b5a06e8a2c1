"""Signing in with a real identity provider (npm oidc-provider, authorization code + PKCE) and
one trace from a click in the browser down to the database, in Chromium."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PageProblems, Product, screenshot, start_product
from tests.integration.test_split_mode import free_port
from tests.peers.oidc_provider import SPA_SCOPE, OidcProvider, spa_provider
from tests.peers.otlp_receiver import CLIENT, SERVER, OtlpReceiver

TOKEN_TTL_SECONDS = 30
"""Access tokens of the sign-in live this long: the app renews them 20 s before expiry."""


@dataclass
class SignInSetup:
    provider: OidcProvider
    receiver: OtlpReceiver
    product: Product
    """Asks for every API scope."""
    without_reports: Product
    """Asks for every API scope but reports.generate."""


@pytest.fixture(scope="module")
def signed(
    generated_warehouses: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignInSetup]:
    ports = (free_port(), free_port())
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    receiver = OtlpReceiver()
    receiver.start()
    telemetry = {
        "OTEL_SDK_DISABLED": "false",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_METRICS_EXPORTER": "none",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
    }
    scopes = {"REPORTS_GENERATE_SCOPE": "reports.generate"}
    with (
        spa_provider(
            tmp_path_factory.mktemp("oidc"),
            redirect_uris=[f"{url}/auth/callback" for url in urls],
            post_logout_redirect_uris=[f"{url}/" for url in urls],
            access_token_ttl=TOKEN_TTL_SECONDS,
        ) as provider,
        ExitStack() as stack,
    ):
        stack.callback(receiver.stop)
        product = start_product(
            stack,
            generated_warehouses,
            tmp_path_factory.mktemp("signed"),
            port=ports[0],
            JOBS_ENABLED="false",
            **provider.product_env(),
            **scopes,
            **telemetry,
        )
        without_reports = start_product(
            stack,
            generated_warehouses,
            tmp_path_factory.mktemp("signed-no-reports"),
            port=ports[1],
            JOBS_ENABLED="false",
            **provider.product_env(scope=SPA_SCOPE.replace(" reports.generate", "")),
            **scopes,
        )
        yield SignInSetup(provider, receiver, product, without_reports)


def sign_in(page: Page, login: str) -> None:
    """Fill the provider's own sign-in form (any password is accepted)."""
    page.wait_for_url(re.compile(r"/interaction/"))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "correct horse")
    page.click("button[type=submit]")


def stored_token(page: Page) -> str:
    """Return the access token the app keeps in this tab's sessionStorage."""
    stored = page.evaluate(
        "Object.keys(sessionStorage).filter(k => k.startsWith('oidc.user:'))"
        ".map(k => sessionStorage.getItem(k))"
    )
    assert len(stored) == 1, stored
    return str(json.loads(stored[0])["access_token"])


def audit_actors(product: Product, action_prefix: str) -> set[str]:
    engine = sa.create_engine(
        product.postgres_url.replace("postgresql://", "postgresql+psycopg://")
    )
    with engine.connect() as connection:
        actors = connection.execute(
            sa.text("SELECT DISTINCT actor FROM audit_log WHERE action LIKE :prefix"),
            {"prefix": f"{action_prefix}%"},
        ).scalars()
        found = set(actors)
    engine.dispose()
    return found


def test_sign_in_reload_renewal_and_sign_out(
    page: Page, problems: PageProblems, signed: SignInSetup
) -> None:
    url = signed.product.url
    # A link with filters opens the provider's form, then the same page with the same filters.
    page.goto(f"{url}/?days=30")
    sign_in(page, "alice")
    expect(page).to_have_url(f"{url}/?days=30")
    expect(page.get_by_test_id("user-name")).to_have_text("Alice")
    expect(page.get_by_test_id("aw-revenue-value")).to_be_visible()
    expect(page.get_by_test_id("auth-disabled-banner")).to_have_count(0)

    # Tokens stay out of localStorage and of the address.
    first_token = stored_token(page)
    assert first_token not in json.dumps(page.evaluate("({...localStorage})"))
    assert first_token not in page.url

    # A reload keeps the user signed in: no trip to the provider.
    page.reload()
    expect(page.get_by_test_id("aw-revenue-value")).to_be_visible()
    assert "/interaction/" not in page.url

    # The token is renewed before it expires, without leaving the page.
    deadline = time.monotonic() + TOKEN_TTL_SECONDS
    while stored_token(page) == first_token and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert stored_token(page) != first_token, "the access token was not renewed"
    page.wait_for_timeout(TOKEN_TTL_SECONDS * 1000 // 2)
    page.get_by_role("link", name="Sales", exact=True).click()
    expect(page.locator("[data-testid=chart]").first).to_be_visible()
    assert page.url.startswith(url)

    # Every call was made as alice.
    assert audit_actors(signed.product, "aw.") == {"alice"}

    # Signing out ends the provider's session: the next visit asks to sign in again.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    screenshot(page, "sign-out-confirmation")
    page.locator("button[name=logout][value=yes]").click()
    page.wait_for_url(re.compile(rf"^{re.escape(url)}/|/interaction/"))
    page.wait_for_url(re.compile(r"/interaction/"))
    # The provider's own pages have no icon: the browser's guess at one is its 404.
    problems.expect_none(allowed=("favicon.ico",))


def test_a_token_without_the_reports_scope_gets_the_403_message(
    page: Page, signed: SignInSetup
) -> None:
    product = signed.without_reports
    page.goto(f"{product.url}/reports")
    sign_in(page, "bob")
    expect(page.get_by_test_id("generate-report")).to_be_visible()
    page.get_by_test_id("generate-report").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("reports")
    expect(alert).to_contain_text("scope")
    written = list(product.report_dir.rglob("*")) if product.report_dir.exists() else []
    assert [p for p in written if p.is_file()] == []


def test_refresh_is_one_trace_from_the_browser_to_the_database(
    page: Page, signed: SignInSetup
) -> None:
    url = signed.product.url
    page.goto(f"{url}/aw/sales")
    sign_in(page, "carol")
    expect(page.locator("[data-testid=chart]").first).to_be_visible()
    with page.expect_response(re.compile(r"/api/aw/sales/forecast")) as answer:
        page.get_by_test_id("refresh").click()
    trace_id = answer.value.headers["x-trace-id"]

    def spans_of_trace() -> list[object]:
        return [s for s in signed.receiver.spans() if s.trace_id == trace_id]

    # The browser exports its spans in batches: wait until the page span and the fetch spans
    # the gateway continued have all arrived, not just the first of them.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        spans = spans_of_trace()
        services = {s.service for s in spans}  # type: ignore[attr-defined]
        names = {s.name for s in spans}  # type: ignore[attr-defined]
        ids = {s.span_id for s in spans}  # type: ignore[attr-defined]
        continued = {
            s.parent_span_id  # type: ignore[attr-defined]
            for s in spans
            if s.service == "api-gateway" and s.kind == SERVER  # type: ignore[attr-defined]
        }
        if (
            {"otelbi-frontend", "api-gateway", "aw-service"} <= services
            and "page aw-sales refresh" in names
            and continued
            and continued <= ids
        ):
            break
        time.sleep(0.5)
    spans = [s for s in signed.receiver.spans() if s.trace_id == trace_id]
    by_id = {s.span_id: s for s in spans}
    browser = [s for s in spans if s.service == "otelbi-frontend"]
    assert browser, [(s.service, s.name) for s in spans]
    assert all(s.resource.get("service.namespace") == "otelbi" for s in browser)
    refresh = [s for s in browser if s.name == "page aw-sales refresh"]
    everything = [
        (s.trace_id[:8], s.name, s.span_id[:6], s.parent_span_id[:6])
        for s in signed.receiver.spans()
        if s.service == "otelbi-frontend"
    ]
    assert len(refresh) == 1, sorted({name for _, name, _, _ in everything})
    gateway = [s for s in spans if s.service == "api-gateway" and s.kind == SERVER]
    assert gateway
    for server in gateway:
        # The gateway continues the browser's fetch span.
        fetch = by_id[server.parent_span_id]
        assert fetch.service == "otelbi-frontend"
        assert fetch.kind == CLIENT
    service = [s for s in spans if s.service == "aw-service" and s.kind == SERVER]
    assert service
    queries = [
        s for s in spans if s.kind == CLIENT and "duckdb" in str(s.attributes.get("db.system", ""))
    ]
    assert queries, [(s.service, s.name) for s in spans]
    assert audit_actors(signed.product, "aw.sales") >= {"carol"}
