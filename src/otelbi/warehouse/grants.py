"""The T-SQL that gives a SQL Server login read access to exactly the tables the product reads.

`otelbi warehouse grants aw|wwi --user NAME` prints it: a database user for an existing login,
and SELECT on each table the domain's statements may read (the same list the read-only guard
enforces), nothing else — no schema-wide grant, no db_datareader.
"""

from __future__ import annotations

import re

from otelbi.domains import Domain
from otelbi.warehouse.engines import METADATA

_USER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")


def select_grants(domain: Domain, user: str) -> list[str]:
    """Return the statements that give database user `user` SELECT on `domain`'s tables."""
    if not _USER_NAME.fullmatch(user):
        raise ValueError(f"{user!r} is not a plain SQL Server user name (letters, digits, _)")
    tables = sorted(METADATA[domain].tables.values(), key=lambda table: table.fullname)
    return [
        f"CREATE USER [{user}] FOR LOGIN [{user}];",
        *(f"GRANT SELECT ON [{table.schema}].[{table.name}] TO [{user}];" for table in tables),
    ]
