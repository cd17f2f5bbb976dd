"""The gait figures in the words a runner acts on: pelvic drop named by the leg they stand on and
the glute that holds it, cadence against the published range, overstride, trunk lean and knee
angle each with what the literature does (and does not) give as typical.

Every number said here comes from the analysis or from the library's thresholds and sources;
where EVIDENCE.md has no confirmed typical range (pelvic drop in 2D video, trunk lean,
overstride, 2D knee valgus in running) the words say so rather than invent one. Figures from a
side the clip did not measure well are never used.
"""

from __future__ import annotations

from dataclasses import dataclass

from glutecoach.domain.gait.per_step import Metric
from glutecoach.domain.library.library import Library, activation_score
from glutecoach.domain.library.models import Muscle

SIDES = ("left", "right")
TO_TRAIN = 3  # exercises named for a weak side: the library's best by published glute med EMG


@dataclass(frozen=True)
class Advice:
    key: str  # the metric it is about
    text: str
    sources: tuple[str, ...] = ()  # ids in the library's sources
    exercises: tuple[tuple[str, str], ...] = ()  # (id, name) to train for it


def advice(metrics: tuple[Metric, ...], cadence_spm: float, library: Library) -> tuple[Advice, ...]:
    by_key = {m.key: m for m in metrics}
    found = [_cadence(cadence_spm, library)]
    if (drop := by_key.get("pelvic_drop")) is not None:
        found += _pelvic_drop(drop, library)
    if (overstride := by_key.get("overstride")) is not None:
        found += _overstride(overstride, library)
    if (lean := by_key.get("trunk_lean")) is not None and lean.median is not None:
        found.append(
            Advice(
                "trunk_lean",
                f"You lean forward {lean.median:.0f}° at midstance. No typical range has been "
                "published; injured runners leaned forward more than healthy ones (Bramah 2018).",
                ("bramah_2018",),
            )
        )
    if (knee := by_key.get("knee_fppa")) is not None and knee.median is not None:
        found.append(
            Advice(
                "knee_fppa",
                f"Your knee's angle seen from behind is {knee.median:+.0f}° at midstance (+ = "
                "knee in). While running, this 2D angle does not follow the knee's true 3D "
                "movement, so glutecoach shows it and draws nothing from it.",
            )
        )
    return tuple(found)


def _cadence(cadence: float, library: Library) -> Advice:
    typical = library.threshold("gait_typical_cadence_spm")
    cue = library.threshold("gait_cadence_cue_pct")
    sources = tuple(s for s in (typical.source, cue.source) if s)
    spread = typical.sd or 0.0
    said = (
        f"Your cadence is {cadence:.0f} steps per minute; uninjured recreational runners ran "
        f"{typical.value:g} ± {spread:g} (the study's men)."
    )
    if cadence < typical.value - spread:
        target = cadence * (1 + cue.value / 100)
        said += (
            f" Yours is below that: {cue.value:g}-10 % more steps at the same pace "
            f"(about {target:.0f}) eases the load on knee and hip (Heiderscheit 2011)."
        )
    else:
        said += " Yours is within or above that range: nothing to change."
    return Advice("cadence", said, sources)


def _measured(metric: Metric) -> list[tuple[str, float]]:
    """(side, median) of each side measured well enough to speak of."""
    found = [(side, metric.side_median(side)) for side in SIDES if metric.usable(side)]
    return [(side, value) for side, value in found if value is not None]


def _pelvic_drop(drop: Metric, library: Library) -> list[Advice]:
    marked = library.threshold("gait_pelvic_drop_deg").value
    out = []
    for stance, value in _measured(drop):
        other = "right" if stance == "left" else "left"
        said = f"While you stand on your {stance} leg, your {other} hip drops {value:.0f}°."
        if value >= marked:
            said += (
                f" That is marked ({marked:g}° or more, glutecoach's convention: no typical "
                "range for video is published, and more drop went with injury in runners, "
                f"Bramah 2018). Your {stance} glute med holds the pelvis level then: it is "
                "the one to train."
            )
            out.append(Advice("pelvic_drop", said, ("bramah_2018",), _glute_med(library)))
        else:
            said += (
                f" Under the {marked:g}° glutecoach calls marked (a convention: no typical "
                "range for video is published; more drop went with injury, Bramah 2018)."
            )
            out.append(Advice("pelvic_drop", said, ("bramah_2018",)))
    return out


def _overstride(overstride: Metric, library: Library) -> list[Advice]:
    limit = library.threshold("gait_overstride_leg_pct").value
    out = []
    for side, value in _measured(overstride):
        said = (
            f"Your {side} heel lands {value:.0f} % of your leg length ahead of your hip. No "
            f"cut-off has been published; glutecoach calls more than {limit:g} % overstriding "
            "(a convention), and a higher cadence brings the landing closer (Lieberman 2015)."
        )
        out.append(Advice("overstride", said, ("lieberman_2015", "souza_2016")))
    return out


def _glute_med(library: Library) -> tuple[tuple[str, str], ...]:
    """The library's exercises with the glute med as a prime mover, best published EMG first."""
    ranked = sorted(
        (e for e in library.exercises.values() if Muscle.glute_med in e.primary_muscles),
        key=lambda e: (-activation_score(e, Muscle.glute_med), e.id),
    )
    return tuple((e.id, e.name) for e in ranked if activation_score(e, Muscle.glute_med) > 0)[
        :TO_TRAIN
    ]
