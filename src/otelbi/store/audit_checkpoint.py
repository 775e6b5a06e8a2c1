"""Signed checkpoints of the audit chain's head, kept outside the database.

A database superuser can cut rows off the end of the log and move the head back: the chain
left over still verifies. So every AUDIT_CHECKPOINT_INTERVAL_MINUTES, at shutdown and after
a clean `otelbi audit verify`, the head ({id, row_hash}) is appended with the time and an
HMAC-SHA256 under AUDIT_CHECKPOINT_KEY to a file outside the store (by default on the report
share). `otelbi audit verify` then checks that every checkpointed row is still there with the
same hash, and names lines whose signature does not hold.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.settings import Settings
from otelbi.store.audit import HEAD_ROW
from otelbi.store.engine import store_failure
from otelbi.store.tables import audit_chain_head, audit_log

log = logging.getLogger(__name__)

CHECKPOINT_FILE_NAME = "audit-checkpoints.jsonl"
_IDS_PER_QUERY = 1000


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment: the last appended row's id and hash."""

    id: int
    row_hash: str
    at: str

    def signature(self, key: str) -> str:
        """Return the hex HMAC-SHA256 of the checkpoint's canonical JSON under `key`."""
        document = json.dumps(
            {"at": self.at, "id": self.id, "row_hash": self.row_hash},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hmac.new(key.encode(), document.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CheckpointReport:
    """The chain against the checkpoint file: `ok` when every line is signed by the key and
    every checkpointed row is still there with its hash."""

    file: str
    checkpoints: int
    bad_signature_lines: list[int] = field(default_factory=list)
    missing_ids: list[int] = field(default_factory=list)
    """Checkpointed rows that are gone (the tail was cut off) or hold another hash."""

    @property
    def ok(self) -> bool:
        """Return True when nothing is wrong."""
        return not self.bad_signature_lines and not self.missing_ids


def checkpoint_file(settings: Settings) -> Path:
    """Return AUDIT_CHECKPOINT_FILE, or its default on the report share."""
    configured = settings.audit.audit_checkpoint_file
    return (
        Path(configured)
        if configured
        else settings.reports.report_output_dir / (CHECKPOINT_FILE_NAME)
    )


def write_checkpoint(engine: sa.Engine, path: Path, key: str) -> Checkpoint:
    """Append a signed checkpoint of the head to `path` (synced) and return it.

    StoreUnavailable if the head cannot be read; OSError if the file cannot be written.
    """
    try:
        with engine.connect() as connection:
            head = connection.execute(
                sa.select(audit_chain_head.c.last_id, audit_chain_head.c.last_hash).where(
                    audit_chain_head.c.id == HEAD_ROW
                )
            ).one()
    except (DBAPIError, sa.exc.TimeoutError) as error:
        raise StoreUnavailable(
            f"the audit chain's head could not be read: {store_failure(error)}"
        ) from error
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    checkpoint = Checkpoint(int(head.last_id), str(head.last_hash), now)
    line = json.dumps(
        {
            "id": checkpoint.id,
            "row_hash": checkpoint.row_hash,
            "at": checkpoint.at,
            "hmac": checkpoint.signature(key),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # One short write in append mode: lines of several replicas do not interleave.
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
    return checkpoint


def check_checkpoints(engine: sa.Engine, path: Path, key: str) -> CheckpointReport:
    """Return how the store compares with the checkpoints in `path` (none yet: ok)."""
    signed: dict[int, str] = {}
    bad_lines: list[int] = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for number, line in enumerate(lines, start=1):
        checkpoint, signature = _parsed(line)
        if checkpoint is None or not hmac.compare_digest(signature, checkpoint.signature(key)):
            bad_lines.append(number)
        elif checkpoint.id:
            signed[checkpoint.id] = checkpoint.row_hash
    stored = _stored_hashes(engine, sorted(signed))
    missing = [row_id for row_id, row_hash in signed.items() if stored.get(row_id) != row_hash]
    return CheckpointReport(str(path), len(lines), bad_lines, sorted(missing))


def _parsed(line: str) -> tuple[Checkpoint | None, str]:
    """Return the line's checkpoint and signature (None: not a checkpoint line)."""
    try:
        document = json.loads(line)
        checkpoint = Checkpoint(int(document["id"]), str(document["row_hash"]), document["at"])
        return checkpoint, str(document["hmac"])
    except (ValueError, KeyError, TypeError):
        return None, ""


def _stored_hashes(engine: sa.Engine, ids: list[int]) -> dict[int, str]:
    hashes: dict[int, str] = {}
    try:
        with engine.connect() as connection:
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[start : start + _IDS_PER_QUERY]
                query = sa.select(audit_log.c.id, audit_log.c.row_hash).where(
                    audit_log.c.id.in_(chunk)
                )
                hashes.update({int(row.id): str(row.row_hash) for row in connection.execute(query)})
    except (DBAPIError, sa.exc.TimeoutError) as error:
        raise StoreUnavailable(
            f"the audit log could not be read: {store_failure(error)}"
        ) from error
    return hashes


def checkpoint_or_log(engine: sa.Engine, settings: Settings) -> None:
    """Append a checkpoint if AUDIT_CHECKPOINT_KEY is set; log (never raise) a failure."""
    key = settings.audit.audit_checkpoint_key.get_secret_value()
    if not key:
        return
    path = checkpoint_file(settings)
    try:
        write_checkpoint(engine, path, key)
    except StoreUnavailable as error:
        log.error("audit checkpoint not written: %s", error.detail)
    except OSError as error:
        log.error("audit checkpoint not written to %s: %s", path, error.strerror or error)


async def checkpoint_periodically(engine: sa.Engine, settings: Settings) -> None:
    """Append a checkpoint every AUDIT_CHECKPOINT_INTERVAL_MINUTES until cancelled (at once
    when AUDIT_CHECKPOINT_KEY is empty)."""
    if not settings.audit.audit_checkpoint_key.get_secret_value():
        return
    interval = settings.audit.audit_checkpoint_interval_minutes * 60
    while True:
        await asyncio.sleep(interval)
        await asyncio.to_thread(checkpoint_or_log, engine, settings)
