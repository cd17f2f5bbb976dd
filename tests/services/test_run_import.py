"""Importing run files on SQLite and PostgreSQL: each run once, bad files reported and skipped,
a crash part-way leaves whole runs only, and the load is what the files say."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import gpxpy
import gpxpy.gpx
import pytest

from glutecoach.adapters.db.recorded_runs import RecordedRuns
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.runfiles.reader import read_source
from glutecoach.adapters.runfiles.sources import Source
from glutecoach.domain.errors import InvalidInput, NotFound
from glutecoach.domain.runs import Sport
from glutecoach.services import run_import, running
from glutecoach.services.store import open_store
from tests.adapters.runfiles.test_reading_real_files import REFUSED, RUNS, fitdecode_sessions

RUN_FIT = RUNS / "fit" / "activity-small-fenix2-run.fit"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_store(database_url) as database:
        yield database


def test_the_shared_files_import_or_are_rejected_with_their_reasons(db: Database) -> None:
    summary = run_import.import_runs(db, [RUNS], runner_name="Sam Example", workers=2)
    assert summary.new_runner and summary.runner.slug == "sam-example"
    assert summary.files == 21 and summary.ignored == 1  # SOURCES.md
    rejected = {Path(label).relative_to(RUNS).as_posix(): why for label, why in summary.rejected}
    assert rejected.keys() == REFUSED.keys()
    assert all(REFUSED[name] in why for name, why in rejected.items())
    expected = sum(len(read_source(Source(str(RUNS / n))).runs) for n in _readable())
    assert summary.imported_runs == expected == 22
    assert summary.runs["running"] == 9 and summary.runs["cycling"] == 2
    stored = running.history(db, None).runs
    assert len(stored) == 22
    assert [s.run.started_at for s in stored] == sorted(s.run.started_at for s in stored)


def _readable() -> list[str]:
    return [
        str(p.relative_to(RUNS))
        for p in sorted(RUNS.rglob("*"))
        if p.suffix in (".fit", ".gpx", ".tcx") and str(p.relative_to(RUNS)) not in REFUSED
    ]


def test_importing_again_skips_every_file_as_a_duplicate(db: Database) -> None:
    run_import.import_runs(db, [RUNS / "fit"], runner_name="Sam Example")
    again = run_import.import_runs(db, [RUNS / "fit"], workers=1)
    assert again.imported_runs == 0
    assert len(again.duplicates) == 7
    assert all(why == "this file was imported before" for _, why in again.duplicates)
    assert len(running.history(db, None).runs) == 17  # 7 files, 5 + 7 of them in two


def twin_gpx(fit: Path, folder: Path) -> Path:
    """The same run as an app's GPX export: its positions and times, written by gpxpy."""
    import fitdecode

    track = gpxpy.gpx.GPXTrackSegment()
    with fitdecode.FitReader(str(fit)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                lat, lon = (
                    frame.get_value("position_lat", fallback=None),
                    frame.get_value("position_long", fallback=None),
                )
                if lat is None or lon is None:
                    continue
                track.points.append(
                    gpxpy.gpx.GPXTrackPoint(
                        lat * 180 / 2**31,
                        lon * 180 / 2**31,
                        time=frame.get_value("timestamp").replace(tzinfo=dt.UTC),
                    )
                )
    gpx = gpxpy.gpx.GPX()
    gpx.tracks.append(gpxpy.gpx.GPXTrack())
    gpx.tracks[0].segments.append(track)
    out = folder / "from-the-app.gpx"
    out.write_text(gpx.to_xml())
    return out


def test_the_same_run_from_a_watch_and_an_app_is_kept_once(db: Database, tmp_path: Path) -> None:
    gpx = twin_gpx(RUN_FIT, tmp_path)
    summary = run_import.import_runs(db, [RUN_FIT, gpx], runner_name="Sam Example", workers=1)
    assert summary.imported_runs == 1
    ((label, why),) = summary.duplicates
    assert label == str(gpx) and str(RUN_FIT) in why
    (stored,) = running.history(db, None).runs
    assert stored.file_format == "fit"


def test_files_that_do_not_say_their_sport_can_be_called_runs(db: Database) -> None:
    gpx = RUNS / "gpx" / "gpxpy_cerknicko-jezero.gpx"
    summary = run_import.import_runs(
        db, [gpx], runner_name="Sam Example", assume_sport=Sport.running
    )
    assert summary.runs == {"running": 1}


def test_a_crash_part_way_leaves_whole_runs_only(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n, name in enumerate(("garmin-fenix-5-run.fit", "activity-small-fenix2-run.fit")):
        shutil.copy(RUNS / "fit" / name, tmp_path / f"{n}.fit")
    shutil.copy(RUNS / "tcx" / "tcxparser_test_running.tcx", tmp_path / "2.tcx")
    monkeypatch.setattr(run_import, "BATCH", 1)
    calls = []
    real_add = RecordedRuns.add

    def add_then_die(self: RecordedRuns, *args: object, **kwargs: object) -> int:
        # A fault injected into our own code, standing in for a crash between two batches.
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the power went")
        return real_add(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(RecordedRuns, "add", add_then_die)
    with pytest.raises(RuntimeError):
        run_import.import_runs(db, [tmp_path], runner_name="Sam Example", workers=1)
    monkeypatch.undo()
    stored = running.history(db, None).runs
    assert len(stored) == 1  # the first batch, whole; nothing of the second
    again = run_import.import_runs(db, [tmp_path], workers=1)
    assert again.imported_runs == 2 and len(again.duplicates) == 1
    assert len(running.history(db, None).runs) == 3


def test_no_run_files_and_no_runner_are_clear_errors(db: Database, tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff")
    with pytest.raises(InvalidInput, match="no run files found"):
        run_import.import_runs(db, [tmp_path], runner_name="Sam")
    with pytest.raises(NotFound, match="--runner-name"):
        run_import.import_runs(db, [RUN_FIT])
    with db.unit() as repo:
        assert repo.runners() == []  # nothing made on the way to an error


def running_km(name: str) -> list[float]:
    """Each running session's distance in a FIT file, as fitdecode reads it."""
    sessions, _ = fitdecode_sessions(RUNS / "fit" / name)
    return [float(x["total_distance"]) / 1000 for x in sessions if x.get("sport") == "running"]  # type: ignore[arg-type]


def test_the_load_report_is_right_for_the_shared_runs(db: Database) -> None:
    run_import.import_runs(db, [RUNS], runner_name="Sam Example", workers=1)
    report = running.load_report(db, None, on=dt.date(2015, 9, 1), weeks=4)
    by_week = {w.start: w for w in report.weeks}
    # a run on 15 Aug 2015; on 29 Aug a multisport day whose running legs count and whose
    # cycling, transitions and unnamed first leg are kept but not counted
    (single,) = running_km("activity-small-fenix2-run.fit")
    legs = running_km("activity-large-fenxi2-multisport.fit")
    assert len(legs) == 2
    aug_10 = by_week[dt.date(2015, 8, 10)]
    assert aug_10.running_km == pytest.approx(single, abs=1e-3) and aug_10.runs == 1
    aug_24 = by_week[dt.date(2015, 8, 24)]
    assert aug_24.runs == 2 and aug_24.other_activities == 5
    assert aug_24.running_km == pytest.approx(sum(legs), abs=1e-3)
    assert aug_24.long_run_km == pytest.approx(max(legs), abs=1e-3)
    assert aug_24.change_pct is None  # the week before had no running
    assert report.latest is not None
    assert report.latest.acute_km == pytest.approx(sum(legs), abs=1e-3)
    assert report.latest.chronic_km == pytest.approx((single + sum(legs)) / 4, abs=1e-3)
    assert report.latest.rolling == pytest.approx(4 * sum(legs) / (single + sum(legs)), abs=1e-3)
