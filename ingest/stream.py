"""One bundle streamed through validation, planning and writing, a table or a chunk at a time.

A bundle is never held whole. Each table is validated as soon as it is read; its nodes are
planned and handed to the run's :class:`~ingest.sink.Sink` at once, and only what the rest of
the bundle needs of them is kept: their ids (references resolve against them) and, compactly,
the relationships the table states. Those wait for the end, because a reference may name a
node of a table read later, and a bare id must name exactly one node among the bundle and
the graph; they are then resolved, planned and written a chunk at a time.

The checks that span the bundle work on compact indexes rather than on rows held at once:
duplicate and look-alike ids and overlapping periods per file as validation has always done
(an index of the file's keys), references against :class:`~ingest.references.BundleIds`, a
fact stated again in a later chunk by a set of the keys (or, outside ``--sync``, of the
hashes of the keys) already planned, and the one-parent rule on the reporting lines stated.

Once any issue is found nothing more is planned, but every table is still validated and
every reference resolved, so one run reports every problem; the caller then takes back what
was written (:meth:`Sink.abort`, or the rollback of the one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from itertools import compress
from pathlib import Path
from typing import Any, TypeVar, cast

from aimsgraph.graph.store.interface import ReadTransaction
from aimsgraph.graph.store.records import NodeKey, RelKey
from aimsgraph.ingest.draft import Draft, NodeDraft, Ref, RelDraft
from aimsgraph.ingest.plan import (
    SOA_COUNTED,
    Plan,
    Provenance,
    Wanted,
    check_single_parent,
    join_issue,
    plan_nodes,
    plan_relationships,
    plan_removals,
    reporting_lines,
    state,
)
from aimsgraph.ingest.readers import ReadLimits, read_bundle
from aimsgraph.ingest.references import BundleIds, Resolver, refs_of
from aimsgraph.ingest.sink import Kept, Sink
from aimsgraph.ingest.tables import Bundle, Table, UploadedBundle
from aimsgraph.ingest.validate import validate_table
from aimsgraph.ontology import BundleIssue, IssueLog, StoreError

__all__ = ["REL_CHUNK", "Reading", "Streamer", "plan_whole"]

T = TypeVar("T")
#: How a streamed run reads the store: in its own transaction, or one per chunk.
Reading = Callable[[Callable[[ReadTransaction], T]], T]

#: Relationships resolved, planned and written at a time.
REL_CHUNK = 50_000

#: A relationship held until the end: type, start and its reference's spec (-1: a node key),
#: end and its spec, properties (None: none) and where it was stated.
_Held = tuple[str, "NodeKey | str", int, "NodeKey | str", int, "dict[str, Any] | None", str]


class _Seen:
    """The relationship keys planned so far: exactly (``--sync`` removes what is not among
    them), or as hashes (only a repeat's detection needs them; a rare collision makes a fact
    stated once be planned as a repeat: written the same, counted as its first statement)."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self._keys: set[Any] = set()

    def note(self, keys: Iterable[RelKey]) -> list[RelKey]:
        """Note ``keys`` (distinct); returns those noted before, in their order. One set
        operation a chunk, not a call a key: nearly every chunk repeats nothing."""
        keys = list(keys)
        items = set(map(self._item, keys))
        before = items & self._keys
        self._keys |= items
        return [key for key in keys if self._item(key) in before] if before else []

    def _item(self, key: object) -> Any:
        return key if self.exact else hash(key)

    def __contains__(self, key: object) -> bool:
        return self._item(key) in self._keys


class Streamer:
    """The state of one streamed run: what later tables and chunks need of earlier ones."""

    #: Resolutions kept from chunk to chunk (a bundle names the same roles and requirements
    #: throughout), up to this many.
    RESOLVED_KEPT = 200_000

    def __init__(self, prov: Provenance, strict: bool, chunked: bool,
                 step: Callable[[str], None]) -> None:
        """``chunked`` false: the relationships are planned at once (a dry run, whose
        report lists every change anyway)."""
        self.prov = prov
        self.strict = strict
        self.rel_chunk = REL_CHUNK if chunked else None
        self.step = step
        #: The bundle being read (None until its first table, or a problem, is read).
        self.bundle: Bundle | None = None
        self.draft = Draft(issues=IssueLog(), warnings=IssueLog())
        self.ids = BundleIds()
        self.totals = Plan()
        self.rows = 0
        self.tables = 0
        self._held: list[_Held] = []
        #: What a held reference was written under: its targets, file and column, and where
        #: the row's locator starts in the source text it shares with its relationship.
        self._specs: dict[tuple[tuple[str, ...], str, str], int] = {}
        self._spec_list: list[tuple[tuple[str, ...], str, str, int]] = []
        self._resolved: dict[tuple[str, tuple[str, ...]], NodeKey] = {}
        self._amendments: list[tuple[Ref, NodeDraft]] = []
        self._new: dict[str, set[str]] = {}
        #: The nodes a sink plans (:meth:`Sink.plan_nodes`), in the order they were given.
        self._apart: list[tuple[str, list[str]]] = []
        self._seen = _Seen(exact=prov.sync_source is not None)
        self._repeats: Wanted = {}
        self._lines: dict[NodeKey, dict[NodeKey, str]] = {}

    # -- what the run found ---------------------------------------------------------------
    def _read(self, kind: str) -> list[BundleIssue]:
        """Reading's ``issues`` or ``warnings`` so far."""
        return getattr(self.bundle, kind) if self.bundle is not None else []

    def failed(self) -> bool:
        """Whether an issue has been found (nothing more is planned once one is)."""
        return bool(self._read("issues") or self.draft.issues
                    or (self.strict and (self._read("warnings") or self.draft.warnings)))

    def _all_warnings(self) -> IssueLog:
        warnings = IssueLog(self._read("warnings"))  # counts what either dropped
        warnings.extend(self.draft.warnings)
        return warnings

    def issues(self) -> IssueLog:
        """Every issue, reading's first (``--strict``: every warning too, as an error)."""
        issues = IssueLog(self._read("issues"))
        issues.extend(self.draft.issues)
        if self.strict:
            issues.extend(BundleIssue(w.file, w.row, w.column, f"{w.message} (--strict)")
                          for w in self._all_warnings())
        return issues

    def warnings(self) -> tuple[list[BundleIssue], int]:
        """The warnings kept, and how many there were (none under ``--strict``)."""
        if self.strict:
            return [], 0
        warnings = self._all_warnings()
        return list(warnings), warnings.total

    # -- tables as they are read ----------------------------------------------------------
    def stream(self, source: Path | str | UploadedBundle | Bundle, limits: ReadLimits | None,
               reading: Reading[Any], sink: Sink) -> None:
        """Read ``source`` (or take the tables of a bundle read already) table by table into
        ``sink``, then :meth:`finish`."""
        if isinstance(source, Bundle):
            self.bundle = source
            for table in source.tables:
                self.take(table, reading, sink, release=False)
        else:
            def consume(bundle: Bundle, table: Table) -> None:
                self.bundle = bundle
                self.take(table, reading, sink, release=True)
            self.bundle = read_bundle(source, limits, consume)
            # the bundle, its consumer and this streamer form a cycle: broken here, they are
            # freed as the run ends, not by the next walk of the collector (0.3 s at 10k)
            self.bundle.consumer = None
        self.finish(reading, sink)

    def take(self, table: Table, reading: Reading[Any], sink: Sink, release: bool) -> None:
        """Validate ``table`` and write its nodes; ``release``: its rows are not needed
        afterwards (read for this run alone), so they go before the nodes are planned."""
        self.rows += len(table.rows)
        self.tables += 1
        self.step(f"validating {len(table.rows):,} rows of {table.file}")
        draft = self.draft
        validate_table(table, draft)
        if release:
            table.rows.clear()
        nodes = list(draft.nodes.values())
        draft.nodes.clear()
        self.ids.add_nodes(nodes)
        for label, node_id in draft.rejected:
            self.ids.add(label, node_id)
        draft.rejected.clear()
        self._amendments.extend(draft.amendments)
        draft.amendments.clear()
        self._hold(draft.rels)
        draft.rels.clear()
        if not nodes or self.failed():
            return
        if sink.plan_nodes(nodes, self.prov):
            for node in nodes:  # runs of ids by label: a node costs a slot, not a tuple
                if not self._apart or self._apart[-1][0] != node.label:
                    self._apart.append((node.label, []))
                self._apart[-1][1].append(node.id)
            return
        plan, new = reading(lambda tx: self._nodes(nodes, tx))
        for label, node_id in new:
            self._new.setdefault(label, set()).add(node_id)
        self._write(plan, sink)

    def _nodes(self, nodes: list[NodeDraft], tx: ReadTransaction
               ) -> tuple[Plan, set[NodeKey]]:
        plan = Plan()
        return plan, plan_nodes(plan, nodes, tx, self.prov, stamp_sync=True, written=self._new)

    def _write(self, plan: Plan, sink: Sink) -> None:
        self.totals.add_counts(plan)
        sink.write(plan)

    # -- relationships, held compactly ----------------------------------------------------
    def _hold(self, rels: Iterable[RelDraft]) -> None:
        held = self._held
        for rel in rels:
            start, start_spec = self._end(rel.start)
            end, end_spec = self._end(rel.end)
            held.append((rel.type, start, start_spec, end, end_spec, rel.props or None,
                         rel.source))

    def _end(self, end: NodeKey | Ref) -> tuple[NodeKey | str, int]:
        if not isinstance(end, Ref):
            return end, -1
        spec = (end.targets, end.file, end.column)
        index = self._specs.get(spec)
        if index is None:
            index = self._specs[spec] = len(self._spec_list)
            self._spec_list.append((*spec, len(end.file) + 1))
        return end.raw, index

    def _ref(self, raw: str, spec: int, source: str) -> Ref:
        """A held reference as written (a source is ``file:row``, or ``file`` for a row
        without a locator: the row is what follows the file)."""
        targets, file, column, skip = self._spec_list[spec]
        return Ref(raw, targets, file, source[skip:], column)

    # -- the end: relationships, repeats, removals, reporting lines -----------------------
    def finish(self, reading: Reading[Any], sink: Sink) -> None:
        """Resolve, plan and write the relationships a chunk at a time, then what needs the
        whole bundle planned: facts stated again, ``--sync`` removals, reporting lines."""
        self._planned_apart(sink)
        total = len(self._held)
        self.step(f"planning {total:,} relationships of {self.rows:,} rows in "
                  f"{self.tables} files")
        chunk = max(total, 1) if self.rel_chunk is None else sink.rel_chunk or self.rel_chunk
        amendments = self._amendments
        only = total <= chunk
        while True:
            part = self._held[:chunk]
            del self._held[:chunk]
            plan, wanted = reading(partial(self._resolve, amendments, part))
            amendments = []
            self.draft.issues.extend(plan.issues)
            plan.issues = IssueLog()
            fresh = self._note(wanted, only)
            if not self.failed():
                self._write(plan, sink)
                self._relationships(fresh, reading, sink)
            if not self._held:
                break
        if self.failed():
            return
        if self._repeats:
            sink.flush()  # a repeat merges into what its first statement wrote
            self._relationships(self._repeats, reading, sink, False)
        self._planned_apart(sink)
        sink.settle()  # removals and reporting lines are checked against what was written
        last = reading(self._last)
        self.draft.issues.extend(last.issues)
        if not self.failed():
            self._write(last, sink)

    def _planned_apart(self, sink: Sink) -> None:
        """Count what the sink planned (:meth:`Sink.plan_nodes`,
        :meth:`Sink.plan_relationships`), and note the new nodes."""
        nodes, relationships, new = sink.planned()
        if len(new) != sum(len(ids) for _, ids in self._apart):
            raise StoreError(f"the writer answered for {len(new):,} nodes, not those sent")
        flags = iter(new)
        for label, ids in self._apart:
            self._new.setdefault(label, set()).update(compress(ids, flags))
        self._apart = []
        self.totals.add_counts(Plan(nodes=nodes, relationships=relationships))

    def _resolve(self, amendments: list[tuple[Ref, NodeDraft]], held: list[_Held],
                 tx: ReadTransaction) -> tuple[Plan, Wanted]:
        """Resolve a chunk of held relationships (and the SoA amendments, with the first):
        a reference resolved for an earlier chunk is taken as it was, without a Ref made."""
        plan = Plan()
        if len(self._resolved) > self.RESOLVED_KEPT:
            self._resolved = {}
        known, specs = self._resolved, self._spec_list
        asked = refs_of(amendments, ())
        for _, start, s_spec, end, e_spec, _, _ in held:
            if s_spec >= 0 and (start, specs[s_spec][0]) not in known:
                asked.add((start, specs[s_spec][0]))  # type: ignore[arg-type]
            if e_spec >= 0 and (end, specs[e_spec][0]) not in known:
                asked.add((end, specs[e_spec][0]))  # type: ignore[arg-type]
        resolver = Resolver(self.ids, asked, tx, known)
        resolve, ref_of, issues = resolver.resolve, self._ref, plan.issues
        amended = [amendment for ref, amendment in amendments if resolve(ref) is not None]
        wanted: Wanted = {}
        # one pass, no call per end already resolved: 160,000 relationships at 10k
        # an end is a node key (its spec -1), else the reference as written
        for rel_type, start, s_spec, end, e_spec, props, source in cast(
                "list[tuple[Any, ...]]", held):
            first = start if s_spec < 0 else (known.get((start, specs[s_spec][0]))
                                              or resolve(ref_of(start, s_spec, source)))
            last = end if e_spec < 0 else (known.get((end, specs[e_spec][0]))
                                           or resolve(ref_of(end, e_spec, source)))
            if first is None or last is None:
                continue  # reported by the resolver
            if not state(wanted, rel_type, first, last, props or {}, source):
                written = (ref_of(start, s_spec, source) if s_spec >= 0
                           else ref_of(end, e_spec, source) if e_spec >= 0 else None)
                issues.append(join_issue(rel_type, first, last, source, written))
        plan.issues.extend(resolver.issues)
        if not plan.issues and not self.failed():
            plan_nodes(plan, amended, tx, self.prov, stamp_sync=False, counted=SOA_COUNTED)
        return plan, wanted

    def _note(self, wanted: Wanted, only: bool) -> Wanted:
        """``wanted`` less the facts an earlier chunk stated (taken out of it, and kept for
        the end); ``only``: the one chunk, so nothing is stated again and, outside
        ``--sync``, nothing noted."""
        for role, ends in reporting_lines(wanted).items():
            self._lines.setdefault(role, {}).update(ends)
        if only and not self._seen.exact:
            return wanted
        for key in self._seen.note(wanted):
            props, source = wanted.pop(key)
            stated = self._repeats.get(key)
            self._repeats[key] = (props if stated is None else {**stated[0], **props}, source)
        return wanted

    def _relationships(self, wanted: Wanted, reading: Reading[Any], sink: Sink,
                       counted: bool = True) -> None:
        """Plan and write ``wanted``: where the sink writes, if it can, else here.
        ``counted`` false: facts stated again (see :func:`plan_relationships`)."""
        new = self._new

        def is_new(key: RelKey) -> bool:
            return counted and (key[1][1] in new.get(key[1][0], ())
                                or key[2][1] in new.get(key[2][0], ()))

        if sink.plan_relationships(wanted, is_new, self.prov, counted):
            return
        plan = Plan()
        reading(lambda tx: plan_relationships(plan, wanted, tx, self.prov, is_new, counted))
        self._write(plan, sink)

    def _last(self, tx: ReadTransaction) -> Plan:
        plan = Plan()
        if self.prov.sync_source:
            plan_removals(plan, self.ids, self._seen, tx, self.prov.sync_source)
        check_single_parent(plan, self._lines, tx)
        return plan


def plan_whole(streamer: Streamer, source: Path | str | UploadedBundle | Bundle,
            limits: ReadLimits | None, tx: ReadTransaction, changes: bool = False) -> Kept:
    """``source`` planned whole by ``streamer`` against ``tx`` with nothing written: a dry
    run's ledger (and, with ``changes``, every change it would write)."""
    kept = Kept(changes)
    streamer.stream(source, limits, lambda work: work(tx), kept)
    return kept
