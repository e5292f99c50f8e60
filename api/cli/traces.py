"""Following the graph: ``trace`` (to the executive and around any node) and ``show``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from aimsgraph.api.output import (
    Format,
    emit,
    print_plain,
)
from aimsgraph.graph.questions.kinds import TRACE_KINDS

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    pass
from aimsgraph.api.cli.base import (
    AsOfOption,
    AsRecordedOption,
    FormatOption,
    app,
    as_of_date,
    open_store,
    queries_for,
    reported_run,
)


@app.command("trace")
def trace_command(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(TRACE_KINDS)}.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The item's id (or Type:id).")],
    to: Annotated[str | None, typer.Argument(metavar="TO",
                                             help="For path: the other end.")] = None,
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Trace an item: a control, risk or policy to its executive; a system, requirement or
    person with everything around it; everything an executive answers for; or the shortest
    path between two nodes."""
    day = as_of_date(as_of)

    def action() -> dict[str, Any]:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries:
            return queries.trace(kind, node, to, day)
    _print_trace(kind, reported_run(action, fmt), fmt)


def _refs(items: list[dict[str, Any]], extra: Callable[[dict[str, Any]], str] | None = None
          ) -> str:
    return "; ".join(i["id"] + (f" ({extra(i)})" if extra else "") for i in items) or "-"


def _print_trace(kind: str, data: dict[str, Any], fmt: Format) -> None:
    """A trace as JSON or CSV, or as the tables a person reads: the chain for owner traces,
    the items for an executive, the steps in order for a path, a summary (and the what-if
    departure) for systems and people, then the relationships with where each was read."""
    if "steps" in data or "items" in data:
        _print_chain_trace(data, fmt)
        return
    subject = f"{data['subject']['type']} {data['subject']['id']}"
    if fmt is Format.table and kind == "path":
        emit(fmt, data, ["step", "from", "relationship", "to", "source"], _path_rows(data),
             f"path from {subject} to {data['target']['type']} {data['target']['id']} "
             f"({_count(data['length'], 'step')})")
        return
    if fmt is Format.table and kind == "system":
        emit(fmt, None, ["", ""], _system_rows(data), f"{subject} ({data['subject']['name']})")
    if fmt is Format.table and kind == "person":
        emit(fmt, None, ["item", "name", "loses", "gap after departure"],
             [[f"{w['item']['type']} {w['item']['id']}", w["item"]["name"],
               ", ".join(w["loses"]), w["gap_after"] or "-"] for w in data["what_if_departure"]],
             f"if {data['subject']['name']} ({data['subject']['id']}) left on "
             f"{data['as_of']}: " + _count(len(data["what_if_departure"]), "item")
             + " would lose an owner or executive")
    if fmt is Format.table:
        emit(fmt, data, ["from", "relationship", "to", "source"],
             [[f"{r['from']['type']} {r['from']['id']}", r["type"],
               f"{r['to']['type']} {r['to']['id']}", r.get("source") or "-"]
              for r in data["relationships"]], f"{kind} trace of {subject}: relationships")
        return
    emit(fmt, data, ["from type", "from", "relationship", "to type", "to", "source"],
         [[r["from"]["type"], r["from"]["id"], r["type"], r["to"]["type"], r["to"]["id"],
           r.get("source") or ""] for r in data["relationships"]])


def _count(n: int, noun: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _path_rows(data: dict[str, Any]) -> list[list[Any]]:
    """A path's relationships in the order of the path, each with its direction."""
    by_pair = {((r["from"]["type"], r["from"]["id"]), (r["to"]["type"], r["to"]["id"])): r
               for r in data["relationships"]}
    rows = []
    path = [(n["type"], n["id"]) for n in data["path"]]
    for index, (a, b) in enumerate(zip(path, path[1:], strict=False), start=1):
        forward = by_pair.get((a, b))
        rel = forward or by_pair[(b, a)]
        arrow = f"-[{rel['type']}]->" if forward else f"<-[{rel['type']}]-"
        rows.append([index, f"{a[0]} {a[1]}", arrow, f"{b[0]} {b[1]}", rel.get("source") or "-"])
    return rows


def _system_rows(data: dict[str, Any]) -> list[list[Any]]:
    """What governs an AI system, a line per kind of thing."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        nodes.setdefault(node["type"], []).append(node)
    chain = data["executive_trace"]
    owners = data["accountable_owners"]
    executive = chain["executive"]
    return [
        ["accountable owner", "; ".join(f"{o['name']} ({o['id']})" for o in owners)
         or f"none: {chain['gap'] or 'no current holder'}"],
        ["responsible executive", f"{executive['name']} ({executive['id']})" if executive
         else f"none: {chain['gap']}"],
        ["risks", _refs(nodes.get("Risk", []), lambda r: f"score {r.get('score')}, "
                                                          f"{r.get('status')}")],
        ["controls", _refs(nodes.get("Control", []), lambda c: str(c.get("status")))],
        ["evidence", _refs(nodes.get("Evidence", []),
                           lambda e: "valid" if e.get("valid") else str(e.get("problem")))],
        ["impact assessments", _refs(nodes.get("ImpactAssessment", []),
                                     lambda a: f"review due {a.get('review_due') or '-'}")],
        ["committees", _refs(nodes.get("Committee", []))],
        ["findings", "; ".join(f"{f['severity']}: {f['check']}: {f['reason']}"
                               for f in data.get("findings", [])) or "-"],
    ]


def _print_chain_trace(data: dict[str, Any], fmt: Format) -> None:
    """An owner trace (its steps) or an executive trace (its items)."""
    if "steps" in data:
        rows = [[i + 1, s["via"], s["node"]["id"], s["node"]["name"],
                 "; ".join(h["name"] + (" (Leader)" if h["leader"] else "")
                           for h in s["holders"]) or "(vacant)", s.get("source") or "-"]
                for i, s in enumerate(data["steps"])]
        executive = data["executive"]
        title = (f"{data['subject']['type']} {data['subject']['id']}: responsible executive "
                 + (f"{executive['name']} ({executive['id']})" if executive
                    else f"none - {data['gap']}"))
        emit(fmt, data, ["step", "via", "role", "name", "current holders", "source"], rows,
             title)
    else:  # executive
        rows = [[e["item"]["type"], e["item"]["id"], e["item"]["name"],
                 " > ".join(s["node"]["id"] for s in e["chain"]["steps"]),
                 "; ".join(f"{f['severity']}: {f['check']}" for f in e["findings"])]
                for e in data["items"]]
        counts = ", ".join(f"{n} {severity}" for severity, n in
                           data["findings_by_severity"].items())
        emit(fmt, data, ["type", "id", "name", "chain", "findings"], rows,
             f"{data['subject']['name']} ({data['subject']['id']}) is the responsible executive "
             f"for {len(rows)} items; findings on them: {counts}")


@app.command()
def show(
    label: Annotated[str, typer.Argument(metavar="TYPE", help="A label, e.g. Control.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The entity's id.")],
    as_recorded: AsRecordedOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """One entity: its properties, where it was read from (file, row, run, time), and its
    relationships by type with where each was read from."""
    def action() -> dict[str, Any]:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries:
            return queries.entity(label, node)
    data = reported_run(action, fmt)
    from aimsgraph.graph.questions.entity import PROVENANCE_NAMES  # start-up

    said = [[k, v] for k, v in data["properties"].items() if k not in PROVENANCE_NAMES]
    rels = [[direction, rel_type, e["node"]["type"], e["node"]["id"], e["node"]["name"],
             "; ".join(f"{k}={v}" for k, v in e["properties"].items()
                       if k not in PROVENANCE_NAMES),
             e["provenance"]["source"] or ""]
            for direction, groups in data["relationships"].items()
            for rel_type, entries in groups.items() for e in entries]
    if fmt is not Format.table:
        emit(fmt, data, ["direction", "type", "node type", "node", "name", "properties",
                         "source"], rels)
        return
    heard = data["provenance"]
    emit(fmt, data, ["property", "value"], said,
         f"{data['type']} {data['id']} ({data['name']}); labels: {', '.join(data['labels'])}")
    print_plain(Console(), f"read from {heard['source'] or '-'} by run {heard['run_id'] or '-'}"
                f" at {heard['updated_at'] or '-'}"
                + (f", owned by sync source {heard['sync_source']}"
                   if heard.get("sync_source") else ""))
    emit(fmt, data, ["relationship", "node", "properties", "source"],
         [[f"-[{t}]->" if d == "outgoing" else f"<-[{t}]-", f"{label} {i}"
           + (f" ({name})" if name != i else ""), props or "-", source or "-"]
          for d, t, label, i, name, props, source in rels], f"relationships ({len(rels)})")
