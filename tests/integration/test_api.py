"""The product through its public surface: the gateway with both services embedded, on a
real PostgreSQL write store and real DuckDB warehouses."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.security.internal_tokens import mint_internal_token
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.warehouse.engines import duckdb_path
from tests.conftest import POSTGRES_ADMIN_URL

KPI_FIELDS = {
    "revenue",
    "orders",
    "average_order_value",
    "units",
    "gross_margin",
    "gross_margin_pct",
}


def _audit_rows(postgres_url: str) -> list[sa.Row[tuple[object, ...]]]:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT actor, domain, action, resource, parameters, outcome, status_code, "
                "duration_ms, trace_id FROM audit_log ORDER BY id"
            )
        ).all()
    engine.dispose()
    return list(rows)


def test_config_is_public_and_says_auth_is_off(client: TestClient) -> None:
    response = client.get("/api/config")
    assert response.status_code == 200
    assert response.json() == {
        "oidc_enabled": False,
        "authority": "",
        "client_id": "",
        "scope": "openid profile email",
        "auth_required": False,
    }


def test_health_is_ok_when_everything_answers(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "store": "ok",
            "audit_chain": "ok",
            "aw_warehouse": "ok",
            "wwi_warehouse": "ok",
            "report_directory": "ok",
            "identity_provider": None,
        },
    }


@pytest.mark.parametrize("domain", ["aw", "wwi"])
def test_kpis_have_the_documented_shape(client: TestClient, domain: str) -> None:
    response = client.get(f"/api/{domain}/sales/kpis", params={"days_back": 90})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["window_days"] == 90
    assert set(body) >= {"as_of", "window_days", "total", "previous", "change_pct"}
    for block in ("total", "previous", "change_pct"):
        assert set(body[block]) == KPI_FIELDS
    assert body["total"]["revenue"] > 0
    assert body["total"]["orders"] > 0
    if domain == "aw":
        assert set(body["channels"]) == {"internet", "reseller"}
        internet, reseller = body["channels"]["internet"], body["channels"]["reseller"]
        assert internet["total"]["revenue"] + reseller["total"]["revenue"] == pytest.approx(
            body["total"]["revenue"], abs=0.02
        )
    else:
        assert "channels" not in body
    assert len(response.headers["x-trace-id"]) == 32
    assert len(response.headers["x-span-id"]) == 16


def test_kpis_default_window_is_default_history_days(client: TestClient) -> None:
    assert client.get("/api/wwi/sales/kpis").json()["window_days"] == 365


@pytest.mark.parametrize("days_back", ["0", "3651", "-5", "ten"])
def test_out_of_range_window_is_a_422_with_the_error_shape(
    client: TestClient, days_back: str
) -> None:
    response = client.get("/api/aw/sales/kpis", params={"days_back": days_back})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_input"
    assert "days_back" in body["detail"]


def test_every_kpi_call_leaves_one_audit_row(client: TestClient, postgres_url: str) -> None:
    first = client.get("/api/aw/sales/kpis", params={"days_back": 30})
    client.get("/api/wwi/sales/kpis")
    client.get("/api/aw/sales/kpis", params={"days_back": 0})
    rows = _audit_rows(postgres_url)
    assert [(r.domain, r.action, r.outcome, r.status_code) for r in rows] == [
        ("aw", "aw.sales.kpis", "ok", 200),
        ("wwi", "wwi.sales.kpis", "ok", 200),
        ("aw", "aw.sales.kpis", "error", 422),
    ]
    assert rows[0].actor == "anonymous"
    assert rows[0].resource == "/api/aw/sales/kpis"
    assert rows[0].parameters == {"days_back": "30", "result_cache": "miss"}
    assert rows[0].duration_ms > 0
    assert rows[0].trace_id == first.headers["x-trace-id"]


def test_audit_lists_rows_newest_first_by_domain(client: TestClient) -> None:
    for _ in range(3):
        client.get("/api/aw/sales/kpis")
    client.get("/api/wwi/sales/kpis")
    rows = client.get("/api/audit", params={"domain": "aw", "limit": 2}).json()["items"]
    assert len(rows) == 2
    assert [row["domain"] for row in rows] == ["aw", "aw"]
    assert rows[0]["id"] > rows[1]["id"]
    assert client.get("/api/audit").json()["items"][0]["domain"] == "wwi"
    assert client.get("/api/audit", params={"limit": 0}).status_code == 422
    assert client.get("/api/audit", params={"domain": "xx"}).status_code == 422


def test_audit_filters_and_pages(client: TestClient) -> None:
    before = dt.datetime.now(dt.UTC)
    for days_back in (30, 60, 0):
        client.get("/api/aw/sales/kpis", params={"days_back": days_back})
    client.get("/api/wwi/sales/kpis")
    after = dt.datetime.now(dt.UTC)

    def ids(**params: object) -> list[int]:
        response = client.get("/api/audit", params=params)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["items"]]

    everything = ids()
    assert len(everything) == 4
    assert everything == sorted(everything, reverse=True)
    assert ids(action="wwi.sales.kpis") == everything[:1]
    assert ids(outcome="error") == everything[1:2]
    assert ids(actor="anonymous", domain="aw", outcome="ok") == everything[2:]
    assert ids(actor="nobody") == []
    assert ids(since=before.isoformat(), until=after.isoformat()) == everything
    assert ids(since=after.isoformat()) == []
    assert ids(until=before.replace(tzinfo=None).isoformat()) == []  # naive = UTC
    assert ids(since=before.strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == everything
    first_page = ids(limit=3)
    assert ids(limit=3, before_id=first_page[-1]) == everything[3:]
    row = client.get("/api/audit", params={"limit": 1}).json()["items"][0]
    assert len(row["row_hash"]) == 64
    assert row["occurred_at"].endswith(("+00:00", "Z"))
    for bad in ({"since": "yesterday"}, {"until": "2026-13-01"}, {"before_id": 0}):
        response = client.get("/api/audit", params=bad)
        assert response.status_code == 422, bad
        assert response.json()["error"] == "invalid_input"
        assert next(iter(bad)) in response.json()["detail"]


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/aw/no/such/view")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_missing_warehouse_degrades_health_and_gives_503(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "partial"
    target = duckdb_path(Domain.AW, data_dir)
    target.parent.mkdir(parents=True)
    shutil.copy(duckdb_path(Domain.AW, generated_warehouses), target)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        health = client.get("/api/health")
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "degraded"
        assert body["checks"]["aw_warehouse"] == "ok"
        assert "otelbi warehouse generate wwi" in body["checks"]["wwi_warehouse"]
        kpis = client.get("/api/wwi/sales/kpis")
        assert kpis.status_code == 503
        assert kpis.json()["error"] == "unavailable"


def test_services_refuse_requests_without_an_internal_token(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "k" * 40)
    settings = Settings(env_file=None)
    aw_app = build_app(RunMode.AW, settings)
    with TestClient(aw_app) as service:
        response = service.get("/api/aw/sales/kpis")
        assert response.status_code == 401
        assert response.json()["error"] == "unauthenticated"
        forged = service.get("/api/aw/sales/kpis", headers={"authorization": "Bearer not.a.token"})
        assert forged.status_code == 401
        for_other_service = mint_internal_token(
            secret="k" * 40, issuer="api-gateway", audience="wwi-service", subject="ada"
        )
        wrong_audience = service.get(
            "/api/aw/sales/kpis", headers={"authorization": f"Bearer {for_other_service}"}
        )
        assert wrong_audience.status_code == 401
        valid = mint_internal_token(
            secret="k" * 40, issuer="api-gateway", audience="aw-service", subject="ada"
        )
        accepted = service.get("/api/aw/sales/kpis", headers={"authorization": f"Bearer {valid}"})
        assert accepted.status_code == 200


def test_store_outage_gives_503_and_withholds_unaudited_results(
    client: TestClient, postgres_url: str
) -> None:
    assert client.get("/api/aw/sales/kpis").status_code == 200
    name = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.json()["checks"]["store"].startswith("error:")
    kpis = client.get("/api/aw/sales/kpis")
    assert kpis.status_code == 503
    # It names the store, not the driver's text (the address, the database's name).
    assert kpis.json() == {
        "error": "unavailable",
        "detail": "the write store is unavailable: try again shortly (the server log has the "
        "cause under this response's x-trace-id)",
    }
    assert "revenue" not in kpis.text
    audit = client.get("/api/audit")
    assert audit.status_code == 503
