"""The PostgreSQL privileges of the application role, as GRANT statements.

In production two roles touch the write store: the migration owner, which owns every table
and runs `otelbi db upgrade`, and the application role the services log in as. The
application role may only add to the audit log and the export records; it cannot change
or remove their rows, truncate them or switch their triggers off (only an owner can).
`otelbi db grants` prints these statements; docs/security.md shows them.
"""

from __future__ import annotations

import re

from otelbi.store.tables import metadata

READ_APPEND = ("SELECT", "INSERT")
READ_APPEND_UPDATE = ("SELECT", "INSERT", "UPDATE")

APP_TABLE_PRIVILEGES: dict[str, tuple[str, ...]] = {
    "audit_log": READ_APPEND,
    "audit_chain_head": ("SELECT", "UPDATE"),  # moved with each append; its row is migrated
    "export_records": READ_APPEND,
    "report_records": READ_APPEND,
    "job_executions": READ_APPEND_UPDATE,  # a run is claimed, then marked started and finished
    "aw_forecasts": READ_APPEND,
    "aw_rep_scores": READ_APPEND,
    "aw_product_demand": READ_APPEND,
    "wwi_reorder_recommendations": READ_APPEND,
    "wwi_supplier_scores": READ_APPEND,
    "wwi_whatif_scenarios": READ_APPEND,
    "wwi_business_events": READ_APPEND_UPDATE,  # an event is resolved when the stock recovers
    "alembic_version": ("SELECT",),  # each start checks the schema is at head
}
"""Every table of the write store and what the application role may do with it."""

DEFAULT_APP_ROLE = "otelbi_app"
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")


def app_role_grants(role: str = DEFAULT_APP_ROLE) -> list[str]:
    """Return the GRANT statements that give `role` what the services need, and no more."""
    if not _ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name (a-z, 0-9, _)")
    statements = [f"GRANT USAGE ON SCHEMA public TO {role};"]
    statements += [
        f"GRANT {', '.join(privileges)} ON TABLE {table} TO {role};"
        for table, privileges in APP_TABLE_PRIVILEGES.items()
    ]
    statements += [
        f"GRANT USAGE ON SEQUENCE {name}_id_seq TO {role};"
        for name, table in sorted(metadata.tables.items())
        if "id" in table.c and table.c.id.autoincrement is True  # report ids are text
    ]
    return statements
