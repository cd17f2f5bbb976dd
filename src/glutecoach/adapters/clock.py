"""The clocks that read the machine's time: the real one, and one whose date is pinned by a
setting (GLUTECOACH_TODAY) for a demo or a support call. Everything else is handed one of
these as a `domain.clock.Clock` and never reads the time itself."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


class SystemClock:
    """The machine's clock."""

    @property
    def pinned(self) -> str | None:
        return None

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self, timezone: str) -> dt.date:
        return dt.datetime.now(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class PinnedDayClock:
    """Today is `day` in every time zone, however long the process runs. The time still moves
    on from noon (UTC) of that day, so that what counts minutes (a sign-in's expiry, a limit on
    login attempts) behaves as it would on a real day."""

    day: dt.date
    setting: str = "GLUTECOACH_TODAY"
    _started: float = field(default_factory=time.monotonic, compare=False, repr=False)

    @property
    def pinned(self) -> str | None:
        return f"{self.day.isoformat()}, set by {self.setting}"

    def now(self) -> dt.datetime:
        noon = dt.datetime.combine(self.day, dt.time(12), tzinfo=dt.UTC)
        return noon + dt.timedelta(seconds=time.monotonic() - self._started)

    def today(self, timezone: str) -> dt.date:
        return self.day
