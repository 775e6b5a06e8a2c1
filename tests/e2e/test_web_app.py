"""The web app as a person uses it: every page in Chromium against the running product."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    PageProblems,
    Product,
    axe_violations,
    screenshot,
)

# Each page, and an element that is only there once the page shows real data.
PAGES = {
    "overview": ("/", "[data-testid=aw-revenue-value]"),
    "aw-sales": ("/aw/sales", "[data-testid=chart]"),
    "aw-reps": ("/aw/reps", "[data-testid=reps-table] tbody tr"),
    "aw-products": ("/aw/products", "[data-testid=products-table] tbody tr"),
    "wwi-stock": ("/wwi/stock", "[data-testid=stock-table] tbody tr"),
    "wwi-suppliers": ("/wwi/suppliers", "[data-testid=suppliers-table] tbody tr"),
    "wwi-events": ("/wwi/events", "[data-testid=events-table] tbody tr"),
    "what-if": ("/wwi/scenarios", "[data-testid=scenario-form]"),
    "jobs": ("/jobs", "[data-testid=job-run]"),
    "audit": ("/audit", "[data-testid=audit-table] tbody tr"),
    "reports": ("/reports", "[data-testid=generate-report]"),
}


def _money(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_real_data_accessibly_in_both_themes(
    page: Page, problems: PageProblems, product: Product, name: str
) -> None:
    path, loaded = PAGES[name]
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(product.url + path)
            expect(page.locator(loaded).first).to_be_visible()
            expect(page.locator("[aria-busy=true]")).to_have_count(0)
            expect(page.get_by_role("alert").filter(has_text="failed")).to_have_count(0)
            screenshot(page, f"{name}-{scheme}-{size}")
    violations = axe_violations(page)
    assert violations == [], violations
    problems.expect_none()


def test_overview_revenue_tile_equals_the_api(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/?days=30")
    tile = page.get_by_test_id("aw-revenue-value")
    expect(tile).to_be_visible()
    api = httpx.get(f"{product.url}/api/aw/sales/kpis", params={"days_back": 30}).json()
    assert _money(tile.get_attribute("data-exact") or "") == pytest.approx(
        api["total"]["revenue"], abs=0.005
    )
    assert (
        page.get_by_test_id("data-as-of")
        .inner_text()
        .endswith(
            # The page says the data's date in the reader's words: "Data as of Jan 28, 2014".
            httpx.get(f"{product.url}/api/aw/sales/kpis").json()["as_of"][:4]
        )
    )


def test_a_copied_link_opens_the_same_view(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/")
    page.locator("label", has_text="365 days").click()
    expect(page).to_have_url(re.compile(r"days=365"))
    page.goto(page.url)  # what a colleague who opens the link sees
    expect(page.get_by_role("radio", name="365 days")).to_be_checked()
    expect(page.get_by_text("The last 365 days", exact=False)).to_be_visible()


def test_a_stopped_warehouse_shows_its_own_503_state(
    page: Page, problems: PageProblems, product_without_wwi: Product
) -> None:
    page.goto(product_without_wwi.url + "/")
    expect(page.get_by_test_id("aw-revenue-value")).to_be_visible()
    alert = page.get_by_role("alert").filter(has_text="WideWorldImporters sales KPIs")
    expect(alert).to_contain_text("a system it needs is down")
    expect(alert).to_contain_text("wwi")
    expect(alert.get_by_test_id("trace-id")).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    screenshot(page, "overview-wwi-warehouse-down")
    problems.expect_none(allowed=("503",))


def test_forecast_chart_has_one_point_per_forecast_day(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/aw/sales?horizon=30")
    chart = page.locator("[data-testid=chart][data-points*='Forecast:']")
    expect(chart).to_have_attribute("data-points", re.compile(r"(^|,)Forecast:30(,|$)"))


def test_xlsx_export_downloads_the_view_as_filtered(
    page: Page, product: Product, tmp_path: Path
) -> None:
    page.goto(f"{product.url}/aw/sales?grain=month&days=365")
    expect(page.locator("[data-testid=chart]").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile(r"sales history as XLSX", re.I)).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = openpyxl.load_workbook(path, read_only=True)
    api = httpx.get(
        f"{product.url}/api/aw/sales/history", params={"grain": "month", "days_back": 365}
    ).json()
    data = workbook.worksheets[0]
    assert data.max_row - 1 == len(api["points"])


def test_a_report_generates_and_appears_in_the_list(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/reports")
    rows = page.get_by_test_id("report-row")
    before = httpx.get(f"{product.url}/api/reports").json()["items"]
    page.get_by_test_id("generate-report").click()
    expect(page.get_by_test_id("report-generated")).to_be_visible(timeout=60_000)
    after = httpx.get(f"{product.url}/api/reports").json()["items"]
    assert len(after) == len(before) + 1
    newest = after[0]
    expect(rows.first).to_have_attribute("data-report-id", str(newest["report_id"]))
    screenshot(page, "reports-just-generated")  # the new row, with its "new" badge
    assert Path(newest["xlsx_path"]).is_file()
    assert Path(newest["pdf_path"]).is_file()


def test_the_what_if_form_shows_the_api_s_reason_for_refusing_a_value(
    page: Page, product: Product
) -> None:
    refused = httpx.post(
        f"{product.url}/api/wwi/scenarios",
        json={"name": "too much", "demand_change_pct": -500, "lead_time_change_days": 0},
    )
    assert refused.status_code == 422
    page.goto(f"{product.url}/wwi/scenarios")
    page.get_by_test_id("scenario-name").fill("Demand collapses")
    page.get_by_test_id("scenario-demand").fill("-500")
    page.get_by_test_id("scenario-submit").click()
    expect(page.get_by_test_id("scenario-form-error")).to_contain_text(refused.json()["detail"])
    listed = httpx.get(f"{product.url}/api/wwi/scenarios").json()
    assert all(item["name"] != "Demand collapses" for item in listed["items"])


def test_a_double_click_on_run_scenario_makes_one_scenario(page: Page, product: Product) -> None:
    page.goto(f"{product.url}/wwi/scenarios")
    page.get_by_test_id("scenario-name").fill("Double click")
    page.get_by_test_id("scenario-demand").fill("20")
    page.get_by_test_id("scenario-submit").dblclick()
    expect(page).to_have_url(re.compile(r"/wwi/scenarios/\d+$"))
    expect(page.get_by_test_id("scenario-parameters")).to_be_visible()
    listed = httpx.get(f"{product.url}/api/wwi/scenarios").json()
    assert [item["name"] for item in listed["items"]].count("Double click") == 1
