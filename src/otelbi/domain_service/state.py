"""What a domain service holds while it runs: its engines, secret and telemetry."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry


@dataclass
class ServiceState:
    """The running service's resources (set up in its lifespan)."""

    domain: Domain
    settings: Settings
    store: sa.Engine
    telemetry: Telemetry
    internal_secret: str
    allowed_issuers: frozenset[str]
    warehouse_engine: sa.Engine | None
    warehouse_problem: str | None

    def warehouse(self) -> sa.Engine:
        """Return the warehouse engine; raise WarehouseUnavailable if it could not be opened."""
        if self.warehouse_engine is None:
            raise WarehouseUnavailable(self.warehouse_problem or "the warehouse is not available")
        return self.warehouse_engine
