"""The scheduled jobs of aw-service."""

from __future__ import annotations

from otelbi.jobs.definitions import JobDefinition

JOBS: tuple[JobDefinition, ...] = ()
