"""The frameworks a graph holds: the built-in ones and those bundles add, each with its
requirements counted (all, and the assessable leaves) and its licence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import builtin_frameworks

__all__ = ["framework_list", "framework_of", "requirements_of"]


def framework_of(sem: Semantics, requirement: NodeKey) -> str:
    """The framework a requirement belongs to (its ``framework``, else its id's prefix)."""
    value = sem.prop(requirement, "framework")
    return str(value) if value else requirement[1].partition(":")[0]


def requirements_of(sem: Semantics) -> tuple[dict[str, list[NodeKey]], set[NodeKey]]:
    """Every requirement by framework, and the set of those that are assessable: the leaves,
    no requirement being PART_OF them (read from each requirement's own PART_OF, never from
    what thousands of controls point at), but for a user framework's ``group`` (a heading
    or an informative text, leaf or not)."""
    by_framework: dict[str, list[NodeKey]] = {}
    parents: set[NodeKey] = set()
    for key in sem.view.nodes("Requirement"):
        by_framework.setdefault(framework_of(sem, key), []).append(key)
        parents.update(p for p, _ in sem.view.out(key, "PART_OF"))
        if sem.prop(key, "kind") == "group":
            parents.add(key)
    leaves = {k for keys in by_framework.values() for k in keys} - parents
    return by_framework, leaves


def framework_list(sem: Semantics) -> list[dict[str, Any]]:
    """Each framework: id, name, requirement count, assessable count, licence, built in or
    not; the built-in ones first, then the others by id."""
    by_framework, leaves = requirements_of(sem)
    built = {f.id: f for f in builtin_frameworks()}
    order = [*built, *sorted(set(by_framework) - set(built))]
    return [{"id": framework,
             "name": built[framework].name if framework in built else
             _first(sem, by_framework[framework], "framework_name") or framework,
             "requirements": len(by_framework.get(framework, [])),
             "assessable": sum(1 for k in by_framework.get(framework, []) if k in leaves),
             "licence": (built[framework].licence if framework in built else
                         _first(sem, by_framework[framework], "licence")),
             "built_in": framework in built}
            for framework in order if by_framework.get(framework)]


def _first(sem: Semantics, keys: Iterable[NodeKey], name: str) -> str | None:
    """The value of ``name`` most of a framework's requirements give (its name, its licence:
    every requirement of a library carries them), None when none does."""
    values = Counter(str(v) for k in keys if (v := sem.prop(k, name)))
    return values.most_common(1)[0][0] if values else None
