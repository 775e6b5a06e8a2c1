"""`otelbi serve` as a real process on a free port, for the tests that need one."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

UP_WITHIN_SECONDS = 60


@contextmanager
def serving(
    arguments: list[str], env: Mapping[str, str], url: str, log_path: Path
) -> Iterator[str]:
    """Run `otelbi serve ARGUMENTS` with `env` (its PORT is `url`'s), logging to `log_path`;
    yield `url` once /livez answers, and stop the process afterwards."""
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "otelbi.cli", "serve", *arguments],
            env=dict(env),
            stdout=log,
            stderr=log,
        )
    deadline = time.monotonic() + UP_WITHIN_SECONDS
    try:
        while True:
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, f"{url} did not come up within 60 s"
            try:
                httpx.get(f"{url}/livez", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
