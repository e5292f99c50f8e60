"""Resolution of the references a bundle writes, against the bundle itself and the store.

Linear in the bundle: one index of the ids the bundle defines, and one batched store lookup
of every id referenced, whatever the number of rows.

A reference is ``Type:id`` (``Control:C-12``) or a bare id; a bare id must name exactly one node
of an allowed label among the bundle and the graph. Requirement references may be short
(``5.2``, ``A.6.2.4``) or qualified (``ISO42001:A.6.2.4``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from aimsgraph.graph.store.interface import ReadTransaction
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ingest.draft import Draft, NodeDraft, Ref, RelDraft
from aimsgraph.ontology import (
    ONTOLOGY,
    BundleIssue,
    IssueLog,
    catalogue,
    did_you_mean,
    qualify_requirement,
    with_article,
)

__all__ = ["URN_PREFIX", "BundleIds", "Named", "Resolver", "refs_of"]

#: How a CISO Assistant library names a requirement node (``urn:intuitem:...:req_node:...``).
URN_PREFIX = "urn:"

_LABELS_BY_LOWER = {label.lower(): label for label in ONTOLOGY.labels}

#: What a reference names: the text written and the labels it may name.
Named = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class _Candidate:
    label: str
    id: str


def _split(raw: str) -> tuple[str | None, str]:
    """``Type:id`` -> (Type, id) when Type is a label of the ontology; else (None, raw)."""
    prefix, sep, rest = raw.partition(":")
    if sep and prefix.lower() in _LABELS_BY_LOWER and rest:
        return _LABELS_BY_LOWER[prefix.lower()], rest
    return None, raw


def _lookup_ids(value: str) -> tuple[str, ...]:
    """The ids a reference whose id (less a label prefix, :func:`_split`) is ``value`` may
    stand for: a requirement reference also in qualified form."""
    qualified = qualify_requirement(value)
    return (value, qualified) if qualified and qualified != value else (value,)


class BundleIds:
    """The ids a bundle defines, each with its labels: what its references resolve against
    besides the store. Kept while a bundle streams through, so one id costs its string and
    a shared tuple of labels, not the row it came from."""

    def __init__(self) -> None:
        self._labels: dict[str, tuple[str, ...]] = {}
        self._shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: The requirement id of each urn the bundle's requirements carry (a library's).
        self.urns: dict[str, str] = {}

    @classmethod
    def of(cls, draft: Draft) -> BundleIds:
        """The ids of a whole draft: its nodes and the rows rejected for issues."""
        ids = cls()
        ids.add_nodes(draft.nodes.values())
        for label, node_id in draft.rejected:
            ids.add(label, node_id)
        return ids

    def add(self, label: str, node_id: str) -> None:
        labels = (*self._labels.get(node_id, ()), label)
        self._labels[node_id] = self._shared.setdefault(labels, labels)

    def add_nodes(self, nodes: Iterable[NodeDraft]) -> None:
        for node in nodes:
            self.add(node.label, node.id)
            urn = node.props.get("urn") if node.label == "Requirement" else None
            if urn is not None:
                self.urns[str(urn)] = node.id

    def get(self, node_id: str) -> tuple[str, ...]:
        return self._labels.get(node_id, ())

    def __contains__(self, key: object) -> bool:
        """Whether the bundle defines the node ``(label, id)``."""
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        return key[0] in self._labels.get(key[1], ())

    def by_label(self) -> dict[str, list[str]]:
        ids: dict[str, list[str]] = {}
        for node_id, labels in self._labels.items():
            for label in labels:
                ids.setdefault(label, []).append(node_id)
        return ids


class Resolver:
    """Resolves references against a bundle's ids and the store: build it for a batch of
    references (all of a bundle's, or a streamed chunk's), then call :meth:`resolve`."""

    def __init__(self, ids: BundleIds, asked: Collection[Named], tx: ReadTransaction,
                 resolved: dict[Named, NodeKey] | None = None) -> None:
        """``asked``: what the references to resolve name (as :func:`refs_of` gives it);
        ``resolved``: resolutions made for earlier chunks of the same bundle, kept on."""
        self.issues: list[BundleIssue] = IssueLog()
        self._bundle = ids
        self._urns = self._urn_ids(ids, asked, tx)
        self._store = self._stored_labels(asked, tx)
        #: Resolutions already made: a bundle names the same few nodes again and again
        #: (a requirement, a manager's role). Only successes are kept; a failure is reported
        #: at each row that has it.
        self._resolved: dict[Named, NodeKey] = {} if resolved is None else resolved
        self._ids_by_label: dict[str, list[str]] | None = None
        self._suggested = 0

    def _stored_labels(self, asked_refs: Collection[Named], tx: ReadTransaction
                       ) -> dict[str, set[str]]:
        """The labels the store holds each referenced id under, read in two steps.

        First each id under the labels its references may name (one indexed read per label
        on Neo4j, not one per label of the ontology); then, for the ids no reference could
        resolve that way, under every label, which only an error message needs ("is a
        Person, not a Role"). A bundle whose references all resolve pays the first step alone.
        """
        defined, urns = self._bundle.get, self._urns
        wanted: dict[str, set[str]] = {}
        #: what the bundle alone does not resolve: (labels, ids) it may name
        pending: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for written, targets in asked_refs:
            raw = urns.get(written, written)
            label, value = _split(raw)
            labels = (label,) if label else targets
            ids = _lookup_ids(value)
            in_bundle = False
            for node_id in ids:
                held = defined(node_id)
                for target in labels:
                    if target in held:  # the bundle defines it so: the store adds nothing
                        in_bundle = True
                    else:
                        wanted.setdefault(target, set()).add(node_id)
            if not in_bundle:
                pending.append((labels, ids))
        stored: dict[str, set[str]] = {}
        for label, wanted_ids in wanted.items():
            for node_id, found in tx.labels_by_id(wanted_ids, among=(label,)).items():
                stored.setdefault(node_id, set()).update(found)
        unresolved = {node_id for targets, ids in pending
                      if not any(target in stored.get(i, ()) for i in ids for target in targets)
                      for node_id in ids}
        for node_id, found in tx.labels_by_id(unresolved).items():
            stored.setdefault(node_id, set()).update(found)
        return stored

    def _labels(self, node_id: str) -> set[str]:
        return set(self._bundle.get(node_id)) | self._store.get(node_id, set())

    @staticmethod
    def _urn_ids(ids: BundleIds, asked: Collection[Named], tx: ReadTransaction
                 ) -> dict[str, str]:
        """The requirement id of each urn a reference names (a library's mapping set names
        requirements by urn): those the bundle defines, then those the store holds."""
        urns = {raw for raw, _ in asked if raw.startswith(URN_PREFIX)}
        if not urns:
            return {}
        known = {urn: ids.urns[urn] for urn in urns if urn in ids.urns}
        known.update(tx.requirements_by_urn(urns - set(known)))
        return known

    def resolve(self, ref: Ref) -> NodeKey | None:
        """The node ``ref`` names, or None after recording an issue that says why not."""
        if ref.raw.startswith(URN_PREFIX):
            node_id = self._urns.get(ref.raw)
            if node_id is None:
                return self._fail(ref, f"{ref.column} '{ref.raw}' is not the urn of a known "
                                       "requirement (ingest its framework's library first)")
            ref = ref._replace(raw=node_id)
        known = self._resolved.get((ref.raw, ref.targets))
        if known is not None:
            return known
        found = self._resolve(ref)
        if found is not None:
            self._resolved[(ref.raw, ref.targets)] = found
        return found

    def _resolve(self, ref: Ref) -> NodeKey | None:
        label, value = _split(ref.raw)
        targets = (label,) if label else ref.targets
        candidates: list[_Candidate] = []
        elsewhere: set[str] = set()
        for node_id in _lookup_ids(value):
            for found in self._labels(node_id):
                if found in targets and (found == "Requirement" or node_id == value):
                    candidates.append(_Candidate(found, node_id))
                elif node_id == value:
                    elsewhere.add(found)
        if label and label not in ref.targets:
            return self._fail(ref, f"{ref.column} '{ref.raw}' names {with_article(label)}, but "
                                   f"{ref.column} takes {self._kinds(ref.targets)}")
        unique = {(c.label, c.id) for c in candidates}
        if len(unique) == 1:
            return unique.pop()
        if len(unique) > 1:
            options = " or ".join(f"{lbl}:{value}" for lbl, _ in sorted(unique))
            return self._fail(ref, f"{ref.column} '{ref.raw}' is ambiguous: write {options}")
        if elsewhere:
            found = ", ".join(with_article(x) for x in sorted(elsewhere))
            return self._fail(ref, f"{ref.column} '{ref.raw}' is {found}, not "
                                   f"{self._kinds(targets)}")
        return self._fail(ref, f"{ref.column} '{ref.raw}' is not a known "
                               f"{self._kinds(targets, article=False)} id"
                               f"{self._suggestion(value, targets)}")

    #: Unknown references that get a suggestion; past this, a bundle that is wrong
    #: throughout is reported without the cost of comparing every id.
    SUGGESTED = 50

    def _suggestion(self, value: str, targets: tuple[str, ...]) -> str:
        """' (did you mean X?)' for a near miss among the ids of ``targets`` that the bundle
        defines (or the catalogue's references, for requirements)."""
        self._suggested += 1
        if self._suggested > self.SUGGESTED:
            return ""
        if self._ids_by_label is None:
            self._ids_by_label = self._bundle.by_label()
            self._ids_by_label["Requirement"] = [
                *self._ids_by_label.get("Requirement", []), *(i.ref for i in catalogue())]
        choices = [i for t in targets for i in self._ids_by_label.get(t, [])]
        return did_you_mean(value, choices)

    @staticmethod
    def _kinds(targets: tuple[str, ...], article: bool = True) -> str:
        if set(targets) >= set(ONTOLOGY.labels):  # a column naming any kind of node (concerns)
            return "a node" if article else "node"
        names = [(with_article(t) if article else t) for t in targets]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]

    def _fail(self, ref: Ref, message: str) -> NodeKey | None:
        """Record why ``ref`` does not resolve; returns None for the caller to pass on."""
        self.issues.append(BundleIssue(ref.file, ref.row, ref.column, message))
        return None


def refs_of(amendments: Iterable[tuple[Ref, NodeDraft]], rels: Iterable[RelDraft]
            ) -> set[Named]:
    """What the references written in ``amendments`` and at the ends of ``rels`` name."""
    named = {(ref.raw, ref.targets) for ref, _ in amendments}
    for rel in rels:
        named.update((end.raw, end.targets) for end in (rel.start, rel.end)
                     if isinstance(end, Ref))
    return named
