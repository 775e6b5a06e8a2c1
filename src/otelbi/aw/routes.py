"""HTTP routes of aw-service (reached through the gateway at the same paths)."""

from __future__ import annotations

from fastapi import APIRouter

from otelbi.aw.sales_kpis import sales_kpis
from otelbi.domain_service.dependencies import Audited, StateDep, WarehouseDep
from otelbi.domain_service.parameters import DaysBack
from otelbi.errors import NotFound
from otelbi.kpis import AwSalesKpis

router = APIRouter(prefix="/api/aw", dependencies=[Audited])


@router.get("/sales/kpis", name="aw.sales.kpis")
def get_sales_kpis(
    state: StateDep, warehouse: WarehouseDep, days_back: DaysBack = None
) -> AwSalesKpis:
    """Return the sales KPIs of the window ending at the last sale, against a year earlier."""
    kpis = sales_kpis(
        warehouse, days_back=days_back or state.settings.analytics.default_history_days
    )
    if kpis is None:
        raise NotFound("the warehouse holds no sales yet")
    return kpis
