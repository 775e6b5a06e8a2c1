"""The one command line: `otelbi serve | warehouse | jobs | audit | db | openapi`.

otelbi serve [gateway|aw|wwi]        all three services in one process, or one of them
otelbi warehouse generate aw|wwi     build the embedded DuckDB warehouse from the generator
otelbi warehouse import aw|wwi --from DIR [--fill-missing]
otelbi warehouse sql --dialect mssql|duckdb     every statement the product can send
otelbi warehouse grants aw|wwi [--user NAME]    the T-SQL of a SELECT-only database user
otelbi jobs list                     every job, its schedule and its last run
otelbi jobs run JOB_ID [--scheduled-for ISO] [--remote-services]    run a job now, in this process
otelbi audit verify                  walk the audit log's hash chain (exit 1 if broken)
otelbi db upgrade                    apply the write-store migrations
otelbi db grants [--role NAME]       the GRANT statements of the application role
otelbi openapi [--output PATH]       the public API's OpenAPI document (JSON)
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from otelbi import __version__
from otelbi.domains import GATEWAY_SERVICE_NAME, Domain
from otelbi.settings import RunMode, Settings, UnsafeSettings, apply_embedded_defaults
from otelbi.utc import as_utc

if TYPE_CHECKING:
    import sqlalchemy as sa

    from otelbi.jobs.definitions import JobStatus, JobTrigger

log = logging.getLogger("otelbi")


EMBEDDED_HINT = (
    " (to try the product on this machine with the embedded defaults, no login, port 8000 and"
    " ./var: otelbi serve --embedded-defaults)"
)
EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a command killed by SIGPIPE: the reader (`| head`) stopped."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = _parser().parse_args(argv)
    handler = args.handler
    if handler is not _serve:  # serve logs as a service does (configure_logging)
        from otelbi.telemetry import configure_command_logging  # noqa: PLC0415

        configure_command_logging()
    try:
        code: int = handler(args)
        sys.stdout.flush()
    except UnsafeSettings as error:
        hint = EMBEDDED_HINT if handler is _serve and not args.embedded_defaults else ""
        print(f"otelbi: refusing to start: {error}{hint}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader closed the pipe on purpose (`otelbi warehouse sql | head`): stop quietly.
        # Python would report the failed flush of stdout at exit, so point it at /dev/null.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake said in one line (exit 2), not the usage text first."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _scale(text: str) -> float:
    try:
        scale = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not 0 < scale <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most {MAX_SCALE:g}")
    return scale


MAX_SCALE = 1000.0
"""Scale 100 is about 6M AdventureWorks sales rows; 1000 is the most the generator is asked."""
DOMAIN_HELP = "aw (AdventureWorks) or wwi (WideWorldImporters)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="otelbi", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"otelbi {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the services")
    serve.add_argument(
        "service",
        nargs="?",
        choices=["gateway", "aw", "wwi"],
        default=None,
        help="run only this service (default: all three in one process)",
    )
    serve.add_argument(
        "--embedded-defaults",
        action="store_true",
        help="use the embedded defaults (no login, port 8000, ./var) where nothing else is set",
    )
    serve.set_defaults(handler=_serve)

    warehouse = commands.add_parser("warehouse", help="build or inspect the warehouses")
    warehouse_commands = warehouse.add_subparsers(required=True, metavar="ACTION")
    generate = warehouse_commands.add_parser(
        "generate", help="build a warehouse from the generator"
    )
    generate.add_argument("domain", choices=[d.value for d in Domain], help=DOMAIN_HELP)
    generate.add_argument(
        "--scale", type=_scale, default=1.0, help="size against the sample (default 1)"
    )
    generate.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    generate.add_argument("--if-missing", action="store_true", help="keep an existing file")
    generate.set_defaults(handler=_generate)

    load = warehouse_commands.add_parser("import", help="load per-table Parquet/CSV files")
    load.add_argument("domain", choices=[d.value for d in Domain], help=DOMAIN_HELP)
    load.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        help="the directory of per-table Parquet/CSV files (docs/warehouses.md)",
    )
    load.add_argument("--fill-missing", action="store_true", help="generate the tables not found")
    load.add_argument("--scale", type=_scale, default=1.0, help="scale of generated tables")
    load.add_argument("--seed", type=int, default=7, help="random seed of generated tables")
    load.set_defaults(handler=_import)

    sql = warehouse_commands.add_parser("sql", help="print every statement sent to a warehouse")
    sql.add_argument(
        "--dialect",
        choices=["mssql", "duckdb"],
        default="mssql",
        help="SQL Server's T-SQL (default) or the embedded DuckDB's SQL",
    )
    sql.set_defaults(handler=_sql)

    warehouse_grants = warehouse_commands.add_parser(
        "grants", help="print the T-SQL that lets a login read exactly the product's tables"
    )
    warehouse_grants.add_argument("domain", choices=[d.value for d in Domain], help=DOMAIN_HELP)
    warehouse_grants.add_argument(
        "--user", default="otelbi_reader", help="the login and database user's name"
    )
    warehouse_grants.set_defaults(handler=_warehouse_grants)

    jobs = commands.add_parser("jobs", help="the scheduled jobs")
    jobs_commands = jobs.add_subparsers(required=True, metavar="ACTION")
    jobs_commands.add_parser("list", help="jobs, schedules, last runs").set_defaults(
        handler=_jobs_list
    )
    run = jobs_commands.add_parser("run", help="run a job now")
    run.add_argument("job_id", help="the job's id, as `otelbi jobs list` shows it")
    run.add_argument(
        "--scheduled-for",
        type=_utc_datetime,
        default=None,
        help="claim this scheduled tick (ISO 8601) instead of running an extra one now",
    )
    run.add_argument(
        "--remote-services",
        action="store_true",
        help="gateway jobs (reports.weekly): reach the services at AW_SERVICE_URL and "
        "WWI_SERVICE_URL instead of running them in this process",
    )
    run.set_defaults(handler=_jobs_run)

    audit = commands.add_parser("audit", help="the audit log")
    audit_commands = audit.add_subparsers(required=True, metavar="ACTION")
    audit_commands.add_parser(
        "verify",
        help="check the hash chain (and the signed checkpoints, with AUDIT_CHECKPOINT_KEY); "
        "prints a JSON report, exit 1 if anything is wrong",
    ).set_defaults(handler=_audit_verify)

    db = commands.add_parser("db", help="the write store")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply the migrations").set_defaults(handler=_db_upgrade)
    grants = db_commands.add_parser("grants", help="print the application role's GRANTs")
    grants.add_argument("--role", default="otelbi_app", help="the application role's name")
    grants.set_defaults(handler=_db_grants)

    openapi = commands.add_parser(
        "openapi", help="write the OpenAPI document of the public API (the gateway's)"
    )
    openapi.add_argument(
        "--output", type=Path, default=None, help="write it to this file (default: stdout)"
    )
    openapi.set_defaults(handler=_openapi)
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415

    from otelbi.service_layout import (  # noqa: PLC0415
        WORKER_MODE_VARIABLE,
        served_name,
        serving_app,
    )
    from otelbi.startup_summary import startup_lines  # noqa: PLC0415
    from otelbi.telemetry import configure_logging  # noqa: PLC0415

    if args.embedded_defaults:
        applied = apply_embedded_defaults()
    settings = Settings()
    mode = RunMode(args.service or "all")
    settings.check(mode)
    name = served_name(mode)
    configure_logging(settings.telemetry.log_level, settings.telemetry.log_format, service=name)
    if args.embedded_defaults and applied:
        log.info("embedded defaults in force for: %s", ", ".join(applied))
    host, port, workers = settings.topology.host, settings.topology.port, settings.topology.workers
    # SIGTERM: requests in flight (a client sending its body slowly) get this long, no more.
    grace = settings.topology.shutdown_grace_seconds
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
    summary = startup_lines(settings, mode, name, f"http://{shown}:{port}")
    print("\n".join(summary), flush=True)
    if workers > 1:
        # Each worker process builds its own application (service_layout.worker_app).
        os.environ[WORKER_MODE_VARIABLE] = mode.value
        uvicorn.run(
            "otelbi.service_layout:worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_config=None,
            proxy_headers=True,
            timeout_graceful_shutdown=grace,
        )
        return 0
    app = serving_app(mode, settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_config=None,
        proxy_headers=True,
        timeout_graceful_shutdown=grace,
    )
    return 0


def _generate(args: argparse.Namespace) -> int:
    from otelbi.warehouse.builder import generate_warehouse  # noqa: PLC0415
    from otelbi.warehouse.engines import duckdb_path  # noqa: PLC0415

    domain = Domain(args.domain)
    path = duckdb_path(domain, Settings().warehouse.data_dir)
    if args.if_missing and path.exists():
        print(f"{path} exists; keeping it")
        return 0
    started = time.perf_counter()
    counts = generate_warehouse(domain, path, scale=args.scale, seed=args.seed)
    for table, rows in counts.items():
        print(f"  {table}: {rows:,} rows")
    print(f"wrote {path} in {time.perf_counter() - started:.1f} s")
    return 0


def _import(args: argparse.Namespace) -> int:
    from otelbi.warehouse.engines import duckdb_path  # noqa: PLC0415
    from otelbi.warehouse.importer import ImportFailed, import_warehouse  # noqa: PLC0415

    domain = Domain(args.domain)
    path = duckdb_path(domain, Settings().warehouse.data_dir)
    try:
        report = import_warehouse(
            domain,
            path,
            args.source,
            fill_missing=args.fill_missing,
            scale=args.scale,
            seed=args.seed,
        )
    except ImportFailed as error:
        # one line, exit 2: the old warehouse was left as it was
        print(f"otelbi: import failed, {path} unchanged: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0


def _sql(args: argparse.Namespace) -> int:
    from otelbi.warehouse.catalog import all_statements, compiled_sql, review_dialect  # noqa: PLC0415

    dialect = review_dialect(args.dialect)
    for statement in all_statements():
        print(f"-- {statement.name} ({statement.domain.display_name})")
        print(compiled_sql(statement, dialect).strip() + ";\n")
    return 0


def _utc_datetime(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return as_utc(moment)


def _jobs_list(args: argparse.Namespace) -> int:
    from otelbi.service_layout import JOBS_BY_SERVICE  # noqa: PLC0415
    from otelbi.store.engine import create_store_engine  # noqa: PLC0415
    from otelbi.store.migrate import upgrade_to_head  # noqa: PLC0415

    store = create_store_engine(Settings())
    try:
        upgrade_to_head(store)
        for service, jobs in JOBS_BY_SERVICE.items():
            for job in jobs:
                last = _last_run(store, service, job.job_id)
                print(f"{job.job_id:<28} {job.cron:<12} UTC  last: {last}")
    finally:
        store.dispose()
    return 0


def _last_run(store: sa.Engine, service: str, job_id: str) -> str:
    """Return how a job's last run went, and why when it did not succeed."""
    from otelbi.jobs import executions  # noqa: PLC0415

    last = executions.history(store, service=service, limit=1, job_id=job_id)
    if not last:
        return "never run"
    run = last[0]
    shown = f"{run['status']} at {run['started_at']:%Y-%m-%d %H:%M} (#{run['id']})"
    return f"{shown}: {run['error']}" if run["error"] else shown


def _jobs_run(args: argparse.Namespace) -> int:
    from otelbi.jobs.definitions import JobStatus, JobTrigger  # noqa: PLC0415
    from otelbi.jobs.standalone import standalone_runner  # noqa: PLC0415
    from otelbi.service_layout import JOBS_BY_SERVICE  # noqa: PLC0415

    jobs = {job.job_id: service for service, defs in JOBS_BY_SERVICE.items() for job in defs}
    service = jobs.get(args.job_id)
    if service is None:
        print(f"otelbi: no job {args.job_id!r} (jobs: {', '.join(sorted(jobs))})", file=sys.stderr)
        return 2
    scheduled_for = args.scheduled_for or dt.datetime.now(dt.UTC)
    # A tick named on the command line is that tick's run (an outside scheduler's); else run-now.
    trigger = JobTrigger.SCHEDULE if args.scheduled_for else JobTrigger.RUN_NOW
    actor = getpass.getuser()
    if service == GATEWAY_SERVICE_NAME:
        execution_id, status = _run_in_gateway(
            args.job_id, scheduled_for, actor, trigger, remote_services=args.remote_services
        )
    else:
        domain = next(d for d in Domain if d.service_name == service)
        with standalone_runner(domain, JOBS_BY_SERVICE[service], Settings()) as runner:
            job = runner.find(args.job_id)
            execution_id = runner.claim(job, scheduled_for, trigger=trigger)
            status = None
            if execution_id is not None:
                status = runner.run(job, execution_id, scheduled_for, actor=actor, trigger=trigger)
    if execution_id is None or status is None:
        print(f"{args.job_id} at {scheduled_for.isoformat()} was already claimed")
        return 3
    if status is JobStatus.SUCCEEDED:
        print(f"{args.job_id} execution {execution_id}: {status.value}")
        return 0
    print(
        f"{args.job_id} execution {execution_id}: {status.value}: {_run_error(execution_id)}",
        file=sys.stderr,
    )
    return 1


def _run_error(execution_id: int) -> str:
    """Return why a run did not succeed, as its job_executions row says."""
    from otelbi.jobs import executions  # noqa: PLC0415
    from otelbi.store.engine import create_store_engine  # noqa: PLC0415

    store = create_store_engine(Settings())
    try:
        run = executions.get(store, execution_id)
    finally:
        store.dispose()
    error = run["error"] if run is not None else None
    return str(error) if error else "no reason recorded (see the log above and the run's trace)"


def _run_in_gateway(
    job_id: str,
    scheduled_for: dt.datetime,
    actor: str,
    trigger: JobTrigger,
    *,
    remote_services: bool,
) -> tuple[int | None, JobStatus | None]:
    """Run a gateway job in a gateway started in this process (its schedulers off)."""
    import asyncio  # noqa: PLC0415

    from starlette.concurrency import run_in_threadpool  # noqa: PLC0415

    from otelbi.service_layout import build_app  # noqa: PLC0415

    settings = Settings()
    settings.jobs = settings.jobs.model_copy(update={"jobs_enabled": False})
    app = build_app(RunMode.GATEWAY if remote_services else RunMode.ALL_IN_ONE, settings)

    async def run() -> tuple[int | None, JobStatus | None]:
        async with app.router.lifespan_context(app):
            runner = app.state.gateway.job_runner()
            job = runner.find(job_id)
            execution_id = await run_in_threadpool(
                runner.claim, job, scheduled_for, trigger=trigger
            )
            if execution_id is None:
                return None, None
            status = await run_in_threadpool(
                runner.run, job, execution_id, scheduled_for, actor=actor, trigger=trigger
            )
            return execution_id, status

    return asyncio.run(run())


def _audit_verify(args: argparse.Namespace) -> int:
    from dataclasses import asdict  # noqa: PLC0415

    from otelbi.errors import StoreUnavailable  # noqa: PLC0415
    from otelbi.store.audit_checkpoint import (  # noqa: PLC0415
        check_checkpoints,
        checkpoint_file,
        checkpoint_or_log,
    )
    from otelbi.store.audit_verify import verify_chain  # noqa: PLC0415
    from otelbi.store.engine import create_store_engine  # noqa: PLC0415

    # Read only: the store under audit is not migrated or otherwise touched.
    settings = Settings()
    key = settings.audit.audit_checkpoint_key.get_secret_value()
    engine = create_store_engine(settings)
    try:
        report = verify_chain(engine)
        checkpoints = check_checkpoints(engine, checkpoint_file(settings), key) if key else None
        ok = report.ok and (checkpoints is None or checkpoints.ok)
        if ok:
            checkpoint_or_log(engine, settings)
    except StoreUnavailable as error:
        print(f"otelbi: {error.detail}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"otelbi: the audit checkpoints could not be read: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    checked = None if checkpoints is None else {**asdict(checkpoints), "ok": checkpoints.ok}
    print(json.dumps({**asdict(report), "checkpoints": checked}))
    return 0 if ok else 1


def _db_grants(args: argparse.Namespace) -> int:
    from otelbi.store.roles import app_role_grants  # noqa: PLC0415

    try:
        statements = app_role_grants(args.role)
    except ValueError as error:
        print(f"otelbi: {error}", file=sys.stderr)
        return 2
    print("\n".join(statements))
    return 0


def _warehouse_grants(args: argparse.Namespace) -> int:
    from otelbi.warehouse.grants import select_grants  # noqa: PLC0415

    try:
        statements = select_grants(Domain(args.domain), args.user)
    except ValueError as error:
        print(f"otelbi: {error}", file=sys.stderr)
        return 2
    print("\n".join(statements))
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from otelbi.store.engine import create_store_engine  # noqa: PLC0415
    from otelbi.store.migrate import current_revision, upgrade_to_head  # noqa: PLC0415

    engine = create_store_engine(Settings())
    upgrade_to_head(engine)
    print(f"write store at revision {current_revision(engine)}")
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from otelbi.gateway.app import create_gateway_app  # noqa: PLC0415
    from otelbi.gateway.openapi import openapi_json  # noqa: PLC0415
    from otelbi.telemetry import disabled_telemetry  # noqa: PLC0415

    # The app object only: its lifespan (store, services, scheduler) never runs.
    app = create_gateway_app(Settings(), disabled_telemetry(GATEWAY_SERVICE_NAME))
    text = openapi_json(app.openapi())
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
