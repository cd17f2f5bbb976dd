"""Fixtures for the renderer tests; the builders live in factories.py."""

from __future__ import annotations

import datetime as dt

import pytest

from glutecoach.domain.library import Library, parse_library
from glutecoach.domain.planning.plan import Plan
from glutecoach.domain.screening.findings import (
    Asymmetry,
    Finding,
    FindingKind,
    Reason,
    Referral,
    Screening,
)
from glutecoach.domain.screening.inputs import PainArea, ScreeningInput, Side
from tests.reports.factories import hand_made_plan, library_documents


@pytest.fixture
def small_library() -> Library:
    return parse_library(library_documents())


@pytest.fixture
def plan(small_library: Library) -> Plan:
    return hand_made_plan(small_library)


@pytest.fixture
def odd_library() -> Library:
    """The same library with the clamshell's name and cue full of HTML and Markdown characters."""
    documents = library_documents()
    clamshell = documents["exercises/test.yaml"][0]
    clamshell["name"] = "Clamshell <b>banded</b> & *fast*"
    clamshell["cues"] = ['Keep the heels "together" <script>alert(1)</script>']
    return parse_library(documents)


@pytest.fixture
def odd_plan(odd_library: Library) -> Plan:
    return hand_made_plan(odd_library)


@pytest.fixture
def screening() -> Screening:
    return Screening(
        screened_on=dt.date(2025, 3, 1),
        input=ScreeningInput(),
        findings=(
            Finding(
                kind=FindingKind.hip_abductor_weakness,
                title="Weak hip abductors / poor pelvic control",
                severity="moderate",
                side=Side.left,
                reasons=(
                    Reason(
                        text="Left side plank held 30 s, below the 46 s cut.",
                        sources=("distefano_2009", "selkowitz_2013"),
                        side=Side.left,
                    ),
                    Reason(text="The hip drops when running, as you noticed."),
                ),
                exercises=("clamshell", "side_plank"),
            ),
        ),
        asymmetries=(
            Asymmetry(
                test="side_plank",
                left=30,
                right=60,
                difference_pct=50,
                weaker=Side.left,
                threshold_pct=10,
            ),
        ),
        referrals=(
            Referral(
                area=PainArea.knee_front,
                side=Side.right,
                red_flags=("sharp", "worsening"),
                message="Sharp, worsening pain at the front of the right knee: see a clinician.",
            ),
        ),
    )
