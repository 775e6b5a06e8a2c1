"""The gateway's checks of the identity provider and the report directory, for /api/health.

Each answers "ok" or what is wrong, for a person. Neither makes the gateway not ready: every
replica shares the provider and the share, so leaving the load balancer would turn a partial
outage (reports, or new sign-ins) into a total one (docs/deployment.md, "Probes").
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from otelbi.errors import DependencyUnavailable
from otelbi.files.atomic import ensure_directory, unwritable
from otelbi.security.user_tokens import UserTokenValidator

HEALTH_FILE_PREFIX = ".health-check-"


def identity_provider_state(user_tokens: UserTokenValidator | None) -> str | None:
    """Return whether the provider serves its signing keys (cached, see JwksCache), or None
    when no login is required (REQUIRE_FRONTEND_AUTH=false)."""
    return None if user_tokens is None else user_tokens.keys.provider_state()


def report_directory_state(directory: Path) -> str:
    """Return "ok" if a file can be created in `directory` (made if missing, as a report
    would make it) and removed again, else why not."""
    try:
        ensure_directory(directory)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=HEALTH_FILE_PREFIX):
            pass
    except DependencyUnavailable as error:
        return f"error: {error.detail}"
    except OSError as error:
        return f"error: {unwritable(directory, error).detail}"
    return "ok"
