"""What GPX and TCX share: a safe lxml parser, local tag names, timestamps, cadence units."""

from __future__ import annotations

import datetime as dt
import statistics

from lxml import etree

from glutecoach.adapters.runfiles.errors import RunFileError
from glutecoach.domain.runs import Sport

# No entities, no network: a run file is untrusted input.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
SPORT_WORDS = {
    "running": Sport.running,
    "run": Sport.running,
    "trail_running": Sport.running,
    "trail running": Sport.running,
    "treadmill_running": Sport.running,
    "9": Sport.running,  # Strava's activity type number for a run in its GPX exports
    "walking": Sport.walking,
    "walk": Sport.walking,
    "hiking": Sport.hiking,
    "hike": Sport.hiking,
    "biking": Sport.cycling,
    "cycling": Sport.cycling,
    "ride": Sport.cycling,
    "1": Sport.cycling,  # Strava: ride
    "swimming": Sport.swimming,
}
# Steps per minute below this, for a run, can only be strides (one foot): watches that export
# cadence in GPX/TCX mostly write strides. Runners take 150-200 steps a minute.
STRIDES_BELOW_SPM = 120.0


def parse(data: bytes, kind: str) -> etree._Element:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise RunFileError(f"not a {kind} file: it is not XML")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line = f" (line {error.lineno})" if error.lineno else ""
        said = str(error).lower()
        at_end = error.lineno is not None and error.lineno >= data.rstrip().count(b"\n") + 1
        if at_end or "end of data" in said or "premature end" in said:
            raise RunFileError(f"truncated {kind}: the XML ends part-way{line}") from None
        raise RunFileError(f"not valid {kind} XML: {error.msg}{line}") from None
    if root is None:
        raise RunFileError(f"empty {kind} file")
    return root


def local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def timestamp(text: str | None) -> float | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:  # GPX and TCX times are UTC by their schemas
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value else None  # NaN is no value


def sport_of(word: str | None) -> tuple[Sport, str | None]:
    if not word or not word.strip():
        return Sport.unknown, None
    said = word.strip()
    if said.lower() == "other":
        return Sport.other, said
    return SPORT_WORDS.get(said.lower(), Sport.unknown), said


def as_steps(cadences: list[float | None], sport: Sport) -> list[float | None]:
    """Cadence in steps per minute: doubled when a run's cadence can only be strides."""
    if sport not in (Sport.running, Sport.unknown):
        return cadences if sport in (Sport.walking, Sport.hiking) else [None] * len(cadences)
    moving = [c for c in cadences if c is not None and c > 0]
    if moving and statistics.median(moving) < STRIDES_BELOW_SPM:
        return [c * 2 if c is not None else None for c in cadences]
    return cadences
