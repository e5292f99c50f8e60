"""The Cypher of entity lists and search (:mod:`graph.store.matching`'s rule and order):
filtered, ordered and paged by the server, so the client receives only the page.

The natural order is computed in Cypher as the same string
:func:`~ontology.values.natural_text` makes (a reduce over the id's characters), its markers
and padding sent as parameters.
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.store.matching import NAME_PROPERTIES
from aimsgraph.ontology import ONTOLOGY
from aimsgraph.ontology.values import NATURAL_NUMBER_MARK, NATURAL_TEXT_MARK, NATURAL_WIDTH

__all__ = ["MATCH_PARAMS", "count_cypher", "page_cypher", "search_cypher"]

#: The parameters the natural order's expression reads.
MATCH_PARAMS: dict[str, Any] = {"text_mark": NATURAL_TEXT_MARK,
                                "number_mark": NATURAL_NUMBER_MARK,
                                "zeros": "0" * NATURAL_WIDTH, "width": NATURAL_WIDTH}

#: ``[text so far, digits of the number being read, 't' or 'n' (what is being read)]``
_STEPS = ("reduce(a = ['', '', ''], c IN split(toLower(n.id), '') | CASE "
          "WHEN c >= '0' AND c <= '9' THEN [a[0], a[1] + c, 'n'] "
          "WHEN a[2] = 'n' THEN [a[0] + $number_mark + right($zeros + a[1], $width) "
          "+ $text_mark + c, '', 't'] "
          "WHEN a[2] = 't' THEN [a[0] + c, '', 't'] "
          "ELSE [a[0] + $text_mark + c, '', 't'] END)")


def _natural(carried: str) -> str:
    """``WITH`` clauses that carry ``carried`` and add ``natural``, the natural sort text
    of ``n.id``."""
    return (f"WITH {carried}, {_STEPS} AS k WITH {carried}, CASE WHEN k[2] = 'n' THEN "
            "k[0] + $number_mark + right($zeros + k[1], $width) ELSE k[0] END AS natural ")


_RETURN = "RETURN labels(n) AS labels, n.id AS id, properties(n) AS props, elementId(n) AS eid"


def _holds(label: str) -> str:
    name = NAME_PROPERTIES.get(label, "name")
    return (f"(toLower(n.id) CONTAINS $needle OR "
            f"toLower(toString(n.`{name}`)) CONTAINS $needle)")


def _where(label: str, owner: str, needle: bool, status: bool) -> str:
    tests = [_holds(owner)] if needle else []
    if status:
        tests.append("n.status = $status")
    return f"MATCH (n:`{label}`) " + (f"WHERE {' AND '.join(tests)} " if tests else "")


def count_cypher(label: str, owner: str, needle: bool, status: bool) -> str:
    """How many nodes of ``label`` (whose nodes are ``owner``'s) match."""
    return _where(label, owner, needle, status) + "RETURN count(n) AS total"


def page_cypher(label: str, owner: str, needle: bool, status: bool) -> str:
    """The page (``$offset``, ``$limit``) of the matching nodes, in natural id order."""
    return (_where(label, owner, needle, status) +
            _natural("n") + "ORDER BY natural, n.id SKIP $offset LIMIT $limit " + _RETURN)


def _search() -> str:
    branches = " UNION ALL ".join(
        f"MATCH (n:`{label}`) WHERE {_holds(label)} RETURN n, '{label}' AS label"
        for label in ONTOLOGY.labels)
    return (f"CALL {{ {branches} }} WITH n, label, toLower(n.id) AS lid "
            "WITH n, label, CASE WHEN lid = $needle THEN 0 WHEN lid STARTS WITH $needle "
            "THEN 1 ELSE 2 END AS rank " + _natural("n, label, rank") +
            "ORDER BY rank, label, natural, n.id LIMIT $limit " + _RETURN)


#: The first ``$limit`` nodes of any label holding ``$needle``, best first.
search_cypher = _search()
