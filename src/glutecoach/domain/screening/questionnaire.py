"""The questions and test instructions, as data, so every interface asks them the same way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    field: str  # the Answers field it fills
    prompt: str


SIGNS: tuple[Question, ...] = (
    Question("hip_drop_seen", "Has anyone seen (or a video shown) one hip drop as you run?"),
    Question("quads_sorer_than_glutes", "After runs, are your quads sorer than your glutes?"),
    Question("sitting_in_stride", 'Do you feel you "sit down" into your stride?'),
    Question("low_push_off", "Does your push-off feel weak, especially uphill or when tired?"),
    Question("low_back_tightness", "Does your low back get tight during or after runs?"),
    Question("hamstring_tightness", "Do your hamstrings feel tight during or after runs?"),
    Question("hamstring_strain_history", "Have you strained a hamstring in the past?"),
    Question("current_injury", "Are you injured right now (running less or not at all)?"),
)

RED_FLAG_QUESTIONS: tuple[Question, ...] = (
    Question("sharp", "Is the pain sharp?"),
    Question("worsening", "Is it getting worse from week to week?"),
    Question("at_night_or_rest", "Is it there at night or at rest?"),
    Question("swelling", "Is there swelling?"),
    Question("numbness_or_tingling", "Any numbness or tingling?"),
    Question("limp", "Does it make you limp?"),
)

PAIN_AREA_PROMPTS: dict[str, str] = {
    "knee_front": "front of the knee (around or behind the kneecap)",
    "knee_outside": "outside of the knee",
    "hip": "hip or buttock",
    "groin": "groin",
    "low_back": "low back",
    "hamstring": "back of the thigh",
    "shin": "shin",
    "calf_achilles": "calf or Achilles",
    "heel_foot": "heel or foot",
    "other": "somewhere else",
}


@dataclass(frozen=True)
class TestInstructions:
    id: str
    name: str
    how: str
    record: str


TESTS: tuple[TestInstructions, ...] = (
    TestInstructions(
        "side_plank_s",
        "Side-plank hold",
        "Lie on your side, forearm under the shoulder, feet stacked. Lift the hips so the body is "
        "straight from head to feet and hold until the hips sag or you have to stop. Rest, then "
        "the other side.",
        "Seconds held on each side (the side you lie on).",
    ),
    TestInstructions(
        "single_leg_bridge_reps",
        "Single-leg bridge",
        "Lie on your back, one heel on a box or sofa about knee height (about 60 cm), the other "
        "leg straight up, arms crossed on the chest. Push through the heel to lift the hips and "
        "lower to touch the floor. Repeat until you cannot keep the form.",
        "Repetitions on each side.",
    ),
    TestInstructions(
        "single_leg_squat",
        "Single-leg squat",
        "Stand on one leg facing a mirror or a phone camera, arms crossed. Do five slow squats "
        "(about 2 seconds down, 2 up) as deep as is comfortable.",
        "For each side: did the knee cave inwards, the pelvis drop on the free-leg side, the trunk "
        "lean sideways?",
    ),
    TestInstructions(
        "clamshell_felt",
        "Where did you feel the clamshell?",
        "Lie on your side, hips and knees bent, heels together. Open the top knee like a book "
        "15 times without rolling the pelvis back.",
        "Where you felt it working: glutes, side of the thigh, front of the hip, low back, "
        "or nothing.",
    ),
)
