"""The scheduled jobs of wwi-service."""

from __future__ import annotations

from otelbi.jobs.definitions import JobDefinition

JOBS: tuple[JobDefinition, ...] = ()
