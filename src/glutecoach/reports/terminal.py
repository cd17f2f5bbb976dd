"""Rich renderings for the terminal: the plan, a screening, the exercise list and one exercise.

Every piece of data goes in as `Text`, never as markup, so a `[` in a cue cannot turn into a style.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from glutecoach.domain.library.library import Library
from glutecoach.domain.library.models import Exercise, Source
from glutecoach.domain.planning.plan import Day, Plan, RunKind, Session, Week
from glutecoach.domain.screening.findings import Finding, Referral, Screening
from glutecoach.reports._text import (
    RUN_LABELS,
    date_span,
    dosage_text,
    emg_text,
    full_dose,
    long_date,
    race_text,
    says_the_cue,
    session_heading,
    short,
    side_text,
    source_citation,
    source_short,
    weekdays_text,
    words,
)

SEVERITY_STYLES = {"mild": "yellow", "moderate": "dark_orange", "marked": "bold red"}
NONE = "—"


def _bullets(items: list[str] | tuple[str, ...], style: str = "") -> Text:
    return Text("\n").join(Text(f"• {item}", style=style) for item in items)


def _field(label: str, value: str) -> Text:
    return Text.assemble((f"{label}: ", "bold"), value)


# --- the plan --------------------------------------------------------------------------------


def _plan_header(plan: Plan) -> RenderableType:
    lines: list[RenderableType] = [
        _field("Dates", date_span(plan)),
        _field("Race", race_text(plan.race)),
        _field("Strength days", weekdays_text(plan)),
    ]
    if plan.findings:
        lines.append(Text("Findings", style="bold"))
        for f in plan.findings:
            side = f", {side_text(f.side)}" if f.side else ""
            lines.append(
                Text.assemble(
                    "• ",
                    (f.title, "bold"),
                    (f" ({f.severity}{side})", SEVERITY_STYLES.get(f.severity, "")),
                    f" — {f.summary}",
                )
            )
    if plan.notes:
        lines.append(Text("Notes", style="bold"))
        lines.append(_bullets(plan.notes, style="dim"))
    return Panel(Group(*lines), title=Text(f"Glute plan for {plan.runner}"), box=box.ROUNDED)


def _referral_panel(messages: list[Text]) -> Panel:
    return Panel(
        Text("\n").join(messages),
        title=Text("See a clinician", style="bold red"),
        border_style="red",
        box=box.HEAVY,
    )


def _session_text(session: Session) -> Text:
    text = Text(session_heading(session), style="bold")
    if not says_the_cue(session):
        text.append(f"\n  {short(session.reason)}", style="dim")
    for p in session.prescriptions:
        text.append(f"\n  {p.name}: ")
        text.append(full_dose(p), style="cyan")
        text.append(f"\n    {short(p.reason, 70)}", style="dim")
    if session.cue is not None:
        text.append("\n  Cue: ", style="bold magenta")
        text.append(session.cue.cue, style="italic")
        text.append(f"\n    {short(session.cue.why, 70)}", style="dim")
    return text


def _day_row(day: Day) -> tuple[Text, Text, Text]:
    label = Text(f"{day.weekday.label[:3]} {day.date.day} {day.date:%b}")
    run = Text(RUN_LABELS[day.run], style="dim" if day.run == RunKind.rest else "green")
    sessions = Text("\n\n").join(_session_text(s) for s in day.sessions) or Text(NONE)
    return label, run, sessions


def _week_table(week: Week) -> Table:
    title = (
        f"Week {week.number} · {week.phase.value} phase · {week.kind.value}"
        f" · {week.volume_factor:.0%} volume"
    )
    table = Table(title=Text(title, style="bold"), box=box.SIMPLE_HEAVY, expand=True)
    table.add_column("Day", no_wrap=True)
    table.add_column("Run", no_wrap=True)
    table.add_column("Sessions")
    for day in week.days:
        table.add_row(*_day_row(day))
    if week.notes:
        table.caption = "; ".join(week.notes)
    return table


def render_plan(plan: Plan, console: Console) -> None:
    if plan.referrals:
        # Referrals come before anything else: a runner must not read past them to the exercises.
        console.print(_referral_panel([Text(m, style="bold red") for m in plan.referrals]))
    console.print(_plan_header(plan))
    for week in plan.weeks:
        console.print(_week_table(week))


# --- screening -------------------------------------------------------------------------------


def _referral_text(referral: Referral) -> Text:
    where = f"{referral.area.value.replace('_', ' ')} ({referral.side.value})"
    text = Text.assemble((where + ": ", "bold red"), (referral.message, "bold red"))
    if referral.red_flags:
        text.append(f"\n  red flags: {', '.join(referral.red_flags)}", style="red")
    return text


def _finding_text(finding: Finding, library: Library) -> Text:
    text = Text(finding.title, style="bold")
    text.append(f"  {finding.severity}", style=SEVERITY_STYLES.get(finding.severity, ""))
    if finding.side:
        text.append(f", {side_text(finding.side)} side")
    for reason in finding.reasons:
        text.append(f"\n  • {reason.text}")
        if reason.sources:
            cited = "; ".join(source_short(library, s) for s in reason.sources)
            text.append(f" [{cited}]", style="dim")
    if finding.exercises:
        names = [
            library.exercises[e].name if e in library.exercises else e for e in finding.exercises
        ]
        text.append("\n  Addressed by: ", style="bold")
        # Semicolons: exercise names themselves contain commas ("Clamshell, Hips Straight").
        text.append("; ".join(names), style="cyan")
    return text


def render_screening(screening: Screening, library: Library, console: Console) -> None:
    console.print(Text(f"Screening of {long_date(screening.screened_on)}", style="bold underline"))
    if screening.referrals:
        console.print(_referral_panel([_referral_text(r) for r in screening.referrals]))
    if screening.blocks_programme:
        console.print(Text("No glute programme until a clinician has seen you.", style="bold red"))
    if screening.excluded_areas:
        console.print(_field("Left out (red flags)", words(screening.excluded_areas)))
    console.print(Text("Findings", style="bold"))
    if not screening.findings:
        console.print(Text("No signs of gluteal under-use found.", style="green"))
    for finding in screening.findings:
        console.print(_finding_text(finding, library))
    if screening.asymmetries:
        table = Table(title=Text("Asymmetries", style="bold"), box=box.SIMPLE)
        for column in ("test", "left", "right", "difference", "weaker", "threshold"):
            table.add_column(column, justify="left" if column == "test" else "right")
        for a in screening.asymmetries:
            table.add_row(
                Text(a.test.replace("_", " ")),
                f"{a.left:g}",
                f"{a.right:g}",
                f"{a.difference_pct:.0f} %",
                a.weaker.value,
                f"{a.threshold_pct:g} %",
            )
        console.print(table)


# --- exercises -------------------------------------------------------------------------------


def _best(exercise: Exercise, muscle: str, sources: Mapping[str, Source] | None) -> Text:
    figure = exercise.best_emg(muscle)
    if figure is None:
        return Text(NONE, style="dim")
    known = sources.get(figure.source) if sources is not None else None
    cited = known.short() if known else figure.source
    # The source goes on its own line so the numbers stay aligned in a narrow terminal.
    return Text.assemble(f"{figure.representative_pct:g} %\n", (cited, "dim"))


def render_exercise_table(
    exercises: list[Exercise],
    console: Console,
    *,
    sources: Mapping[str, Source] | None = None,
) -> None:
    """`sources` (usually `library.sources`) turns each EMG figure's source id into a short name."""
    table = Table(box=box.SIMPLE_HEAVY)
    # Name and id share a column (the id is what the other commands take) so the evidence columns
    # keep room for a figure and its source on a terminal of 80-100 columns.
    table.add_column("exercise (id)", overflow="fold")
    table.add_column("category")
    table.add_column("primary muscles")
    table.add_column("needs")
    table.add_column("lvl", justify="right", no_wrap=True)
    table.add_column("glute med\n%MVIC", justify="right", max_width=16)
    table.add_column("glute max\n%MVIC", justify="right", max_width=16)
    for e in exercises:
        table.add_row(
            Text.assemble((e.name, "bold"), "\n", (e.id, "dim")),
            e.category.value.replace("_", " "),
            words(e.primary_muscles),
            words(e.equipment),
            str(e.difficulty),
            _best(e, "glute_med", sources),
            _best(e, "glute_max", sources),
        )
    console.print(table)


def _steps(label: str, exercises: list[Exercise]) -> Text:
    names = ", ".join(f"{e.name} ({e.id})" for e in exercises) or NONE
    return _field(label, names)


def _evidence(exercise: Exercise, library: Library) -> list[RenderableType]:
    parts: list[RenderableType] = [Text("Evidence", style="bold")]
    for figure in exercise.emg:
        parts.append(
            Text.assemble(
                f"• {emg_text(figure)} — {figure.condition} ",
                (f"[{source_short(library, figure.source)}, {figure.status.value}]", "dim"),
            )
        )
    for gta in exercise.gta:
        condition = f" — {gta.condition}" if gta.condition else ""
        parts.append(
            Text.assemble(
                f"• gluteal-to-TFL index {gta.index:g}{condition} ",
                (f"[{source_short(library, gta.source)}, {gta.status.value}]", "dim"),
            )
        )
    if exercise.evidence_note:
        parts.append(Text(exercise.evidence_note, style="italic"))
    cited = sorted({f.source for f in exercise.emg} | {g.source for g in exercise.gta})
    if cited:
        parts.append(Text("Sources", style="bold"))
        parts.append(_bullets([source_citation(library, s) for s in cited], style="dim"))
    return parts


def render_exercise(exercise: Exercise, library: Library, console: Console) -> None:
    body: list[RenderableType] = [
        _field(
            "Category", f"{exercise.category.value.replace('_', ' ')}, level {exercise.difficulty}"
        ),
        _field("Position", exercise.position.value.replace("_", " ")),
        _field("Muscles", words(exercise.primary_muscles)),
        _field("Also", words(exercise.secondary_muscles)),
        _field("Equipment", words(exercise.equipment)),
        _field("Dosage", dosage_text(exercise.dosage, exercise.per_side)),
    ]
    if exercise.dosage.basis:
        body.append(Text(f"  {exercise.dosage.basis}", style="dim"))
    if exercise.aliases:
        body.append(_field("Also called", ", ".join(exercise.aliases)))
    body += [Text("Setup", style="bold"), _bullets(exercise.setup)]
    body += [Text("Cues", style="bold"), _bullets(exercise.cues, style="cyan")]
    body.append(_field("Where to feel it", exercise.feel_it))
    if exercise.faults:
        faults = Table(box=box.SIMPLE, show_edge=False, expand=True)
        faults.add_column("Fault")
        faults.add_column("Fix")
        for f in exercise.faults:
            faults.add_row(Text(f.fault), Text(f.fix))
        body.append(faults)
    if exercise.felt_elsewhere:
        body.append(Text("Felt it somewhere else?", style="bold"))
        for area, advice in exercise.felt_elsewhere.items():
            body.append(Text.assemble((f"• {area.value.replace('_', ' ')}: ", "bold"), advice))
    if exercise.avoid_when:
        body += [Text("Avoid when", style="bold red"), _bullets(exercise.avoid_when)]
    body.append(_steps("Easier", library.easier(exercise.id)))
    body.append(_steps("Harder", library.harder(exercise.id)))
    body += _evidence(exercise, library)
    title = Text.assemble((exercise.name, "bold"), (f"  {exercise.id}", "dim"))
    console.print(Panel(Group(*body), title=title, title_align="left", box=box.ROUNDED))
