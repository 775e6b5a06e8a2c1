"""Each stock item's stock, supply terms, recent issues and open purchase orders, read from
the warehouse in one aggregated query.

The facts hold the [Stock Item] *version* key in force when they were loaded (Movement and
Purchase mostly first versions, Stock Holding current ones), so every fact is brought to the
[WWI Stock Item ID] business key before anything is joined or summed, and the item's name,
lead time and pack size come from its current version ([Valid To] in 9999-12-31).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.telemetry import traced_view
from otelbi.warehouse.aggregates import whole_sum
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
            (-whole_sum(movement["Quantity"])).label("issued_qty"),
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
            whole_sum(purchase["Ordered Quantity"]).label("open_qty"),
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
    columns: dict[str, sa.ColumnElement[Any]] = {
        "wwi_stock_item_id": current.c[_WWI_ID],
        "stock_item": current.c["Stock Item"],
        "on_hand": holding["Quantity On Hand"],
        "reorder_level": holding["Reorder Level"],
        "target_level": holding["Target Stock Level"],
        "lead_time_days": current.c["Lead Time Days"],
        "quantity_per_outer": current.c["Quantity Per Outer"],
        "last_cost_price": holding["Last Cost Price"],
        "issued_qty": sa.func.coalesce(issues.c.issued_qty, _ZERO),
        "open_po_qty": sa.func.coalesce(open_orders.c.open_qty, _ZERO),
    }
    return (
        # In StockPosition's order: each row becomes one by position (`stock_levels`).
        sa.select(*(columns[name].label(name) for name in StockPosition._fields))
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
    # By position: reading ten columns of each Row by name cost more than the rest of the
    # conversion (the statement selects them in StockPosition's order).
    positions = tuple(map(StockPosition._make, rows))
    return StockLevels(as_of=as_of, window_days=DEMAND_WINDOW_DAYS, positions=positions)


@traced_view(Domain.WWI, "reorder_recommendations", rows=lambda advice: len(advice.items))
def reorder_recommendations(connection: sa.Connection) -> ReorderRecommendations | None:
    """Return the baseline recommendations for every held item (None without movements)."""
    levels = stock_levels(connection)
    return None if levels is None else recommend_all(levels)
