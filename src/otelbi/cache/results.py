"""Cached view results: looked up by key, computed once for all concurrent misses."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from enum import StrEnum

from otelbi import __version__
from otelbi.cache.stores import CacheStore


class Lookup(StrEnum):
    """How a call was answered: from the cache, computed, or computed by a concurrent call."""

    HIT = "hit"
    MISS = "miss"
    SHARED = "shared"
    """A concurrent call with the same key was computing it: this one waited for its result."""
    OFF = "off"
    """The cache is switched off (RESULT_CACHE_ENABLED=false)."""


@dataclass(frozen=True)
class Computed:
    """A freshly computed result; `keep` is False when it must not be cached (its data
    version changed while it was computed)."""

    payload: bytes | None
    keep: bool


def result_key(domain: str, view: str, data_version: str, parameters: Mapping[str, object]) -> str:
    """Return the cache key of `view` called with `parameters` (defaults already applied).

    The product version is part of it: replicas of different releases sharing one Redis
    never read each other's (possibly differently shaped) answers.
    """
    arguments = json.dumps(parameters, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(arguments.encode()).hexdigest()[:32]
    return f"otelbi:{__version__}:{domain}:{view}:{data_version}:{digest}"


class ResultCache:
    """Results in `store`; concurrent misses of one key in this process compute it once."""

    def __init__(self, store: CacheStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._computing: dict[str, Future[bytes | None]] = {}

    def peek(self, key: str) -> bytes | None:
        """Return the entry under `key` if the store holds it in memory; never waits."""
        return self._store.get(key) if self._store.in_memory else None

    def get_or_compute(
        self, key: str, compute: Callable[[], Computed]
    ) -> tuple[bytes | None, Lookup]:
        """Return the result under `key` and how it was found.

        A None payload (the view found nothing to show) is handed back but never kept. If
        the call computing a key fails, the calls that waited for it compute it themselves.
        """
        cached = self._store.get(key)
        if cached is not None:
            return cached, Lookup.HIT
        with self._lock:
            running = self._computing.get(key)
            if running is None:
                running = self._computing[key] = Future()
                leader = True
            else:
                leader = False
        if not leader:
            try:
                return running.result(), Lookup.SHARED
            except Exception:
                return compute().payload, Lookup.MISS
        try:
            computed = compute()
        except BaseException as error:
            running.set_exception(error)
            raise
        else:
            if computed.keep and computed.payload is not None:
                self._store.put(key, computed.payload)
            running.set_result(computed.payload)
            return computed.payload, Lookup.MISS
        finally:
            with self._lock:
                del self._computing[key]

    def close(self) -> None:
        """Release the store."""
        self._store.close()
