"""Dashboards under load: concurrent clients cycling over the eight Overview/AW/WWI views,
driven by wrk against a real `otelbi serve` (all-in-one, generated DuckDB warehouses), with
the SQLite and with the PostgreSQL write store.

Prints per store: requests/s; latency p50/p95/p99; answers other than 2xx and socket errors
(wrk's own timeout is 10 s); audit rows written against 2xx answered (every answered view
call must have its row); whether the audit chain verifies afterwards; the server's RSS idle
and after the run.

    .venv/bin/python bench/load.py                          # both stores, 50 clients, 30 s
    .venv/bin/python bench/load.py --store sqlite --clients 20 --seconds 10
    .venv/bin/python bench/load.py --sign-in                # every call with a user token

With `--sign-in` the product requires a login (REQUIRE_FRONTEND_AUTH=true, as deployed) and
every call carries a real access token of the test OIDC provider (tests/peers/oidc, Node.js),
which the gateway checks: the first call of a token in the thread pool, the later ones from
its memory of verified tokens.

Needs wrk (Debian: `apt-get install wrk`) and, for the PostgreSQL store, the local server
(trust auth, as the tests use it). Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from served import serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test OIDC provider (tests/)
from tests.peers.oidc_provider import ProviderKey, running_provider

from otelbi.domains import Domain
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path

VIEWS = (
    "/api/aw/sales/kpis",
    "/api/wwi/sales/kpis",
    "/api/aw/sales/history?grain=week",
    "/api/aw/sales/forecast",
    "/api/aw/reps/scores",
    "/api/aw/products/demand",
    "/api/wwi/stock/recommendations",
    "/api/wwi/suppliers/scores",
)
WRK_SCRIPT = """
local views = {%(views)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", views[(i %% #views) + 1])
end
done = function(summary, latency, requests)
  io.write("RESULT ", string.format(
    '{"requests": %%d, "duration_us": %%d, "status_errors": %%d, "timeouts": %%d, '
    .. '"connect_errors": %%d, "read_errors": %%d, "p50": %%d, "p95": %%d, "p99": %%d}',
    summary.requests, summary.duration, summary.errors.status, summary.errors.timeout,
    summary.errors.connect, summary.errors.read,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)), "\\n")
end
"""


@dataclass
class Result:
    """One store's figures."""

    store: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    not_2xx: int
    socket_errors: int
    answered_2xx: int
    audit_rows: int
    chain_ok: bool
    rss_idle_mb: float
    rss_after_mb: float


@dataclass(frozen=True)
class SignIn:
    """What the server and the clients need to sign in: the server's settings, the header."""

    settings: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@contextmanager
def signed_in(work_dir: Path) -> Iterator[SignIn]:
    """Run the test OIDC provider until the block ends; yield a signed-in client's setup."""
    providers = contextmanager(running_provider)
    with providers(work_dir / "oidc", [ProviderKey.generate("bench")]) as provider:
        yield SignIn(
            settings={**provider.api_env(), "FRONTEND_REQUIRED_SCOPES": "bi.read"},
            headers={"Authorization": f"Bearer {provider.token('bi.read')}"},
        )


def _run_store(
    store: str,
    data_dir: Path,
    work_dir: Path,
    clients: int,
    seconds: int,
    workers: int,
    sign_in: SignIn,
) -> Result:
    with serve(store, data_dir, work_dir, WORKERS=str(workers), **sign_in.settings) as server:
        for view in VIEWS:  # warm-up: first calls open connections and fill the result cache
            httpx.get(server.url + view, headers=sign_in.headers, timeout=60).raise_for_status()
        rss_idle = server.rss_mb()
        rows_before = server.audit_rows()
        script = work_dir / "mix.lua"
        script.write_text(WRK_SCRIPT % {"views": ", ".join(f'"{v}"' for v in VIEWS)})
        threads = str(min(clients, 2))
        headers = [
            option
            for name, value in sign_in.headers.items()
            for option in ("-H", f"{name}: {value}")
        ]
        wrk = subprocess.run(
            ["wrk", "-t", threads, "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
             *headers, "-s", str(script), server.url + "/"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        line = next(x for x in wrk.stdout.splitlines() if x.startswith("RESULT "))
        figures = json.loads(line.removeprefix("RESULT "))
        time.sleep(1)  # the last audit rows of calls wrk stopped waiting for
        audit_rows = server.audit_rows() - rows_before
        verify = subprocess.run(
            [sys.executable, "-m", "otelbi.cli", "audit", "verify"], env=server.env,
            cwd=work_dir, capture_output=True, text=True, check=False,
        )  # fmt: skip
        socket_errors = sum(figures[k] for k in ("timeouts", "connect_errors", "read_errors"))
        return Result(
            store=store,
            requests_per_second=figures["requests"] / (figures["duration_us"] / 1e6),
            p50_ms=figures["p50"] / 1000,
            p95_ms=figures["p95"] / 1000,
            p99_ms=figures["p99"] / 1000,
            not_2xx=figures["status_errors"],
            socket_errors=socket_errors,
            answered_2xx=figures["requests"] - figures["status_errors"],
            audit_rows=audit_rows,
            chain_ok=verify.returncode == 0,
            rss_idle_mb=rss_idle,
            rss_after_mb=server.rss_mb(),
        )


def main() -> None:
    """Run the load on each store asked for and print one line of figures per store."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=1, help="WORKERS of the server")
    parser.add_argument(
        "--sign-in", action="store_true", help="require a login; every call with a user token"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/load.py needs wrk: apt-get install wrk")
    stores = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    with ExitStack() as stack:
        work_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="otelbi-load-")))
        sign_in = stack.enter_context(signed_in(work_dir)) if args.sign_in else SignIn()
        source = work_dir / "generated"
        for domain in Domain:
            generate_warehouse(domain, duckdb_path(domain, source), scale=args.scale, seed=7)
        print(
            f"{args.clients} clients, {args.seconds} s, views: {len(VIEWS)}, scale {args.scale}, "
            f"{args.workers} worker(s), {'signed in' if args.sign_in else 'no login'}"
        )
        print(
            f"{'store':<11}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-2xx':>9}"
            f"{'socket':>8}{'2xx':>7}{'audit':>7}{'chain':>7}{'RSS idle':>10}{'after':>8}"
        )
        for store in stores:
            data_dir = work_dir / store
            shutil.copytree(source, data_dir)
            r = _run_store(
                store, data_dir, work_dir, args.clients, args.seconds, args.workers, sign_in
            )
            print(
                f"{r.store:<11}{r.requests_per_second:>8.1f}{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}"
                f"{r.p99_ms:>9.1f}{r.not_2xx:>9}{r.socket_errors:>8}{r.answered_2xx:>7}"
                f"{r.audit_rows:>7}{'ok' if r.chain_ok else 'BROKEN':>7}"
                f"{r.rss_idle_mb:>9.0f}M{r.rss_after_mb:>7.0f}M"
            )


if __name__ == "__main__":
    main()
