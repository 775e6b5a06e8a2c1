"""Where cached results live: this process's memory, or Redis shared by every replica."""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import redis
from cachetools import LRUCache

from otelbi.settings import CacheSettings

log = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 0.25
"""A Redis that does not answer within this is treated as down for the call."""
REDIS_REST_SECONDS = 5.0
"""After a failure Redis is left alone this long: a dead Redis costs one timeout, not one
per call."""


class CacheStore(Protocol):
    """A byte store keyed by text; losing entries is always allowed."""

    in_memory: bool
    """Whether `get` is a memory lookup (the event loop may call it) rather than network I/O."""

    def get(self, key: str) -> bytes | None:
        """Return the entry under `key`, or None."""

    def put(self, key: str, value: bytes) -> None:
        """Keep `value` under `key` (or not: a store may drop anything, any time)."""

    def close(self) -> None:
        """Release the store's connections."""


class MemoryStore:
    """Entries in this process, least recently used dropped first beyond `max_bytes`."""

    in_memory = True

    def __init__(self, max_bytes: int) -> None:
        self._entries: LRUCache[str, bytes] = LRUCache(maxsize=max_bytes, getsizeof=len)
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """Return the entry under `key`, or None."""
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, value: bytes) -> None:
        """Keep `value` unless it alone is larger than the whole cache."""
        if len(value) > self._entries.maxsize:
            return
        with self._lock:
            self._entries[key] = value

    def close(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()


class RedisStore:
    """Entries in Redis, each kept `ttl_seconds`; an unreachable Redis reads as empty."""

    in_memory = False

    def __init__(self, url: str, ttl_seconds: int) -> None:
        self._client = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            health_check_interval=30,
        )
        self._ttl_seconds = ttl_seconds
        self._resting_until = 0.0

    def get(self, key: str) -> bytes | None:
        """Return the entry under `key`; None if there is none or Redis fails."""
        if time.monotonic() < self._resting_until:
            return None
        try:
            value = self._client.get(key)
        except redis.RedisError as error:
            self._failed(error)
            return None
        return value if isinstance(value, bytes) else None

    def put(self, key: str, value: bytes) -> None:
        """Keep `value` for the TTL; a failing Redis is logged and left alone a while."""
        if time.monotonic() < self._resting_until:
            return
        try:
            self._client.set(key, value, ex=self._ttl_seconds)
        except redis.RedisError as error:
            self._failed(error)

    def close(self) -> None:
        """Close the connections to Redis."""
        self._client.close()

    def _failed(self, error: redis.RedisError) -> None:
        self._resting_until = time.monotonic() + REDIS_REST_SECONDS
        log.warning(
            "the result cache's Redis failed (%s: %s): views are computed without it for "
            "the next %g s",
            type(error).__name__,
            error,
            REDIS_REST_SECONDS,
        )


def open_cache_store(settings: CacheSettings) -> CacheStore:
    """Return Redis when REDIS_URL is set, else this process's memory."""
    url = settings.redis_url.get_secret_value()
    if url:
        return RedisStore(url, settings.result_cache_ttl_seconds)
    return MemoryStore(settings.result_cache_memory_mb * 1024 * 1024)
