"""Read the library's packaged YAML and turn it into a checked `Library`.

`parse_library` is pure (parsed documents in, library out) so the checks can be tested on broken
data without touching the packaged files; `load_library` reads the package once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from glutecoach.domain.errors import DataError
from glutecoach.domain.library.graph import check_graph
from glutecoach.domain.library.library import Library
from glutecoach.domain.library.models import Exercise, RunCue, Source, Threshold

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", Exercise, Source, Threshold, RunCue)
# libyaml's loader parses the library ~9x faster than the pure-Python one; same safe subset.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

EXERCISE_DIR = "exercises"
SOURCES = "sources.yaml"
THRESHOLDS = "thresholds.yaml"
RUN_CUES = "run_cues.yaml"


def _where(loc: Iterable[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "(the record itself)"


def _parse_records(model: type[M], filename: str, document: Any, kind: str) -> list[M]:
    if not isinstance(document, list):
        raise DataError(f"library data error in {filename}: expected a list of {kind}s")
    records: list[M] = []
    for position, raw in enumerate(document, start=1):
        label = f"{kind} #{position}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            label = f"{kind} '{raw['id']}'"
        if not isinstance(raw, dict):
            raise DataError(f"library data error in {filename}, {label}: expected a mapping")
        try:
            records.append(model.model_validate(raw))
        except ValidationError as error:
            first = error.errors()[0]
            raise DataError(
                f"library data error in {filename}, {label}, field '{_where(first['loc'])}': "
                f"{first['msg']}"
            ) from None
    return records


def _unique(records: Iterable[tuple[str, R]], kind: str) -> dict[str, R]:
    seen: dict[str, R] = {}
    origin: dict[str, str] = {}
    for filename, record in records:
        if record.id in seen:
            raise DataError(
                f"library data error in {filename}: {kind} '{record.id}' is defined twice "
                f"(first in {origin[record.id]})"
            )
        seen[record.id] = record
        origin[record.id] = filename
    return seen


def parse_library(documents: Mapping[str, Any]) -> Library:
    """Build the library from parsed YAML documents keyed by their file name.

    Exercise files are the keys under `exercises/`; the rest are named by the constants above.
    """
    for required in (SOURCES, THRESHOLDS, RUN_CUES):
        if required not in documents:
            raise DataError(f"library data error: {required} is missing")
    sources = _unique(
        ((SOURCES, s) for s in _parse_records(Source, SOURCES, documents[SOURCES], "source")),
        "source",
    )
    exercise_files = sorted(name for name in documents if name.startswith(f"{EXERCISE_DIR}/"))
    located = [
        (name, exercise)
        for name in exercise_files
        for exercise in _parse_records(Exercise, name, documents[name], "exercise")
    ]
    exercises = _unique(located, "exercise")
    origin = {exercise.id: name for name, exercise in located}
    thresholds = _unique(
        (
            (THRESHOLDS, t)
            for t in _parse_records(Threshold, THRESHOLDS, documents[THRESHOLDS], "threshold")
        ),
        "threshold",
    )
    cues = _unique(
        ((RUN_CUES, c) for c in _parse_records(RunCue, RUN_CUES, documents[RUN_CUES], "run cue")),
        "run cue",
    )
    _check_sources(exercises, thresholds, cues, sources, origin)
    check_graph(exercises, origin)
    return Library(
        exercises=exercises, sources=sources, thresholds=thresholds, run_cues=tuple(cues.values())
    )


def _check_sources(
    exercises: Mapping[str, Exercise],
    thresholds: Mapping[str, Threshold],
    cues: Mapping[str, RunCue],
    sources: Mapping[str, Source],
    origin: Mapping[str, str],
) -> None:
    for exercise in exercises.values():
        figures = [("emg", i, f.source) for i, f in enumerate(exercise.emg)]
        figures += [("gta", i, f.source) for i, f in enumerate(exercise.gta)]
        for field, index, source in figures:
            if source not in sources:
                raise DataError(
                    f"library data error in {origin[exercise.id]}, exercise '{exercise.id}', "
                    f"field '{field}.{index}.source': '{source}' is not in {SOURCES}"
                )
    for threshold in thresholds.values():
        if threshold.source is not None and threshold.source not in sources:
            raise DataError(
                f"library data error in {THRESHOLDS}, threshold '{threshold.id}', "
                f"field 'source': '{threshold.source}' is not in {SOURCES}"
            )
    for cue in cues.values():
        if cue.source is not None and cue.source not in sources:
            raise DataError(
                f"library data error in {RUN_CUES}, run cue '{cue.id}', "
                f"field 'source': '{cue.source}' is not in {SOURCES}"
            )


def read_packaged_documents() -> dict[str, Any]:
    data = resources.files("glutecoach.domain.library") / "data"
    documents: dict[str, Any] = {}
    for name in (SOURCES, THRESHOLDS, RUN_CUES):
        documents[name] = yaml.load((data / name).read_text(encoding="utf-8"), Loader=_LOADER)
    for entry in sorted((data / EXERCISE_DIR).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            text = entry.read_text(encoding="utf-8")
            documents[f"{EXERCISE_DIR}/{entry.name}"] = yaml.load(text, Loader=_LOADER) or []
    return documents


@cache
def load_library() -> Library:
    """The packaged library, parsed and checked once per process."""
    return parse_library(read_packaged_documents())
