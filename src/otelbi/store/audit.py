"""The audit log: one row per analytics call, job, export, report and refused login.

Rows are only ever inserted (the table's triggers reject UPDATE, DELETE and TRUNCATE), and
they form a hash chain: each row stores the `row_hash` of the row before it as `prev_hash`,
and its own `row_hash` is the SHA-256 of its canonical JSON (`canonical_json`), prev_hash
included. Someone who can switch the triggers off and edit or delete a row still breaks the
chain, and `verify_chain` (store/audit_verify.py) names the rows where it breaks.

The chain's end is not "the row with the largest id" but `audit_chain_head`, which the writer
moves in each append's transaction: a row inserted by anyone else (with a made-up prev_hash,
or holding an id the writer would use next, which is then skipped) cannot capture the end or
stop appends. Appends are serialised (on PostgreSQL by locking the head's row, which reads
it too; `BEGIN IMMEDIATE` on SQLite), so the writer's chain cannot fork; the appends of one
process's concurrent calls share a transaction (store/group_commit.py), and a business write
can share its audit row's transaction (`chain_transaction`, `append_in`). A row's id is the
next one after the head that no row holds.

On PostgreSQL, while one process is the only writer, an append is a single statement: the
process links the rows to the head it left itself and moves the head only if it is still
there (`_ChainWriter`), in the statement that inserts them; if another writer moved it, the
statement changes nothing and the append takes the locked path.

What is stored is exactly what was hashed: before a row is hashed its values are put in a
form both stores give back unchanged (text without NUL, columns cut to their length,
duration_ms rounded to 3 decimals, parameters reduced to JSON that survives JSONB).
Parameters are stored without secrets (`without_secrets`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import math
import re
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.engine import SQLITE_BUSY_SECONDS, closed_by_the_server, store_failure
from otelbi.store.group_commit import GroupCommit
from otelbi.store.sqlite_write_lock import sqlite_write_lock
from otelbi.store.tables import audit_chain_head, audit_log
from otelbi.telemetry import business_span, current_telemetry
from otelbi.utc import as_utc

log = logging.getLogger(__name__)

MASK = "***"
GENESIS_HASH = "0" * 64
"""The prev_hash of the first row."""

HEAD_ROW = 1
"""The id of audit_chain_head's one row."""

ID_ROUNDS = 8
"""Rounds of candidate ids an append tries before it gives up (see `_free_ids`)."""

HASHED_COLUMNS = (
    "id",
    "occurred_at",
    "actor",
    "domain",
    "action",
    "resource",
    "parameters",
    "outcome",
    "status_code",
    "duration_ms",
    "trace_id",
    "detail",
    "client_address",
    "prev_hash",
)
"""The columns a row's hash covers: all of them but row_hash itself."""

_SECRET_KEY = re.compile(
    r"pass|secret|token|authori[sz]ation|api[_-]?key|credential|cookie|session|private[_-]?key",
    re.IGNORECASE,
)
_AUTH_SCHEME = re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}")
_LARGEST_EXACT_FLOAT = 1e16
"""Floats from here up print without a decimal point, so JSONB would give them back as ints."""


@dataclass(frozen=True)
class AuditEntry:
    """What one audited action did."""

    actor: str
    domain: str
    action: str
    resource: str
    outcome: str
    duration_ms: float
    parameters: Mapping[str, Any] = field(default_factory=dict)
    status_code: int | None = None
    trace_id: str | None = None
    detail: str | None = None
    client_address: str | None = None


def without_secrets(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Return `parameters` with credentials masked, at any depth.

    A value is masked whole when its key looks like a credential (password, token, api_key,
    cookie …); inside other text, bearer/basic credentials and JWTs are masked where they occur.
    """
    return {
        key: MASK if _SECRET_KEY.search(str(key)) else _masked(value)
        for key, value in parameters.items()
    }


def _masked(value: Any) -> Any:
    if isinstance(value, Mapping):
        return without_secrets(value)
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    if isinstance(value, str):
        return _JWT.sub(MASK, _AUTH_SCHEME.sub(lambda match: f"{match[1]} {MASK}", value))
    return value


def canonical_json(row: Mapping[str, Any] | sa.RowMapping) -> bytes:
    """Return the bytes a row's hash is taken over (the format is in docs/security.md).

    A JSON object of HASHED_COLUMNS: keys sorted, no whitespace, UTF-8 (non-ASCII characters
    as themselves), occurred_at as `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC, numbers as Python's
    `json` writes them (floats in their shortest round-trip form).
    """
    document = {name: row[name] for name in HASHED_COLUMNS}
    document["occurred_at"] = _utc_text(row["occurred_at"])
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def row_hash(row: Mapping[str, Any] | sa.RowMapping) -> str:
    """Return the hex SHA-256 of the row's canonical JSON."""
    return hashlib.sha256(canonical_json(row)).hexdigest()


def _utc_text(moment: dt.datetime) -> str:
    return as_utc(moment).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _text(value: str, length: int | None = None) -> str:
    # Neither store keeps NUL in text, and lone surrogates cannot be encoded as UTF-8.
    cleaned = value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    return cleaned[:length] if length is not None else cleaned


def _optional_text(value: str | None, length: int | None = None) -> str | None:
    return None if value is None else _text(value, length)


def _exact_json(value: Any) -> Any:
    """Return `value` as JSON that SQLite's JSON text and PostgreSQL's JSONB give back as is."""
    if isinstance(value, Mapping):
        return {_text(str(key)): _exact_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_exact_json(item) for item in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _exact_float(value)
    return _text(str(value))


def _exact_float(value: float) -> float | str:
    # JSONB has no NaN, infinity or negative zero; see _LARGEST_EXACT_FLOAT for the rest.
    if not math.isfinite(value) or abs(value) >= _LARGEST_EXACT_FLOAT:
        return repr(float(value))
    return float(value) + 0.0


def _column_length(name: str) -> int | None:
    length: int | None = getattr(audit_log.c[name].type, "length", None)
    return length


def _stored_values(entry: AuditEntry, occurred_at: dt.datetime) -> dict[str, Any]:
    """Return the row's values as the store will give them back (without id and hashes)."""
    texts = {
        name: _optional_text(getattr(entry, name), _column_length(name))
        for name in ("actor", "domain", "action", "resource", "outcome", "trace_id", "detail")
    }
    duration = round(float(entry.duration_ms), 3)
    return {
        **texts,
        "occurred_at": occurred_at,
        "parameters": _exact_json(without_secrets(entry.parameters)),
        "status_code": None if entry.status_code is None else int(entry.status_code),
        "duration_ms": duration + 0.0 if math.isfinite(duration) else 0.0,
        "client_address": _optional_text(entry.client_address, _column_length("client_address")),
    }


def append(engine: sa.Engine, entry: AuditEntry) -> int:
    """Insert `entry` at the end of the chain and return its id; StoreUnavailable on failure.

    Runs inside an `otelbi.audit.append` span (an ERROR span when the row is not written)
    and counts the row in `otelbi.audit.appends` of the service running the call.
    """
    values = _stored_values(entry, dt.datetime.now(dt.UTC))
    with _appending(values):
        _write_at_chain_end(engine, values)
    return int(values["id"])


def append_in(connection: sa.Connection, entry: AuditEntry) -> int:
    """Insert `entry` at the end of the chain in `connection`'s transaction, which
    `chain_transaction` opened, and return its id: the row commits with the caller's own
    writes, or neither does. StoreUnavailable if it cannot be inserted."""
    values = _stored_values(entry, dt.datetime.now(dt.UTC))
    with _appending(values):
        try:
            _link_and_insert(connection, [values])
        except DBAPIError as error:
            raise StoreUnavailable(
                f"the audit log could not be written: {store_failure(error)}"
            ) from error
    return int(values["id"])


@contextmanager
def _appending(values: dict[str, Any]) -> Iterator[None]:
    """Run an append inside its span and count it, written or not."""
    attributes = {
        "otelbi.audit.action": values["action"],
        "otelbi.audit.outcome": values["outcome"],
        "otelbi.audit.domain": values["domain"],
    }
    written = False
    try:
        with business_span("otelbi.audit.append", attributes) as span:
            yield
            written = True
            span.set_attribute("otelbi.audit.id", int(values["id"]))
    finally:
        current_telemetry().metrics.audit_append(
            domain=values["domain"],
            action=values["action"],
            outcome=values["outcome"],
            written=written,
        )


_committers: weakref.WeakKeyDictionary[sa.Engine, GroupCommit[dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)
_committers_lock = threading.Lock()


def _write_at_chain_end(engine: sa.Engine, values: dict[str, Any]) -> None:
    """Link `values` to the chain's end (setting id, prev_hash, row_hash) and insert it, in
    one transaction with whatever other threads of this process append at the same time."""
    with _committers_lock:
        committer = _committers.get(engine)
        if committer is None:
            writer = _ChainWriter(engine, _chain_end(engine))
            committer = _committers[engine] = GroupCommit(writer.write)
    committer.submit(values)


@dataclass(frozen=True)
class _Head:
    """Where the chain ends: the last appended row's id and row_hash."""

    last_id: int
    last_hash: str


class _ChainEnd:
    """What this process knows of one store's chain end, shared by every writer of the store
    in the process (the gateway and the embedded services each have an engine of their own,
    so a writer of its own): appends take turns on `turn`, and the head the last one left is
    where the next one links its rows, whichever engine writes it."""

    def __init__(self) -> None:
        self.turn = threading.Lock()
        self.left: _Head | None = None
        """The head the last append of this process left."""
        self.alone = False
        """Whether that append found the head where the one before it had left it (no other
        process or business write appended in between)."""


_chain_ends: weakref.WeakValueDictionary[str, _ChainEnd] = weakref.WeakValueDictionary()
"""By store URL; an entry lives as long as a writer of the store does."""


def _chain_end(engine: sa.Engine) -> _ChainEnd:
    """Return the chain end shared by this process's writers of `engine`'s store (called
    under `_committers_lock`)."""
    key = engine.url.render_as_string(hide_password=True)
    end = _chain_ends.get(key)
    if end is None:
        end = _chain_ends[key] = _ChainEnd()
    return end


class _ChainWriter:
    """Appends the batches of one engine, one at a time (GroupCommit serialises them), taking
    turns with the process's other writers of the same store (`_ChainEnd`).

    PostgreSQL: after a locked append that found the head where this process had left it
    (no other process or business write appended in between), the next append is one
    statement, with no lock and no transaction of its own: the rows linked to the head this
    process left, inserted only if the head is still there, which the same statement moves
    (`_insert_if_head_unmoved`). If it moved, nothing is written and the append takes the
    locked path; so does every append while another process keeps moving the head. (The
    head a writer links to is only a guess: the statement's condition is what keeps the
    chain whole, so a wrong guess costs the locked path and nothing else.)

    While it appends alone, the writer keeps one autocommit connection of the pool for those
    statements (if the pool has more than one): a checkout, its switch to autocommit and
    back, and its return cost a fifth of an append. It is looked at before each use as the
    pool looks at a checkout (`closed_by_the_server`), given back when another process moves
    the head or a statement fails, and closed when the engine is disposed.
    """

    def __init__(self, engine: sa.Engine, end: _ChainEnd) -> None:
        self._engine = engine
        self._end = end
        self._held: sa.Connection | None = None
        """The autocommit connection of the one-statement appends, while there are any."""
        self._holding = threading.Lock()
        """Taken while `_held` is used or changed (the engine may be disposed meanwhile)."""
        self._may_hold = isinstance(engine.pool, sa.QueuePool) and engine.pool.size() > 1
        sa.event.listen(engine, "engine_disposed", lambda _engine: self._close())

    def write(self, batch: list[dict[str, Any]]) -> None:
        """Link and insert `batch`, in order, in one transaction; StoreUnavailable on failure."""
        end = self._end
        with end.turn:
            try:
                if end.alone and end.left is not None and self._unlocked(batch, end.left):
                    return
                self._give_back()
                with chain_transaction(self._engine) as connection:
                    found, left = _link_and_insert(connection, batch)
                    connection.commit()
            except (DBAPIError, sa.exc.TimeoutError) as error:
                raise StoreUnavailable(
                    f"the audit log could not be written: {store_failure(error)}"
                ) from error
            end.alone = self._engine.dialect.name == "postgresql" and found == end.left
            end.left = left

    def _unlocked(self, batch: list[dict[str, Any]], head: _Head) -> bool:
        """Append `batch` after `head` in one statement; False (nothing written) if the head
        moved or a row holds one of the next ids."""
        left = _link(batch, head, list(range(head.last_id + 1, head.last_id + 1 + len(batch))))
        parameters = {
            **_row_parameters(batch),
            "expected_id": head.last_id,
            "expected_hash": head.last_hash,
            "last_id": left.last_id,
            "last_hash": left.last_hash,
        }
        statement = _insert_if_head_unmoved(len(batch))
        with self._holding:
            connection = self._connection()
            try:
                inserted = connection.execute(statement, parameters).rowcount
            except sa.exc.IntegrityError:  # a row holds one of the ids: the locked path skips it
                inserted = 0
            except DBAPIError:
                self._give_back_held()
                raise
            finally:
                if not self._may_hold:
                    self._give_back_held()
        written = inserted == len(batch)
        self._end.alone = written
        if written:
            self._end.left = left
        return written

    def _connection(self) -> sa.Connection:
        """Return the held autocommit connection, taking a fresh one if the server closed it."""
        held = self._held
        if held is not None and (
            held.invalidated or closed_by_the_server(held.connection.dbapi_connection)
        ):
            held.invalidate()
            self._give_back_held()
            held = None
        if held is None:
            held = self._held = self._engine.connect()
            held.execution_options(isolation_level="AUTOCOMMIT")
        return held

    def _give_back(self) -> None:
        with self._holding:
            self._give_back_held()

    def _close(self) -> None:
        # The engine's pool was disposed before this runs: a connection given back to it now
        # would stay open there, so it is closed (invalidated) instead.
        with self._holding:
            if self._held is not None:
                self._held.invalidate()
            self._give_back_held()

    def _give_back_held(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            held.close()


@contextmanager
def chain_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """Yield a connection in a transaction that may append (`append_in`) until it ends.

    Write a business row in it, then `append_in` its audit row, then commit: both or neither.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            # READ COMMITTED whatever the server's default: the head read under its row lock
            # must be the one the previous holder committed.
            connection.execution_options(isolation_level="READ COMMITTED")
            yield connection
        return
    # SQLite: this store's writers take turns across processes first (a busy SQLite writer
    # sleeps up to 100 ms a try), held until the transaction has ended either way; then
    # pysqlite, which opens transactions lazily at the first write, takes the write lock
    # before the chain's end is read.
    database = engine.url.database
    turns = (
        sqlite_write_lock(database, SQLITE_BUSY_SECONDS).held()
        if database and database != ":memory:"
        else nullcontext()  # an in-memory database has no other process writing
    )
    with turns, engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield connection


_HEAD = sa.select(
    audit_chain_head.c.last_id,
    audit_chain_head.c.last_hash,
    sa.select(sa.func.count())
    .where(
        audit_log.c.id > audit_chain_head.c.last_id,
        audit_log.c.id <= audit_chain_head.c.last_id + sa.bindparam("rows", type_=sa.BigInteger),
    )
    .scalar_subquery()
    .label("held"),
).where(audit_chain_head.c.id == HEAD_ROW)
"""The chain's end, and how many of the `rows` ids after it a row holds already (almost
always none: then the append needs no `_free_ids`)."""
_LOCKED_HEAD = _HEAD.with_for_update(of=audit_chain_head)
"""PostgreSQL: waits for the previous append's commit, then reads the head it left."""
_MOVE_HEAD = (
    audit_chain_head.update()
    .where(audit_chain_head.c.id == HEAD_ROW)
    .values(
        last_id=sa.bindparam("last_id", type_=sa.BigInteger),
        last_hash=sa.bindparam("last_hash", type_=sa.String),
    )
)
_HELD_IDS = sa.select(audit_log.c.id).where(
    audit_log.c.id.between(
        sa.bindparam("first", type_=sa.BigInteger), sa.bindparam("last", type_=sa.BigInteger)
    )
)
"""The ids held in a range: a range, not an expanding IN list, so the statement compiles once
(an expanding list is rendered again on every append)."""


def _link_and_insert(connection: sa.Connection, batch: list[dict[str, Any]]) -> tuple[_Head, _Head]:
    """Link `batch` to the head, insert it and move the head to its last row; return the head
    found and the head left."""
    postgres = connection.dialect.name == "postgresql"
    rows = len(batch)
    row = connection.execute(_LOCKED_HEAD if postgres else _HEAD, {"rows": rows}).one_or_none()
    if row is None:
        raise StoreUnavailable("the audit chain's head row is missing: run `otelbi db upgrade`")
    found = _Head(int(row.last_id), str(row.last_hash))
    ids = (
        list(range(found.last_id + 1, found.last_id + 1 + rows))
        if row.held == 0
        else _free_ids(connection, found.last_id, rows)
    )
    left = _link(batch, found, ids)
    head_values = {"last_id": left.last_id, "last_hash": left.last_hash}
    if postgres:  # one round trip for both
        connection.execute(_insert_moving_head(rows), {**_row_parameters(batch), **head_values})
    else:
        connection.execute(audit_log.insert(), batch)
        connection.execute(_MOVE_HEAD, head_values)
    return found, left


def _link(batch: list[dict[str, Any]], head: _Head, ids: list[int]) -> _Head:
    """Give `batch` its ids, prev_hash and row_hash after `head`; return the head it leaves."""
    prev_hash = head.last_hash
    for values, row_id in zip(batch, ids, strict=True):
        values["id"], values["prev_hash"] = row_id, prev_hash
        values["row_hash"] = prev_hash = row_hash(values)
    return _Head(ids[-1], prev_hash)


def _row_parameters(batch: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the values of `batch` as the parameters `r<n>_<column>` of the PostgreSQL
    inserts below."""
    return {f"r{n}_{name}": value for n, row in enumerate(batch) for name, value in row.items()}


def _row_binds(n: int) -> dict[str, sa.BindParameter[Any]]:
    """Return the bound parameters of row `n`'s columns (`r<n>_<column>`)."""
    return {c.name: sa.bindparam(f"r{n}_{c.name}", type_=c.type) for c in audit_log.columns}


@functools.lru_cache(maxsize=64)
def _insert_moving_head(rows: int) -> sa.Insert:
    """PostgreSQL: the statement inserting `rows` rows (parameters `r<n>_<column>`) and
    moving the head (`last_id`, `last_hash`)."""
    moved = _MOVE_HEAD.returning(audit_chain_head.c.id).cte("moved_head")
    # Rows selected, not a multi-row VALUES: that has no compile-cache key, so every batch
    # of several rows (group commit under load) was compiled again.
    return (
        audit_log.insert()
        .from_select([c.name for c in audit_log.columns], _rows_selected(rows))
        .add_cte(moved)
    )


def _rows_selected(
    rows: int, *where: sa.ColumnElement[bool]
) -> sa.Select[Any] | sa.CompoundSelect[Any]:
    """Return `rows` rows of bound parameters (`r<n>_<column>`) as one SELECT (a UNION ALL of
    one-row SELECTs), each selected only `where` holds."""
    selects = [
        sa.select(*(sa.cast(bind, bind.type) for bind in _row_binds(n).values())).where(*where)
        for n in range(rows)
    ]
    return selects[0] if rows == 1 else sa.union_all(*selects)


@functools.lru_cache(maxsize=64)
def _insert_if_head_unmoved(rows: int) -> sa.Insert:
    """PostgreSQL: the statement inserting `rows` rows (parameters `r<n>_<column>`) and moving
    the head (`last_id`, `last_hash`), both only if the head is at (`expected_id`,
    `expected_hash`); its row count is the rows inserted.

    Under READ COMMITTED an UPDATE that waited for another append's commit re-checks its
    condition on the row that append left, so at most one of them moves the head from a
    given place.
    """
    moved = (
        _MOVE_HEAD.where(
            audit_chain_head.c.last_id == sa.bindparam("expected_id", type_=sa.BigInteger),
            audit_chain_head.c.last_hash == sa.bindparam("expected_hash", type_=sa.String),
        )
        .returning(audit_chain_head.c.id)
        .cte("moved_head")
    )
    return (
        audit_log.insert()
        .from_select(
            [c.name for c in audit_log.columns], _rows_selected(rows, sa.exists(moved.select()))
        )
        .add_cte(moved)
        # INSERT … SELECT's row count is dropped unless asked for (SQLAlchemy 2.0.28 on)
        .execution_options(preserve_rowcount=True)
    )


def _free_ids(connection: sa.Connection, head_id: int, count: int) -> list[int]:
    """Return the first `count` ids after `head_id` that no row holds yet.

    A row inserted by someone else may hold an id the writer would hand out next: it is
    skipped. Each round asks for twice as many candidates; after ID_ROUNDS the append fails.
    """
    free: list[int] = []
    after = head_id
    for attempt in range(ID_ROUNDS):
        candidates = list(range(after + 1, after + 1 + (count - len(free)) * 2**attempt))
        bounds = {"first": candidates[0], "last": candidates[-1]}
        taken = set(connection.execute(_HELD_IDS, bounds).scalars())
        free += [i for i in candidates if i not in taken][: count - len(free)]
        if len(free) == count:
            return free
        after = candidates[-1]
    raise StoreUnavailable(
        "the audit log's next ids are held by rows its writer did not append: "
        "run `otelbi audit verify` to name them"
    )


def record(engine: sa.Engine, entry: AuditEntry, *, fail_closed: bool) -> int | None:
    """Append `entry` and return its id; if the store fails, raise or log and go on.

    With `fail_closed` (AUDIT_FAIL_CLOSED=true) the StoreUnavailable propagates, so the
    action's result is not delivered; otherwise the failure and the entry are logged at
    ERROR and None is returned.
    """
    try:
        return append(engine, entry)
    except StoreUnavailable as error:
        if fail_closed:
            raise
        log.error(
            "audit row not written, response delivered (AUDIT_FAIL_CLOSED=false): %s; "
            "actor=%s domain=%s action=%s resource=%s outcome=%s status=%s trace_id=%s",
            error.detail,
            entry.actor,
            entry.domain,
            entry.action,
            entry.resource,
            entry.outcome,
            entry.status_code,
            entry.trace_id,
        )
        return None


def recent(
    engine: sa.Engine,
    *,
    limit: int,
    domain: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    before_id: int | None = None,
) -> list[dict[str, Any]]:
    """Return up to `limit` audit rows, newest first, that match every filter given.

    `since` <= occurred_at < `until` (aware datetimes); `before_id` pages: pass the last id
    of the previous page.
    """
    conditions: list[sa.ColumnElement[bool]] = [
        column == value
        for column, value in (
            (audit_log.c.domain, domain),
            (audit_log.c.actor, actor),
            (audit_log.c.action, action),
            (audit_log.c.outcome, outcome),
        )
        if value is not None
    ]
    if since is not None:
        conditions.append(audit_log.c.occurred_at >= since.astimezone(dt.UTC))
    if until is not None:
        conditions.append(audit_log.c.occurred_at < until.astimezone(dt.UTC))
    if before_id is not None:
        conditions.append(audit_log.c.id < before_id)
    query = sa.select(audit_log).where(*conditions).order_by(audit_log.c.id.desc()).limit(limit)
    try:
        with engine.connect() as connection:
            rows = [dict(row._mapping) for row in connection.execute(query)]
    except (DBAPIError, sa.exc.TimeoutError) as error:
        raise StoreUnavailable(
            f"the audit log could not be read: {store_failure(error)}"
        ) from error
    return rows
