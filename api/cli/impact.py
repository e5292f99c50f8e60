"""``impact``: what is hit if a supplier or dataset fails, or a person or role is gone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimsgraph.api.cli.base import (
    AsOfOption,
    FormatOption,
    app,
    as_of_date,
    open_store,
    queries_for,
    reported_run,
)
from aimsgraph.api.output import Format, emit
from aimsgraph.graph.questions.kinds import IMPACT_KINDS

if TYPE_CHECKING:  # imported when the command runs, not at start-up
    from aimsgraph.graph.questions.results import ImpactModel


@app.command("impact")
def impact_command(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(IMPACT_KINDS)}.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The supplier, dataset, person or "
                                                           "role id.")],
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What is hit if a supplier or dataset fails, or a person or role is gone on the date:
    the AI systems (high-tier first), their risks and controls, what loses its owner or
    executive, the roles left vacant, the checks that fail on what is hit (and which the
    departure starts), and the executives who answer."""
    day = as_of_date(as_of)

    def action() -> ImpactModel:
        with open_store() as store, queries_for(store) as queries:
            return queries.impact(kind, node, day)
    data = reported_run(action, fmt)
    emit(fmt, data.to_json(), ["hit", "type", "id", "name", "how"], impact_rows(data),
         impact_title(data))


def impact_title(data: ImpactModel) -> str:
    """One line: what fails or leaves, and how much it hits."""
    event = ("fails" if data.kind in ("supplier", "dataset") else
             "leaves" if data.kind == "person" else "stands vacant")
    high = sum(1 for s in data.systems if s.risk_tier in ("high", "unacceptable"))
    starts = sum(1 for c in data.checks if c.starts)
    return (f"if {data.kind} {data.subject.id} ({data.subject.name}) {event} on {data.as_of}: "
            f"{len(data.systems)} AI systems hit ({high} high-tier), {len(data.risks)} risks, "
            f"{len(data.controls)} controls, {len(data.roles)} "
            f"role{'' if len(data.roles) == 1 else 's'} left vacant, "
            f"{starts} findings start")


def impact_rows(data: ImpactModel) -> list[list[Any]]:
    """A row per thing hit: systems first (high-tier first), then what each list holds."""
    rows: list[list[Any]] = [
        ["system", s.type, s.id, s.name, f"{s.risk_tier or '-'} tier; " + "; ".join(s.via)]
        for s in data.systems]
    lost = {(w.item.type, w.item.id): ", ".join(w.loses) for w in data.loses}
    for hit, refs in (("dataset", data.datasets), ("supplier", data.suppliers),
                      ("risk", data.risks), ("control", data.controls),
                      ("policy", data.policies), ("vacant role", data.roles)):
        rows += [[hit, r.type, r.id, r.name, lost.get((r.type, r.id), "")] for r in refs]
    rows += [["loses", w.item.type, w.item.id, w.item.name,
              f"{', '.join(w.loses)}: {w.gap_after or '-'}"] for w in data.loses
             if w.item.type not in ("AISystem", "Dataset", "Supplier", "Risk", "Control",
                                    "Policy")]
    rows += [["finding" + (" (starts)" if c.starts else ""), c.subject.type, c.subject.id,
              c.subject.name, f"{c.check}: {c.reason}"] for c in data.checks]
    rows += [["executive", e.type, e.id, e.name, ""] for e in data.executives]
    return rows
