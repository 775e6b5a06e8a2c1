"""Checking the audit chain: a full walk (`verify_chain`) and a cheap look at its head
(`chain_head_state`, for health checks).

A row is good when it is intact (its row_hash is the hash of what it holds), links to the
last good row and is not past the head the writer recorded. After a bad row the walk goes
on, accepting as the next link either the last good row's hash or the bad row's stored one:
a forged row that links nowhere is named alone, a deleted row names only the row after the
gap, an edited row only itself. A forged row that copies the writer's link (it claims the
same predecessor as another row) forks the chain: the branch the next row, or at the end the
head, continues is the chain, and the other row is named. Finally the last good row must be
the recorded head, or the log's tail was cut off (or the head moved by hand).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from otelbi.errors import StoreUnavailable
from otelbi.store.audit import GENESIS_HASH, HEAD_ROW, row_hash
from otelbi.store.engine import store_failure
from otelbi.store.tables import audit_chain_head, audit_log

NAMED_AT_MOST = 1000
"""Bad rows a report lists by id (all of them are counted)."""


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain: `ok` when no row is bad and the head matches.

    `bad_ids` lists the bad rows (up to NAMED_AT_MOST; `bad_rows` counts them all) and
    `first_bad_id` is the first of them. `head_matches` says whether the walk ended at the
    row the writer recorded as its last (`head_id`); `rows_checked` counts every row walked.
    """

    ok: bool
    rows_checked: int
    first_bad_id: int | None
    bad_ids: list[int] = field(default_factory=list)
    bad_rows: int = 0
    head_id: int = 0
    head_matches: bool = True


@dataclass(frozen=True)
class _Head:
    last_id: int
    last_hash: str


def verify_chain(engine: sa.Engine, *, batch_size: int = 1000) -> ChainReport:
    """Walk the whole chain in id order and return which rows are bad (module docstring).

    Rows are streamed, `batch_size` at a time, from the same snapshot as the head.
    """
    walk = _Walk()
    query = sa.select(audit_log).order_by(audit_log.c.id)
    try:
        with _snapshot(engine) as connection:
            head = _read_head(connection)
            # A server-side cursor on PostgreSQL; closed before the connection, even on error.
            with connection.execution_options(yield_per=batch_size).execute(query) as rows:
                for row in rows:
                    walk.step(row._mapping, head)
    except (DBAPIError, sa.exc.TimeoutError) as error:
        raise StoreUnavailable(
            f"the audit log could not be read: {store_failure(error)}"
        ) from error
    head_matches = walk.end(head)
    bad_ids = sorted(walk.bad_ids)
    return ChainReport(
        ok=walk.bad_rows == 0 and head_matches,
        rows_checked=walk.checked,
        first_bad_id=bad_ids[0] if bad_ids else None,
        bad_ids=bad_ids,
        bad_rows=walk.bad_rows,
        head_id=head.last_id,
        head_matches=head_matches,
    )


@dataclass
class _Walk:
    """The state of a walk: the chain's end so far (`tips`: one row, or the rival rows of a
    fork until a later row or the head picks one) and the rows found bad."""

    tips: dict[str, int] = field(default_factory=lambda: {GENESIS_HASH: 0})
    parent: str | None = None
    """The hash the tips link to: a row linking to it as well forks the chain."""
    after_bad: str | None = None
    """The stored hash of the last bad row: a row linking to it follows a gap or an edit."""
    checked: int = 0
    bad_rows: int = 0
    bad_ids: list[int] = field(default_factory=list)

    def step(self, row: sa.RowMapping, head: _Head) -> None:
        """Judge the next row in id order."""
        self.checked += 1
        sound = row["id"] <= head.last_id and row["row_hash"] == row_hash(row)
        if sound and row["prev_hash"] in self.tips:
            for rival in set(self.tips) - {row["prev_hash"]}:
                self._bad(self.tips[rival])
            self._extend(row)
        elif sound and row["prev_hash"] == self.parent:
            self.tips[row["row_hash"]] = row["id"]
        elif sound and row["prev_hash"] == self.after_bad:
            self._extend(row)
        else:
            self._bad(row["id"])
            self.after_bad = row["row_hash"]

    def end(self, head: _Head) -> bool:
        """Settle a fork at the end by the head; return whether the chain ends at the head."""
        if len(self.tips) > 1 and head.last_hash in self.tips:
            for rival in set(self.tips) - {head.last_hash}:
                self._bad(self.tips[rival])
            self.tips = {head.last_hash: self.tips[head.last_hash]}
        return self.tips == {head.last_hash: head.last_id}

    def _extend(self, row: sa.RowMapping) -> None:
        self.parent, self.after_bad = row["prev_hash"], None
        self.tips = {row["row_hash"]: row["id"]}

    def _bad(self, row_id: int) -> None:
        self.bad_rows += 1
        if len(self.bad_ids) < NAMED_AT_MOST:
            self.bad_ids.append(int(row_id))


def chain_head_state(engine: sa.Engine) -> str:
    """Return "ok" if the head row is there, intact, and no row lies past it; else what is
    wrong, for a person. Three indexed reads: cheap enough for every health check."""
    try:
        with _snapshot(engine) as connection:
            head = _read_head(connection)
            row = connection.execute(
                sa.select(audit_log).where(audit_log.c.id == head.last_id)
            ).one_or_none()
            beyond = connection.execute(
                sa.select(sa.func.count()).where(audit_log.c.id > head.last_id)
            ).scalar_one()
    except (DBAPIError, sa.exc.TimeoutError) as error:
        return f"error: the audit log could not be read: {store_failure(error)}"
    except StoreUnavailable as error:
        return f"broken: {error.detail}"
    if head.last_id and row is None:
        return f"broken: the last appended row ({head.last_id}) is gone; run `otelbi audit verify`"
    if row is not None and not (row.row_hash == head.last_hash == row_hash(row._mapping)):
        return (
            f"broken: the last appended row ({head.last_id}) was changed; run `otelbi audit verify`"
        )
    if beyond:
        return (
            f"broken: {beyond} row(s) after the last appended one were not written by the "
            "product; run `otelbi audit verify`"
        )
    return "ok"


@contextmanager
def _snapshot(engine: sa.Engine) -> Iterator[sa.Connection]:
    """Yield a connection whose reads all see one moment of the store."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _read_head(connection: sa.Connection) -> _Head:
    head = connection.execute(
        sa.select(audit_chain_head.c.last_id, audit_chain_head.c.last_hash).where(
            audit_chain_head.c.id == HEAD_ROW
        )
    ).one_or_none()
    if head is None:
        raise StoreUnavailable("the audit chain's head row is missing: run `otelbi db upgrade`")
    return _Head(int(head.last_id), str(head.last_hash))
