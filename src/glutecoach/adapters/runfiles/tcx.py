"""TCX activities (Garmin Training Center exports, many platforms' bulk exports) with lxml: each
<Activity> becomes a `Run`, its laps' totals preferred to sums over the track points."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from glutecoach.adapters.runfiles import xml
from glutecoach.adapters.runfiles.errors import RunFileError
from glutecoach.adapters.runfiles.samples import Samples, summarise
from glutecoach.domain.runs import Run


def read_tcx(data: bytes) -> list[Run]:
    root = xml.parse(data, "TCX")
    if xml.local(root.tag) != "TrainingCenterDatabase":
        raise RunFileError(f"not a TCX file: its root element is <{xml.local(root.tag)}>")
    activities = list(root.iter("{*}Activity"))
    if not activities:
        raise RunFileError("no activity in the TCX file (a course or workout file?)")
    return [_activity(a) for a in activities]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(element.iterchildren("{*}" + name), None)


def _text(element: etree._Element, *path: str) -> str | None:
    for name in path:
        found = _child(element, name)
        if found is None:
            return None
        element = found
    return element.text


def _activity(activity: etree._Element) -> Run:
    sport = xml.sport_of(activity.get("Sport"))
    laps = list(activity.iterchildren("{*}Lap"))
    rows = []
    for point in activity.iter("{*}Trackpoint"):
        time_s = xml.timestamp(_text(point, "Time"))
        if time_s is None:
            continue
        cadence = xml.number(_text(point, "Cadence"))
        for ext in point.iter("{*}RunCadence"):
            cadence = xml.number(ext.text)
        rows.append(
            (
                time_s,
                xml.number(_text(point, "DistanceMeters")),
                xml.number(_text(point, "Position", "LatitudeDegrees")),
                xml.number(_text(point, "Position", "LongitudeDegrees")),
                xml.number(_text(point, "AltitudeMeters")),
                xml.number(_text(point, "HeartRateBpm", "Value")),
                cadence,
            )
        )
    start = xml.timestamp(_text(activity, "Id")) or (
        xml.timestamp(laps[0].get("StartTime")) if laps else None
    )
    if not rows and start is None:
        raise RunFileError("an activity with no start time and no track points")
    rows.sort(key=lambda r: r[0])
    samples = Samples()
    cadences = xml.as_steps([r[6] for r in rows], sport[0])
    for (time_s, dist, lat, lon, alt, hr, _), cadence in zip(rows, cadences, strict=True):
        samples.add(
            time_s,
            distance_m=dist,
            lat=lat,
            lon=lon,
            altitude_m=alt,
            heart_rate=hr,
            cadence_spm=cadence,
        )
    found = summarise(samples)
    lap_time = [xml.number(_text(lap, "TotalTimeSeconds")) for lap in laps]
    lap_distance = [xml.number(_text(lap, "DistanceMeters")) for lap in laps]
    if laps and all(t is not None for t in lap_time):
        found["moving_s"] = found.get("moving_s") or sum(t for t in lap_time if t is not None)
        found.setdefault("elapsed_s", sum(t for t in lap_time if t is not None))
    if laps and all(d is not None for d in lap_distance):
        found["distance_m"] = sum(d for d in lap_distance if d is not None) or found.get(
            "distance_m"
        )
    creator = _text(activity, "Creator", "Name")
    return Run(
        started_at=dt.datetime.fromtimestamp(start or samples.time_s[0], dt.UTC),
        sport=sport[0],
        sport_detail=sport[1],
        device=creator.strip()[:80] if creator else None,
        **{"elapsed_s": 0.0, **found},
    )
