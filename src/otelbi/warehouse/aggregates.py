"""Aggregates that give the same type on SQL Server and on the embedded DuckDB copy."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def whole_sum(value: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    """Return SUM(`value`) of whole numbers as a BIGINT on both engines.

    SQL Server sums an int column as an int, which overflows past 2^31; DuckDB sums any
    integer as a 128-bit HUGEINT, which its Python client converts about ten times slower
    than a BIGINT (0.7 against 0.07 µs a value). So each value is widened before the sum and
    the sum narrowed after it.
    """
    return sa.cast(sa.func.sum(sa.cast(value, sa.BigInteger)), sa.BigInteger)
