"""Cypher fragments shared by the gap checks' and the traces' hand-written queries (the
ONTOLOGY terms).

Each check module (and :mod:`graph.questions.traces_cypher`) holds its own queries, written
with these
fragments so the definitions read the same everywhere. Every check's query takes ``$as_of``
(a date) and the check parameters, and returns rows of ``subject_type, subject_id,
subject_name, reason, related, severity`` (``severity`` null for the check's default).
Plain Cypher 5, no procedures: it runs in Neo4j Browser as is.
"""

from __future__ import annotations

from collections.abc import Sequence

from aimsgraph.graph.questions.definitions import CLOSED, HIGH_TIERS, RETIRED
from aimsgraph.graph.questions.definitions import IMPLEMENTED as IMPLEMENTED_STATUSES
from aimsgraph.graph.store.neo4j_view import TYPE
from aimsgraph.ontology import ONTOLOGY

__all__ = ["CURRENT", "DESCRIBE", "EVIDENCE_GAP", "HIGH_TIER", "IN_SCOPE", "JOIN", "KNOWN",
           "NAME", "NOTICED", "PRESENT", "REF", "RELIED_ON", "TYPE", "WHY_VACANT"]


def NAME(v: str, label: str | None = None, among: Sequence[str] = ()) -> str:  # noqa: N802 - reads as Cypher
    """The display name of node ``v`` (of ``label`` when known; else one of the labels
    ``among``, when they are known, else of any label): its name property, else id."""
    if label is not None:
        attribute = ONTOLOGY.node(label).name_property
        return f"{v}.id" if attribute == "id" else f"coalesce({v}.{attribute}, {v}.id)"
    cases = []
    for node in ONTOLOGY.nodes:
        if node.name_property != "id" and (not among or node.label in among):
            cases.append(f"WHEN {v}:{node.label} THEN coalesce({v}.{node.name_property}, {v}.id)")
    return f"CASE {' '.join(cases)} ELSE {v}.id END" if cases else f"{v}.id"


def REF(v: str, label: str | None = None, among: Sequence[str] = ()) -> str:  # noqa: N802
    """A node reference map ``{type, id, name}`` (``label`` when it is known; ``among``:
    the labels ``v`` may have, when the query knows them)."""
    if label is not None:
        return f"{{type: '{label}', id: {v}.id, name: {NAME(v, label)}}}"
    return f"{{type: {TYPE(v, among)}, id: {v}.id, name: {NAME(v, among=among)}}}"


def PRESENT(p: str, day: str = "$as_of") -> str:  # noqa: N802
    """Person ``p`` is present on ``day``: ``left_on`` decides when given, else ``active``."""
    return (f"CASE WHEN {p}.left_on IS NOT NULL THEN {p}.left_on > {day} "
            f"ELSE coalesce({p}.active, true) END")


def CURRENT(h: str, p: str, excluding: bool = False, day: str = "$as_of") -> str:  # noqa: N802
    """``(p)-[h:HOLDS]->(role)`` is a current holding on ``day`` (and, ``excluding``,
    ``p`` is not among the people ``$excluded`` assumed to leave)."""
    text = (f"({h}.since IS NULL OR {h}.since <= {day}) AND "
            f"({h}.until IS NULL OR {h}.until >= {day}) AND {PRESENT(p, day)}")
    return text + (f" AND NOT {p}.id IN $excluded" if excluding else "")


def DESCRIBE(r: str) -> str:  # noqa: N802
    """Role ``r`` as ``R-12 (Model Owner)``, or the id alone when the name is the id."""
    name = NAME(r, "Role")
    return f"CASE WHEN {name} = {r}.id THEN {r}.id ELSE {r}.id + ' (' + {name} + ')' END"


def JOIN(items: str, separator: str = "; ") -> str:  # noqa: N802
    """The strings of list ``items`` joined by ``separator``."""
    return (f"reduce(acc = '', x IN {items} | acc + "
            f"CASE WHEN acc = '' THEN '' ELSE '{separator}' END + x)")


def WHY_VACANT(r: str) -> str:  # noqa: N802
    """Why role ``r`` has no current holder, in words (a string)."""
    reasons = (
        f"COLLECT {{ MATCH (wp:Person)-[wh:HOLDS]->({r}) "
        "WITH wp, wh ORDER BY wp.id, coalesce(toString(wh.since), '') "
        "WITH CASE "
        f"WHEN wp.left_on IS NOT NULL AND wp.left_on <= $as_of "
        f"THEN {NAME('wp', 'Person')} + ' left on ' + toString(wp.left_on) "
        f"WHEN wp.left_on IS NULL AND wp.active = false "
        f"THEN {NAME('wp', 'Person')} + ' is not active' "
        f"WHEN wh.since IS NOT NULL AND wh.since > $as_of "
        f"THEN {NAME('wp', 'Person')} + ' starts on ' + toString(wh.since) "
        f"WHEN wh.until IS NOT NULL AND wh.until < $as_of "
        f"THEN {NAME('wp', 'Person')} + ' held it until ' + toString(wh.until) END AS why "
        "WHERE why IS NOT NULL RETURN why }")
    return f"head([j IN [{JOIN(reasons)}] WHERE j <> ''] + ['nobody has been assigned to it'])"


def HELD(r: str, excluding: bool = False) -> str:  # noqa: N802
    """Role ``r`` has a current holder."""
    return (f"EXISTS {{ MATCH (hp:Person)-[hh:HOLDS]->({r}) "
            f"WHERE {CURRENT('hh', 'hp', excluding)} }}")


def IN_SCOPE(v: str, label: str) -> str:  # noqa: N802
    """Node ``v`` of ``label`` is in scope (:meth:`Semantics.answerable`): an AI system not
    retired, a risk not closed, a control or policy not retired."""
    prop, out = (("lifecycle", RETIRED) if label == "AISystem" else
                 ("status", CLOSED if label == "Risk" else RETIRED))
    return f"coalesce({v}.{prop}, '') <> '{out}'"


def RELIED_ON(v: str, label: str) -> str:  # noqa: N802
    """Dataset or Supplier ``v`` is relied on (:meth:`Semantics.relied_on`)."""
    system = f"WHERE {IN_SCOPE('rs', 'AISystem')}"
    if label == "Dataset":
        return f"EXISTS {{ MATCH (rs:AISystem)-[:USES_DATA]->({v}) {system} }}"
    return (f"(EXISTS {{ MATCH (rs:AISystem)-[:DEPENDS_ON]->({v}) {system} }} OR "
            f"EXISTS {{ MATCH (rs:AISystem)-[:USES_DATA]->(:Dataset)-[:SUPPLIED_BY]->({v}) "
            f"{system} }})")


def NOTICED(i: str) -> str:  # noqa: N802
    """The day incident ``i`` became known (:func:`definitions.noticed`)."""
    return f"coalesce({i}.detected_on, {i}.occurred_on)"


def KNOWN(i: str) -> str:  # noqa: N802
    """Incident ``i`` is known on ``$as_of`` (:meth:`Semantics.known`)."""
    return f"coalesce({NOTICED(i)} <= $as_of, true)"


def HIGH_TIER(s: str) -> str:  # noqa: N802
    """AI system ``s`` is of a high risk tier (:data:`definitions.HIGH_TIERS`)."""
    return f"{s}.risk_tier IN {list(HIGH_TIERS)!r}"


def IMPLEMENTED(c: str) -> str:  # noqa: N802
    return f"coalesce({c}.status, '') IN {list(IMPLEMENTED_STATUSES)!r}"


def VALID_EVIDENCE(e: str) -> str:  # noqa: N802
    """Evidence ``e`` is valid as of ``$as_of``."""
    return (f"({e}.collected_on IS NOT NULL AND {e}.collected_on <= $as_of AND "
            f"({e}.valid_until IS NULL OR {e}.valid_until >= $as_of))")


def EVIDENCE_GAP(evidence: str) -> str:  # noqa: N802
    """Why none of the list ``evidence`` proves its item (:meth:`Semantics.evidence_gap`)."""
    return (f"CASE WHEN size({evidence}) = 0 THEN 'no evidence supports it' "
            f"ELSE 'no valid evidence: ' + "
            f"{JOIN(f'[e IN {evidence} | ' + EVIDENCE_PROBLEM('e') + ']')} END")


def EVIDENCE_PROBLEM(e: str) -> str:  # noqa: N802
    """Why evidence ``e`` is not valid as of ``$as_of`` (null when it is valid)."""
    return (f"CASE WHEN {e}.collected_on IS NULL THEN {e}.id + ' has no collection date' "
            f"WHEN {e}.collected_on > $as_of "
            f"THEN {e}.id + ' was collected later, on ' + toString({e}.collected_on) "
            f"WHEN {e}.valid_until IS NOT NULL AND {e}.valid_until < $as_of "
            f"THEN {e}.id + ' expired on ' + toString({e}.valid_until) END")


def OWNER_CHAIN(r0: str, excluding: bool = False) -> str:  # noqa: N802
    """Body of ``CALL (r0) { ... }``: the walk from owner role ``r0`` up REPORTS_TO.

    A role reports to at most one role (ingestion enforces it), so the walk is one path;
    ``walk`` ends with a repeated role when the reporting line loops. Returns ``steps`` (the
    roles visited, up to and including the first one a current Leader holds), ``executive``
    (that Leader, or null), ``executives`` (every current Leader of that role, by id),
    ``reaches`` and ``gap``.
    """
    return f"""OPTIONAL MATCH path = ({r0})-[:REPORTS_TO*0..]->(x:Role)
  WITH x ORDER BY length(path)
  WITH collect(x) AS walk
  WITH walk, [i IN range(0, size(walk) - 1) WHERE walk[i] IN walk[0..i]] AS repeats
  WITH walk, CASE WHEN size(repeats) = 0 THEN walk ELSE walk[0..repeats[0]] END AS visited
  WITH walk, visited,
       COLLECT {{ UNWIND range(0, size(visited) - 1) AS i
                 WITH i, visited[i] AS s
                 MATCH (l:Leader)-[h:HOLDS]->(s) WHERE {CURRENT('h', 'l', excluding)}
                 RETURN [i, l] AS hit ORDER BY i, l.id }} AS hits
  WITH walk, visited, head(hits) AS first, hits
  WITH walk, visited, first, [h IN hits WHERE h[0] = first[0] | h[1]] AS executives,
       CASE WHEN first IS NULL THEN visited ELSE visited[0..first[0] + 1] END AS steps,
       CASE WHEN size(walk) > size(visited) THEN walk[size(visited)] ELSE null END AS back,
       last(visited) AS tail
  RETURN first IS NOT NULL AS reaches, first[1] AS executive, executives, steps,
         CASE WHEN first IS NOT NULL THEN null
              WHEN back IS NOT NULL
              THEN 'the reporting line loops back to ' + {DESCRIBE('back')}
                   + ' without reaching a Leader'
              ELSE 'the reporting line ends at ' + {DESCRIBE('tail')}
                   + ' without reaching a Leader' END AS gap"""


def OWNER_VACANCY(r: str) -> str:  # noqa: N802
    """Why owner role ``r`` (a role with no current holder) leaves what it owns unanswered
    for (a string). Worked out only for the findings, not for every owner role: it reads
    every past holder of the role."""
    return (f"'owner role ' + {DESCRIBE(r)} + ' has no current holder: ' + {WHY_VACANT(r)}")


def EXECUTIVES() -> str:  # noqa: N802
    """A ``CALL () { ... }`` giving rows ``(p, item)``: ``p`` is a responsible executive on
    ``$as_of`` of ``item``, a non-retired AI system, control or policy, or a non-closed risk
    (the walk from the item's first owner role, by id, that reaches a Leader)."""
    return f"""CALL () {{
  CALL () {{
    MATCH (item:AISystem) WHERE {IN_SCOPE('item', 'AISystem')} RETURN item
    UNION
    MATCH (item:Control) WHERE {IN_SCOPE('item', 'Control')} RETURN item
    UNION
    MATCH (item:Risk) WHERE {IN_SCOPE('item', 'Risk')} RETURN item
    UNION
    MATCH (item:Policy) WHERE {IN_SCOPE('item', 'Control')} RETURN item
  }}
  MATCH (r0:Role)-[:ACCOUNTABLE_FOR|OWNS]->(item)
  CALL (r0) {{
    {OWNER_CHAIN('r0')}
  }}
  WITH item, r0, reaches, executives ORDER BY r0.id
  WITH item, head([c IN collect({{reaches: reaches, executives: executives}})
                   WHERE c.reaches]) AS chosen
  WHERE chosen IS NOT NULL
  UNWIND chosen.executives AS p
  RETURN p, item
}}"""


#: Cypher list of what a responsible executive answers for, per kind, in report order.
EXECUTIVE_KINDS = (("AISystem", "AI systems"), ("Control", "controls"), ("Risk", "risks"),
                   ("Policy", "policies"))

