"""The 401 windows: the first refusal of an address in a window is written, the rest only
counted, and the address's next row carries that count."""

from __future__ import annotations

from otelbi.gateway.denied_bursts import DeniedBursts


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_row_per_address_and_window_carrying_the_count_not_written() -> None:
    clock = Clock()
    bursts = DeniedBursts(60, clock=clock)
    assert bursts.admit("10.0.0.1") == 0
    assert [bursts.admit("10.0.0.1") for _ in range(63)] == [None] * 63
    assert bursts.admit("10.0.0.2") == 0  # another address has its own window
    clock.now += 60
    assert bursts.admit("10.0.0.1") == 63
    assert bursts.admit("10.0.0.1") is None


def test_a_zero_window_writes_every_401() -> None:
    bursts = DeniedBursts(0)
    assert [bursts.admit("10.0.0.1") for _ in range(3)] == [0, 0, 0]


def test_memory_stays_bounded() -> None:
    bursts = DeniedBursts(60, max_keys=2, clock=Clock())
    for address in ("a", "b", "c"):
        assert bursts.admit(address) == 0
    assert bursts.admit("a") == 0  # forgotten: its window opens again
