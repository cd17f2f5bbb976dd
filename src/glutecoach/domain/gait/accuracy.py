"""How far each gait metric can be off, in its own unit, as measured by this project's own
checks: against a treadmill's force plate (tests/domain/test_gait_force_plate.py, a published
trial, Fukuchi et al. 2017) for the timing, and against synthetic runners with known angles
(tests/domain/test_gait_metrics.py) for the rest. Each figure is the tolerance those tests hold
the metric to, so a change that makes a metric worse fails there before it reaches a report.

A left/right difference no larger than this is not claimed as an asymmetry. A metric with no
figure here has not been checked against a truth, and claims none.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    error: float  # in the metric's unit
    checked_by: str  # the test that holds the metric to it


_FORCE = "tests/domain/test_gait_force_plate.py"
_SYNTH = "tests/domain/test_gait_metrics.py"

ACCURACY: dict[str, Accuracy] = {
    "step_time": Accuracy(10.0, _FORCE),  # ms, each side's median against the force
    "contact_time": Accuracy(30.0, _FORCE),  # ms
    "flight_time": Accuracy(30.0, _FORCE),  # ms
    "pelvic_drop": Accuracy(1.0, _FORCE),  # degrees, per stance leg, and on synthetic runners
    "knee_fppa": Accuracy(1.0, _SYNTH),  # degrees
    "lateral_trunk_lean": Accuracy(0.5, _SYNTH),  # degrees
    "step_width": Accuracy(2.0, _SYNTH),  # % of pelvis width
    "knee_flexion_midstance": Accuracy(2.5, _SYNTH),  # degrees
    "knee_flexion_strike": Accuracy(9.0, _SYNTH),  # degrees: read at the strike, ±15 ms
    "trunk_lean": Accuracy(1.0, _SYNTH),  # degrees
    "overstride": Accuracy(8.0, _SYNTH),  # % of leg length
}


def error_of(key: str) -> float | None:
    found = ACCURACY.get(key)
    return None if found is None else found.error
