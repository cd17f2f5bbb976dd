"""A pose sequence in, a gait analysis out: cleaned signal, events, metrics, warnings about the
clip, and the findings it gives the screening. Pure: the same poses give the same analysis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecoach.domain.errors import DataError, InvalidInput
from glutecoach.domain.gait import events, filming, metrics, sides, signal, stature
from glutecoach.domain.gait.events import Contact
from glutecoach.domain.gait.metrics import Metric
from glutecoach.domain.gait.pose import PoseSequence, View
from glutecoach.domain.library.library import Library
from glutecoach.domain.screening.findings import FindingKind, Reason

MIN_STRIDES = 6  # fewer strides per foot than this: too little to say anything
MIN_FOUND_SHARE = 0.5  # of frames with a person found
WALKING_DOUBLE_SUPPORT = 0.1  # share of contact time with both feet down: running has ~none
MIN_CONFIDENCE = 0.5  # mean joint visibility below this: the skeleton is mostly guessed
HIP_WIDTH_REAR = 0.12  # hips this far apart (share of leg length) or more: filmed from behind
# The feet's events are read from a pose filtered less: a heel stops within a few hundredths of a
# second as it lands, and the metrics' 8 Hz filter would spread that stop over ~60 ms.
EVENT_CUTOFF_HZ = 20.0
STEP_JOINTS = ("left_hip", "right_hip", "left_ankle", "right_ankle", "left_knee", "right_knee")


class GaitError(InvalidInput):
    """A clip or pose file the analysis cannot use; the message says why and what to do."""


@dataclass(frozen=True)
class GaitAnalysis:
    view: View
    fps: float
    duration_s: float
    frames: int
    found_share: float
    swaps_fixed: int
    cadence_spm: float
    contacts: tuple[Contact, ...]
    steps: int
    strides: dict[str, int]
    metrics: tuple[Metric, ...]
    warnings: tuple[str, ...]
    confidence: float  # mean joint visibility over the contacts, 0-1
    pose: PoseSequence  # cleaned, for the key frames and plots
    scale: stature.Scale | None = None  # from the runner's height, when given and measurable

    def metric(self, key: str) -> Metric | None:
        return next((m for m in self.metrics if m.key == key), None)


def detect_view(pose: PoseSequence) -> View:
    """Rear when the hips are seen apart, side when one hides the other."""
    width = np.nanmedian(np.abs(pose.joint("left_hip")[:, 0] - pose.joint("right_hip")[:, 0]))
    leg = metrics.leg_length(pose)
    if not (np.isfinite(width) and np.isfinite(leg)) or leg <= 0:
        return View.side
    return View.rear if width / leg >= HIP_WIDTH_REAR else View.side


def analyse(
    pose: PoseSequence,
    view: View | None,
    min_fps: float,
    height_cm: float | None = None,
    refuse_fps: float = 0.0,
) -> GaitAnalysis:
    """With the runner's height (cm), the distances are also given in centimetres. Below
    `min_fps` the timing is warned about; below `refuse_fps` the clip is refused (both are the
    library's thresholds, gait_min_fps and gait_refuse_fps)."""
    height_cm = stature.check_height(height_cm)
    share = _found_share(pose)
    if (refused := filming.refusal(pose, refuse_fps)) is not None:
        raise GaitError(refused)
    cleaned, swaps = signal.clean(pose)
    contacts = _running_contacts(signal.clean(pose, EVENT_CUTOFF_HZ)[0])
    strides = _enough_strides(contacts)
    steps = events.steps(contacts)
    cadence = _timed_cadence(steps)
    chosen = view or detect_view(cleaned)
    scale = _scale(cleaned, contacts, chosen, height_cm)
    found_metrics = _metrics(cleaned, contacts, steps, chosen, scale)
    confidence = float(np.mean([c.confidence for c in contacts])) if contacts else 0.0
    return GaitAnalysis(
        view=chosen,
        fps=pose.fps,
        duration_s=pose.duration_s,
        frames=pose.frames,
        found_share=share,
        swaps_fixed=swaps,
        cadence_spm=round(cadence, 1),
        contacts=tuple(contacts),
        steps=len(steps),
        strides=strides,
        metrics=tuple(found_metrics),
        warnings=tuple(
            _warnings(pose, share, confidence, min_fps)
            + _unscaled(height_cm, scale)
            + _framing(pose, chosen)
            + filming.warnings(pose)
        ),
        confidence=round(confidence, 2),
        pose=cleaned,
        scale=scale,
    )


def _found_share(pose: PoseSequence) -> float:
    """The share of frames with a person found; GaitError when the clip is too short or the
    runner too rarely in it."""
    if pose.frames < 10 or pose.duration_s <= 0:
        raise GaitError("the clip is too short to analyse: film at least 10 seconds of running")
    found = pose.found()
    share = float(found.mean())
    if not found.any():
        raise GaitError("no person was found in the clip: film the whole body, side or rear view")
    if share < MIN_FOUND_SHARE:
        raise GaitError(
            f"a person was found in only {share:.0%} of the frames: keep the whole body in frame "
            "and the light on the runner"
        )
    return share


def _running_contacts(cleaned: PoseSequence) -> list[Contact]:
    """The ground contacts of a running stride; GaitError when the runner is walking."""
    visibility = signal.confidence(cleaned, STEP_JOINTS)
    contacts = events.all_contacts(cleaned, visibility)
    if events.double_support_share(contacts) > WALKING_DOUBLE_SUPPORT:
        raise GaitError(
            "this looks like walking (both feet on the ground at once), not running: "
            "film steady running, ideally on a treadmill"
        )
    return events.running(contacts)


def _enough_strides(contacts: list[Contact]) -> dict[str, int]:
    """The strides of each foot; GaitError when one foot has too few to say anything."""
    strides = {side: len(events.strides(contacts, side)) for side in ("left", "right")}
    if min(strides.values()) < MIN_STRIDES:
        raise GaitError(
            f"only {min(strides.values())} clear strides of one foot were found (at least "
            f"{MIN_STRIDES} are needed): film 10-20 seconds of steady running with both feet "
            "visible"
        )
    return strides


def _timed_cadence(steps: list[tuple[Contact, Contact]]) -> float:
    cadence = metrics.cadence(steps)
    if cadence is None:
        raise GaitError("the steps could not be timed: film steady running with the feet in view")
    return cadence


def _scale(
    cleaned: PoseSequence, contacts: list[Contact], view: View, height_cm: float | None
) -> stature.Scale | None:
    """The picture's scale from the runner's height, when given and the body can be measured."""
    if height_cm is None:
        return None
    upright = cleaned if view == View.side else metrics.level(cleaned, metrics.camera_roll(cleaned))
    return stature.scale(upright, contacts, view, height_cm)


def _metrics(
    cleaned: PoseSequence,
    contacts: list[Contact],
    steps: list[tuple[Contact, Contact]],
    view: View,
    scale: stature.Scale | None,
) -> list[Metric]:
    cm_per_px = scale.cm_per_px if scale is not None else None
    found = metrics.timing(contacts, steps)
    found += (
        metrics.side_view(cleaned, contacts, cm_per_px)
        if view == View.side
        else metrics.rear_view(cleaned, contacts, cm_per_px)
    )
    return sides.qualified(found, cleaned, contacts, view)


def _unscaled(height_cm: float | None, scale: stature.Scale | None) -> list[str]:
    """The warning that the runner's height was given but could not be used."""
    if height_cm is None or scale is not None:
        return []
    return [
        "the runner's height was not used: the head or the feet were not seen well enough to "
        "measure the body in the picture, so no figure is given in centimetres"
    ]


def _warnings(pose: PoseSequence, share: float, confidence: float, min_fps: float) -> list[str]:
    said = []
    if pose.fps < min_fps:
        said.append(
            f"filmed at {pose.fps:.0f} fps: below {min_fps:g} fps a ground contact spans only a "
            "few frames, so contact and flight times are unreliable (120 fps or more is best)"
        )
    if share < 0.9:
        said.append(f"the runner was found in {share:.0%} of the frames: some steps were skipped")
    if confidence < MIN_CONFIDENCE:
        said.append(
            "the joints were seen poorly (low confidence): film in good light, tight clothing, "
            "the camera at hip height"
        )
    if pose.duration_s < 8:
        said.append(f"the clip is {pose.duration_s:.0f} s long: 10-20 s gives steadier figures")
    return said


EDGE_SHARE = filming.EDGE_SHARE
EDGE_FRAMES = 0.1  # ...in this share of the frames or more: warn


def _framing(pose: PoseSequence, view: View) -> list[str]:
    """What the clip shows about how it was filmed: the whole body in frame, and which view
    is still missing (each view measures what the other cannot)."""
    said = []
    x, y = pose.xy[:, :, 0], pose.xy[:, :, 1]
    near = (
        (x < EDGE_SHARE * pose.width)
        | (x > (1 - EDGE_SHARE) * pose.width)
        | (y < EDGE_SHARE * pose.height)
        | (y > (1 - EDGE_SHARE) * pose.height)
    )
    if np.mean(np.any(near, axis=1)) >= EDGE_FRAMES:
        said.append(
            "the runner reaches the edge of the picture: keep the whole body, feet included, "
            "in frame"
        )
    hidden = sides.hidden_leg(pose, view)
    if hidden is not None:
        said.append(
            f"the {hidden} leg was behind the other: its knee and hip angles and its overstride "
            f"are not measured from this view (film the runner's {hidden} side to measure them)"
        )
    other = (
        "behind (pelvic drop, knee angle)"
        if view == View.side
        else "the side (overstride, knee and hip angles)"
    )
    said.append(f"this is the {view.value} view: film from {other} too")
    return said


def findings(analysis: GaitAnalysis, library: Library) -> list[tuple[FindingKind, Reason]]:
    """What the gait says to the screening: each sign with its threshold and source."""
    found: list[tuple[FindingKind, Reason]] = []
    typical = library.threshold("gait_typical_cadence_spm")
    if typical.sd is None:
        raise DataError("threshold gait_typical_cadence_spm: the low-cadence cut needs its sd")
    low = typical.value - typical.sd
    cue = library.threshold("gait_cadence_cue_pct")
    if analysis.cadence_spm < low:
        found.append(
            (
                FindingKind.low_cadence,
                Reason(
                    text=f"Gait video: cadence {analysis.cadence_spm:.0f} steps/min, below the "
                    f"{low:.0f} of recreational runners ({typical.value:g} ± {typical.sd:g}); "
                    f"+{cue.value:g}-10 % eases the load on knee and hip",
                    sources=tuple(s for s in (typical.source, cue.source) if s),
                    kind="test",
                ),
            )
        )
    overstride = analysis.metric("overstride")
    limit = library.threshold("gait_overstride_leg_pct").value
    if overstride is not None and overstride.median is not None and overstride.median > limit:
        found.append(
            (
                FindingKind.low_cadence,
                Reason(
                    text=f"Gait video: the heel lands {overstride.median:.0f} % of leg length "
                    f"ahead of the hip (overstriding; beyond the {limit:g} % convention)",
                    sources=_sources(library, "lieberman_2015", "souza_2016"),
                    kind="test",
                ),
            )
        )
    drop = analysis.metric("pelvic_drop")
    limit = library.threshold("gait_pelvic_drop_deg").value
    if drop is not None and drop.median is not None and drop.median >= limit:
        left, right = drop.side_median("left"), drop.side_median("right")
        weaker = None
        if left is not None and right is not None and drop.asymmetry is not None:
            weaker = "left" if left > right else "right"
        where = f", more in {weaker} stance" if weaker else ""
        found.append(
            (
                FindingKind.hip_abductor_weakness,
                Reason(
                    text=f"Gait video: the pelvis drops {drop.median:.0f}° on the swing side in "
                    f"stance{where} (beyond the {limit:g}° convention; more drop went with injury "
                    "in runners)",
                    sources=_sources(library, "bramah_2018"),
                    kind="test",
                ),
            )
        )
    return found


def _sources(library: Library, *ids: str) -> tuple[str, ...]:
    """The ids, each checked against the evidence table (a DataError names one it lacks)."""
    missing = [i for i in ids if i not in library.sources]
    if missing:
        raise DataError(f"gait findings cite {', '.join(missing)}, not in sources.yaml")
    return ids
