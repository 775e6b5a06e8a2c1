"""Failed authentication made cheap to audit: one `auth.denied` row per client address and
window (AUTH_DENIED_AUDIT_WINDOW_SECONDS) for 401s, not one row each.

The first 401 from an address writes its row at once; the address's further 401s in that
window are counted, not written; the address's next row (its first 401 after the window)
carries that count as `unrecorded_since_last_row`. A client retrying a bad token 64 times a
second thus costs one row a window. 403s (a valid user without the scope) are still one row
each: they name a real user.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from otelbi.gateway.rate_limits import MAX_TRACKED_CLIENTS


class DeniedBursts:
    """The open window of each client address that was recently refused with a 401."""

    def __init__(
        self,
        window_seconds: float,
        *,
        max_keys: int = MAX_TRACKED_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window_seconds
        self._max_keys = max_keys
        self._clock = clock
        # address -> (when its window opened, 401s not written since); least recent first.
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def admit(self, address: str) -> int | None:
        """Return None if this 401 is only counted, else the count of 401s not written since
        the address's last row (the row to write now carries it)."""
        if self._window <= 0:
            return 0
        now = self._clock()
        opened, unrecorded = self._windows.pop(address, (now - self._window, 0))
        if now - opened < self._window:
            self._windows[address] = (opened, unrecorded + 1)
            return None
        self._windows[address] = (now, 0)
        while len(self._windows) > self._max_keys:
            self._windows.popitem(last=False)
        return unrecorded
