"""The gait figures in a runner's words (domain/gait/words.py), from synthetic runners whose
pelvic drop and cadence are known: the drop named by the stance leg, the glute med exercises
for a marked one, and nothing said from a side that was not measured well."""

from __future__ import annotations

from dataclasses import replace

from glutecoach.domain.gait.analysis import analyse
from glutecoach.domain.gait.per_step import SideQuality
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.words import advice
from glutecoach.domain.library import Library
from glutecoach.domain.library.models import Muscle
from tests.gaitsynth import synthetic_run

MIN_FPS = 60.0


def test_a_marked_drop_is_named_by_the_stance_leg_with_the_glute_to_train(library: Library) -> None:
    run = synthetic_run(view=View.rear, pelvic_drop_deg=(10.0, 2.0), cadence_spm=175, seed=4)
    analysis = analyse(run.pose, View.rear, MIN_FPS)
    said = list(advice(analysis.metrics, analysis.cadence_spm, library))
    drops = [a for a in said if a.key == "pelvic_drop"]
    assert len(drops) == 2
    left, right = drops
    assert left.text.startswith("While you stand on your left leg, your right hip drops 10°")
    assert "Your left glute med" in left.text and "the one to train" in left.text
    assert left.exercises and all(
        Muscle.glute_med in library.exercise(i).primary_muscles for i, _ in left.exercises
    )
    assert right.text.startswith("While you stand on your right leg, your left hip drops 2°")
    assert "Under the 8°" in right.text and not right.exercises
    assert all(s in library.sources for a in said for s in a.sources)
    cadence = next(a for a in said if a.key == "cadence")
    assert "175 steps per minute" in cadence.text and "nothing to change" in cadence.text


def test_a_low_cadence_gets_the_published_cue_with_its_target(library: Library) -> None:
    run = synthetic_run(view=View.side, cadence_spm=150, seed=2)
    analysis = analyse(run.pose, View.side, MIN_FPS)
    cadence = next(a for a in advice(analysis.metrics, 150.0, library) if a.key == "cadence")
    assert "below that" in cadence.text and "about 158" in cadence.text  # +5 %
    assert set(cadence.sources) == {"pmc6044588_cadence", "heiderscheit_2011"}


def test_nothing_is_said_from_a_side_seen_poorly(library: Library) -> None:
    run = synthetic_run(view=View.rear, pelvic_drop_deg=(10.0, 10.0), seed=5)
    analysis = analyse(run.pose, View.rear, MIN_FPS)
    drop = analysis.metric("pelvic_drop")
    assert drop is not None
    poorly = replace(drop, quality={"left": SideQuality(0.3), "right": SideQuality(0.9)})
    said = [a for a in advice((poorly,), 170.0, library) if a.key == "pelvic_drop"]
    assert [a.text.split(",")[0] for a in said] == ["While you stand on your right leg"]


def test_a_side_seen_poorly_is_greyed_and_never_makes_a_finding(library: Library) -> None:
    from glutecoach.domain.gait.analysis import findings
    from glutecoach.domain.gait.summary import summarise
    from glutecoach.domain.screening.findings import FindingKind
    from tests.clock import TODAY

    run = synthetic_run(view=View.rear, pelvic_drop_deg=(11.0, 11.0), seed=6)
    analysis = analyse(run.pose, View.rear, MIN_FPS)
    assert FindingKind.hip_abductor_weakness in {k for k, _ in findings(analysis, library)}
    drop = analysis.metric("pelvic_drop")
    assert drop is not None
    poorly = replace(drop, quality={side: SideQuality(0.3) for side in ("left", "right")})
    seen = replace(
        analysis, metrics=tuple(poorly if m.key == "pelvic_drop" else m for m in analysis.metrics)
    )
    assert poorly.median is None and poorly.side_median("left") is not None  # shown, not used
    assert FindingKind.hip_abductor_weakness not in {k for k, _ in findings(seen, library)}
    row = summarise(seen, "x", TODAY, library).metric("pelvic_drop")
    assert row is not None and row.left is not None
    left = row.side("left")
    assert left is not None and not left.usable
