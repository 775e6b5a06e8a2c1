"""Each stock item's stock, supply terms, recent issues and open purchase orders, read from
the warehouse in one aggregated query.

The facts hold the [Stock Item] *version* key in force when they were loaded (Movement and
Purchase mostly first versions, Stock Holding current ones), so every fact is brought to the
[WWI Stock Item ID] business key before anything is joined or summed, and the item's name,
lead time and pack size come from its current version ([Valid To] in 9999-12-31).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.telemetry import traced_view
from otelbi.warehouse.catalog import declare
from otelbi.warehouse.wwi_tables import (
    dimension_stock_item,
    fact_movement,
    fact_purchase,
    fact_stock_holding,
)
from otelbi.wwi.reorder import ReorderRecommendations, StockLevels, StockPosition, recommend_all

DEMAND_WINDOW_DAYS = 90
CURRENT_VERSION_FROM = dt.datetime(9999, 12, 31)
"""The current SCD2 version ends at 9999-12-31 23:59:59.9999999 (DuckDB: .999999)."""

_WWI_ID = "WWI Stock Item ID"
_KEY = "Stock Item Key"
_ZERO = sa.literal_column("0", sa.Integer())

AS_OF = declare(
    "wwi.stock_levels.as_of",
    Domain.WWI,
    sa.select(sa.func.max(fact_movement.c["Date Key"]).label("as_of")),
)


def _issues_by_item() -> sa.Subquery:
    """Units issued per business key between :demand_start and :demand_end."""
    item = dimension_stock_item.alias("issued_item")
    movement = fact_movement.c
    return (
        sa.select(
            item.c[_WWI_ID].label("wwi_stock_item_id"),
            (-sa.func.sum(sa.cast(movement["Quantity"], sa.BigInteger))).label("issued_qty"),
        )
        .select_from(fact_movement.join(item, item.c[_KEY] == movement[_KEY]))
        .where(
            movement["WWI Invoice ID"].is_not(None),
            movement["Quantity"] < _ZERO,
            movement["Date Key"].between(sa.bindparam("demand_start"), sa.bindparam("demand_end")),
        )
        .group_by(item.c[_WWI_ID])
        .subquery("issues")
    )


def _open_orders_by_item() -> sa.Subquery:
    """Units on unfinalized purchase lines per business key."""
    item = dimension_stock_item.alias("ordered_item")
    purchase = fact_purchase.c
    return (
        sa.select(
            item.c[_WWI_ID].label("wwi_stock_item_id"),
            sa.func.sum(sa.cast(purchase["Ordered Quantity"], sa.BigInteger)).label("open_qty"),
        )
        .select_from(fact_purchase.join(item, item.c[_KEY] == purchase[_KEY]))
        .where(purchase["Is Order Finalized"] == sa.false())
        .group_by(item.c[_WWI_ID])
        .subquery("open_orders")
    )


def _positions() -> sa.Select[tuple[object, ...]]:
    held_item = dimension_stock_item.alias("held_item")
    current = dimension_stock_item.alias("current_item")
    issues, open_orders = _issues_by_item(), _open_orders_by_item()
    holding = fact_stock_holding.c
    return (
        sa.select(
            current.c[_WWI_ID].label("wwi_stock_item_id"),
            current.c["Stock Item"].label("stock_item"),
            holding["Quantity On Hand"].label("on_hand"),
            holding["Reorder Level"].label("reorder_level"),
            holding["Target Stock Level"].label("target_level"),
            holding["Last Cost Price"].label("last_cost_price"),
            current.c["Lead Time Days"].label("lead_time_days"),
            current.c["Quantity Per Outer"].label("quantity_per_outer"),
            sa.func.coalesce(issues.c.issued_qty, _ZERO).label("issued_qty"),
            sa.func.coalesce(open_orders.c.open_qty, _ZERO).label("open_po_qty"),
        )
        .select_from(
            fact_stock_holding.join(held_item, held_item.c[_KEY] == holding[_KEY])
            .join(
                current,
                sa.and_(
                    current.c[_WWI_ID] == held_item.c[_WWI_ID],
                    current.c["Valid To"] >= sa.bindparam("current_from", CURRENT_VERSION_FROM),
                ),
            )
            .outerjoin(issues, issues.c.wwi_stock_item_id == current.c[_WWI_ID])
            .outerjoin(open_orders, open_orders.c.wwi_stock_item_id == current.c[_WWI_ID])
        )
        .where(holding[_KEY] != _ZERO)  # 0 is "Unknown"
        .order_by(current.c[_WWI_ID])
    )


POSITIONS = declare("wwi.stock_levels.positions", Domain.WWI, _positions())


@traced_view(Domain.WWI, "stock_levels", rows=lambda levels: len(levels.positions))
def stock_levels(connection: sa.Connection) -> StockLevels | None:
    """Return every held item's position at the last movement date, or None if no movements.

    Demand is the units issued (negative Movement quantities carrying an invoice) over the
    DEMAND_WINDOW_DAYS days ending at that date, both ends included.
    """
    as_of: dt.date | None = AS_OF.rows(connection)[0].as_of
    if as_of is None:
        return None
    rows = POSITIONS.rows(
        connection,
        demand_start=as_of - dt.timedelta(days=DEMAND_WINDOW_DAYS - 1),
        demand_end=as_of,
    )
    positions = tuple(
        StockPosition(
            wwi_stock_item_id=int(row.wwi_stock_item_id),
            stock_item=str(row.stock_item),
            on_hand=int(row.on_hand),
            reorder_level=int(row.reorder_level),
            target_level=int(row.target_level),
            lead_time_days=int(row.lead_time_days),
            quantity_per_outer=int(row.quantity_per_outer),
            last_cost_price=Decimal(row.last_cost_price),
            issued_qty=int(row.issued_qty),
            open_po_qty=int(row.open_po_qty),
        )
        for row in rows
    )
    return StockLevels(as_of=as_of, window_days=DEMAND_WINDOW_DAYS, positions=positions)


@traced_view(Domain.WWI, "reorder_recommendations", rows=lambda advice: len(advice.items))
def reorder_recommendations(connection: sa.Connection) -> ReorderRecommendations | None:
    """Return the baseline recommendations for every held item (None without movements)."""
    levels = stock_levels(connection)
    return None if levels is None else recommend_all(levels)
