"""Column values as the generator builds them, before `generator.insert` writes them.

A table is built as `Columns`: column name -> numpy array (masked where NULL) or list. Money
is carried in integer ten-thousandths (`MONEY`) so that the fact identities hold exactly; the
insert turns it into the warehouse's money type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]
Columns = dict[str, Any]  # column name -> numpy array or list

MONEY = 10_000  # money travels as integer ten-thousandths

# A 1x1 transparent GIF stands in for the territory maps and product photos.
PLACEHOLDER_IMAGE = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def concat(*parts: Any) -> Array:
    """Return the element-wise concatenation of string arrays and scalars."""
    out: Array = np.asarray(parts[0]).astype(str)
    for part in parts[1:]:
        out = np.char.add(out, np.asarray(part).astype(str))
    return out


def pick(rng: np.random.Generator, options: Sequence[Any], size: int, p: Any = None) -> Array:
    """Return `size` draws from `options`, as an object array so strings keep their type."""
    values = np.empty(len(options), dtype=object)
    values[:] = list(options)
    picked: Array = values[rng.choice(len(options), size=size, p=p)]
    return picked


def money(amount: Any) -> Array:
    return np.rint(np.asarray(amount, dtype=np.float64) * MONEY).astype(np.int64)


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())
