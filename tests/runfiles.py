"""Run files made for a test: a GPX track at a steady pace, written by gpxpy (an independent
writer), so the import path under test reads a real file."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import gpxpy.gpx

START = (46.05, 14.50)  # somewhere to run: Ljubljana
METRES_PER_DEGREE = 111_195.0


def gpx_run(
    folder: Path, start: dt.datetime, km: float, minutes: float, sport: str = "running"
) -> Path:
    """A run heading north at an even pace, one point every 10 seconds."""
    segment = gpxpy.gpx.GPXTrackSegment()
    steps = max(2, round(minutes * 6))
    for i in range(steps + 1):
        share = i / steps
        segment.points.append(
            gpxpy.gpx.GPXTrackPoint(
                START[0] + km * 1000 * share / METRES_PER_DEGREE,
                START[1],
                elevation=300.0,
                time=start + dt.timedelta(minutes=minutes * share),
            )
        )
    track = gpxpy.gpx.GPXTrack()
    track.type = sport
    track.segments.append(segment)
    gpx = gpxpy.gpx.GPX()
    gpx.tracks.append(track)
    path = folder / f"{start:%Y%m%dT%H%M}-{sport}-{km:g}km.gpx"
    path.write_text(gpx.to_xml())
    return path


def expected_km(km: float) -> float:
    """What a haversine sum along the meridian gives for `km` by the factory's own scale."""
    return km * 6_371_008.8 * math.pi / 180 / METRES_PER_DEGREE
