"""The API's two readers in Chromium: /docs (Swagger UI) and /redoc (ReDoc) from a running
gateway render every operation under the gateway's Content-Security-Policy, with nothing
loaded from another origin and nothing in the console."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest
from playwright.sync_api import Page, Request, expect

from tests.e2e.conftest import PageProblems, Product, screenshot, start_product

# Recorded from before the page's first script runs (DevTools injects it: no policy applies).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(
  `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile})`));
"""
# Each page, and where it shows an operation's summary once it has rendered the document.
PAGES = {
    "swagger-ui": ("/docs", ".opblock-summary-description"),
    "redoc": ("/redoc", "h2"),
}


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    """The product as `otelbi serve` runs it; the pages need no warehouse data."""
    work_dir = tmp_path_factory.mktemp("api-docs")
    with ExitStack() as stack:
        yield start_product(stack, work_dir / "data", work_dir)


def _other_origin_requests(page: Page, origin: str) -> list[str]:
    seen: list[str] = []

    def record(request: Request) -> None:
        url = request.url
        if not url.startswith((f"{origin}/", f"blob:{origin}/", "data:")):
            seen.append(url)

    page.on("request", record)
    return seen


@pytest.mark.parametrize("name", PAGES)
def test_the_page_shows_every_operation_under_the_gateways_policy(
    page: Page, problems: PageProblems, gateway: Product, name: str
) -> None:
    path, summary_element = PAGES[name]
    document = httpx.get(f"{gateway.url}/openapi.json").json()
    summaries = [
        operation["summary"] for item in document["paths"].values() for operation in item.values()
    ]
    page.add_init_script(WATCH_VIOLATIONS)
    elsewhere = _other_origin_requests(page, gateway.url)

    page.goto(gateway.url + path)

    for summary in (summaries[0], summaries[-1]):
        expect(page.locator(summary_element, has_text=summary).first).to_be_visible()
    shown = page.locator(summary_element).all_inner_texts()
    # Each page shows each operation's summary (Swagger UI: once, ReDoc: once per heading).
    assert len([text for text in shown if text.strip() in summaries]) >= len(summaries)
    for tag in document["tags"]:
        expect(page.get_by_text(tag["description"]).first).to_be_attached()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"api-docs-{name}")
    assert page.evaluate("window.__violations") == []
    assert elsewhere == []
    problems.expect_none()


def test_swagger_ui_calls_the_api_on_the_same_origin(
    page: Page, problems: PageProblems, gateway: Product
) -> None:
    page.add_init_script(WATCH_VIOLATIONS)
    elsewhere = _other_origin_requests(page, gateway.url)
    page.goto(f"{gateway.url}/docs")
    operation = page.locator("#operations-gateway-gateway_config")
    operation.locator(".opblock-summary-control").click()
    expect(operation.get_by_text("Try it out")).to_be_visible()
    operation.get_by_text("Try it out").click()
    with page.expect_response(f"{gateway.url}/api/config") as answer:
        operation.get_by_text("Execute").click()
    assert answer.value.status == 200
    expect(operation.locator(".live-responses-table")).to_contain_text("auth_required")
    assert page.evaluate("window.__violations") == []
    assert elsewhere == []
    problems.expect_none()
