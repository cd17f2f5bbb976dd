"""Export → import into an empty database → export again: the same document, nothing lost."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.export import ExportDocument, dump_runner, load_runner
from glutecoach.adapters.db.recorded_runs import NewRecordedRun
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.runfiles.reader import read_source
from glutecoach.adapters.runfiles.sources import Source
from glutecoach.domain.errors import InvalidInput, RuleViolation
from glutecoach.domain.library import Library
from tests.adapters.runfiles.test_reading_real_files import RUNS
from tests.clock import CLOCK
from tests.conftest import ROOT
from tests.factories import (
    MONDAY,
    make_exercise_log,
    make_plan,
    make_profile,
    make_run_log,
    make_screening,
    make_session_log,
    make_soreness,
)


def fill(database: Database, library: Library, slug: str = "ana") -> int:
    """A runner with two of everything that has versions, logs of each kind, and a plan change."""
    with database.unit() as repo:
        ana = repo.add_runner(slug, "Ana Müller")
        repo.save_profile(ana, make_profile(name="Ana Müller"))
        initial = repo.add_screening(
            ana, make_screening(library, answers={"hip_drop_seen": True}), "initial"
        )
        repo.add_plan(
            ana,
            make_plan(weeks=2),
            reason="first plan",
            changes=[],
            profile_version=1,
            screening_id=initial,
        )
        repo.add_session_log(ana, make_session_log(make_exercise_log(load="green band")))
        repo.add_session_log(
            ana,
            make_session_log(
                date=MONDAY + dt.timedelta(days=3),
                status="skipped",
                skip_reason="sick",
                exercises=(),
            ),
        )
        repo.add_soreness(ana, make_soreness(note="both glutes"))
        repo.add_run(ana, make_run_log(distance_km=10.01))
        read = read_source(Source(str(RUNS / "fit" / "sample_mulitple_header.fit")))
        assert read.digest is not None
        repo.recorded_runs.add(
            ana,
            [
                NewRecordedRun(r, read.source.label, "fit", read.digest, i)
                for i, r in enumerate(read.runs)
            ],
            dt.datetime(2026, 11, 21, 8, 30, tzinfo=dt.UTC),
        )
        repo.save_profile(ana, make_profile(name="Ana Müller", weekly_km=40))
        retest = repo.add_screening(ana, make_screening(library), "retest")
        repo.add_plan(
            ana,
            make_plan(weeks=2, weekly_km=40),
            reason="re-test",
            profile_version=2,
            changes=["Clamshell: 2 × 15–20 → 2 × 20–25 reps (top of the range twice)"],
            screening_id=retest,
        )
        repo.add_plan(
            ana,
            make_plan(weeks=1),
            reason="no screening",
            changes=[],
            profile_version=1,
            screening_id=None,
        )
    return ana


def export(database: Database, runner_id: int) -> dict[str, Any]:
    with database.unit() as repo:
        return dump_runner(repo, runner_id)


def test_export_then_import_into_an_empty_database_gives_the_same_document(
    database_url: str, tmp_path: Path, library: Library
) -> None:
    with open_database(f"sqlite:///{tmp_path / 'source.db'}", clock=CLOCK) as source:
        document = export(source, fill(source, library))
    text = json.dumps(document, sort_keys=True)  # plain JSON all the way down

    with open_database(database_url, clock=CLOCK) as target:
        with target.unit() as repo:
            restored = load_runner(repo, json.loads(text))
        again = export(target, restored)

    assert again == document
    assert json.dumps(again, sort_keys=True) == text
    assert (document["format"], document["version"]) == ("glutecoach.export", 1)
    assert [
        len(document[k])
        for k in ("profiles", "screenings", "plans", "session_logs", "recorded_runs")
    ] == [2, 2, 3, 2, 5]


def test_an_export_keeps_every_version_and_timestamp(database: Database, library: Library) -> None:
    ana = fill(database, library)
    document = export(database, ana)
    with database.unit() as repo:
        plans = repo.plan_versions(ana)
        runner = repo.runner("ana")
    assert runner is not None
    assert dt.datetime.fromisoformat(document["runner"]["created_at"]) == runner.created_at
    assert [
        (p["version"], dt.datetime.fromisoformat(p["created_at"]), p["screening"])
        for p in document["plans"]
    ] == [(p.version, p.created_at, n) for p, n in zip(plans, [1, 2, None], strict=True)]


def test_importing_a_runner_whose_slug_exists_is_refused_and_stores_nothing(
    database: Database, library: Library
) -> None:
    document = export(database, fill(database, library))
    with (
        pytest.raises(RuleViolation, match="a runner 'ana' already exists"),
        database.unit() as repo,
    ):
        load_runner(repo, document)
    with database.unit() as repo:
        assert len(repo.runners()) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "glutecoach.plan"}, "not a glutecoach export"),
        ({"version": 2}, "format version 2 is not one this glutecoach reads"),
        ({"surprise": True}, "field 'surprise' is not a known field"),
        ({"plans": []}, None),  # fine: a runner without plans
    ],
)
def test_a_document_of_another_format_or_version_is_refused(
    database: Database, library: Library, change: dict[str, Any], message: str | None
) -> None:
    document = export(database, fill(database, library)) | change
    document["runner"] = document["runner"] | {"slug": "ana-2"}
    if message is None:
        with database.unit() as repo:
            load_runner(repo, document)
        return
    with pytest.raises(InvalidInput, match=message), database.unit() as repo:
        load_runner(repo, document)
    with database.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ana"]


def test_a_document_refused_half_way_stores_nothing(database: Database, library: Library) -> None:
    document = copy.deepcopy(export(database, fill(database, library)))
    document["runner"]["slug"] = "ana-2"
    document["profiles"][1]["profile"] = document["profiles"][0]["profile"]  # unchanged "version"
    with pytest.raises(InvalidInput, match="repeats profile 1"), database.unit() as repo:
        load_runner(repo, document)
    with database.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ana"]


def test_a_plan_that_names_a_missing_screening_is_refused(
    database: Database, library: Library
) -> None:
    document = copy.deepcopy(export(database, fill(database, library)))
    document["runner"]["slug"] = "ana-2"
    document["plans"][0]["screening"] = 7
    with pytest.raises(InvalidInput, match="missing screening 7"), database.unit() as repo:
        load_runner(repo, document)


def test_the_format_document_describes_every_field_of_the_export() -> None:
    text = (ROOT / "docs" / "export-format.md").read_text()
    for field in ExportDocument.model_fields:
        assert f"| `{field}` |" in text, field
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert set(json.loads(example)) == set(ExportDocument.model_fields)
