"""Every real file in shared/data/runs is read, or refused with the right reason; what is read
agrees with independent decoders (fitdecode for FIT, gpxpy for GPX, the standard library's XML
parser for TCX)."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import fitdecode
import gpxpy
import pytest

from glutecoach.adapters.runfiles.reader import FileResult, read_source
from glutecoach.adapters.runfiles.sources import Source
from glutecoach.domain.runs import Sport
from tests.conftest import SHARED_DATA

RUNS = SHARED_DATA / "runs"

REFUSED = {  # file: words its reason must hold
    "corrupt/activity-unexpected-eof.fit": "truncated",
    "corrupt/DERIVED_truncated_fenix2_run.fit": "truncated",
    "corrupt/activity-settings-nodata.fit": "truncated",
    "corrupt/activity-filecrc.fit": "checksum",
    "corrupt/activity-settings-corruptheader.fit": "chained FIT header",
    "corrupt/strava-android-app-201.10-b1218918.fit": "undefined message type",
    "corrupt/DERIVED_truncated_korita.gpx": "truncated GPX",
    "corrupt/DERIVED_truncated_running.tcx": "truncated TCX",
    "gpx/gpxpy_gpx_with_garmin_extension.gpx": "only waypoints",
}


def read(name: str) -> FileResult:
    return read_source(Source(str(RUNS / name)))


def every_file() -> list[str]:
    return sorted(
        str(p.relative_to(RUNS)) for p in RUNS.rglob("*") if p.suffix in (".fit", ".gpx", ".tcx")
    )


def test_the_shared_files_are_all_here() -> None:
    assert len(every_file()) == 21


@pytest.mark.parametrize("name", every_file())
def test_each_file_is_read_or_refused_with_its_reason(name: str) -> None:
    result = read(name)
    if name in REFUSED:
        assert result.runs == ()
        assert result.reason is not None and REFUSED[name] in result.reason
    else:
        assert result.reason is None, result.reason
        assert result.runs and all(r.records > 0 for r in result.runs)
        assert all(r.started_at.tzinfo is not None for r in result.runs)


def fitdecode_sessions(path: Path) -> tuple[list[dict[str, object]], list[dt.datetime]]:
    """The session messages, and the timestamps of the records."""
    sessions, records = [], []
    with fitdecode.FitReader(io.BytesIO(path.read_bytes())) as fit:
        for frame in fit:
            if isinstance(frame, fitdecode.FitDataMessage):
                if frame.name == "record" and frame.has_field("timestamp"):
                    records.append(frame.get_value("timestamp"))
                elif frame.name == "session":
                    sessions.append({f.name: f.value for f in frame.fields})
    return sessions, records


@pytest.mark.parametrize(
    "name",
    [n for n in every_file() if n.startswith("fit/")],
)
def test_fit_sessions_agree_with_fitdecode(name: str) -> None:
    sessions, records = fitdecode_sessions(RUNS / name)
    runs = read(name).runs
    assert len(runs) == len(sessions)
    for run, session in zip(runs, sessions, strict=True):
        start = session["start_time"]
        assert isinstance(start, dt.datetime)
        end = start + dt.timedelta(seconds=float(session["total_elapsed_time"]))  # type: ignore[arg-type]
        assert run.records == sum(1 for t in records if start <= t <= end)
        assert run.started_at == start.replace(tzinfo=dt.UTC)
        assert run.distance_m == pytest.approx(session["total_distance"])
        assert run.elapsed_s == pytest.approx(session["total_elapsed_time"])
        if session.get("avg_heart_rate") is not None:
            assert run.avg_hr == session["avg_heart_rate"]


def test_fit_running_cadence_is_steps_not_strides() -> None:
    (run,) = read("fit/garmin-fenix-5-run.fit").runs
    sessions, _ = fitdecode_sessions(RUNS / "fit/garmin-fenix-5-run.fit")
    strides = float(sessions[0]["avg_running_cadence"] or sessions[0]["avg_cadence"])  # type: ignore[arg-type]
    assert run.cadence_spm == pytest.approx((strides + 0.671875) * 2)
    assert 150 < (run.cadence_spm or 0) < 200


def test_fit_running_dynamics_are_kept() -> None:
    (run,) = read("fit/garmin-fenix-5-run.fit").runs
    assert run.sport == Sport.running
    assert run.gct_ms == pytest.approx(270.3)
    assert run.gct_balance_left_pct == pytest.approx(52.39)
    assert run.vertical_oscillation_mm == pytest.approx(76.2)
    assert run.vertical_ratio_pct == pytest.approx(7.42)
    assert run.step_length_m == pytest.approx(0.9717)
    assert run.utc_offset_s == -7 * 3600  # the watch kept Pacific daylight time


def test_a_triathlon_is_five_activities_and_only_the_run_is_running() -> None:
    runs = read("fit/sample_mulitple_header.fit").runs
    assert [r.sport for r in runs] == [
        Sport.swimming,
        Sport.other,
        Sport.cycling,
        Sport.other,
        Sport.running,
    ]
    assert [r.sport_detail for r in runs][1] == "transition"
    assert runs[2].cadence_spm is None  # pedal strokes are not steps


@pytest.mark.parametrize(
    "name", ["gpx/gpxpy_cerknicko-jezero.gpx", "gpx/gpxpy_korita-zbevnica.gpx"]
)
def test_gpx_distance_and_time_agree_with_gpxpy(name: str) -> None:
    (run,) = read(name).runs
    gpx = gpxpy.parse((RUNS / name).read_text(encoding="utf-8-sig"))
    # recorded segments only: korita also holds a saved track without times
    recorded = [s for t in gpx.tracks for s in t.segments if s.points and s.points[0].time]
    points = [p for s in recorded for p in s.points]
    times = sorted(p.time for p in points if p.time)
    assert run.started_at == times[0].astimezone(dt.UTC)
    assert run.elapsed_s == pytest.approx((times[-1] - times[0]).total_seconds())
    assert run.records == len(points)
    assert run.distance_m == pytest.approx(sum(s.length_2d() for s in recorded), rel=0.005)


def test_a_gpx_with_a_byte_order_mark_and_no_namespace_is_read() -> None:
    (run,) = read("corrupt/sport-activities-features_broken1_bom_nonamespace.gpx").runs
    gpx = gpxpy.parse(
        (RUNS / "corrupt/sport-activities-features_broken1_bom_nonamespace.gpx").read_text(
            encoding="utf-8-sig"
        )
    )
    assert run.records == gpx.get_points_no()
    assert run.distance_m == pytest.approx(gpx.length_2d(), rel=0.005)
    assert run.sport == Sport.unknown


@pytest.mark.parametrize(
    "name", ["tcx/firefly_running_activity_1.tcx", "tcx/tcxparser_test_running.tcx"]
)
def test_tcx_totals_agree_with_the_laps(name: str) -> None:
    (run,) = read(name).runs
    root = ET.parse(RUNS / name).getroot()
    ns = {"t": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
    laps = root.findall(".//t:Lap", ns)
    distance = sum(float(lap.findtext("t:DistanceMeters", "0", ns)) for lap in laps)
    points = root.findall(".//t:Trackpoint", ns)
    beats = [int(b.text or 0) for b in root.findall(".//t:HeartRateBpm/t:Value", ns)]
    assert run.sport == Sport.running
    assert run.distance_m == pytest.approx(distance)
    assert run.records == len(points)
    assert run.avg_hr == round(sum(beats) / len(beats))
    assert run.max_hr == max(beats)
    identity = root.findtext(".//t:Activity/t:Id", "", ns)
    assert run.started_at == dt.datetime.fromisoformat(identity).astimezone(dt.UTC)
