"""The clocks that read the machine's time: the real one, and the day a setting pins."""

from __future__ import annotations

import datetime as dt

import pytest

from glutecoach.adapters.clock import PinnedDayClock, SystemClock
from glutecoach.domain.errors import InvalidInput
from glutecoach.settings import Settings, load_settings

DAY = dt.date(2027, 3, 1)


def test_a_pinned_day_is_today_in_every_time_zone() -> None:
    clock = PinnedDayClock(DAY)
    for zone in ("UTC", "Pacific/Auckland", "America/Los_Angeles", "Pacific/Kiritimati"):
        assert clock.today(zone) == DAY


def test_a_pinned_days_time_moves_on_from_its_noon() -> None:
    clock = PinnedDayClock(DAY)
    first, second = clock.now(), clock.now()
    noon = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    assert noon <= first <= second < noon + dt.timedelta(hours=1)
    assert clock.pinned == "2027-03-01, set by GLUTECOACH_TODAY"


def test_the_machines_clock_is_not_pinned_and_answers_in_each_zone() -> None:
    clock = SystemClock()
    assert clock.pinned is None
    # Kiritimati (UTC+14) is a day ahead of Pago Pago (UTC-11), two days for one hour a day
    gap = clock.today("Pacific/Kiritimati") - clock.today("Pacific/Pago_Pago")
    assert gap in (dt.timedelta(days=1), dt.timedelta(days=2))
    assert clock.now().utcoffset() == dt.timedelta(0)


def test_the_setting_pins_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLUTECOACH_TODAY", "2027-03-01")
    assert load_settings().clock().today("Europe/London") == DAY
    monkeypatch.delenv("GLUTECOACH_TODAY")
    assert isinstance(load_settings().clock(), SystemClock)


@pytest.mark.parametrize("value", ["2027-02-30", "tomorrow", "01/03/2027"])
def test_a_wrong_day_is_refused_with_the_settings_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("GLUTECOACH_TODAY", value)
    with pytest.raises(InvalidInput, match="GLUTECOACH_TODAY"):
        load_settings()


def test_settings_made_in_code_use_the_machines_clock_unless_given_a_day() -> None:
    assert isinstance(Settings(today=None).clock(), SystemClock)
    assert Settings(today=DAY).clock().today("UTC") == DAY


def test_a_blank_setting_is_the_machines_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLUTECOACH_TODAY", " ")
    assert isinstance(load_settings().clock(), SystemClock)
