"""The PostgreSQL (or embedded SQLite) write store: tables, migrations, audit log."""
