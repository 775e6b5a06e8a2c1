"""A real `otelbi serve` for the benchmarks: all-in-one on 127.0.0.1, embedded warehouses
from a DATA_DIR, the SQLite or a fresh PostgreSQL store (trust auth, as the tests use it),
telemetry off; stopped, and its database dropped, when the block ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import sqlalchemy as sa

POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Server:
    """A running product: its URL, process id, store and environment."""

    url: str
    pid: int
    store_url: str
    """SQLAlchemy URL of its write store."""
    env: dict[str, str]

    def rss_mb(self) -> float:
        """Return the resident memory of the server process and its workers (WORKERS > 1)."""
        return sum(_rss_mb(pid) for pid in (self.pid, *_children(self.pid)))

    def audit_rows(self) -> int:
        """Return how many rows its audit log holds."""
        engine = sa.create_engine(self.store_url)
        try:
            with engine.connect() as connection:
                return int(
                    connection.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one()
                )
        finally:
            engine.dispose()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for task in tasks.iterdir() for c in (task / "children").read_text().split()]


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(store: str, data_dir: Path, work_dir: Path, **settings: str) -> Iterator[Server]:
    """Run `otelbi serve` with `store` ("sqlite" or "postgresql") until the block ends."""
    database = f"otelbi_bench_{uuid.uuid4().hex[:10]}"
    if store == "postgresql":
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        postgres_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
        store_url = postgres_url.replace("postgresql://", "postgresql+psycopg://", 1)
    else:
        postgres_url, store_url = "", f"sqlite:///{data_dir / 'otelbi.sqlite'}"
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OTEL_")},
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(data_dir),
        "REQUIRE_FRONTEND_AUTH": "false",
        "JOBS_ENABLED": "false",
        "OTEL_SDK_DISABLED": "true",
        "FRONTEND_DIST_DIR": "",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    log = (work_dir / f"serve-{store}-{port}.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "otelbi.cli", "serve"], env=env, cwd=work_dir, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"otelbi serve did not come up; see {log.name}")
        yield Server(url=url, pid=server.pid, store_url=store_url, env=env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if store == "postgresql":
            with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
