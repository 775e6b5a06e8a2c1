"""Group commit: what concurrent callers of one process append goes in one transaction.

The audit chain takes one writer at a time (it links each row to the one before), so under
load appends queue. Instead of each caller waiting its turn for a transaction of its own
(and, on SQLite, polling the write lock), the first caller writes everything queued in one
transaction and the others wait for that commit: one lock, one round trip and one sync for
the whole batch. Each caller still returns only once its own row is committed, and if the
batch's transaction fails every caller in it gets the error: nothing is reported written
that was not.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_BATCH = 500
"""Rows written in one transaction at most."""


@dataclass
class _Queued(Generic[T]):
    item: T
    done: bool = False
    error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Serialises `write` calls and hands each one every item queued meanwhile."""

    def __init__(self, write: Callable[[list[T]], None]) -> None:
        self._write = write
        self._changed = threading.Condition()
        self._queue: list[_Queued[T]] = []
        self._writing = False

    def submit(self, item: T) -> None:
        """Return once `item` is written (by this caller or another); raise what its batch
        raised if it was not."""
        queued = _Queued(item)
        with self._changed:
            self._queue.append(queued)
            while True:
                self._changed.wait_for(lambda: queued.done or not self._writing)
                if queued.done:
                    break
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                self._writing = True
                self._changed.release()
                try:
                    error = self._run(batch)
                finally:
                    self._changed.acquire()
                    self._writing = False
                    for written in batch:
                        written.done, written.error = True, error
                    self._changed.notify_all()
        if queued.error is not None:
            raise queued.error

    def _run(self, batch: list[_Queued[T]]) -> BaseException | None:
        try:
            self._write([queued.item for queued in batch])
        except BaseException as error:  # handed to every caller of the batch
            return error
        return None
