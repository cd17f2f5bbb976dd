"""A unit of work stores all of its writes or none of them, whatever stops it."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from glutecoach.adapters.db.engine import open_database
from glutecoach.adapters.db.repositories import Database
from glutecoach.adapters.db.tables import Base
from glutecoach.domain.errors import RuleViolation
from tests.clock import CLOCK
from tests.conftest import ROOT
from tests.factories import make_profile, make_run_log, make_session_log, make_soreness


def write_a_day(database: Database, stop: BaseException) -> None:
    with database.unit() as repo:
        ana = repo.add_runner("ana", "Ana")
        repo.save_profile(ana, make_profile())
        repo.add_session_log(ana, make_session_log())
        repo.add_soreness(ana, make_soreness())
        repo.add_run(ana, make_run_log())
        raise stop


def nothing_stored(database: Database) -> bool:
    with database.unit() as repo:
        return repo.runners() == []


def test_an_error_inside_a_unit_leaves_nothing_written(database: Database) -> None:
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_a_day(database, RuntimeError("disk on fire"))
    assert nothing_stored(database)


def test_ctrl_c_inside_a_unit_leaves_nothing_written(database: Database) -> None:
    with pytest.raises(KeyboardInterrupt):
        write_a_day(database, KeyboardInterrupt())
    assert nothing_stored(database)


def test_a_refused_write_undoes_the_writes_before_it_in_the_same_unit(database: Database) -> None:
    with database.unit() as repo:
        repo.add_runner("ana", "Ana")

    def add_ben_then_ana_again() -> None:
        with database.unit() as repo:
            ben = repo.add_runner("ben", "Ben")
            repo.add_run(ben, make_run_log())
            repo.add_runner("ana", "Ana again")

    with pytest.raises(RuleViolation):
        add_ben_then_ana_again()
    with database.unit() as repo:
        assert [r.slug for r in repo.runners()] == ["ana"]


def test_other_units_see_a_units_writes_only_once_it_has_ended(database: Database) -> None:
    with database.unit() as writer:
        ana = writer.add_runner("ana", "Ana")
        writer.add_run(ana, make_run_log())
        with database.unit() as reader:
            assert reader.runners() == []
    with database.unit() as reader:
        assert [r.slug for r in reader.runners()] == ["ana"]
        assert reader.runs(ana) == [make_run_log()]


KILLED_MID_UNIT = """
import os, signal, sys
sys.path.insert(0, {root!r})
from glutecoach.adapters.db.engine import open_database
from tests.conftest import ROOT
from tests.factories import make_exercise_log, make_session_log
from tests.clock import CLOCK

database = open_database({url!r}, clock=CLOCK)
with database.unit() as repo:
    ana = repo.add_runner("ana", "Ana")
    repo.add_session_log(ana, make_session_log(make_exercise_log(), make_exercise_log(
        exercise_id="glute_bridge", sets=[15, 15, 12], prescribed_sets=3)))
    repo.session.flush()  # every row is in the database's hands, not yet committed
    print("written", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_in_the_middle_of_a_unit_leaves_nothing_half_written(
    database_url: str,
) -> None:
    open_database(database_url, clock=CLOCK).close()  # created and migrated beforehand
    script = KILLED_MID_UNIT.format(root=str(ROOT), url=database_url)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL and done.stdout == "written\n", done.stderr
    with open_database(database_url, clock=CLOCK) as database:
        with database.unit() as repo:
            assert repo.runners() == []
        with database.engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                assert connection.scalar(select(func.count()).select_from(table)) == 0
