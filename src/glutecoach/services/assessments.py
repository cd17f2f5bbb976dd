"""What other assessments add to a questionnaire screening: the run files' signs (a recent
spike, a growing contact-time imbalance) and the latest gait analysis of each view."""

from __future__ import annotations

import datetime as dt

from glutecoach.adapters.db.repositories import Repository, RunnerRecord
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.summary import GaitSummary
from glutecoach.domain.library import load_library
from glutecoach.domain.screening import Screening, with_history, with_signs
from glutecoach.services import run_history


def gait_findings(repo: Repository, runner_id: int, screening: Screening) -> Screening:
    latest: dict[View, GaitSummary] = {}
    for stored in repo.gait_analyses.list(runner_id):
        latest[stored.summary.view] = stored.summary
    added = [(f.kind, f.reason) for s in latest.values() for f in s.findings]
    return with_signs(screening, added, load_library())


def with_assessments(
    repo: Repository, runner: RunnerRecord, screening: Screening, today: dt.date
) -> Screening:
    library = load_library()
    found = run_history.read(repo, runner)
    screening = with_history(screening, run_history.signs(found, today), library)
    return gait_findings(repo, runner.id, screening)
