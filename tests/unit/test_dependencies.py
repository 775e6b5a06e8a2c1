"""The locked runtime set holds together: every requirement a locked distribution declares on
another is met by the version requirements.lock pins — a `pip check` limited to the lock,
walked from pyproject.toml's dependencies with the extras each asks for (so a range behind an
extra nobody installs, such as opentelemetry-instrumentation-sqlalchemy's `instruments`, is
not one). duckdb-engine's range on duckdb is one of the cases and has its own test id.

The declared requirements are read from the installed distributions, so the venv must hold
the locked versions: the first test says so when it does not (`make install-dev`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
RUNTIME_LOCK = ROOT / "requirements.lock"
PROJECT = "otelbi"


def locked_versions(lock: Path) -> dict[NormalizedName, Version]:
    """Return the version each distribution of a `uv pip compile` lock is pinned to."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", lock.read_text(), re.MULTILINE)
    return {canonicalize_name(name): Version(pinned) for name, pinned in pins}


@dataclass(frozen=True)
class Declared:
    """One requirement `dependent` declares, which installing the runtime set must meet."""

    dependent: str
    requirement: Requirement

    @property
    def target(self) -> NormalizedName:
        return canonicalize_name(self.requirement.name)

    def __str__(self) -> str:
        return f"{self.dependent} -> {self.requirement}"


def _applies(requirement: Requirement, extras: frozenset[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in extras | {""})


def runtime_requirements() -> list[Declared]:
    """Return every requirement met when the runtime set is installed, from pyproject.toml
    down, each distribution read with the extras its dependents ask of it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [Declared(PROJECT, Requirement(line)) for line in project["dependencies"]]
    walked: set[tuple[NormalizedName, frozenset[str]]] = set()
    pending = list(declared)
    while pending:
        requirement = pending.pop().requirement
        node = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if node in walked:
            continue
        walked.add(node)
        try:
            lines = requires(node[0]) or []
        except PackageNotFoundError:
            continue  # reported by the version test: the lock or the venv lacks it
        found = [
            Declared(node[0], own) for own in map(Requirement, lines) if _applies(own, node[1])
        ]
        declared += found
        pending += found
    return sorted(set(declared), key=str)


LOCKED = locked_versions(RUNTIME_LOCK)
DECLARED = runtime_requirements()


def _installed(name: str) -> Version | None:
    try:
        return Version(version(name))
    except PackageNotFoundError:
        return None


def test_the_venv_holds_the_locked_versions() -> None:
    differing = {
        name: (str(pinned), str(_installed(name)))
        for name, pinned in LOCKED.items()
        if _installed(name) != pinned
    }
    assert differing == {}, "{name: (locked, installed)}: run make install-dev"


@pytest.mark.parametrize("declared", DECLARED, ids=str)
def test_each_declared_requirement_is_met_by_the_lock(declared: Declared) -> None:
    assert declared.target in LOCKED, f"{declared}: requirements.lock has no {declared.target}"
    locked = LOCKED[declared.target]
    assert declared.requirement.specifier.contains(locked, prereleases=True), (
        f"{declared}: requirements.lock pins {declared.target}=={locked}"
    )


def test_the_walk_reaches_the_ranges_dependencies_declare_on_each_other() -> None:
    pairs = {(d.dependent, d.target) for d in DECLARED}
    assert {
        ("duckdb-engine", "duckdb"),
        ("duckdb-engine", "sqlalchemy"),
        ("alembic", "sqlalchemy"),
        ("opentelemetry-sdk", "opentelemetry-api"),
        ("opentelemetry-instrumentation-fastapi", "opentelemetry-instrumentation-asgi"),
        ("opentelemetry-exporter-otlp-proto-http", "opentelemetry-sdk"),
        ("psycopg", "psycopg-binary"),  # asked for through the `binary` extra
        ("pyjwt", "cryptography"),  # asked for through the `crypto` extra
    } <= pairs
    # An extra nobody asks for is not walked: its range (SQLAlchemy < 2.1) is not ours.
    assert ("opentelemetry-instrumentation-sqlalchemy", "sqlalchemy") not in pairs
