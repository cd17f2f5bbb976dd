from __future__ import annotations

from rich.console import Console

from glutecoach.domain.library import Library
from glutecoach.domain.planning.plan import Plan
from glutecoach.domain.screening.findings import Screening
from glutecoach.reports import (
    render_exercise,
    render_exercise_table,
    render_plan,
    render_screening,
)


def _console() -> Console:
    return Console(record=True, width=120)


def _flat(console: Console) -> str:
    """The printed text with line breaks and padding collapsed, so wrapped phrases still match."""
    return " ".join(console.export_text(clear=False).split())


def test_the_plan_header_shows_runner_dates_race_strength_days_findings_and_notes(
    plan: Plan,
) -> None:
    console = _console()
    render_plan(plan, console)
    text = _flat(console)
    assert "Glute plan for Ana" in text
    assert "3 Mar 2025 – 16 Mar 2025 (2 weeks)" in text
    assert "Spring 10K, 10 km on 15 Mar 2025" in text
    assert "Strength days: Monday, Friday" in text
    assert "Weak hip abductors / poor pelvic control (moderate, left)" in text
    assert "Strength days kept two days away from the long run." in text


def test_the_plan_shows_its_referral_before_anything_else(plan: Plan) -> None:
    console = _console()
    render_plan(plan, console)
    text = _flat(console)
    referral = text.index("See a clinician about the sharp pain at the front of your right knee.")
    assert referral < text.index("Glute plan for Ana") < text.index("Week 1")


def test_the_plan_has_a_table_per_week_with_phase_kind_doses_and_the_cue(plan: Plan) -> None:
    console = _console()
    render_plan(plan, console)
    text = _flat(console)
    assert "Week 1 · foundation phase · build · 100% volume" in text
    assert "Week 2 · foundation phase · deload · 60% volume" in text
    assert "Clamshell: 2 × 15–20 reps per side, tempo 1-1-2, rest 30 s" in text
    assert "Single-leg bridge: 3 × 8–12 reps per side (+1 set left), rest 60 s" in text
    assert "Single-leg bridge: 2 × 8–12 reps per side (+1 set left), rest 60 s" in text
    assert "Cue: Take quicker, lighter steps" in text
    assert "Sat 15 Mar race" in text
    assert "Volume down to let the body absorb the work." in text


def test_the_plan_shows_reasons_cut_to_their_first_sentence() -> None:
    from glutecoach.reports._text import short

    assert short("Keeps the pelvis level. More detail follows here.") == "Keeps the pelvis level"
    cut = short("word " * 40, limit=30)
    assert cut.endswith("…")
    assert len(cut) <= 30


def test_the_screening_shows_the_referral_message_first_in_its_own_panel(
    screening: Screening, small_library: Library
) -> None:
    console = _console()
    render_screening(screening, small_library, console)
    text = _flat(console)
    message = "Sharp, worsening pain at the front of the right knee: see a clinician."
    assert "See a clinician" in text
    assert message in text
    assert "red flags: sharp, worsening" in text
    assert text.index(message) < text.index("Weak hip abductors")


def test_the_screening_shows_findings_with_severity_side_citations_and_exercises(
    screening: Screening, small_library: Library
) -> None:
    console = _console()
    render_screening(screening, small_library, console)
    text = _flat(console)
    assert "Weak hip abductors / poor pelvic control moderate, left side" in text
    cited = "; ".join(small_library.source(s).short() for s in ("distefano_2009", "selkowitz_2013"))
    assert f"Left side plank held 30 s, below the 46 s cut. [{cited}]" in text
    assert "The hip drops when running, as you noticed." in text
    assert "Addressed by: Clamshell; Side plank" in text


def test_the_screening_shows_each_asymmetry(screening: Screening, small_library: Library) -> None:
    console = _console()
    render_screening(screening, small_library, console)
    text = _flat(console)
    assert "side plank 30 60 50 % left 10 %" in text


def test_the_exercise_table_shows_the_best_figure_with_its_source_or_a_dash(
    small_library: Library,
) -> None:
    console = _console()
    exercises = small_library.select(sort="name")
    render_exercise_table(exercises, console, sources=small_library.sources)
    lines = console.export_text(clear=False).splitlines()
    # Each row is the name (with the figures) over the id (with the sources).
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("clamshell "))
    clam = lines[at - 1]
    assert "activation" in clam
    assert "40 %" in clam
    assert "34 %" in clam
    assert small_library.source("distefano_2009").short() in lines[at]
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("glute_bridge"))
    assert lines[at - 1].count("—") == 2
    for exercise in exercises:
        assert exercise.id in console.export_text(clear=False)


def test_the_exercise_table_names_the_source_id_when_no_sources_are_given(
    small_library: Library,
) -> None:
    console = _console()
    render_exercise_table([small_library.exercise("clamshell")], console)
    assert "distefano_2009" in _flat(console)


def test_one_exercise_shows_everything_with_full_citations(small_library: Library) -> None:
    console = _console()
    render_exercise(small_library.exercise("clamshell"), small_library, console)
    text = _flat(console)
    for expected in (
        "Dosage: 2 × 15–20 reps per side, tempo 1-1-2, rest 30 s, harder step at 25 reps",
        "Keep the heels touching and open the top knee like a book.",
        "Where to feel it: In the side and back of the top hip",
        "The pelvis rolls backwards as the knee opens.",
        "Put your back against a wall.",
        "side of thigh: That is the TFL taking over",
        "Pain on the outside of the hip when lying on it.",
        "Easier: —",
        "Harder: Banded clamshell (banded_clamshell)",
        "glute med: 40 %MVIC (mean) — clam, hip flexed ~30°",
        "gluteal-to-TFL index 115",
        "DiStefano LJ, Blackburn JT, Marshall SW, Padua DA (2009). Gluteal muscle activation",
        "Selkowitz DM, Beneck GJ, Powers CM (2013). J Orthop Sports Phys Ther 43(2):54-64.",
    ):
        assert expected in text


def test_an_exercise_without_figures_shows_why_and_its_easier_step(small_library: Library) -> None:
    console = _console()
    render_exercise(small_library.exercise("single_leg_bridge"), small_library, console)
    text = _flat(console)
    assert "Easier: Glute bridge (glute_bridge)" in text
    assert "No published figure in this test library." in text


def test_markup_in_the_data_is_printed_literally(small_library: Library) -> None:
    clamshell = small_library.exercise("clamshell")
    odd = clamshell.model_copy(update={"name": "Clam [bold]shell[/bold]"})
    console = _console()
    render_exercise_table([odd], console)
    render_exercise(odd, small_library, console)
    assert _flat(console).count("[bold]shell[/bold]") == 2


def test_every_exercise_of_the_packaged_library_renders(library: Library) -> None:
    console = _console()
    render_exercise_table(library.select(), console, sources=library.sources)
    for exercise in library.exercises.values():
        render_exercise(exercise, library, console)
    text = console.export_text()
    assert all(f"{e.name}  {e.id}" in text for e in library.exercises.values())


def test_a_figure_measured_under_load_says_so(small_library: Library) -> None:
    clamshell = small_library.exercise("clamshell")
    loaded = clamshell.emg[0].model_copy(update={"load": "loaded"})
    console = _console()
    render_exercise(clamshell.model_copy(update={"emg": (loaded,)}), small_library, console)
    assert "glute med: 40 %MVIC (mean), with external load" in _flat(console)
