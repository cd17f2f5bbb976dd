"""Running load from run history (pure): weekly totals and spikes, acute:chronic ratios, gait
trends per pace band, and the running week a profile may leave out."""

from glutecoach.domain.load.acwr import Ratio, Zone, daily_ratios, zone
from glutecoach.domain.load.habits import Habits, read_habits
from glutecoach.domain.load.trends import (
    BandTrend,
    Imbalance,
    TrendPoint,
    by_band,
    growing_imbalance,
    points,
)
from glutecoach.domain.load.weekly import Week, local_day, monday, weeks

__all__ = [
    "BandTrend",
    "Habits",
    "Imbalance",
    "Ratio",
    "TrendPoint",
    "Week",
    "Zone",
    "by_band",
    "daily_ratios",
    "growing_imbalance",
    "local_day",
    "monday",
    "points",
    "read_habits",
    "weeks",
    "zone",
]
