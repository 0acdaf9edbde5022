"""Hybrid logical clock: wall time + counter + replica id.

Each change gets a stamp that sorts after every stamp this replica has seen, even when the
PC's clock runs behind, so an edit made after importing a colleague's bundle always wins
over what that bundle carried. Stamps are fixed-width strings that sort correctly as text:
``<wall ms, 13 digits>-<counter, 5 digits>-<replica hex, 32>``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    """One clock reading; ordering is (wall, counter, replica)."""

    wall_ms: int
    counter: int
    replica: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.replica}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Read a stamp written by :meth:`__str__`."""
        wall, counter, replica = text.split("-", 2)
        return cls(int(wall), int(counter), replica)


def wall_clock_ms() -> int:
    """Milliseconds since the epoch from the PC's clock."""
    return time.time_ns() // 1_000_000


class HybridClock:
    """Issues stamps for one replica; thread-safe."""

    def __init__(
        self, replica_id: uuid.UUID, wall: Callable[[], int] = wall_clock_ms
    ) -> None:
        self.replica = replica_id.hex
        self._wall = wall
        self._last = Stamp(0, 0, self.replica)
        self._lock = threading.Lock()

    def now(self) -> Stamp:
        """A stamp later than any issued or observed before."""
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                stamp = Stamp(wall, 0, self.replica)
            else:
                stamp = Stamp(self._last.wall_ms, self._last.counter + 1, self.replica)
            self._last = stamp
            return stamp

    def observe(self, remote: Stamp | str) -> None:
        """Advance past a stamp received from another replica."""
        seen = Stamp.parse(remote) if isinstance(remote, str) else remote
        with self._lock:
            if (seen.wall_ms, seen.counter) > (self._last.wall_ms, self._last.counter):
                self._last = Stamp(seen.wall_ms, seen.counter, self.replica)
