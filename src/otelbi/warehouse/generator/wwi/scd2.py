"""What every dimension shares: the Unknown member (key 0, "N/A" texts) in front, SCD2
validity columns, and `Versions`, which finds a business key's version at a moment.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from otelbi.warehouse.generator.insert import qualified, quote
from otelbi.warehouse.generator.wwi.columns import I64, Columns, Moments, int32, timestamps
from otelbi.warehouse.generator.wwi.connection import query, require_rows
from otelbi.warehouse.generator.wwi.timeline import END_OF_TIME, START, later

NA = "N/A"


class Versions:
    """The versions of an SCD2 dimension, to find a business key's version at a moment."""

    def __init__(self, business_id: I64, key: I64, valid_from: Moments) -> None:
        seconds = valid_from.astype("datetime64[s]").astype(np.int64)
        order = np.lexsort((key, seconds, business_id))
        self.business_id: I64 = business_id[order].astype(np.int64)
        self.key: I64 = key[order].astype(np.int64)
        self.valid_from: Moments = valid_from[order].astype("datetime64[us]")
        self._codes: I64 = (self.business_id << 32) + seconds[order]

    def ids(self) -> I64:
        """Return the business keys, without the Unknown member."""
        return np.unique(self.business_id[self.business_id != 0])

    def _key_at(self, ids: I64, position: I64, otherwise: npt.ArrayLike) -> I64:
        if not len(self._codes):
            return np.zeros(len(ids), dtype=np.int64)
        at = np.clip(position, 0, len(self._codes) - 1)
        found = (position >= 0) & (position < len(self._codes)) & (self.business_id[at] == ids)
        return np.where(found, self.key[at], otherwise).astype(np.int64)

    def first(self, ids: I64) -> I64:
        """Return each id's first version key (0 when the id is unknown)."""
        return self._key_at(ids, np.searchsorted(self._codes, ids << 32, side="left"), 0)

    def current(self, ids: I64) -> I64:
        """Return each id's latest version key (0 when the id is unknown)."""
        position = np.searchsorted(self._codes, (ids + 1) << 32, side="left") - 1
        return self._key_at(ids, position, 0)

    def at(self, ids: I64, moments: Moments) -> I64:
        """Return each id's version key in force at the moment (its first before it existed)."""
        seconds = moments.astype("datetime64[s]").astype(np.int64)
        position = np.searchsorted(self._codes, (ids << 32) + seconds, side="right") - 1
        return self._key_at(ids, position, self.first(ids))

    def first_valid_from(self, ids: I64) -> Moments:
        position = np.searchsorted(self._codes, ids << 32, side="left")
        at = np.clip(position, 0, max(len(self._codes) - 1, 0))
        return self.valid_from[at] if len(self._codes) else np.full(len(ids), START)


def read_versions(
    con: duckdb.DuckDBPyConnection, table: sa.Table, key: str, business_id: str
) -> Versions:
    require_rows(con, table)
    rows = query(
        con,
        f"SELECT {quote(key)} AS k, {quote(business_id)} AS id, "  # noqa: S608
        f'epoch_us("Valid From") AS f FROM {qualified(table)}',
    )
    return Versions(
        rows["id"].astype(np.int64),
        rows["k"].astype(np.int64),
        rows["f"].astype(np.int64).astype("datetime64[us]"),
    )


def scd2_columns(valid_from: Moments, valid_to: Moments, lineage: npt.ArrayLike) -> Columns:
    return {
        "Valid From": timestamps(valid_from),
        "Valid To": timestamps(valid_to),
        "Lineage Key": int32(lineage),
    }


def with_unknown(values: npt.ArrayLike, unknown: Any) -> npt.NDArray[Any]:
    """Return the values with the Unknown member's value in front."""
    return np.concatenate([np.asarray([unknown]), np.asarray(values)])


def version_times(
    rng: np.random.Generator, counts: I64, first: Moments, last_change: Moments, final: Moments
) -> tuple[I64, Moments, Moments]:
    """Spread `counts[i]` versions of each member i from `first[i]` to `final[i]`.

    Returns (member index, valid from, valid to) per version, ordered by member then time. A
    member's last version starts at `final`; the ones between start at 08:00 on random days
    before `last_change`.
    """
    member = np.repeat(np.arange(len(counts)), counts)
    rank = np.arange(len(member)) - np.repeat(np.cumsum(counts) - counts, counts)
    is_last = rank == counts[member] - 1
    first_day = first.astype("datetime64[D]")
    span = (last_change.astype("datetime64[D]") - first_day).astype(np.int64)
    offset = np.floor(rng.random(len(member)) * np.maximum(span[member], 1))
    change = later(first_day[member], offset).astype("datetime64[us]") + np.timedelta64(8, "h")
    valid_from = np.where(rank == 0, first[member], np.where(is_last, final[member], change))
    order = np.lexsort((valid_from, member))
    member, valid_from = member[order], valid_from[order]
    valid_to = np.roll(valid_from, -1)
    valid_to[is_last] = END_OF_TIME
    return member, valid_from, valid_to
