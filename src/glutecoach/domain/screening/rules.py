"""Answers and functional tests → findings, asymmetries and red-flag referrals.

Each sign adds a `Reason` to one or more findings; severity is how many signs point to a finding.
Screening coaches, it does not diagnose: the words say what was seen, never what the runner "has".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from glutecoach.domain.library import Library
from glutecoach.domain.library.models import BodyArea, FeltArea
from glutecoach.domain.screening.findings import (
    QUALITIES,
    TITLES,
    Asymmetry,
    Finding,
    FindingKind,
    Reason,
    Referral,
    Screening,
    Severity,
)
from glutecoach.domain.screening.inputs import (
    PAIN_AREA_LOADS,
    PainArea,
    PainReport,
    PerSide,
    ScreeningInput,
    Side,
)

K = FindingKind
SIDES = (Side.left, Side.right)

RED_FLAG_WORDS = {
    "sharp": "sharp pain",
    "worsening": "pain that is getting worse",
    "at_night_or_rest": "pain at night or at rest",
    "swelling": "swelling",
    "numbness_or_tingling": "numbness or tingling",
    "limp": "a limp",
}

REFERRAL_MESSAGE = (
    "Please see a physiotherapist or doctor about your {area} before training it. glutecoach "
    "screens and coaches; it does not diagnose, and it will not prescribe exercise that loads "
    "this area until a clinician has seen it."
)


@dataclass
class _Signs:
    by_kind: dict[FindingKind, list[Reason]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kinds: tuple[FindingKind, ...], reason: Reason) -> None:
        for kind in kinds:
            self.by_kind[kind].append(reason)


def screen(data: ScreeningInput, library: Library, on: dt.date) -> Screening:
    """The whole screening: pure, so the same input on the same day gives the same result."""
    referrals = tuple(_referral(p, library) for p in data.answers.pain if _red_flags(p, library))
    excluded = sorted({a for r in referrals if (a := PAIN_AREA_LOADS[r.area]) is not None})
    signs = _Signs()
    asymmetries: list[Asymmetry] = []
    _questionnaire(data, signs, library)
    _pain_signs(data, signs, library)
    asymmetries += _side_plank(data, signs, library)
    asymmetries += _single_leg_bridge(data, signs, library)
    _single_leg_squat(data, signs)
    _clamshell(data, signs)
    findings = tuple(
        finding_of(kind, signs.by_kind[kind], library, frozenset(excluded))
        for kind in FindingKind
        if signs.by_kind.get(kind)
    )
    return Screening(
        screened_on=on,
        input=data,
        findings=findings,
        asymmetries=tuple(asymmetries),
        referrals=referrals,
        excluded_areas=tuple(excluded),
    )


def _red_flags(pain: PainReport, library: Library) -> list[str]:
    flags = [words for name, words in RED_FLAG_WORDS.items() if getattr(pain, name)]
    limit = library.threshold("pain_referral_level").value
    if pain.level >= limit:
        flags.insert(0, f"pain {pain.level}/10 (≥ {limit:g}/10)")
    return flags


def _area_words(area: PainArea) -> str:
    return {
        PainArea.knee_front: "the front of the knee",
        PainArea.knee_outside: "the outside of the knee",
        PainArea.low_back: "low back",
        PainArea.calf_achilles: "calf or Achilles",
        PainArea.heel_foot: "heel or foot",
        PainArea.other: "pain",
    }.get(area, area.value)


def _referral(pain: PainReport, library: Library) -> Referral:
    flags = tuple(_red_flags(pain, library))
    return Referral(
        area=pain.area,
        side=pain.side,
        red_flags=flags,
        message=REFERRAL_MESSAGE.format(area=_area_words(pain.area)),
    )


def _questionnaire(data: ScreeningInput, signs: _Signs, library: Library) -> None:
    a = data.answers
    if a.hip_drop_seen:
        signs.add(
            (K.hip_abductor_weakness,),
            Reason(
                text="A hip that visibly drops when you run: contralateral pelvic drop was the "
                "strongest marker separating injured from healthy runners",
                sources=("bramah_2018",),
            ),
        )
    if a.low_back_tightness:
        signs.add(
            (K.hip_extensor_underuse,),
            Reason(text="Low-back tightness after runs: the back may be doing the glutes' work"),
        )
    if a.hamstring_tightness or a.hamstring_strain_history:
        what = "tight hamstrings" if a.hamstring_tightness else "a past hamstring strain"
        signs.add(
            (K.hip_extensor_underuse,),
            Reason(text=f"You reported {what}: the hamstrings may be covering for the glutes"),
        )
    if a.quads_sorer_than_glutes:
        signs.add(
            (K.quad_dominant_push_off,),
            Reason(text="Your quads get sorer than your glutes after runs"),
        )
    if a.sitting_in_stride:
        signs.add(
            (K.quad_dominant_push_off, K.hip_extensor_underuse),
            Reason(text='"Sitting down" into the stride: the hips do not extend fully'),
        )
    if a.low_push_off:
        signs.add(
            (K.quad_dominant_push_off,),
            Reason(text="Low push-off power: the glutes extend the hip at push-off"),
        )
    increase = a.background.recent_increase_pct
    spike = library.threshold("weekly_distance_spike_pct")
    if increase is not None and increase > spike.value:
        signs.add(
            (K.running_load_spike,),
            Reason(
                text=f"Weekly distance rose {increase:g} % recently (above {spike.value:g} %, "
                "linked to more knee and hip overuse injuries in novice runners)",
                sources=(spike.source,) if spike.source else (),
            ),
        )


def _pain_signs(data: ScreeningInput, signs: _Signs, library: Library) -> None:
    """Pain below the referral line still says where to look (red flags are handled apart)."""
    for pain in data.answers.pain:
        if _red_flags(pain, library) or pain.level == 0:
            continue
        side = None if pain.side == Side.both else pain.side
        where = f"{pain.level}/10 pain at {_area_words(pain.area)}"
        if pain.area == PainArea.knee_outside:
            signs.add(
                (K.hip_abductor_weakness,),
                Reason(
                    text=f"{where.capitalize()}: runners with pain there often have weaker hip "
                    "abductors",
                    sources=("fredericson_2000", "noehren_2014"),
                    side=side,
                    kind="pain",
                ),
            )
        elif pain.area == PainArea.knee_front:
            signs.add(
                (K.quad_dominant_push_off, K.hip_abductor_weakness),
                Reason(text=where.capitalize(), side=side, kind="pain"),
            )
        elif pain.area in (PainArea.low_back, PainArea.hamstring):
            signs.add(
                (K.hip_extensor_underuse,), Reason(text=where.capitalize(), side=side, kind="pain")
            )
        elif pain.area in (PainArea.shin, PainArea.heel_foot, PainArea.calf_achilles):
            signs.add((K.foot_loading,), Reason(text=where.capitalize(), side=side, kind="pain"))


def _asymmetry(
    test: str, pair: PerSide[float] | PerSide[int], library: Library
) -> Asymmetry | None:
    better = max(pair.left, pair.right)
    if better <= 0:
        return None
    pct = abs(pair.left - pair.right) / better * 100
    limit = library.threshold("asymmetry_pct").value
    if pct <= limit:
        return None
    weaker = Side.left if pair.left < pair.right else Side.right
    return Asymmetry(
        test=test,
        left=pair.left,
        right=pair.right,
        difference_pct=round(pct, 1),
        weaker=weaker,
        threshold_pct=limit,
    )


def _side_plank(data: ScreeningInput, signs: _Signs, library: Library) -> list[Asymmetry]:
    held = data.tests.side_plank_s
    if held is None:
        return []
    norm = library.threshold("side_plank_hold_norm")
    low = norm.value - (norm.sd or 0)
    sources = ("jsr_2003_side_bridge", "crossley_2011", "schmitz_2014")
    for side in SIDES:
        seconds = getattr(held, side.value)
        if seconds < low:
            signs.add(
                (K.hip_abductor_weakness, K.trunk_control),
                Reason(
                    text=f"Side plank on your {side.value} side held {seconds:g} s (below "
                    f"{low:g} s, one SD under the {norm.value:g} s norm)",
                    sources=sources,
                    side=side,
                    kind="test",
                ),
            )
    gap = _asymmetry("side_plank", held, library)
    if gap:
        signs.add(
            (K.hip_abductor_weakness,),
            Reason(
                text=f"Side plank: your {gap.weaker.value} side held "
                f"{gap_value(held, gap.weaker)} s vs {gap_value(held, _other(gap.weaker))} s "
                f"on the {_other(gap.weaker).value} "
                f"({gap.difference_pct:g} % less)",
                side=gap.weaker,
                kind="asymmetry",
            ),
        )
    return [gap] if gap else []


def _single_leg_bridge(data: ScreeningInput, signs: _Signs, library: Library) -> list[Asymmetry]:
    reps = data.tests.single_leg_bridge_reps
    if reps is None:
        return []
    low = library.threshold("single_leg_bridge_low_reps").value
    for side in SIDES:
        count = getattr(reps, side.value)
        if count < low:
            signs.add(
                (K.hip_extensor_underuse,),
                Reason(
                    text=f"Single-leg bridge on your {side.value}: {count} reps (under {low:g})",
                    sources=("freckleton_2014",),
                    side=side,
                    kind="test",
                ),
            )
    gap = _asymmetry("single_leg_bridge", reps, library)
    if gap:
        signs.add(
            (K.hip_extensor_underuse,),
            Reason(
                text=f"Single-leg bridge: {gap_value(reps, gap.weaker)} reps on your "
                f"{gap.weaker.value} vs {gap_value(reps, _other(gap.weaker))} on your "
                f"{_other(gap.weaker).value} ({gap.difference_pct:g} % fewer)",
                side=gap.weaker,
                kind="asymmetry",
            ),
        )
    return [gap] if gap else []


SQUAT_FAULTS: tuple[tuple[str, str, tuple[FindingKind, ...]], ...] = (
    ("knee_caves_in", "the knee caves in", (K.hip_abductor_weakness,)),
    ("pelvis_drops", "the pelvis drops", (K.hip_abductor_weakness,)),
    ("trunk_leans", "the trunk leans sideways", (K.trunk_control, K.hip_abductor_weakness)),
)


def _single_leg_squat(data: ScreeningInput, signs: _Signs) -> None:
    squat = data.tests.single_leg_squat
    if squat is None:
        return
    for side in SIDES:
        seen = getattr(squat, side.value)
        for fault, words, kinds in SQUAT_FAULTS:
            if getattr(seen, fault):
                signs.add(
                    kinds,
                    Reason(
                        text=f"Single-leg squat on your {side.value}: {words}",
                        sources=("crossley_2011",),
                        side=side,
                        kind="test",
                    ),
                )


def _clamshell(data: ScreeningInput, signs: _Signs) -> None:
    felt = data.tests.clamshell_felt
    if felt is None:
        return
    words = {
        FeltArea.side_of_thigh: "in the side of the thigh (the TFL doing the glutes' job)",
        FeltArea.front_of_hip: "in the front of the hip",
        FeltArea.low_back: "in the low back",
        FeltArea.nothing: "nowhere in particular",
        FeltArea.hamstring: "in the hamstring",
        FeltArea.quads: "in the front of the thigh",
        FeltArea.calf: "in the calf",
    }
    for side in SIDES:
        area = getattr(felt, side.value)
        if area != FeltArea.glutes:
            signs.add(
                (K.hip_abductor_weakness,),
                Reason(
                    text=f"Clamshell on your {side.value} was felt {words[area]}, not in the glute",
                    sources=("selkowitz_2013",),
                    side=side,
                    kind="test",
                ),
            )


def gap_value(pair: PerSide[float] | PerSide[int], side: Side) -> str:
    return f"{getattr(pair, side.value):g}"


def _other(side: Side) -> Side:
    return Side.right if side == Side.left else Side.left


def _severity(count: int, library: Library) -> Severity:
    if count >= library.threshold("finding_marked_signs").value:
        return "marked"
    if count >= library.threshold("finding_moderate_signs").value:
        return "moderate"
    return "mild"


def finding_of(
    kind: FindingKind, reasons: list[Reason], library: Library, excluded: frozenset[BodyArea]
) -> Finding:
    per_side = {s: sum(1 for r in reasons if r.side == s) for s in SIDES}
    side: Side | None = None
    if per_side[Side.left] != per_side[Side.right]:
        side = Side.left if per_side[Side.left] > per_side[Side.right] else Side.right
    return Finding(
        kind=kind,
        title=TITLES[kind],
        severity=_severity(len(reasons), library),
        side=side,
        reasons=tuple(reasons),
        exercises=tuple(e.id for e in library.addressing(QUALITIES[kind], excluded, limit=6)),
    )
