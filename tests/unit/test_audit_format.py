"""The audit chain's canonical form, pinned to the example in docs/security.md, and the
masking of secrets in audited parameters."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest

from otelbi.store import audit

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"

GENESIS = "0" * 64
EXAMPLE_ROW: dict[str, Any] = {
    "id": 1,
    "occurred_at": dt.datetime(2026, 1, 31, 8, 0, 0, 123, tzinfo=dt.UTC),
    "actor": "ada@example.com",
    "domain": "aw",
    "action": "aw.sales.kpis",
    "resource": "/api/aw/sales/kpis",
    "parameters": {"days_back": "30"},
    "outcome": "ok",
    "status_code": 200,
    "duration_ms": 12.5,
    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    "detail": None,
    "client_address": None,
    "prev_hash": GENESIS,
    "row_hash": "not part of the hash",
}
EXAMPLE_JSON = (
    '{"action":"aw.sales.kpis","actor":"ada@example.com","client_address":null,"detail":null,'
    '"domain":"aw","duration_ms":12.5,"id":1,"occurred_at":"2026-01-31T08:00:00.000123Z",'
    f'"outcome":"ok","parameters":{{"days_back":"30"}},"prev_hash":"{GENESIS}",'
    '"resource":"/api/aw/sales/kpis","status_code":200,'
    '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}'
)
EXAMPLE_HASH = "af970db7adca95cd27ca986cbffd8349dbb4be9c55cf65ef3da4a7c9ea2b5b3a"


def test_the_canonical_form_is_the_documented_one() -> None:
    assert audit.canonical_json(EXAMPLE_ROW) == EXAMPLE_JSON.encode()
    assert audit.row_hash(EXAMPLE_ROW) == EXAMPLE_HASH
    assert hashlib.sha256(EXAMPLE_JSON.encode()).hexdigest() == EXAMPLE_HASH
    documented = DOCS.read_text()
    assert EXAMPLE_JSON in documented
    assert EXAMPLE_HASH in documented


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 1, 31, 8, 0, 0, 123),  # as SQLite gives it back: UTC without a zone
        dt.datetime(2026, 1, 31, 9, 0, 0, 123, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    ],
)
def test_timestamps_are_hashed_in_utc_whatever_zone_they_come_back_in(
    moment: dt.datetime,
) -> None:
    assert audit.row_hash({**EXAMPLE_ROW, "occurred_at": moment}) == EXAMPLE_HASH


def test_non_ascii_text_is_hashed_as_utf8() -> None:
    row = {**EXAMPLE_ROW, "actor": "zoë"}
    assert '"actor":"zoë"'.encode() in audit.canonical_json(row)


def test_credentials_are_masked_at_any_depth() -> None:
    jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVz"
    masked = audit.without_secrets(
        {
            "days_back": "30",
            "Password": "hunter2",
            "X-Api-Key": "k",
            "session_id": "s",
            "options": {"client_secret": "cs", "region": "EU", "list": [{"token": "t"}, "plain"]},
            "authz": f"Bearer {jwt}",
            "basic": "basic dXNlcjpwYXNz",
            "redirect": f"https://bi.example/cb?code=1&id_token={jwt}&state=2",
            "note": "bearer of bad news",
        }
    )
    assert masked == {
        "days_back": "30",
        "Password": "***",
        "X-Api-Key": "***",
        "session_id": "***",
        "options": {"client_secret": "***", "region": "EU", "list": [{"token": "***"}, "plain"]},
        "authz": "Bearer ***",
        "basic": "basic ***",
        "redirect": "https://bi.example/cb?code=1&id_token=***&state=2",
        "note": "bearer of bad news",
    }
