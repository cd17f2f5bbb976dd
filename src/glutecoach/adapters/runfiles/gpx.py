"""GPX tracks (phones, Strava and most apps' exports) with lxml: one file, one activity.

gpxpy was measured too: 24 ms for an 871-point file against 0.5 ms for lxml, and the tests use it
as the independent check of the distances and times read here.
"""

from __future__ import annotations

import datetime as dt

from glutecoach.adapters.runfiles import xml
from glutecoach.adapters.runfiles.errors import RunFileError
from glutecoach.adapters.runfiles.samples import Samples, haversine_m, summarise
from glutecoach.domain.runs import Run

HR_TAGS = frozenset({"hr", "heartrate"})
CADENCE_TAGS = frozenset({"cad", "cadence", "runcadence"})


def read_gpx(data: bytes) -> list[Run]:
    root = xml.parse(data, "GPX")
    if xml.local(root.tag) != "gpx":
        raise RunFileError(f"not a GPX file: its root element is <{xml.local(root.tag)}>")
    if next(root.iter("{*}trkpt"), None) is None:
        waypoints = sum(1 for _ in root.iter("{*}wpt"))
        routes = sum(1 for _ in root.iter("{*}rtept"))
        what = "only waypoints" if waypoints else "only a planned route" if routes else "nothing"
        raise RunFileError(f"no recorded track: the GPX holds {what}")
    rows: list[Row] = []
    for segment in root.iter("{*}trkseg"):
        # distance is measured within a segment only: between two segments the device was off
        # (or the track saved without times), so the gap is not ground covered on foot
        last: tuple[float, float] | None = None
        metres = rows[-1][6] if rows else 0.0
        for point in segment.iterchildren("{*}trkpt"):
            row = _point(point)
            if row is None:
                continue
            if row[1] is not None and row[2] is not None:
                if last is not None:
                    metres += haversine_m(last[0], last[1], row[1], row[2])
                last = (row[1], row[2])
            rows.append((*row[:6], metres))
    if len(rows) < 2:
        raise RunFileError("no timestamps on the track points: a route, not a recorded activity")
    rows.sort(key=lambda r: r[0])
    track = next(root.iter("{*}trk"), None)
    kind = next(track.iterchildren("{*}type"), None) if track is not None else None
    sport = xml.sport_of(kind.text if kind is not None else None)
    creator = root.get("creator")
    cadences = xml.as_steps([r[5] for r in rows], sport[0])
    samples = Samples()
    for (time_s, _, _, ele, hr, _, metres), cadence in zip(rows, cadences, strict=True):
        samples.add(time_s, distance_m=metres, altitude_m=ele, heart_rate=hr, cadence_spm=cadence)
    found = summarise(samples)
    return [
        Run(
            started_at=dt.datetime.fromtimestamp(samples.time_s[0], dt.UTC),
            sport=sport[0],
            sport_detail=sport[1],
            device=creator.strip()[:80] if creator else None,
            **found,
        )
    ]


Point = tuple[float, float | None, float | None, float | None, float | None, float | None]
Row = tuple[float, float | None, float | None, float | None, float | None, float | None, float]


def _point(point: object) -> Point | None:
    time_s = ele = hr = cadence = None
    for child in point.iter():  # type: ignore[attr-defined]
        name = xml.local(child.tag).lower()
        if name == "time":
            time_s = xml.timestamp(child.text)
        elif name == "ele":
            ele = xml.number(child.text)
        elif name in HR_TAGS:
            hr = xml.number(child.text)
        elif name in CADENCE_TAGS:
            cadence = xml.number(child.text)
    if time_s is None:
        return None
    lat, lon = xml.number(point.get("lat")), xml.number(point.get("lon"))  # type: ignore[attr-defined]
    return time_s, lat, lon, ele, hr, cadence
