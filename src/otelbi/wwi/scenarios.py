"""What-if scenarios: the reorder recommendations recomputed under changed demand and lead
times, compared with the baseline, and stored in wwi_whatif_scenarios with their creator.

An Idempotency-Key is scoped to the user who sent it. The same key with the same request
gives back the stored first result; with a different request it is refused (422). Only the
key's SHA-256 is stored (`key_digest`), in the table and in audit parameters. The request's
fingerprint is kept in the stored summary, so the table needs no extra column.

A new scenario and its audit row are written in one transaction: both or neither.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Annotated, Any

import sqlalchemy as sa
from opentelemetry import trace
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.exc import DBAPIError, IntegrityError

from otelbi.domains import Domain
from otelbi.errors import InvalidInput, NotFound, StoreUnavailable
from otelbi.paging import Page
from otelbi.store.audit import AuditEntry, append_in, chain_transaction
from otelbi.store.engine import store_failure
from otelbi.store.tables import wwi_whatif_scenarios as scenarios_table
from otelbi.telemetry import traced_view
from otelbi.utc import UtcDateTime
from otelbi.wwi.reorder import (
    Assumptions,
    ReorderRecommendation,
    StockLevels,
    Urgency,
    recommend_all,
)
from otelbi.wwi.stock_levels import stock_levels


class ScenarioRequest(BaseModel):
    """POST /api/wwi/scenarios: what to change, and optionally which items to look at."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    demand_change_pct: float = Field(ge=-90, le=500, allow_inf_nan=False)
    lead_time_change_days: int = Field(ge=-30, le=90)
    stock_item_ids: list[int] | None = Field(
        default=None, min_length=1, max_length=1000, description="WWI Stock Item IDs"
    )

    def item_ids(self) -> list[int] | None:
        """Return the requested ids sorted and without repeats (None: every item)."""
        return None if self.stock_item_ids is None else sorted(set(self.stock_item_ids))

    def assumptions(self) -> Assumptions:
        """Return the changes as the recommendation arithmetic takes them."""
        return Assumptions(self.demand_change_pct, self.lead_time_change_days)

    def fingerprint(self) -> str:
        """Return a hash that is equal for requests asking the same thing."""
        canonical = json.dumps(
            {
                "name": self.name,
                "demand_change_pct": self.demand_change_pct,
                "lead_time_change_days": self.lead_time_change_days,
                "stock_item_ids": self.item_ids(),
            },
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


class OrderTotals(BaseModel):
    """What a set of recommendations asks to buy."""

    items_needing_orders: int
    total_order_qty: int
    total_order_value: float

    @classmethod
    def of(cls, items: Iterable[ReorderRecommendation]) -> OrderTotals:
        """Return the totals of `items` (value at each item's last cost price)."""
        ordering = [item for item in items if item.recommended_order_qty > 0]
        return cls(
            items_needing_orders=len(ordering),
            total_order_qty=sum(item.recommended_order_qty for item in ordering),
            total_order_value=round(sum(item.order_value for item in ordering), 2),
        )

    def minus(self, other: OrderTotals) -> OrderTotals:
        """Return self − other, field by field."""
        return OrderTotals(
            items_needing_orders=self.items_needing_orders - other.items_needing_orders,
            total_order_qty=self.total_order_qty - other.total_order_qty,
            total_order_value=round(self.total_order_value - other.total_order_value, 2),
        )


class ScenarioSummary(BaseModel):
    """The scenario's totals against the baseline's, and the difference (scenario − baseline)."""

    as_of: dt.date
    scenario: OrderTotals
    baseline: OrderTotals
    difference: OrderTotals


class ScenarioItem(ReorderRecommendation):
    """One item's recommendation under the scenario, with the baseline's beside it."""

    baseline_recommended_order_qty: int
    baseline_urgency: Urgency


class ScenarioHeader(BaseModel):
    """A stored scenario without its items (GET /api/wwi/scenarios)."""

    id: int
    created_at: UtcDateTime
    created_by: str
    name: str
    demand_change_pct: float
    lead_time_change_days: int
    stock_item_ids: list[int] | None
    summary: ScenarioSummary


class Scenario(ScenarioHeader):
    """A stored scenario with every item's recommendation, most urgent first."""

    demand_window_days: int
    items: list[ScenarioItem]


def compare(
    levels: StockLevels, request: ScenarioRequest
) -> tuple[ScenarioSummary, list[ScenarioItem]]:
    """Return the scenario's summary and items; InvalidInput names any unknown item id."""
    ids = request.item_ids()
    if ids is not None:
        held = {position.wwi_stock_item_id for position in levels.positions}
        unknown = [item_id for item_id in ids if item_id not in held]
        if unknown:
            raise InvalidInput(
                f"stock_item_ids: no stock holding for WWI Stock Item ID(s) "
                f"{', '.join(map(str, unknown))}; use ids listed by /api/wwi/stock/recommendations"
            )
        wanted = set(ids)
        levels = replace(
            levels, positions=tuple(p for p in levels.positions if p.wwi_stock_item_id in wanted)
        )
    baseline = {item.wwi_stock_item_id: item for item in recommend_all(levels).items}
    changed = recommend_all(levels, request.assumptions()).items
    items = [
        ScenarioItem(
            **item.model_dump(),
            baseline_recommended_order_qty=baseline[item.wwi_stock_item_id].recommended_order_qty,
            baseline_urgency=baseline[item.wwi_stock_item_id].urgency,
        )
        for item in changed
    ]
    scenario_totals, baseline_totals = OrderTotals.of(changed), OrderTotals.of(baseline.values())
    summary = ScenarioSummary(
        as_of=levels.as_of,
        scenario=scenario_totals,
        baseline=baseline_totals,
        difference=scenario_totals.minus(baseline_totals),
    )
    return summary, items


_FINGERPRINT = "request_fingerprint"


def key_digest(idempotency_key: str) -> str:
    """Return the hex SHA-256 of an Idempotency-Key: what is stored instead of the key."""
    return hashlib.sha256(idempotency_key.encode("utf-8", "surrogatepass")).hexdigest()


@traced_view(Domain.WWI, "create_scenario", rows=lambda created: len(created[0].items))
def create_scenario(
    store: sa.Engine,
    warehouse: sa.Connection,
    request: ScenarioRequest,
    *,
    created_by: str,
    idempotency_key: str | None,
    audit_row: Callable[[], AuditEntry],
) -> tuple[Scenario, bool]:
    """Return the scenario and True if it was created now (stored with `audit_row()` in one
    transaction), False if `idempotency_key` named an earlier identical request (whose
    stored result is returned as it was; nothing is written)."""
    digest = None if idempotency_key is None else key_digest(idempotency_key)
    if digest is not None:
        earlier = _find_by_key(store, created_by, digest, request)
        if earlier is not None:
            return earlier, False
    levels = stock_levels(warehouse)
    if levels is None:
        raise NotFound("the warehouse holds no stock movements yet")
    summary, items = compare(levels, request)
    span = trace.get_current_span().get_span_context()
    values = {
        "created_at": dt.datetime.now(dt.UTC),
        "created_by": created_by,
        "name": request.name,
        "demand_change_pct": request.demand_change_pct,
        "lead_time_change_days": request.lead_time_change_days,
        "stock_item_ids": request.item_ids(),
        "idempotency_key": digest,
        "summary": {**summary.model_dump(mode="json"), _FINGERPRINT: request.fingerprint()},
        "result": {
            "demand_window_days": levels.window_days,
            "items": [item.model_dump(mode="json") for item in items],
        },
        "trace_id": format(span.trace_id, "032x") if span.is_valid else None,
    }
    try:
        with chain_transaction(store) as connection:
            row = connection.execute(
                scenarios_table.insert().returning(*scenarios_table.c), values
            ).one()
            append_in(connection, audit_row())
            connection.commit()
    except IntegrityError:
        # The same user sent the same key concurrently and the other request won.
        earlier = None if digest is None else _find_by_key(store, created_by, digest, request)
        if earlier is None:
            raise
        return earlier, False
    except (DBAPIError, sa.exc.TimeoutError) as error:
        raise StoreUnavailable(
            f"the scenario could not be stored: {store_failure(error)}"
        ) from error
    return _scenario(row), True


def _find_by_key(
    store: sa.Engine, created_by: str, digest: str, request: ScenarioRequest
) -> Scenario | None:
    query = sa.select(scenarios_table).where(
        scenarios_table.c.created_by == created_by, scenarios_table.c.idempotency_key == digest
    )
    row = _read(store, query)
    if row is None:
        return None
    if row.summary.get(_FINGERPRINT) != request.fingerprint():
        raise InvalidInput(
            f"this Idempotency-Key was already used for a different scenario request "
            f"(scenario {row.id}); send a new key for a new request"
        )
    return _scenario(row)


def get_scenario(store: sa.Engine, scenario_id: int) -> Scenario:
    """Return the stored scenario with its items; NotFound if there is none with that id."""
    row = _read(store, sa.select(scenarios_table).where(scenarios_table.c.id == scenario_id))
    if row is None:
        raise NotFound(f"there is no scenario {scenario_id}")
    return _scenario(row)


_HEADER_COLUMNS = [
    scenarios_table.c[name]
    for name in (
        "id",
        "created_at",
        "created_by",
        "name",
        "demand_change_pct",
        "lead_time_change_days",
        "stock_item_ids",
        "summary",
    )
]


def list_scenarios(store: sa.Engine, *, limit: int, offset: int) -> Page[ScenarioHeader]:
    """Return one page of every user's scenarios, newest first, without their items."""
    query = (
        sa.select(*_HEADER_COLUMNS)
        .order_by(scenarios_table.c.created_at.desc(), scenarios_table.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    try:
        with store.connect() as connection:
            rows = connection.execute(query).all()
            total = connection.execute(
                sa.select(sa.func.count()).select_from(scenarios_table)
            ).scalar_one()
    except DBAPIError as error:
        raise StoreUnavailable(f"the scenarios could not be read: {error.orig}") from error
    items = [ScenarioHeader.model_validate(dict(row._mapping)) for row in rows]
    return Page[ScenarioHeader](items=items, limit=limit, offset=offset, total=total)


def _read(store: sa.Engine, query: sa.Select[Any]) -> sa.Row[Any] | None:
    try:
        with store.connect() as connection:
            return connection.execute(query).one_or_none()
    except DBAPIError as error:
        raise StoreUnavailable(f"the scenario could not be read: {error.orig}") from error


def _scenario(row: sa.Row[Any]) -> Scenario:
    values = row._mapping
    result = values["result"]
    return Scenario.model_validate(
        {
            **{column.name: values[column.name] for column in _HEADER_COLUMNS},
            "demand_window_days": result["demand_window_days"],
            "items": result["items"],
        }
    )
