"""Signed checkpoints of the audit chain's head, outside the store: `otelbi audit verify`
finds a tail cut off by a database superuser (who also moved the head back, so the chain
left over verifies) and names a checkpoint line whose signature does not hold; a clean
verify and the gateway's shutdown append a checkpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from otelbi import cli
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from otelbi.store.engine import create_store_engine
from otelbi.store.migrate import upgrade_to_head

KEY = "checkpoint-key-for-tests-0123456789abcdef"


@pytest.fixture(params=["postgresql", "sqlite"])
def store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[sa.Engine]:
    """Yield a migrated store the CLI finds too, with checkpoints on (key and file set)."""
    if request.param == "postgresql":
        monkeypatch.setenv("POSTGRES_URL", request.getfixturevalue("postgres_url"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("AUDIT_CHECKPOINT_KEY", KEY)
    monkeypatch.setenv("AUDIT_CHECKPOINT_FILE", str(tmp_path / "share" / "checkpoints.jsonl"))
    engine = create_store_engine(Settings(env_file=None))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


def _append(engine: sa.Engine, count: int) -> list[int]:
    return [
        audit.append(
            engine,
            audit.AuditEntry(
                actor="ada", domain="aw", action="load", resource="/", outcome="ok", duration_ms=n
            ),
        )
        for n in range(count)
    ]


def _verify(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = cli.main(["audit", "verify"])
    captured = capsys.readouterr()
    assert KEY not in captured.out + captured.err
    return code, json.loads(captured.out)


def _cut_the_tail(engine: sa.Engine, keep_through: int) -> None:
    """Delete the rows after `keep_through` and move the head back, as a superuser could."""
    cut = sa.text("DELETE FROM audit_log WHERE id > :id")
    with engine.begin() as connection:
        last_hash = connection.execute(
            sa.text("SELECT row_hash FROM audit_log WHERE id = :id"), {"id": keep_through}
        ).scalar_one()
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            connection.execute(cut, {"id": keep_through})
            connection.execute(sa.text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        else:
            connection.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
            connection.execute(cut, {"id": keep_through})
        connection.execute(
            sa.text("UPDATE audit_chain_head SET last_id = :id, last_hash = :hash"),
            {"id": keep_through, "hash": last_hash},
        )


def test_a_cut_off_tail_is_found_against_the_checkpoint(
    store: sa.Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ids = _append(store, 10)
    code, clean = _verify(capsys)
    assert (code, clean["ok"], clean["checkpoints"]["ok"]) == (0, True, True)
    lines = (tmp_path / "share" / "checkpoints.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [ids[-1]]

    _cut_the_tail(store, ids[5])
    code, report = _verify(capsys)
    assert code == 1
    assert (report["ok"], report["head_matches"]) == (True, True), "the chain alone looks fine"
    assert report["checkpoints"]["missing_ids"] == [ids[-1]]
    assert report["checkpoints"]["ok"] is False
    # Nothing is checkpointed over a failed verification.
    assert len((tmp_path / "share" / "checkpoints.jsonl").read_text().splitlines()) == 1


def test_a_checkpoint_line_with_a_bad_signature_is_named(
    store: sa.Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ids = _append(store, 4)
    assert _verify(capsys)[0] == 0
    _append(store, 2)
    assert _verify(capsys)[0] == 0
    path = tmp_path / "share" / "checkpoints.jsonl"
    first, second = path.read_text().splitlines()
    forged = {**json.loads(second), "id": ids[1]}
    path.write_text(f"{first}\n{json.dumps(forged)}\nnot json\n")
    code, report = _verify(capsys)
    assert code == 1
    assert report["checkpoints"]["bad_signature_lines"] == [2, 3]
    assert report["checkpoints"]["missing_ids"] == []


def test_the_gateway_checkpoints_at_shutdown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, postgres_url: str, generated_warehouses: Path
) -> None:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    monkeypatch.setenv("AUDIT_CHECKPOINT_KEY", KEY)
    monkeypatch.setenv("REPORT_OUTPUT_DIR", str(tmp_path / "reports"))
    settings = Settings(env_file=None)
    with TestClient(build_app(RunMode.ALL_IN_ONE, settings)) as client:
        assert client.get("/api/aw/sales/kpis").status_code == 200
    [line] = (tmp_path / "reports" / "audit-checkpoints.jsonl").read_text().splitlines()
    checkpoint = json.loads(line)
    assert checkpoint["id"] >= 1
    assert KEY not in line
    assert set(checkpoint) == {"id", "row_hash", "at", "hmac"}
