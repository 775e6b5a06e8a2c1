"""Python's `round(x, digits)` over a numpy array, exactly.

`round` on a float rounds the float's exact binary value half to even at `digits` decimals
and returns the nearest float to that decimal. numpy's `np.round` scales by 10**digits first,
which can move a value that lies just off a half onto it, or across it (0.15, stored as
0.1499999999999999944…, is 0.1 by `round` but 0.2 by `np.round`). Here `np.rint` of the
scaled value decides only where the scaling cannot have crossed a half; the few values that
lie within the scaling's rounding error of one, and any too large to scale exactly, go
through `round` itself.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_EXACT_INTEGERS = 2.0**52
"""Scaled values from here up are not rounded by rint but left to `round`."""


def rounded(values: npt.NDArray[np.float64], digits: int) -> list[float]:
    """Return `[round(float(v), digits) for v in values]`, computed mostly in numpy."""
    scale = 10.0**digits
    # Infinities and NaN (and values that overflow when scaled) are left to `round` below.
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = values * scale
        result = np.rint(scaled) / scale
        # The product is within half an ulp of the exact one: only a value that close to a
        # half (or not finite, or too large for rint's integers) can round otherwise.
        distance_to_half = np.abs(scaled - np.floor(scaled) - 0.5)
        doubtful = ~(
            (distance_to_half > 2 * np.spacing(np.abs(scaled))) & (np.abs(scaled) < _EXACT_INTEGERS)
        )
    rounded_values: list[float] = result.tolist()
    for index in np.flatnonzero(doubtful).tolist():
        rounded_values[index] = round(float(values[index]), digits)
    return rounded_values
