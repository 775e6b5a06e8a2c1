"""The scheduled jobs at a realistic size: every AW and WWI job run once, one after the other,
on generated warehouses (default scale 10) with a SQLite store, as `otelbi jobs run` runs
them (claimed, traced, recorded in job_executions, audited).

Prints each job's status and seconds, the daily jobs' total (the bar: all daily jobs
together within 60 s at scale 10) and the process's peak memory.

    .venv/bin/python bench/jobs.py
    .venv/bin/python bench/jobs.py --scale 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
from pathlib import Path

from otelbi.domains import Domain
from otelbi.jobs.standalone import standalone_runner
from otelbi.service_layout import JOBS_BY_SERVICE
from otelbi.settings import Settings
from otelbi.warehouse.builder import generate_warehouse
from otelbi.warehouse.engines import duckdb_path


def _daily(cron: str) -> bool:
    minute, hour, *rest = cron.split()
    return minute.isdigit() and hour.isdigit() and rest == ["*", "*", "*"]


def main() -> None:
    """Generate the warehouses, run every domain job once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="otelbi-jobs-") as temporary:
        data_dir = Path(temporary)
        started = time.perf_counter()
        for domain in Domain:
            generate_warehouse(domain, duckdb_path(domain, data_dir), scale=args.scale, seed=7)
        print(
            f"scale {args.scale:g}: warehouses generated in {time.perf_counter() - started:.0f} s"
        )
        os.environ.update(DATA_DIR=str(data_dir), POSTGRES_URL="", OTEL_SDK_DISABLED="true")
        settings = Settings(env_file=None)
        daily_total = 0.0
        scheduled_for = dt.datetime.now(dt.UTC)
        for domain in Domain:
            jobs = JOBS_BY_SERVICE[domain.service_name]
            with standalone_runner(domain, jobs, settings) as runner:
                for job in jobs:
                    execution_id = runner.claim(job, scheduled_for)
                    assert execution_id is not None, f"{job.job_id} was already claimed"
                    began = time.perf_counter()
                    status = runner.run(job, execution_id, scheduled_for, actor="bench")
                    seconds = time.perf_counter() - began
                    daily = _daily(job.cron)
                    daily_total += seconds if daily else 0.0
                    print(
                        f"  {job.job_id:<28}{job.cron:<12}{status.value:<11}{seconds:>7.1f} s"
                        f"{'' if daily else '   (not daily)'}"
                    )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"daily jobs together: {daily_total:.1f} s (bar 60 s); peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
