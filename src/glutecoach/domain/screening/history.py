"""What run files add to a screening: a recent spike in running distance, and a growing
left/right imbalance in ground contact time. Both become findings like any other sign."""

from __future__ import annotations

from dataclasses import dataclass

from glutecoach.domain.library.library import Library
from glutecoach.domain.screening.findings import Finding, FindingKind, Reason, Screening
from glutecoach.domain.screening.rules import finding_of


@dataclass(frozen=True)
class RunHistorySigns:
    spike: str | None = None  # e.g. "Weekly running rose 42 % (26 → 37 km) in the week of ..."
    spike_source: str | None = None
    imbalance: str | None = None  # Imbalance.describe()


def with_history(screening: Screening, signs: RunHistorySigns, library: Library) -> Screening:
    """The screening with the run files' signs added to its findings (new or merged)."""
    return with_signs(screening, history_reasons(signs), library)


def history_reasons(signs: RunHistorySigns) -> list[tuple[FindingKind, Reason]]:
    added: list[tuple[FindingKind, Reason]] = []
    if signs.spike:
        sources = (signs.spike_source,) if signs.spike_source else ()
        added.append((FindingKind.running_load_spike, Reason(text=signs.spike, sources=sources)))
    if signs.imbalance:
        text = f"From your run files: {signs.imbalance}"
        added.append((FindingKind.contact_time_imbalance, Reason(text=text, kind="asymmetry")))
    return added


def with_signs(
    screening: Screening, added: list[tuple[FindingKind, Reason]], library: Library
) -> Screening:
    """The screening with more reasons (from run files, a gait video) merged into its findings;
    the same reason never twice."""
    if not added:
        return screening
    reasons: dict[FindingKind, list[Reason]] = {f.kind: list(f.reasons) for f in screening.findings}
    for kind, reason in added:
        if reason not in reasons.setdefault(kind, []):
            reasons[kind].append(reason)
    excluded = frozenset(screening.excluded_areas)
    findings: list[Finding] = [
        finding_of(kind, reasons[kind], library, excluded)
        for kind in FindingKind
        if kind in reasons
    ]
    return screening.model_copy(update={"findings": tuple(findings)})
