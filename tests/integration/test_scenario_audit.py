"""A what-if scenario and its audit row are one transaction on a real PostgreSQL store: when
the audit row cannot be written the scenario is not stored either; and the Idempotency-Key is
kept only as its SHA-256, in the scenario table (keys stored before the upgrade included) and
in the audit parameters."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient

from otelbi.store.migrate import alembic_config, upgrade_to_head
from otelbi.store.tables import audit_log, wwi_whatif_scenarios

SCENARIOS = "/api/wwi/scenarios"
BODY = {"name": "busy summer", "demand_change_pct": 25, "lead_time_change_days": 3}
KEY = "client-chosen key 7f3a"


@pytest.fixture
def store(postgres_url: str) -> Iterator[sa.Engine]:
    """Yield an engine on the test database (the superuser: it can add triggers)."""
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


def _scenario_rows(store: sa.Engine) -> list[sa.RowMapping]:
    with store.connect() as connection:
        return list(connection.execute(sa.select(wwi_whatif_scenarios)).mappings())


def _audit_rows(store: sa.Engine, action: str) -> list[sa.RowMapping]:
    with store.connect() as connection:
        query = sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)
        return list(connection.execute(query).mappings())


def test_no_scenario_is_stored_when_its_audit_row_cannot_be_written(
    client: TestClient, store: sa.Engine
) -> None:
    with store.begin() as connection:
        connection.execute(
            sa.text(
                "CREATE FUNCTION refuse_scenario_audit() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN IF NEW.action = 'wwi.scenarios.create' THEN "
                "RAISE EXCEPTION 'audit insert refused by the test'; END IF; RETURN NEW; END $$"
            )
        )
        connection.execute(
            sa.text(
                "CREATE TRIGGER refuse_scenario_audit BEFORE INSERT ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION refuse_scenario_audit()"
            )
        )
    response = client.post(SCENARIOS, json=BODY, headers={"Idempotency-Key": KEY})
    assert response.status_code == 503, response.text
    assert _scenario_rows(store) == []
    with store.begin() as connection:
        connection.execute(sa.text("DROP TRIGGER refuse_scenario_audit ON audit_log"))
    # The same request, once the audit log takes rows again, is stored (201) with its row.
    response = client.post(SCENARIOS, json=BODY, headers={"Idempotency-Key": KEY})
    assert response.status_code == 201, response.text
    assert len(_scenario_rows(store)) == 1
    assert [row["status_code"] for row in _audit_rows(store, "wwi.scenarios.create")] == [201]


def test_the_idempotency_key_is_stored_only_as_its_hash(
    client: TestClient, store: sa.Engine
) -> None:
    digest = hashlib.sha256(KEY.encode()).hexdigest()
    first = client.post(SCENARIOS, json=BODY, headers={"Idempotency-Key": KEY})
    again = client.post(SCENARIOS, json=BODY, headers={"Idempotency-Key": KEY})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    different = client.post(
        SCENARIOS, json={**BODY, "demand_change_pct": 30}, headers={"Idempotency-Key": KEY}
    )
    assert different.status_code == 422
    assert KEY not in different.text
    [scenario] = _scenario_rows(store)
    assert scenario["idempotency_key"] == digest
    rows = _audit_rows(store, "wwi.scenarios.create")
    assert [row["status_code"] for row in rows] == [201, 200, 422]
    for row in rows:
        assert row["parameters"]["idempotency_key_sha256"] == digest
        assert KEY not in str(dict(row))


def test_the_upgrade_hashes_keys_stored_before(store: sa.Engine) -> None:
    with store.connect() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        connection.commit()
    with store.begin() as connection:
        connection.execute(
            wwi_whatif_scenarios.insert(),
            [
                {
                    "created_at": dt.datetime(2026, 1, 31, tzinfo=dt.UTC),
                    "created_by": "ada",
                    "name": name,
                    "demand_change_pct": 10.0,
                    "lead_time_change_days": 0,
                    "idempotency_key": key,
                    "summary": {},
                    "result": {},
                }
                for name, key in (("keyed", KEY), ("unkeyed", None))
            ],
        )
    upgrade_to_head(store)
    stored = {row["name"]: row["idempotency_key"] for row in _scenario_rows(store)}
    assert stored == {"keyed": hashlib.sha256(KEY.encode()).hexdigest(), "unkeyed": None}
