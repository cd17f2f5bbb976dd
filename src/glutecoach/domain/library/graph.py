"""The progression graph: harder steps point forward; regressions are the same edges reversed."""

from __future__ import annotations

from collections.abc import Mapping

from glutecoach.domain.errors import DataError
from glutecoach.domain.library.models import Exercise


def edges(exercises: Mapping[str, Exercise]) -> set[tuple[str, str]]:
    """Every (easier, harder) pair named by either side's progressions or regressions."""
    pairs: set[tuple[str, str]] = set()
    for exercise in exercises.values():
        pairs.update((exercise.id, harder) for harder in exercise.progressions)
        pairs.update((easier, exercise.id) for easier in exercise.regressions)
    return pairs


def check_graph(exercises: Mapping[str, Exercise], origin: Mapping[str, str]) -> None:
    """Fail the data when a step points at nothing or the steps go round in a circle."""
    for exercise in exercises.values():
        for field in ("progressions", "regressions"):
            for target in getattr(exercise, field):
                if target not in exercises:
                    raise DataError(
                        f"library data error in {origin.get(exercise.id, '?')}, exercise "
                        f"'{exercise.id}', field '{field}': '{target}' is not an exercise"
                    )
    cycle = find_cycle(edges(exercises))
    if cycle:
        raise DataError(
            "library data error: the progression graph has a cycle: " + " → ".join(cycle)
        )


def find_cycle(pairs: set[tuple[str, str]]) -> list[str]:
    """A cycle in the directed graph as a path that returns to its start, or [] when acyclic."""
    forward: dict[str, list[str]] = {}
    for easier, harder in sorted(pairs):
        forward.setdefault(easier, []).append(harder)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in forward.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(forward):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def families(exercises: Mapping[str, Exercise]) -> dict[str, str]:
    """Each exercise's family: the easiest-sorted id of its connected part of the graph.

    A session takes at most one exercise per family, so it never prescribes a clamshell and a banded
    clamshell together.
    """
    parent = {exercise_id: exercise_id for exercise_id in exercises}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for easier, harder in edges(exercises):
        a, b = root(easier), root(harder)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {exercise_id: root(exercise_id) for exercise_id in exercises}


def depth(exercises: Mapping[str, Exercise]) -> dict[str, int]:
    """How many steps lie below each exercise on its longest easier path (0 = an entry point)."""
    below: dict[str, list[str]] = {exercise_id: [] for exercise_id in exercises}
    for easier, harder in edges(exercises):
        below[harder].append(easier)
    memo: dict[str, int] = {}

    def level(node: str) -> int:
        if node not in memo:
            memo[node] = max((level(e) + 1 for e in below[node]), default=0)
        return memo[node]

    return {exercise_id: level(exercise_id) for exercise_id in exercises}
