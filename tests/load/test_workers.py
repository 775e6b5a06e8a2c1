"""`otelbi serve` with WORKERS=2 on the PostgreSQL store: two processes share the port and the
audit log stays one chain — every answered call has its row, and the chain verifies."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import httpx
import psycopg

from tests.e2e.conftest import start_product

VIEWS = ("/api/aw/sales/kpis", "/api/wwi/sales/kpis", "/api/aw/reps/scores")
CLIENTS = 20
CALLS = 10


async def _calls(url: str) -> Counter[int]:
    statuses: Counter[int] = Counter()

    async def client(index: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            for call in range(CALLS):
                # A window per client and call: cache misses too, so both processes write.
                path = f"{VIEWS[(index + call) % len(VIEWS)]}?days_back={30 + index * CALLS + call}"
                statuses[(await http.get(path)).status_code] += 1

    await asyncio.gather(*(client(index) for index in range(CLIENTS)))
    return statuses


def test_two_worker_processes_keep_one_audit_chain(
    generated_warehouses: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(generated_warehouses, data_dir)
    with ExitStack() as stack:
        product = start_product(stack, data_dir, tmp_path, JOBS_ENABLED="false", WORKERS="2")
        statuses = asyncio.run(_calls(product.url))
        with psycopg.connect(product.postgres_url) as connection:
            (rows,) = connection.execute(
                "SELECT count(*) FROM audit_log WHERE action = ANY(%s)",
                (["aw.sales.kpis", "wwi.sales.kpis", "aw.reps.scores"],),
            ).fetchone() or (None,)
        verify = subprocess.run(
            [sys.executable, "-m", "otelbi.cli", "audit", "verify"],
            env={**os.environ, "POSTGRES_URL": product.postgres_url},
            capture_output=True,
            text=True,
            check=False,
        )
        log = product.log.read_text()
    assert statuses == Counter({200: CLIENTS * CALLS}), log[-3000:]
    assert rows == CLIENTS * CALLS
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert len(set(re.findall(r"Started server process \[(\d+)\]", log))) == 2, log[-3000:]
