"""The two warehouse domains and the service that owns each."""

from __future__ import annotations

from enum import StrEnum


class Domain(StrEnum):
    """A warehouse domain: AdventureWorks (aw) or WideWorldImporters (wwi)."""

    AW = "aw"
    WWI = "wwi"

    @property
    def service_name(self) -> str:
        """Return the name of the service that owns this domain (also its token audience)."""
        return f"{self.value}-service"

    @property
    def display_name(self) -> str:
        """Return the warehouse's human name."""
        return {"aw": "AdventureWorksDW", "wwi": "WideWorldImportersDW"}[self.value]


GATEWAY_SERVICE_NAME = "api-gateway"
