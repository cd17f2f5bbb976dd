"""What the run history, the load report and a run-file import come to: the data the services
hand to the reports and the interfaces to show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from glutecoach.domain import load
from glutecoach.domain.load import BandTrend, Habits, Imbalance, Ratio, Week
from glutecoach.domain.progression.logs import RunLog
from glutecoach.domain.records import RunnerRecord, StoredRun


@dataclass(frozen=True)
class RunHistory:
    runner: RunnerRecord
    timezone: str
    runs: tuple[StoredRun, ...]  # recorded runs, oldest first
    by_hand: tuple[RunLog, ...]  # runs logged by hand on days no file covers


@dataclass(frozen=True)
class LoadReport:
    runner: RunnerRecord
    timezone: str
    on: dt.date
    weeks: tuple[Week, ...]
    ratios: tuple[Ratio, ...]  # one per day over the weeks shown
    latest: Ratio | None
    latest_zone: load.Zone | None  # of the rolling ratio
    trends: tuple[BandTrend, ...]
    imbalance: Imbalance | None
    habits: Habits | None
    spike_pct: float
    spike_source: str
    acwr_limits: tuple[float, float, float]  # sweet spot low, high; danger
    acwr_source: str
    runs_counted: int
    other_activities: int


@dataclass
class ImportSummary:
    runner: RunnerRecord
    files: int = 0  # run files found
    imported_files: int = 0
    runs: dict[str, int] = field(default_factory=dict)  # imported, by sport
    records: int = 0  # samples parsed in the imported files
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    ignored: int = 0  # files in folders and archives that are not run files
    seconds: float = 0.0
    new_runner: bool = False
    spike_warning: str | None = None  # this week's running spiked
    plan_version: int | None = None  # the plan version that lightened this week's strength

    @property
    def imported_runs(self) -> int:
        return sum(self.runs.values())
