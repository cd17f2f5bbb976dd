"""Key frames a clinician would print (reports/key_frames.py): at least 480 px wide, the angle
drawn where each metric is read, and no frame of a leg the view did not measure."""

from __future__ import annotations

import base64

import cv2
import numpy as np

from glutecoach.domain.gait.analysis import analyse
from glutecoach.domain.gait.pose import View
from glutecoach.reports.key_frames import ANGLE_COLOUR, MIN_WIDTH, key_frames, key_moments
from tests.gaitsynth import synthetic_run


def _decoded(data_url: str) -> np.ndarray:
    raw = base64.b64decode(data_url.split(",", 1)[1])
    image = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image


def _angle_pixels(image: np.ndarray) -> int:
    close = np.all(np.abs(image.astype(int) - np.array(ANGLE_COLOUR)) <= 40, axis=2)
    return int(close.sum())


def test_side_view_frames_show_the_near_legs_angles_at_least_480_px_wide() -> None:
    run = synthetic_run(view=View.side, facing=1, width=360, height=640, seed=1)
    analysis = analyse(run.pose, View.side, 60.0)
    moments = key_moments(analysis)
    assert {m.side for m in moments} == {"right"}  # facing image-right: the left leg is behind
    assert [m.moment for m in moments] == ["foot strike", "midstance", "toe-off"]
    blank = np.full((run.pose.height, run.pose.width, 3), 40, np.uint8)
    frames = key_frames(analysis, [(m, blank) for m in moments])
    assert len(frames) == 3
    for frame, words in zip(frames, ("knee", "trunk", "hip"), strict=True):
        assert frame.width >= MIN_WIDTH
        assert words in frame.title and "deg" in frame.title
        image = _decoded(frame.image)
        assert image.shape[1] == frame.width
        assert _angle_pixels(image) > 200  # the lines and the arc are drawn


def test_rear_view_frames_show_the_pelvis_for_each_stance_leg() -> None:
    run = synthetic_run(view=View.rear, pelvic_drop_deg=(9.0, 3.0), seed=2)
    analysis = analyse(run.pose, View.rear, 60.0)
    moments = key_moments(analysis)
    assert [(m.side, m.moment) for m in moments] == [("left", "midstance"), ("right", "midstance")]
    blank = np.full((run.pose.height, run.pose.width, 3), 40, np.uint8)
    frames = key_frames(analysis, [(m, blank) for m in moments])
    assert "pelvis" in frames[0].title and "knee" in frames[0].title
    left_drop = int(frames[0].title.split("pelvis ")[1].split(" ")[0])
    assert abs(left_drop - 9) <= 2  # read at the midstance frame, not the peak
    assert all(f.width >= MIN_WIDTH for f in frames)


def test_a_frame_the_clip_lacked_is_left_out() -> None:
    run = synthetic_run(view=View.side, seed=3)
    analysis = analyse(run.pose, View.side, 60.0)
    moments = key_moments(analysis)
    assert key_frames(analysis, [(m, None) for m in moments]) == []
