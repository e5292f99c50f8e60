"""Validation and transformation of bundle tables against the ontology. Pure: no I/O.

Each file kind has a small function turning rows into drafts; every problem becomes a
:class:`BundleIssue` naming file, row and column, and processing goes on so that one run
reports every problem in the bundle.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.ingest.draft import Draft, NodeDraft, RelDraft
from aimsgraph.ingest.mapping import EDGE_FILES, NODE_FILES, EdgeFile, NodeFile
from aimsgraph.ingest.readers import Bundle, Row, Table
from aimsgraph.ingest.rows import RESERVED_COLUMNS, TEXT, Rows
from aimsgraph.ontology import (
    ONTOLOGY,
    BundleIssue,
    IssueLog,
    annex_a_controls,
    builtin_frameworks,
    builtin_items,
    did_you_mean,
    qualify_requirement,
)
from aimsgraph.ontology.values import look_alike_key, quote_cell

__all__ = ["RESERVED_COLUMNS", "make_strict", "validate", "validate_table"]

_NODE_FILES = {f.stem: f for f in NODE_FILES}
_EDGE_FILES = {f.stem: f for f in EDGE_FILES}
_CATALOGUE_IDS = frozenset(i.node_id for i in builtin_items())
_BUILT_IN = frozenset(f.id for f in builtin_frameworks())
_LABELS_LOWER = frozenset(label.lower() for label in ONTOLOGY.labels)


def _check_header(rows: Rows, known: set[str]) -> None:
    """Reserved columns are errors; other columns the file does not declare are kept as text
    properties (docs/bundles.md), with a warning that names the declared column a misspelt
    header may have meant (``owner_rol``: did you mean ``owner_role``?)."""
    declared = sorted(known)
    for column in rows.table.columns:
        if column in known or not column:
            continue
        if column in RESERVED_COLUMNS:
            rows.issue(None, column, f"column '{column}' is reserved and cannot be imported")
        else:
            rows.draft.warnings.append(BundleIssue(
                rows.table.file, rows.table.header_loc, column,
                f"column '{column}' is not a column of {rows.table.stem} and is kept as a text "
                f"property{did_you_mean(column, declared)}"))


def _node_file(spec: NodeFile, table: Table, draft: Draft) -> None:
    rows = Rows(table, draft)
    node_type = ONTOLOGY.node(spec.label)
    props = {p.name: p for p in node_type.properties if p.name not in spec.derived}
    fills = dict(spec.fills)
    required = {"id", *(p.name for p in props.values() if p.required and p.name not in fills)}
    missing = rows.require_columns(required | {lk.column for lk in spec.links if lk.required})
    known = {"id", *props, *(lk.column for lk in spec.links), *spec.derived}
    _check_header(rows, known)
    defaults = {p.name: p.default for p in props.values() if p.default is not None}
    # each column once, not once a row: its name, how it is read, whether a row must fill
    # it, and what fills it when empty (a row reads 6 of them on average, 90,000 rows at 10k)
    columns = [(name, prop, prop.required and name not in missing and name not in fills,
                name in fills, fills.get(name)) for name, prop in props.items()]
    links = [(lk, lk.required and lk.column not in missing) for lk in spec.links]
    id_required = "id" not in missing
    first_seen: dict[str, str] = {}
    looks: dict[str, str] = {}
    for row in table.rows:
        issues_before = draft.issue_count()
        node_id = rows.node_id(row, id_required)
        values: dict[str, Any] = {}
        for name, prop, needed, filled, fill in columns:
            value = rows.value(row, name, prop, needed)
            if value is not None:
                values[name] = value
            elif filled:
                values[name] = fill
        rows.check_ranges(row, values, spec.ranges)
        values.update(rows.extras(row, known))
        refs = [(lk, rows.refs(row, lk.column, lk.targets, lk.many, needed))
                for lk, needed in links]
        if node_id is None:
            continue
        if node_id in first_seen:
            rows.issue(row, "id", f"id '{node_id}' is duplicated (first on {first_seen[node_id]})")
            continue
        first_seen[node_id] = f"row {row.loc}" if row.loc.isdigit() else row.loc
        _look_alike(rows, row, node_id, looks, first_seen)
        if spec.label == "Risk" and "likelihood" in values and "impact" in values:
            values["score"] = values["likelihood"] * values["impact"]
        if spec.label == "Requirement":
            node_id = _user_requirement(rows, row, node_id, values)
            if node_id is None:
                continue
        key, source = (spec.label, node_id), rows.source(row)
        if draft.issue_count() > issues_before:
            draft.rejected.add(key)  # never written; kept only for reference resolution
        else:
            draft.nodes[key] = NodeDraft(spec.label, node_id, values, source, defaults)
        for link, found in refs:
            for ref in found:
                start, end = (ref, key) if link.incoming else (key, ref)
                draft.rels.append(RelDraft(link.rel, start, end, {}, source))


#: The kinds a bundle's own requirement may have (the built-in kinds are the catalogues', and
#: the checks read them).
USER_KINDS = ("group", "requirement")


def _user_requirement(rows: Rows, row: Row, node_id: str, values: dict[str, Any]
                      ) -> str | None:
    """The id of a requirement of a user framework, with its ``framework`` and ``ref`` set
    from it; None (with an issue) when it is not qualified, or names a built-in framework."""
    qualified = qualify_requirement(node_id) if ":" in node_id else None
    if qualified is None:
        rows.issue(row, "id", f"id {quote_cell(node_id)} is not a qualified requirement id "
                              "(FRAMEWORK:ref, the framework in capitals, e.g. MYFW:1.2)")
        return None
    framework = qualified.partition(":")[0]
    if framework in _BUILT_IN:
        rows.issue(row, "id", f"{framework} is built in; a bundle cannot add requirements to it")
        return None
    if values.get("kind") not in USER_KINDS:
        rows.issue(row, "kind", f"kind {quote_cell(str(values.get('kind')))} is not one of: "
                                f"{', '.join(USER_KINDS)}")
        return None
    values["framework"], _, values["ref"] = qualified.partition(":")
    return qualified


def _look_alike(rows: Rows, row: Row, node_id: str, looks: dict[str, str],
                first_seen: dict[str, str]) -> None:
    """Warn when ``node_id`` looks like an id already given in the file but is another one
    (``p-1`` beside ``P-1``, a Cyrillic ``Р-1`` beside a Latin ``P-1``): both are kept, as
    written, and a reader would take them for one."""
    key = look_alike_key(node_id)
    other = looks.setdefault(key, node_id)
    if other != node_id:
        odd = next((f" (U+{ord(a):04X} where the other has U+{ord(b):04X})"
                    for a, b in zip(node_id, other, strict=False) if a != b), "")
        rows.warn(row, "id", f"id {quote_cell(node_id)} looks like id {quote_cell(other)} on "
                             f"{first_seen[other]} but is a different id{odd}; both are kept")


def _edge_file(spec: EdgeFile, table: Table, draft: Draft) -> None:
    rows = Rows(table, draft)
    rel = ONTOLOGY.relationship(spec.rel)
    missing = rows.require_columns({spec.start[0], spec.end[0], *spec.required})
    known = {spec.start[0], spec.end[0], *(c for c, _ in spec.properties)}
    _check_header(rows, known)
    first_seen: dict[tuple[str, str, str], str] = {}
    periods: dict[tuple[str, str], list[tuple[Period, str]]] = {}
    identity_column = next((c for c, p in spec.properties if p == rel.identity), None)
    for row in table.rows:
        start = rows.refs(row, spec.start[0], (spec.start[1],), False,
                          spec.start[0] not in missing)
        end = rows.refs(row, spec.end[0], (spec.end[1],), False, spec.end[0] not in missing)
        values: dict[str, Any] = {}
        by_column: dict[str, Any] = {}
        for column, prop_name in spec.properties:
            value = rows.value(row, column, rel.property(prop_name),
                               required=column in spec.required and column not in missing)
            if value is not None:
                values[prop_name] = by_column[column] = value
        rows.check_ranges(row, by_column, spec.ranges)
        for _, prop_name in spec.properties:  # a declared default fills an empty cell
            default = rel.property(prop_name).default
            if prop_name not in values and default is not None:
                values[prop_name] = default
        values.update(rows.extras(row, known))
        if not (start and end):
            continue
        pair = (start[0].raw, end[0].raw)
        identity = rel.identity_of(values)
        where = f"row {row.loc}" if row.loc.isdigit() else row.loc
        if (*pair, identity) in first_seen:
            rows.issue(row, identity_column or spec.end[0],
                       f"{spec.start[0]} '{pair[0]}' and {spec.end[0]} '{pair[1]}' are already "
                       f"paired{_with(identity_column, identity)} on "
                       f"{first_seen[(*pair, identity)]}")
            continue
        if spec.exclusive_periods:
            period = (by_column.get(spec.ranges[0][0]), by_column.get(spec.ranges[0][1]))
            clash = next((w for p, w in periods.get(pair, []) if _overlap(p, period)), None)
            if clash is not None:
                rows.issue(row, spec.ranges[0][0], f"{spec.start[0]} '{pair[0]}' and "
                           f"{spec.end[0]} '{pair[1]}': period {_period(period)} overlaps "
                           f"the period on {clash}")
                continue
            periods.setdefault(pair, []).append((period, f"{where} ({_period(period)})"))
        first_seen[(*pair, identity)] = where
        draft.rels.append(RelDraft(spec.rel, start[0], end[0], values, rows.source(row)))


Period = tuple[dt.date | None, dt.date | None]


def _overlap(first: Period, second: Period) -> bool:
    """Whether two periods share a day (an empty start or end is open)."""
    low, high = dt.date.min, dt.date.max
    return (first[0] or low) <= (second[1] or high) and (second[0] or low) <= (first[1] or high)


def _period(period: Period) -> str:
    start, end = period
    return (f"{start.isoformat() if start else 'open start'} to "
            f"{end.isoformat() if end else 'open end'}")


def _with(column: str | None, identity: str) -> str:
    """`` with since 2024-01-01`` for a type that keeps repeated facts, else nothing."""
    if column is None:
        return ""
    return f" with {column} {identity}" if identity else f" with an empty {column}"


def _soa_file(table: Table, draft: Draft) -> None:
    rows = Rows(table, draft)
    requirement = ONTOLOGY.node("Requirement")
    missing = rows.require_columns({"requirement", "applicable"})
    first_seen: dict[str, str] = {}
    for row in table.rows:
        refs = rows.refs(row, "requirement", ("Requirement",), False,
                         "requirement" not in missing)
        applicable = rows.value(row, "applicable", requirement.property("applicable"),
                                required="applicable" not in missing)
        justification = rows.value(row, "justification", requirement.property("justification"))
        if not refs:
            continue
        node_id = qualify_requirement(refs[0].raw.removeprefix("Requirement:"))
        if node_id not in annex_a_controls():
            rows.issue(row, "requirement", f"requirement '{refs[0].raw}' is not an Annex A "
                                           "control of ISO/IEC 42001")
            continue
        if node_id in first_seen:
            rows.issue(row, "requirement", f"requirement '{refs[0].raw}' already has a decision "
                                           f"on {first_seen[node_id]}")
            continue
        first_seen[node_id] = f"row {row.loc}" if row.loc.isdigit() else row.loc
        if applicable is None:
            continue
        values = {"applicable": applicable}
        if justification is not None:
            values["justification"] = justification
        draft.amendments.append((refs[0], NodeDraft("Requirement", node_id, values,
                                                    rows.source(row))))


def _relationships_file(table: Table, draft: Draft) -> None:
    rows = Rows(table, draft)
    missing = rows.require_columns({"from", "type", "to"})
    for row in table.rows:
        start = rows.refs(row, "from", ONTOLOGY.labels, False, "from" not in missing)
        end = rows.refs(row, "to", ONTOLOGY.labels, False, "to" not in missing)
        raw_type = rows.value(row, "type", TEXT, required="type" not in missing)
        if raw_type is None:
            continue
        rel_type = raw_type.strip().upper()
        if not ONTOLOGY.has_relationship(rel_type):
            rows.issue(row, "type", f"type '{raw_type}' is not a relationship type of the "
                                    "ontology")
            continue
        if rel_type == "PART_OF" and start and end and all(
                _catalogue_ref(ref.raw) for ref in (start[0], end[0])):
            rows.issue(row, "type", "PART_OF between requirements of a built-in framework "
                                    "belongs to the built-in catalogue; a bundle cannot change "
                                    "it")
            continue
        rel = ONTOLOGY.relationship(rel_type)
        declared = {p.name: p for p in rel.properties}
        values: dict[str, Any] = {}
        for column in row.cells:
            if column in {"from", "type", "to"}:
                continue
            if column in RESERVED_COLUMNS:
                rows.issue(row, column, f"column '{column}' is reserved and cannot be imported")
                continue
            value = rows.value(row, column, declared.get(column, TEXT))
            if value is not None:
                values[column] = value
        if start and end:
            draft.rels.append(RelDraft(rel_type, start[0], end[0], values, rows.source(row)))


def _catalogue_ref(raw: str) -> bool:
    """Whether a reference names a requirement of the built-in catalogue."""
    label, _, rest = raw.partition(":")
    if label.lower() == "requirement":
        raw = rest
    elif rest and label.lower() in _LABELS_LOWER:
        return False
    return qualify_requirement(raw) in _CATALOGUE_IDS


def validate_table(table: Table, draft: Draft) -> None:
    """Validate one table into ``draft`` (its nodes, relationships and amendments added)."""
    if table.stem in _NODE_FILES:
        _node_file(_NODE_FILES[table.stem], table, draft)
    elif table.stem in _EDGE_FILES:
        _edge_file(_EDGE_FILES[table.stem], table, draft)
    elif table.stem == "soa":
        _soa_file(table, draft)
    elif table.stem == "relationships":
        _relationships_file(table, draft)


def make_strict(draft: Draft) -> None:
    """Every warning of ``draft`` made an error (``--strict``)."""
    if draft.warnings:
        draft.issues.extend(BundleIssue(w.file, w.row, w.column, f"{w.message} (--strict)")
                            for w in draft.warnings)
        draft.warnings = IssueLog()


def validate(bundle: Bundle, strict: bool = False) -> Draft:
    """Validate every table of ``bundle`` against the ontology; issues are collected, not
    raised. ``strict`` makes every warning (a skipped file, an undeclared column, an
    unrecognised value) an error."""
    draft = Draft(issues=IssueLog(bundle.issues), warnings=IssueLog(bundle.warnings))
    for table in bundle.tables:
        validate_table(table, draft)
    if strict:
        make_strict(draft)
    return draft
