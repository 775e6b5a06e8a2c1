"""WideWorldImporters supplier scores: fill rate, open lines, on-time delivery and delay per
supplier, aggregated in the warehouse from Fact.Purchase and its Fact.Movement receipts, then
blended into a 0-100 score and ranked.

Decisions (also in docs/analytics.md, "Supplier scores"):
- Suppliers are grouped by [WWI Supplier ID] (the facts hold SCD2 version keys); name and
  category are the current version's (latest [Valid From], then highest key: the rename row).
  Suppliers without purchase lines are left out; the Unknown supplier (ID 0) never appears.
- Fill rate = received ÷ ordered outers over finalized lines; open lines are not finalized.
- A line's receipt date is its earliest Movement row with positive quantity, the same
  [WWI Purchase Order ID] and the same [WWI Stock Item ID]; it is expected by order date +
  the item's current [Lead Time Days]. Lines without a receipt count for neither on-time nor
  delay. Delay = max(0, receipt - expected) days, averaged over received lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel

from otelbi.domains import Domain
from otelbi.telemetry import traced_view
from otelbi.warehouse.catalog import declare
from otelbi.warehouse.date_functions import DaysBetween
from otelbi.warehouse.wwi_tables import (
    dimension_stock_item,
    dimension_supplier,
    fact_movement,
    fact_purchase,
)

ON_TIME_WEIGHT = 0.5
FILL_RATE_WEIGHT = 0.3
DELAY_WEIGHT = 0.2
DELAY_HORIZON_DAYS = 14.0
"""An average delay of this many days (or more) earns nothing of the delay weight."""


def _current_versions(
    table: sa.Table, business_key: str, key: str, columns: dict[str, str], name: str
) -> sa.Subquery:
    """Return one row per business key: its latest version (by [Valid From], then key)."""
    ranked = sa.select(
        table.c[business_key].label("business_id"),
        *(table.c[column].label(label) for label, column in columns.items()),
        sa.func.row_number()
        .over(
            partition_by=table.c[business_key],
            order_by=(table.c["Valid From"].desc(), table.c[key].desc()),
        )
        .label("version_rank"),
    ).subquery(f"{name}_versions")
    return (
        sa.select(ranked.c.business_id, *(ranked.c[label] for label in columns))
        .where(ranked.c.version_rank == 1)
        .subquery(name)
    )


_current_supplier = _current_versions(
    dimension_supplier,
    "WWI Supplier ID",
    "Supplier Key",
    {"supplier": "Supplier", "category": "Category"},
    "current_supplier",
)
_current_item = _current_versions(
    dimension_stock_item,
    "WWI Stock Item ID",
    "Stock Item Key",
    {"lead_time_days": "Lead Time Days"},
    "current_item",
)

_receipt_item = dimension_stock_item.alias("receipt_item")
_receipts = (
    sa.select(
        fact_movement.c["WWI Purchase Order ID"].label("purchase_order_id"),
        _receipt_item.c["WWI Stock Item ID"].label("wwi_stock_item_id"),
        sa.func.min(fact_movement.c["Date Key"]).label("received_on"),
    )
    .join_from(
        fact_movement,
        _receipt_item,
        _receipt_item.c["Stock Item Key"] == fact_movement.c["Stock Item Key"],
    )
    .where(fact_movement.c["WWI Purchase Order ID"].is_not(None), fact_movement.c["Quantity"] > 0)
    .group_by(fact_movement.c["WWI Purchase Order ID"], _receipt_item.c["WWI Stock Item ID"])
    .subquery("receipts")
)

_line_supplier = dimension_supplier.alias("line_supplier")
_line_item = dimension_stock_item.alias("line_item")
_purchase_order_id = fact_purchase.c["WWI Purchase Order ID"]
_lines = (
    sa.select(
        _line_supplier.c["WWI Supplier ID"].label("wwi_supplier_id"),
        _purchase_order_id.label("purchase_order_id"),
        fact_purchase.c["Is Order Finalized"].label("finalized"),
        fact_purchase.c["Ordered Outers"].label("ordered_outers"),
        fact_purchase.c["Received Outers"].label("received_outers"),
        _current_item.c.lead_time_days,
        DaysBetween(fact_purchase.c["Date Key"], _receipts.c.received_on).label("days_to_receipt"),
    )
    .select_from(fact_purchase)
    .join(_line_supplier, _line_supplier.c["Supplier Key"] == fact_purchase.c["Supplier Key"])
    .join(_line_item, _line_item.c["Stock Item Key"] == fact_purchase.c["Stock Item Key"])
    .join(_current_item, _current_item.c.business_id == _line_item.c["WWI Stock Item ID"])
    .outerjoin(
        _receipts,
        sa.and_(
            _receipts.c.purchase_order_id == _purchase_order_id,
            _receipts.c.wwi_stock_item_id == _line_item.c["WWI Stock Item ID"],
        ),
    )
    .where(_line_supplier.c["WWI Supplier ID"] != 0)
    .subquery("purchase_lines")
)


_ONE = sa.literal_column("1", sa.Integer())
_ZERO = sa.literal_column("0", sa.Integer())


def _total_when(
    condition: sa.ColumnElement[bool], value: sa.ColumnElement[Any]
) -> sa.ColumnElement[Any]:
    """Return SUM(value) over the rows where `condition` holds (0 when none does)."""
    # Literal constants, not bind parameters: SQL Server types a CASE of parameters badly.
    return sa.func.sum(sa.case((condition, value), else_=_ZERO))


_finalized = _lines.c.finalized == sa.true()
_late_days = _lines.c.days_to_receipt - _lines.c.lead_time_days

AS_OF = declare(
    "wwi.suppliers.as_of",
    Domain.WWI,
    sa.select(sa.func.max(fact_purchase.c["Date Key"]).label("as_of")),
)

SUPPLIER_TOTALS = declare(
    "wwi.suppliers.score_totals",
    Domain.WWI,
    sa.select(
        _lines.c.wwi_supplier_id,
        _current_supplier.c.supplier,
        _current_supplier.c.category,
        sa.func.count(sa.distinct(_lines.c.purchase_order_id)).label("purchase_orders"),
        sa.func.count().label("lines"),
        _total_when(_finalized, _lines.c.ordered_outers).label("finalized_ordered_outers"),
        _total_when(_finalized, _lines.c.received_outers).label("finalized_received_outers"),
        _total_when(_lines.c.finalized == sa.false(), _ONE).label("open_lines"),
        sa.func.count(_lines.c.days_to_receipt).label("received_lines"),
        _total_when(_lines.c.days_to_receipt <= _lines.c.lead_time_days, _ONE).label(
            "on_time_lines"
        ),
        _total_when(_late_days > _ZERO, _late_days).label("late_days"),
    )
    .join_from(
        _lines, _current_supplier, _current_supplier.c.business_id == _lines.c.wwi_supplier_id
    )
    .group_by(_lines.c.wwi_supplier_id, _current_supplier.c.supplier, _current_supplier.c.category),
)


class SupplierScore(BaseModel):
    """One supplier's purchasing record and its 0-100 score."""

    wwi_supplier_id: int
    supplier: str
    category: str | None
    purchase_orders: int
    lines: int
    fill_rate_pct: float | None
    open_lines: int
    on_time_pct: float | None
    avg_delay_days: float | None
    score: float
    rank: int


class SupplierScores(BaseModel):
    """Supplier scores, best first, as of the last purchase date."""

    as_of: dt.date
    suppliers: list[SupplierScore]


def _pct(part: float, whole: float) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def blended_score(
    on_time_pct: float | None, fill_rate_pct: float | None, avg_delay_days: float | None
) -> float:
    """Return the 0-100 weighted blend of the components that have evidence.

    A component without evidence (no received line, no finalized line) is left out and the
    other weights are scaled up; with no evidence at all the score is 0.
    """
    parts: list[tuple[float, float]] = []
    if on_time_pct is not None:
        parts.append((ON_TIME_WEIGHT, on_time_pct))
    if fill_rate_pct is not None:
        parts.append((FILL_RATE_WEIGHT, min(fill_rate_pct, 100.0)))
    if avg_delay_days is not None:
        parts.append((DELAY_WEIGHT, 100.0 * max(0.0, 1.0 - avg_delay_days / DELAY_HORIZON_DAYS)))
    if not parts:
        return 0.0
    return sum(weight * value for weight, value in parts) / sum(weight for weight, _ in parts)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _score(row: sa.Row[Any]) -> SupplierScore:
    """Return a totals row's measures and score, not yet ranked (rank 0)."""
    fill_rate = _pct(row.finalized_received_outers, row.finalized_ordered_outers)
    on_time = _pct(row.on_time_lines, row.received_lines)
    delay = row.late_days / row.received_lines if row.received_lines else None
    return SupplierScore(
        wwi_supplier_id=row.wwi_supplier_id,
        supplier=row.supplier,
        category=row.category or None,
        purchase_orders=row.purchase_orders,
        lines=row.lines,
        fill_rate_pct=_round(fill_rate),
        open_lines=row.open_lines,
        on_time_pct=_round(on_time),
        avg_delay_days=_round(delay),
        score=round(blended_score(on_time, fill_rate, delay), 2),
        rank=0,
    )


def ranked_scores(rows: Sequence[sa.Row[Any]]) -> list[SupplierScore]:
    """Return one score per totals row, ranked by score (highest first), then by name."""
    scores = sorted(map(_score, rows), key=lambda s: (-s.score, s.supplier, s.wwi_supplier_id))
    return [s.model_copy(update={"rank": rank}) for rank, s in enumerate(scores, start=1)]


@traced_view(Domain.WWI, "supplier_scores", rows=lambda scores: len(scores.suppliers))
def supplier_scores(
    connection: sa.Connection, *, top_n: int | None = None
) -> SupplierScores | None:
    """Return the `top_n` best suppliers (all without it), or None if nothing was purchased."""
    as_of = AS_OF.rows(connection)[0].as_of
    if as_of is None:
        return None
    ranked = ranked_scores(SUPPLIER_TOTALS.rows(connection))
    return SupplierScores(as_of=as_of, suppliers=ranked[:top_n] if top_n else ranked)
