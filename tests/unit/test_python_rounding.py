"""`rounded` is Python's round(x, digits) over an array, bit for bit, near halves included."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from otelbi.python_rounding import rounded


def _bits(values: list[float]) -> list[bytes]:
    return [struct.pack("<d", v) for v in values]


def _expected(values: np.ndarray, digits: int) -> list[bytes]:
    return _bits([round(float(v), digits) for v in values])


@settings(max_examples=300, deadline=None)
@given(
    arrays(np.float64, st.integers(min_value=0, max_value=300), elements=st.floats(width=64)),
    st.integers(min_value=0, max_value=6),
)
def test_any_floats_round_as_round_does(values: np.ndarray, digits: int) -> None:
    assert _bits(rounded(values, digits)) == _expected(values, digits)


@pytest.mark.parametrize("digits", [1, 3])
def test_values_on_and_next_to_halves_round_as_round_does(digits: int) -> None:
    rng = np.random.default_rng(7)
    halves = (rng.integers(-(10**7), 10**7, 50_000) + 0.5) / 10**digits
    values = np.concatenate(
        [
            halves,
            np.nextafter(halves, np.inf),
            np.nextafter(halves, -np.inf),
            np.array([0.15, 0.25, 2.675, 4.35, -4.35, 1e17, -0.0, 5e-324]),
        ]
    )
    assert _bits(rounded(values, digits)) == _expected(values, digits)


def test_numpys_own_rounding_would_differ_here() -> None:
    # What the fallback is for: numpy scales 0.1499999… to exactly 1.5 and rounds it up.
    assert np.round(0.15, 1) == 0.2
    assert rounded(np.array([0.15]), 1) == [0.1]
