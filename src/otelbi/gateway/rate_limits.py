"""The gateway's limits on expensive calls, per principal (docs/security.md, "Rate limits").

- `TokenBuckets`: per-client token buckets, in process (each gateway replica counts its own).
- `ReportLimits`: report generation and exports per user (per client address with
  authentication off) — REPORT_GENERATE_PER_MINUTE, EXPORT_REQUESTS_PER_MINUTE — and at most
  REPORT_MAX_CONCURRENT reports generated at once, another request waiting up to
  REPORT_QUEUE_SECONDS for a slot. Over a limit: 429 `too_many_requests` with Retry-After.
  Bounding concurrent reports keeps the store's and warehouses' connections (and the worker
  threads) free for the analytics calls.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Request

from otelbi.errors import TooManyRequests
from otelbi.security.user_tokens import User
from otelbi.settings import Settings

MAX_TRACKED_CLIENTS = 10_000
"""Rate-limit buckets kept at most; the least recently seen client's goes first."""
BUSY_RETRY_AFTER_SECONDS = 10
"""Retry-After of a report request refused because every generation slot stayed busy."""


class TokenBuckets:
    """Per-client token buckets: `per_minute` requests a minute, in bursts of up to as many.

    Memory stays bounded: a bucket idle for a minute is full again, the same as no bucket,
    so it is dropped; beyond `max_keys` clients the least recently seen is dropped too.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        max_keys: int = MAX_TRACKED_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._capacity = float(per_minute)
        self._per_second = per_minute / 60.0
        self._max_keys = max_keys
        self._clock = clock
        # key -> (tokens left, when last counted); least recently seen first.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """Return 0 and count the request if `key` may send now, else the seconds to wait."""
        now = self._clock()
        tokens, counted_at = self._buckets.pop(key, (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - counted_at) * self._per_second)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self._per_second
        self._buckets[key] = (tokens, now)
        self._evict(now)
        return wait

    def _evict(self, now: float) -> None:
        full_after = self._capacity / self._per_second
        while self._buckets:
            _, counted_at = next(iter(self._buckets.values()))
            if now - counted_at < full_after and len(self._buckets) <= self._max_keys:
                return
            self._buckets.popitem(last=False)


def principal(request: Request, user: User, *, authenticated: bool) -> str:
    """Return the key a request is counted under: its user, or its address with auth off."""
    if authenticated:
        return f"user:{user.subject}"
    return f"address:{request.client.host if request.client else 'unknown'}"


class ReportLimits:
    """The report and export budgets of one gateway, and its report generation slots."""

    def __init__(self, settings: Settings) -> None:
        reports = settings.reports
        self._reports = _buckets(reports.report_generate_per_minute)
        self._exports = _buckets(reports.export_requests_per_minute)
        self._slots = asyncio.Semaphore(reports.report_max_concurrent)
        self._queue_seconds = reports.report_queue_seconds

    def count_report(self, key: str) -> None:
        """Count a report request of `key`; 429 if over REPORT_GENERATE_PER_MINUTE."""
        _take(self._reports, key, "reports generated", "REPORT_GENERATE_PER_MINUTE")

    def count_export(self, key: str) -> None:
        """Count an export of `key`; 429 if over EXPORT_REQUESTS_PER_MINUTE."""
        _take(self._exports, key, "exports", "EXPORT_REQUESTS_PER_MINUTE")

    @asynccontextmanager
    async def generation_slot(self) -> AsyncIterator[None]:
        """Hold one of REPORT_MAX_CONCURRENT slots; 429 if none frees within the queue time."""
        try:
            if self._slots.locked():  # every slot busy: queue, for REPORT_QUEUE_SECONDS at most
                await asyncio.wait_for(self._slots.acquire(), self._queue_seconds)
            else:  # returns at once (wait_for with a 0 s timeout would refuse even a free slot)
                await self._slots.acquire()
        except TimeoutError:
            raise TooManyRequests(
                "the gateway is generating as many reports as it may at once "
                "(REPORT_MAX_CONCURRENT): send the request again later",
                headers={"retry-after": str(BUSY_RETRY_AFTER_SECONDS)},
            ) from None
        try:
            yield
        finally:
            self._slots.release()


def _buckets(per_minute: int) -> TokenBuckets | None:
    return TokenBuckets(per_minute) if per_minute > 0 else None


def _take(buckets: TokenBuckets | None, key: str, what: str, setting: str) -> None:
    wait = buckets.take(key) if buckets is not None else 0.0
    if wait > 0:
        raise TooManyRequests(
            f"too many {what} for this user ({setting}): wait, then send again",
            headers={"retry-after": str(max(1, math.ceil(wait)))},
        )
