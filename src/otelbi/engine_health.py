"""Whether a database engine can serve now: the check behind /api/health, the services'
health and the /readyz probes."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError


def check_engine(engine: sa.Engine) -> str:
    """Return "ok" if `engine` answers SELECT 1, else what is wrong, for a person.

    A pool whose every connection is in use is reported at once as saturated, instead of
    waiting the pool's timeout for a connection to answer with (the product's pools have no
    overflow: their size is all they hold).
    """
    pool = engine.pool
    if isinstance(pool, sa.QueuePool) and pool.checkedout() >= pool.size():
        return f"saturated: all {pool.checkedout()} connections are in use"
    try:
        with engine.connect() as connection:
            connection.execute(sa.select(sa.literal(1)))
    except DBAPIError as error:
        return f"error: {error.orig}"
    except sa.exc.TimeoutError:
        return "saturated: no connection became free in time"
    return "ok"
