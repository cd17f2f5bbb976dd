"""Which exercises go into each kind of session, ranked by the findings and the evidence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from glutecoach.domain.library import Library, activation_score
from glutecoach.domain.library.models import BodyArea, Category, Equipment, Exercise, Quality
from glutecoach.domain.planning.plan import Phase
from glutecoach.domain.planning.profile import Experience
from glutecoach.domain.screening.findings import QUALITIES, Finding

SEVERITY_WEIGHT = {"mild": 1.0, "moderate": 2.0, "marked": 3.0}
# The two jobs every glute programme keeps, whatever the screening found.
CORE_QUALITIES = (Quality.hip_abduction, Quality.hip_extension)

# Hardest step allowed on the progression graph, by phase and experience.
DIFFICULTY_CAP: dict[Phase, dict[Experience, int]] = {
    Phase.foundation: {Experience.beginner: 2, Experience.intermediate: 2, Experience.advanced: 3},
    Phase.strength: {Experience.beginner: 3, Experience.intermediate: 3, Experience.advanced: 4},
    Phase.integration: {Experience.beginner: 3, Experience.intermediate: 4, Experience.advanced: 5},
}
STRENGTH_CATEGORIES: dict[Phase, frozenset[Category]] = {
    Phase.foundation: frozenset({Category.activation, Category.strength}),
    Phase.strength: frozenset({Category.activation, Category.strength}),
    Phase.integration: frozenset({Category.strength, Category.power, Category.drill}),
}
ACTIVATION_CAP = {Phase.foundation: 2, Phase.strength: 2, Phase.integration: 3}


@dataclass(frozen=True)
class Selector:
    library: Library
    findings: tuple[Finding, ...]
    equipment: frozenset[Equipment]
    excluded: frozenset[BodyArea]
    experience: Experience
    weights: dict[Quality, float] = field(init=False)

    def __post_init__(self) -> None:
        weights = dict.fromkeys(CORE_QUALITIES, 1.0)
        for finding in self.findings:
            for quality in QUALITIES[finding.kind]:
                weights[quality] = weights.get(quality, 0.0) + SEVERITY_WEIGHT[finding.severity]
        object.__setattr__(self, "weights", weights)

    def usable(self, exercise: Exercise) -> bool:
        return set(exercise.equipment) <= self.equipment and not set(exercise.loads) & self.excluded

    def score(self, exercise: Exercise) -> float:
        relevance = sum(self.weights.get(q, 0.0) for q in exercise.trains)
        return relevance + max(activation_score(exercise), 0.0) / 1000

    def finding_for(self, exercise: Exercise) -> Finding | None:
        """The finding this exercise answers best: its main quality first, then the most severe."""
        matches = [f for f in self.findings if set(QUALITIES[f.kind]) & set(exercise.trains)]
        main = exercise.trains[0]
        return max(
            matches,
            key=lambda f: (main in QUALITIES[f.kind], SEVERITY_WEIGHT[f.severity]),
            default=None,
        )

    def _one_per_family(self, pool: Iterable[Exercise], cap: int) -> list[Exercise]:
        """Per family (and drills apart), the hardest usable step at or under the cap."""
        best: dict[tuple[str, bool], Exercise] = {}
        for exercise in pool:
            if exercise.difficulty > cap or not self.usable(exercise):
                continue
            key = (self.library.family[exercise.id], exercise.category == Category.drill)
            held = best.get(key)
            rank = (exercise.difficulty, self.score(exercise), exercise.id)
            if held is None or rank > (held.difficulty, self.score(held), held.id):
                best[key] = exercise
        return sorted(best.values(), key=lambda e: (-self.score(e), e.id))

    def _covering_first(self, ranked: list[Exercise]) -> list[Exercise]:
        """The best exercise for each core quality leads, so both glutes are always trained."""
        lead: list[Exercise] = []
        for quality in CORE_QUALITIES:
            hit = next((e for e in ranked if quality in e.trains and e not in lead), None)
            if hit is not None:
                lead.append(hit)
        return lead + [e for e in ranked if e not in lead]

    def activation(self, phase: Phase) -> list[Exercise]:
        pool = (e for e in self.library.exercises.values() if e.category == Category.activation)
        return self._covering_first(self._one_per_family(pool, ACTIVATION_CAP[phase]))

    def strength(self, phase: Phase) -> list[Exercise]:
        categories = STRENGTH_CATEGORIES[phase]
        pool = (e for e in self.library.exercises.values() if e.category in categories)
        ranked = self._one_per_family(pool, DIFFICULTY_CAP[phase][self.experience])
        ordered = self._covering_first([e for e in ranked if e.category != Category.drill])
        drills = [e for e in ranked if e.category == Category.drill]
        if drills:
            # Integration keeps at least one gait-specific drill, second in line.
            ordered.insert(min(2, len(ordered)), drills[0])
            ordered += drills[1:]
        return ordered

    def warm_up(self) -> list[Exercise]:
        return [
            e
            for e in self.library.exercises.values()
            if e.category == Category.warm_up and self.usable(e)
        ]

    def foam_rolling(self) -> list[Exercise]:
        return [
            e
            for e in self.library.exercises.values()
            if Equipment.foam_roller in e.equipment
            and e.category == Category.recovery
            and self.usable(e)
        ]

    def stretches(self) -> list[Exercise]:
        pool = [
            e
            for e in self.library.exercises.values()
            if e.category in (Category.mobility, Category.recovery)
            and Equipment.foam_roller not in e.equipment
            and self.usable(e)
        ]
        return sorted(pool, key=lambda e: (-self.score(e), e.id))
