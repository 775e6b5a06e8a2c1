"""What the gateway holds while it runs."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.security.user_tokens import UserTokenValidator
from otelbi.settings import Settings
from otelbi.telemetry import Telemetry


@dataclass
class GatewayState:
    """The gateway's resources (set up in its lifespan)."""

    settings: Settings
    store: sa.Engine
    telemetry: Telemetry
    services: dict[Domain, httpx.AsyncClient]
    user_tokens: UserTokenValidator | None
