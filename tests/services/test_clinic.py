"""A clinician's overview, a runner's detail and plan edits, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event, text

from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.throwaway import PostgresServer
from glutecoach.domain.clinic import FlagKind, RunnerOverview
from glutecoach.domain.errors import RuleViolation
from glutecoach.domain.library import load_library
from glutecoach.domain.planning import Plan, SessionKind
from glutecoach.domain.planning.edits import AddNote, ChangeDosage, SwapExercise
from glutecoach.services import clinic, history, planning, runners, screening, training
from glutecoach.services.store import open_store
from tests.clock import clock_on
from tests.conftest import EXAMPLES

T0 = dt.date(2026, 11, 20)  # screened on a Friday; plans start Monday 23 November


def start_runner(db: Database, name: str) -> Plan:
    data = yaml.safe_load((EXAMPLES / "runner.yaml").read_text())
    data["name"] = name
    result = screening.run(screening.read_input(EXAMPLES / "answers.yaml"), T0)
    return runners.start(db, planning.parse_profile(data, name, clock_on(T0)), result, weeks=4).plan


def log_strength(db: Database, slug: str, plan: Plan, pain: int = 0) -> dt.date:
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    session = day.session(SessionKind.strength)
    assert session is not None
    entry = training.SessionEntry.model_validate(
        {
            "date": day.date,
            "session": "strength",
            "exercises": [
                {
                    "exercise_id": p.exercise_id,
                    "sets": [p.amount.high] * p.sets,
                    "effort": 6,
                    "felt": "glutes",
                    "pain": pain,
                }
                for p in session.prescriptions
            ],
        }
    )
    training.log_session(db, slug, entry, on=day.date)
    return day.date


def count_queries(db: Database) -> list[str]:
    seen: list[str] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(*args: object) -> None:
        seen.append(str(args[2]))

    return seen


def test_the_overview_shows_every_runner_with_their_own_flags(db: Database) -> None:
    plan = start_runner(db, "Ana Pain")
    start_runner(db, "Bo Fine")
    logged = log_strength(db, "ana-pain", plan, pain=3)
    today = logged + dt.timedelta(days=1)
    rows = {r.runner: r for r in clinic.overview(db, today)}
    assert set(rows) == {"ana-pain", "bo-fine"}
    ana, bo = rows["ana-pain"], rows["bo-fine"]
    pain = [f for f in ana.flags if f.kind == FlagKind.pain]
    assert pain and all("3/10" in f.text and f.date == logged for f in pain)
    assert not [f for f in bo.flags if f.kind == FlagKind.pain]
    assert ana.last_log == logged and bo.last_log is None
    assert ana.adherence is not None and ana.adherence.done == 1
    assert bo.adherence is not None and bo.adherence.done == 0
    assert bo.adherence.planned == ana.adherence.planned > 0


def test_the_overview_takes_as_many_queries_for_many_runners_as_for_one(db: Database) -> None:
    plan = start_runner(db, "Runner One")
    log_strength(db, "runner-one", plan)
    today = plan.start + dt.timedelta(days=6)
    seen = count_queries(db)
    clinic.overview(db, today)
    one = len(seen)
    for n in range(2, 7):
        log_strength(db, "runner-" + str(n), start_runner(db, f"Runner {n}"))
    seen.clear()
    rows = clinic.overview(db, today)
    assert len(rows) == 6
    assert len(seen) == one


def test_a_swap_is_a_new_plan_version_in_the_history_and_on_today(db: Database) -> None:
    plan = start_runner(db, "Cai Swap")
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    session = day.session(SessionKind.strength)
    assert session is not None
    old = session.prescriptions[0].exercise_id
    present = {p.exercise_id for p in session.prescriptions}
    new = next(
        e.id
        for e in load_library().select()
        if e.category.value == "strength" and e.id not in present and not e.equipment
    )
    edit = SwapExercise(
        exercise_id=old, to_exercise_id=new, on=day.date, session=SessionKind.strength
    )
    outcome = clinic.edit_plan(db, "cai-swap", edit, on=plan.start)
    assert outcome.plan_version == 2
    _, versions = history.plan_changes(db, "cai-swap")
    assert versions[-1].version == 2 and "clinician" in versions[-1].reason
    assert [(c.action, c.exercise_id, c.to_exercise_id) for c in versions[-1].changes] == [
        ("clinician_swap", old, new)
    ]
    view = training.today(db, "cai-swap", day.date)
    assert view.plan_version == 2 and view.day is not None
    shown = view.day.session(SessionKind.strength)
    assert shown is not None
    ids = [p.exercise_id for p in shown.prescriptions]
    assert new in ids and old not in ids
    reason = next(p.reason for p in shown.prescriptions if p.exercise_id == new)
    assert reason.startswith("Changed by your clinician")


def test_a_refused_edit_stores_nothing(db: Database) -> None:
    plan = start_runner(db, "Dee Refused")
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    past = ChangeDosage(exercise_id="clamshell", sets=3, on=day.date)
    with pytest.raises(RuleViolation, match="in the past"):
        clinic.edit_plan(db, "dee-refused", past, on=day.date + dt.timedelta(days=1))
    _, versions = history.plan_changes(db, "dee-refused")
    assert [v.version for v in versions] == [1]


def test_a_note_and_a_dose_show_on_the_runners_day(db: Database) -> None:
    plan = start_runner(db, "Eve Note")
    day = next(d for d in plan.days if d.session(SessionKind.strength))
    session = day.session(SessionKind.strength)
    assert session is not None
    target = session.prescriptions[0]
    clinic.edit_plan(db, "eve-note", AddNote(text="Go gently.", on=day.date), on=plan.start)
    dose = ChangeDosage(exercise_id=target.exercise_id, sets=target.sets + 1, from_date=day.date)
    outcome = clinic.edit_plan(db, "eve-note", dose, on=plan.start)
    assert outcome.plan_version == 3
    view = training.today(db, "eve-note", day.date)
    assert view.day is not None
    shown = view.day.session(SessionKind.strength)
    assert shown is not None and shown.reason.endswith("Go gently.")
    changed = next(p for p in shown.prescriptions if p.exercise_id == target.exercise_id)
    assert changed.sets == target.sets + 1


def test_the_runner_detail_gathers_screening_plan_and_progress(db: Database) -> None:
    plan = start_runner(db, "Fay Detail")
    logged = log_strength(db, "fay-detail", plan)
    detail = clinic.runner_detail(db, "fay-detail", on=logged)
    assert detail.screening is not None and detail.screening.screened_on == T0
    assert (detail.plan.start, detail.plan.end, detail.plan.weeks) == (plan.start, plan.end, 4)
    assert detail.plan.week == 1
    assert sum(w.done for w in detail.progress.weeks) == 1
    assert detail.gait is None


def test_a_kept_overview_is_used_only_while_the_runner_is_unchanged(db: Database) -> None:
    ana_plan = start_runner(db, "Ana Kept")
    start_runner(db, "Bo Kept")
    day = next(d for d in ana_plan.days if d.session(SessionKind.strength)).date
    first = {r.runner: r for r in clinic.overview(db, day)}
    seen = count_queries(db)
    again = {r.runner: r for r in clinic.overview(db, day)}
    assert again == first
    assert not [q for q in seen if "plans.data" in q or "p.data" in q]  # no plan was read
    log_strength(db, "ana-kept", ana_plan, pain=3)
    training.log_soreness(db, "bo-kept", 2, day, on=day)
    seen.clear()
    after = {r.runner: r for r in clinic.overview(db, day)}
    assert any("plans.data" in q or "p.data" in q for q in seen)  # the changed were computed again
    assert after["ana-kept"] != first["ana-kept"]
    assert [f.kind for f in after["ana-kept"].flags if f.kind == FlagKind.pain]
    assert after["bo-kept"].last_log == day != first["bo-kept"].last_log
    clinic._KEPT.clear()  # what a fresh process computes
    assert {r.runner: r for r in clinic.overview(db, day)} == after
    # another day is another overview: adherence and missed sessions move with it
    later = day + dt.timedelta(days=3)
    assert clinic.overview(db, later)[0].as_of == later


@pytest.fixture
def pg(postgres_server: PostgresServer) -> Iterator[Database]:
    """The overview rows are shared on PostgreSQL only (`services.clinic._share`)."""
    name = postgres_server.create_database()
    try:
        with open_store(postgres_server.url(name)) as database:
            yield database
    finally:
        postgres_server.drop_database(name)


def _shared_rows(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM runner_overviews")).scalar_one())


def _plan_reads(seen: list[str]) -> int:
    return sum("plans.data" in q or "p.data" in q for q in seen)


def _computed_afresh(db: Database, day: dt.date) -> dict[str, RunnerOverview]:
    """What a process computes with nothing kept anywhere."""
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM runner_overviews"))
    clinic._KEPT.clear()
    return {r.runner: r for r in clinic.overview(db, day)}


def test_a_process_uses_the_overview_rows_another_process_computed(pg: Database) -> None:
    db = pg
    ana_plan = start_runner(db, "Ana Shared")
    start_runner(db, "Bo Shared")
    day = next(d for d in ana_plan.days if d.session(SessionKind.strength)).date
    first = {r.runner: r for r in clinic.overview(db, day)}
    clinic._KEPT.clear()  # another process: nothing in its memory
    seen = count_queries(db)
    assert {r.runner: r for r in clinic.overview(db, day)} == first
    assert _plan_reads(seen) == 0  # both rows came from the shared table
    # a runner who logged is computed again, by whichever process looks first
    log_strength(db, "ana-shared", ana_plan, pain=3)
    clinic._KEPT.clear()
    seen.clear()
    after = {r.runner: r for r in clinic.overview(db, day)}
    assert _plan_reads(seen) > 0
    assert after["ana-shared"] != first["ana-shared"]
    assert after["bo-shared"] == first["bo-shared"]
    assert after == _computed_afresh(db, day)
    # the next process finds the recomputed row
    clinic._KEPT.clear()
    seen.clear()
    assert {r.runner: r for r in clinic.overview(db, day)} == after
    assert _plan_reads(seen) == 0
    # as the web app asks, for the runners' own today
    clinic._KEPT.clear()
    todays = clinic.overview(db)
    clinic._KEPT.clear()
    seen.clear()
    assert clinic.overview(db) == todays
    assert _plan_reads(seen) == 0
    # a day later the stored rows are another day's: computed again
    later = day + dt.timedelta(days=1)
    clinic._KEPT.clear()
    assert {r.runner: r.as_of for r in clinic.overview(db, later)} == {
        "ana-shared": later,
        "bo-shared": later,
    }


def test_shared_overview_rows_of_other_code_or_unreadable_are_computed_again(
    pg: Database,
) -> None:
    db = pg
    plan = start_runner(db, "Cy Format")
    day = plan.start
    first = clinic.overview(db, day)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE runner_overviews SET stamp = '0.0.0/0 ' || stamp"))
    clinic._KEPT.clear()
    seen = count_queries(db)
    assert clinic.overview(db, day) == first
    assert _plan_reads(seen) > 0  # another release's row is not used
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE runner_overviews SET data = '{\"runner\": 1}'"))
    clinic._KEPT.clear()
    seen.clear()
    assert clinic.overview(db, day) == first  # nor a row that is not an overview
    assert _plan_reads(seen) > 0


def test_a_database_that_refuses_the_shared_rows_still_gives_the_overview(
    pg: Database, caplog: pytest.LogCaptureFixture
) -> None:
    db = pg
    start_runner(db, "Di Refused")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; "
                "END $$"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON runner_overviews "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        )
    clinic._KEPT.clear()
    with caplog.at_level(logging.WARNING):
        rows = clinic.overview(db, T0)
    assert [r.runner for r in rows] == ["di-refused"]
    assert "overview rows not shared" in caplog.text and "No space left" in caplog.text
    assert _shared_rows(db) == 0


def test_on_sqlite_the_overview_page_writes_nothing(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'glutecoach.db'}") as db:
        start_runner(db, "Ed Alone")
        clinic._KEPT.clear()
        first = clinic.overview(db, T0)
        assert _shared_rows(db) == 0
        clinic._KEPT.clear()
        assert clinic.overview(db, T0) == first


def test_a_stop_for_pain_is_flagged_as_a_regression_among_a_years_worth_of_changes(
    db: Database,
) -> None:
    plan = start_runner(db, "Dee Stop")
    start_runner(db, "Eli Fine")
    logged = log_strength(db, "dee-stop", plan, pain=5)  # at the referral level: stopped
    today = logged + dt.timedelta(days=1)
    rows = {r.runner: r for r in clinic.overview(db, today)}
    stopped = [f for f in rows["dee-stop"].flags if f.kind == FlagKind.regression]
    assert stopped and all("stopped" in f.text for f in stopped)
    assert not [f for f in rows["eli-fine"].flags if f.kind == FlagKind.regression]
