"""The executive trace, the owner trace reversed: everything a person answers for as
responsible executive on the as-of date, each with its chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.cypher_terms import EXECUTIVES, PRESENT, REF, TYPE
from aimsgraph.graph.questions.results import ExecutiveTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.base import CypherRows, Trace, rows_about
from aimsgraph.graph.questions.traces.owner import owner_trace_cypher
from aimsgraph.graph.questions.traces.shapes import chain_json
from aimsgraph.graph.store.records import NodeKey

__all__ = ["TRACE"]


def executive_trace(sem: Semantics, person: NodeKey, _end: NodeKey | None = None
                    ) -> dict[str, Any]:
    """The reverse of the owner trace: everything ``person`` answers for as responsible
    executive on the as-of date, each with its chain."""
    return {"subject": sem.ref(person), "as_of": sem.as_of.isoformat(),
            "leader": sem.is_leader(person), "present": sem.person_present(person),
            "items": [{"item": sem.ref(item),
                       "chain": chain_json(sem, item, sem.owner_chain(item))}
                      for item in sem.executives_of.get(person, [])]}


EXECUTIVE_ITEMS_CYPHER = f"""MATCH (me:Person {{id: $id}})
OPTIONAL CALL (me) {{
  {EXECUTIVES()}
  WITH p, item WHERE p = me
  RETURN DISTINCT {TYPE('item')} AS type, item.id AS id
}}
RETURN {REF('me', 'Person')} AS subject, me:Leader AS leader, {PRESENT('me')} AS present,
       type, id ORDER BY type, id"""


def executive_trace_cypher(query: CypherRows, person: NodeKey, _end: NodeKey | None,
                           as_of: dt.date) -> dict[str, Any]:
    """Everything a person answers for as responsible executive, each with its owner trace."""
    rows = rows_about(query, EXECUTIVE_ITEMS_CYPHER, person, as_of)
    items = []
    for row in rows:
        if row["type"] is not None:
            chain = owner_trace_cypher(query, (row["type"], row["id"]), None, as_of)
            items.append({"item": chain["subject"], "chain": chain})
    first = rows[0]
    return {"subject": first["subject"], "as_of": as_of.isoformat(), "leader": first["leader"],
            "present": first["present"], "items": items}


TRACE = Trace("executive", "Person", "Everything a person answers for as responsible executive",
              executive_trace, executive_trace_cypher, ExecutiveTraceModel)
