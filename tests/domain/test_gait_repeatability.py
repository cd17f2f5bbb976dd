"""The gait metrics' measured repeatability: the packaged file is checked on load, and a re-test
comparison calls a change real only beyond the metric's minimal detectable change."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from glutecoach.domain.errors import DataError
from glutecoach.domain.gait.pose import View
from glutecoach.domain.gait.repeatability import (
    REAR_VIEW_KEYS,
    Repeatability,
    Verdict,
    load_repeatability,
    parse_repeatability,
)
from glutecoach.domain.gait.summary import GaitSummary, MetricSummary
from glutecoach.domain.library import load_library
from glutecoach.reports.gait import compare, comparison_json

DOCUMENT: dict[str, Any] = {
    "kind": "glutecoach.gait.repeatability",
    "version": 1,
    "measured_on": "2026-01-02",
    "command": "python bench/gait_repeatability.py --write",
    "basis": "this method's own repeatability on one runner, not a published figure",
    "clips": ["side.mp4"],
    "view": "side",
    "window_s": 8.0,
    "every_s": 0.5,
    "windows": 16,
    "metrics": {
        "cadence": {"sem": 0.6, "mdc95": 1.66, "unit": "steps/min", "n": 16},
        "trunk_lean": {"sem": 0.64, "mdc95": 1.77, "unit": "°", "n": 16},
        "overstride": {"sem": 1.0, "mdc95": 2.77, "unit": "% leg", "n": 16},
    },
    "not_measured": {"pelvic_drop": "rear view"},
}


def changed(path: tuple[str, ...], value: object) -> dict[str, Any]:
    document = copy.deepcopy(DOCUMENT)
    where = document
    for part in path[:-1]:
        where = where[part]
    if value is None:
        del where[path[-1]]
    else:
        where[path[-1]] = value
    return document


def test_the_packaged_file_loads_and_says_what_it_is() -> None:
    shipped = load_repeatability()
    assert "not a published figure" in shipped.basis
    assert shipped.windows >= 2 and shipped.metrics["cadence"].unit == "steps/min"
    # a side clip cannot measure the rear-view metrics: none of them has a figure
    assert not set(REAR_VIEW_KEYS) & set(shipped.metrics)
    assert set(REAR_VIEW_KEYS) <= set(shipped.not_measured)


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("metrics", "cadence", "sem"), -0.6, "metrics.cadence.sem"),
        (("metrics", "cadence", "mdc95"), 5.0, "not 1.96 × √2 × sem"),
        (("metrics", "cadence", "unit"), None, "metrics.cadence.unit"),
        (("metrics", "cadence", "n"), 2, "metrics.cadence.n"),
        (("metrics", "cadence", "sem"), "small", "metrics.cadence.sem"),
        (("kind",), "something.else", "field 'kind'"),
        (("measured_on",), "yesterday", "field 'measured_on'"),
        (("metrics", "cadence", "colour"), "red", "metrics.cadence.colour"),
        (("not_measured", "trunk_lean"), "oops", "trunk_lean is listed as measured and as not"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_field(
    path: tuple[str, ...], value: object, words: str
) -> None:
    assert isinstance(parse_repeatability(DOCUMENT), Repeatability)
    with pytest.raises(DataError, match="gait repeatability data error") as refused:
        parse_repeatability(changed(path, value))
    assert words in refused.value.message


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(DataError, match="expected a mapping"):
        parse_repeatability(["cadence", 1.65])


def metric(key: str, unit: str, median: float) -> MetricSummary:
    return MetricSummary(
        key=key,
        label=key,
        unit=unit,
        median=median,
        spread=None,
        left=None,
        right=None,
        asymmetry=None,
        asymmetry_unit=unit,
        steps=20,
    )


def summary(cadence: float, *metrics: MetricSummary) -> GaitSummary:
    return GaitSummary(
        source="clip.mp4",
        analysed_on=dt.date(2026, 1, 5),
        view=View.side,
        fps=60.0,
        duration_s=12.0,
        frames=720,
        found_share=1.0,
        swaps_fixed=0,
        cadence_spm=cadence,
        steps=34,
        strides_left=17,
        strides_right=17,
        confidence=0.9,
        warnings=(),
        metrics=metrics,
        findings=(),
    )


def verdicts(before: GaitSummary, after: GaitSummary) -> dict[str, Verdict]:
    rows = compare(before, after, load_library(), parse_repeatability(DOCUMENT))
    return {r.key: r.verdict for r in rows}


def test_a_change_beyond_the_mdc_is_real_and_one_within_it_is_not() -> None:
    before = summary(160.0, metric("trunk_lean", "°", 4.0), metric("overstride", "% leg", 12.0))
    after = summary(161.5, metric("trunk_lean", "°", 6.0), metric("overstride", "% leg", 10.0))
    found = verdicts(before, after)
    assert found["cadence"] == Verdict.noise  # +1.5 against an MDC of 1.66
    assert found["trunk_lean"] == Verdict.real  # +2.0 against 1.77
    assert found["overstride"] == Verdict.noise  # −2.0 against 2.77
    further = summary(162.0, metric("trunk_lean", "°", 5.5), metric("overstride", "% leg", 9.0))
    found = verdicts(before, further)
    assert found["cadence"] == Verdict.real  # +2.0
    assert found["trunk_lean"] == Verdict.noise  # +1.5
    assert found["overstride"] == Verdict.real  # −3.0


def test_a_metric_without_a_measured_mdc_says_so() -> None:
    before = summary(160.0, metric("pelvic_drop", "°", 4.0), metric("trunk_lean", "% leg", 1.0))
    after = summary(160.0, metric("pelvic_drop", "°", 14.0), metric("trunk_lean", "% leg", 9.0))
    rows = compare(before, after, load_library(), parse_repeatability(DOCUMENT))
    found = {r.key: r for r in rows}
    assert found["pelvic_drop"].verdict == Verdict.unknown
    assert found["pelvic_drop"].meaningful is None and found["pelvic_drop"].error is None
    # measured in another unit: the figure does not apply
    assert found["trunk_lean"].verdict == Verdict.unknown
    shown = {row["key"]: row for row in comparison_json(rows)}
    assert shown["pelvic_drop"]["verdict"] == "no repeatability figure"
    assert shown["pelvic_drop"]["change"] == 10.0


def test_a_clips_own_step_noise_can_raise_the_bar_above_the_mdc() -> None:
    noisy = metric("trunk_lean", "°", 4.0).model_copy(update={"spread": 8.0, "steps": 10})
    after = noisy.model_copy(update={"median": 6.0})
    rows = compare(
        summary(160.0, noisy), summary(160.0, after), load_library(), parse_repeatability(DOCUMENT)
    )
    lean = next(r for r in rows if r.key == "trunk_lean")
    assert lean.mdc95 == 1.77 and lean.error is not None and lean.error > 2.0
    assert lean.verdict == Verdict.noise
