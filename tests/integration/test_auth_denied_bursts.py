"""A burst of bad tokens is cheap: 401s from one client address within
AUTH_DENIED_AUDIT_WINDOW_SECONDS leave one `auth.denied` audit row, not one each; a refused
scope (403, a real user) is still audited every time."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from tests.peers.oidc_provider import API_AUDIENCE, OidcProvider

KPIS = "/api/aw/sales/kpis"
BURST = 40


def test_a_burst_of_401s_leaves_one_audit_row_per_address_and_window(
    monkeypatch: pytest.MonkeyPatch,
    oidc_provider: OidcProvider,
    generated_warehouses: Path,
    postgres_url: str,
) -> None:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", oidc_provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    monkeypatch.setenv("JOBS_RUN_SCOPE", "jobs.run")
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("JOBS_ENABLED", "false")
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        store = client.app.state.gateway.store  # type: ignore[attr-defined]
        statuses = {
            client.get(KPIS, headers={"authorization": f"Bearer not-a-jwt-{n}"}).status_code
            for n in range(BURST)
        }
        assert statuses == {401}
        denied = audit.recent(store, domain="gateway", action="auth.denied", limit=100)
        assert len(denied) == 1
        assert denied[0]["status_code"] == 401
        assert denied[0]["client_address"] == "testclient"
        reader = {"authorization": f"Bearer {oidc_provider.token('bi.read')}"}
        for _ in range(2):
            assert client.post("/api/jobs/aw/sales.forecast/run", headers=reader).status_code == 403
        denied = audit.recent(store, domain="gateway", action="auth.denied", limit=100)
        assert [row["status_code"] for row in denied] == [403, 403, 401]
