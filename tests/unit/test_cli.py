"""The command line as a person meets it: a version, help for everything, and a user's mistake
said in one line with exit code 2 (never a traceback)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from otelbi import __version__
from otelbi.cli import EXIT_BROKEN_PIPE, _parser, main

OTELBI = [sys.executable, "-m", "otelbi.cli"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OTELBI, *args], capture_output=True, text=True, timeout=300, check=False, env=env
    )


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"otelbi {__version__}"


def _every_parser(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _every_parser(child)
    return found


def test_every_command_and_argument_has_help() -> None:
    missing = []
    for parser in _every_parser(_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                missing += [
                    f"{parser.prog} {choice.dest}"
                    for choice in action._choices_actions
                    if not choice.help
                ]
            elif not action.help:
                missing.append(f"{parser.prog} {action.dest}")
    assert missing == []


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["warehouse", "generate", "aw", "--scale", "-1"], "--scale"),
        (["warehouse", "generate", "aw", "--scale", "lots"], "--scale"),
        (["warehouse", "generate", "xx"], "domain"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_a_usage_mistake_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert named in err
    assert "Traceback" not in err


def test_an_unknown_job_is_one_line_naming_the_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["jobs", "run", "aw.daily.nothing"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "aw.daily.forecast" in err


def test_output_piped_into_a_reader_that_stops_ends_quietly() -> None:
    with subprocess.Popen(
        [*OTELBI, "warehouse", "sql"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as command:
        assert command.stdout is not None
        assert command.stdout.readline()  # like `| head -1`: read a line, then go away
        command.stdout.close()
        _, err = command.communicate(timeout=300)
    assert command.returncode == EXIT_BROKEN_PIPE
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err


def test_a_failed_job_says_why_and_its_run_id_without_a_collector(tmp_path: Path) -> None:
    """No warehouse, no OTLP collector listening: the run fails, and the command says why in
    its last line, with no traceback and no exporter retry lines."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DATA_DIR": str(tmp_path),
        "REQUIRE_FRONTEND_AUTH": "false",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9",  # nothing listens there
    }
    done = _run("jobs", "run", "aw.daily.forecast", env=env)

    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("aw.daily.forecast execution 1: failed: WarehouseUnavailable")
    assert "otelbi warehouse generate aw" in last
    assert "Traceback" not in done.stderr
    assert "Transient error" not in done.stderr


def test_serve_without_settings_points_at_the_embedded_defaults(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    done = _run("serve", env=env)

    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "otelbi serve --embedded-defaults" in done.stderr
