"""A job runner outside any service process, for `otelbi jobs run` on the command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa

from otelbi.domains import Domain
from otelbi.errors import WarehouseUnavailable
from otelbi.jobs.definitions import JobDefinition
from otelbi.jobs.runner import JobRunner
from otelbi.settings import Settings
from otelbi.store.engine import open_store
from otelbi.telemetry import instrument_engine, start_telemetry
from otelbi.warehouse.engines import create_warehouse_engine


@contextmanager
def standalone_runner(
    domain: Domain, jobs: Sequence[JobDefinition], settings: Settings
) -> Iterator[JobRunner]:
    """Yield a runner for `domain`'s jobs with its own engines and telemetry (closed after)."""
    telemetry = start_telemetry(domain.service_name, settings.telemetry)
    store = open_store(settings, telemetry)
    warehouse: sa.Engine | None = None
    problem = ""
    try:
        warehouse = create_warehouse_engine(domain, settings.warehouse)
        instrument_engine(warehouse, telemetry)
    except WarehouseUnavailable as error:
        problem = error.detail

    def open_warehouse() -> sa.Engine:
        if warehouse is None:
            raise WarehouseUnavailable(problem)
        return warehouse

    get_warehouse: Callable[[], sa.Engine] = open_warehouse
    runner = JobRunner(
        domain.service_name,
        jobs,
        audit_domain=domain.value,
        settings=settings,
        store=store,
        warehouse=get_warehouse,
        telemetry=telemetry,
    )
    runner.open()
    try:
        yield runner
    finally:
        runner.close()
        if warehouse is not None:
            warehouse.dispose()
        store.dispose()
        telemetry.shutdown()
