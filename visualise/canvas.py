"""A canvas: the nodes and relationships one page shows, with gap and highlight marks, turned
into a pyvis network and then a page. Large canvases are laid out in Python and capped."""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyvis.network import Network

from aimsgraph.graph.questions.entity import PROVENANCE_NAMES
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.visualise.page import PageData
from aimsgraph.visualise.styles import edge_style, legend, node_style

__all__ = ["LAYOUT_THRESHOLD", "MAX_NODES", "Canvas", "node_id"]

LAYOUT_THRESHOLD = 500
MAX_NODES = 5000
_HIDDEN = {"sync_source"}
_PROVENANCE = set(PROVENANCE_NAMES)  # shown on one line of their own
_LAYOUT_LOCK = threading.Lock()


def node_id(key: NodeKey) -> str:
    return f"{key[0]}:{key[1]}"


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


@dataclass
class Canvas:
    """What to draw. Add nodes and edges, then call :meth:`page`."""

    sem: Semantics
    nodes: dict[NodeKey, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, NodeKey, NodeKey], dict[str, Any]] = field(default_factory=dict)

    def node(self, key: NodeKey, *, highlight: bool = False, gaps: list[str] | None = None,
             extra: str | None = None, level: int | None = None, past: bool = False,
             findings: list[dict[str, str]] | None = None) -> None:
        """Add ``key`` (again: marks accumulate). ``gaps`` are reasons shown on hover;
        ``findings`` (check, title, severity, reason) also feed the page's findings panel
        and filters; ``level`` places it in a left-to-right layout; ``past`` fades it."""
        info = self.nodes.setdefault(key, {"highlight": False, "gaps": [], "extra": [],
                                           "level": None, "past": False, "findings": []})
        info["highlight"] = info["highlight"] or highlight
        info["gaps"].extend(gaps or [])
        for found in findings or []:
            info["findings"].append(found)
            info["gaps"].append(f"{found['check']}: {found['reason']}")
        if extra:
            info["extra"].append(extra)
        if level is not None:
            info["level"] = level
        info["past"] = info["past"] or past

    def edge(self, rel_type: str, start: NodeKey, end: NodeKey, *, highlight: bool = False,
             broken: bool = False, former: bool = False, curved: bool = False) -> None:
        """Add a relationship; ``curved`` bends it (beside a chain drawn straight)."""
        self.node(start)
        self.node(end)
        info = self.edges.setdefault((rel_type, start, end), {"highlight": False,
                                                              "broken": False, "former": True,
                                                              "curved": False})
        info["curved"] = info["curved"] or curved
        info["highlight"] = info["highlight"] or highlight
        info["broken"] = info["broken"] or broken
        info["former"] = info["former"] and former  # current on any count: current

    def _holds_now(self, person: NodeKey, role: NodeKey) -> bool:
        """Whether ``person`` holds ``role`` on the page's date (present, in a period)."""
        return self.sem.view.has(person) and self.sem.person_present(person) and any(
            p == person and self.sem.assignment_current(rel)
            for p, rel in self.sem.view.into(role, "HOLDS"))

    def _tooltip(self, key: NodeKey, info: dict[str, Any]) -> str:
        lines = [f"{key[0]} {key[1]}", self.sem.name(key)] if self.sem.view.has(key) \
            else [f"{key[0]} {key[1]}"]
        if self.sem.view.has(key):
            props = self.sem.view.props(key)
            for name in sorted(props):
                if name not in _PROVENANCE and name not in _HIDDEN:
                    lines.append(f"{name}: {_text(props[name])}")
            if "source" in props:
                lines.append(f"from {props['source']} (run {props.get('run_id', '?')}, "
                             f"updated {props.get('updated_at', '?')})")
        lines += info["extra"]
        if info["gaps"]:
            lines.append("Gaps:")
            lines += [f"- {reason}" for reason in info["gaps"]]
        return "\n".join(lines)

    def _edge_tooltip(self, rel_type: str, start: NodeKey, end: NodeKey, former: bool) -> str:
        """The relationship, its properties and where it was read from (each fact, where a
        repeated fact holds several relationships between the two nodes)."""
        lines = [f"{rel_type}{' (former)' if former else ''}: {start[1]} -> {end[1]}"]
        facts = [props for other, props in self.sem.view.out(start, rel_type) if other == end] \
            if self.sem.view.has(start) else []
        for props in facts:
            said = [f"{k}: {_text(v)}" for k, v in sorted(props.items())
                    if k not in _PROVENANCE and k not in _HIDDEN]
            if said:
                lines.append("; ".join(said))
            if props.get("source"):
                lines.append(f"from {props['source']} (run {props.get('run_id', '?')}, "
                             f"updated {props.get('updated_at', '?')})")
        return "\n".join(lines)

    def _past(self, key: NodeKey) -> bool:
        """Whether a node belongs to the past on the page's date: evidence no longer valid,
        a person no longer (or not yet) present."""
        if not self.sem.view.has(key):
            return False
        if key[0] == "Evidence":
            return self.sem.evidence_problem(key) is not None
        if key[0] == "Person":
            return not self.sem.person_present(key)
        return False

    def label(self, key: NodeKey) -> str:
        """What a node is called on the page: its name, and a requirement's reference before
        its title (two clauses share the title "AI system impact assessment")."""
        if not self.sem.view.has(key):
            return key[1]
        name = self.sem.name(key)
        if key[0] == "Requirement":
            ref = self.sem.prop(key, "ref")
            return f"{ref} {name}" if ref else name
        return name

    def page(self, title: str, summary: str, kind: str, notes: list[str] | None = None,
             cap: int = MAX_NODES, progress: Callable[[str], None] | None = None) -> PageData:
        """The page for this canvas; above ``cap`` nodes the least important are left out."""
        step = progress or (lambda _stage: None)
        notes = list(notes or [])
        keys = sorted(self.nodes, key=lambda k: (not self.nodes[k]["highlight"],
                                                 not self.nodes[k]["gaps"], k))
        if len(keys) > cap:
            notes.append(f"{len(keys) - cap} of {len(keys)} nodes were left out to keep the "
                         f"page usable; narrow the view (a node with --depth, one system, or "
                         f"--label filters) to see them.")
            keys = keys[:cap]
        kept = set(keys)
        edges = {k: v for k, v in self.edges.items() if k[1] in kept and k[2] in kept}
        levelled = any(self.nodes[k]["level"] is not None for k in kept)
        positions: dict[NodeKey, tuple[float, float]] = {}
        if len(kept) > LAYOUT_THRESHOLD and not levelled:
            step(f"laying out {len(kept)} nodes")
            positions = self._layout(kept, edges)
        step("drawing")
        labelled_edges = kind in ("trace", "schema")
        net = Network(directed=True, height="100%", width="100%")
        for key in sorted(kept):
            info = self.nodes[key]
            past = info["past"] or self._past(key)
            style = node_style(key[0], gap=bool(info["gaps"]), highlight=info["highlight"],
                               past=past)
            extra: dict[str, Any] = {}
            if key in positions:
                extra = {"x": positions[key][0], "y": positions[key][1], "physics": False}
            if info["level"] is not None:
                extra["level"] = info["level"]
            net.add_node(node_id(key), label=self.label(key),
                         title=self._tooltip(key, info), node_type=key[0],
                         gap=bool(info["gaps"]), highlighted=info["highlight"],
                         past=past,
                         checks=sorted({f["check"] for f in info["findings"]}),
                         severities=sorted({f["severity"] for f in info["findings"]}),
                         **style, **extra)
        self.sem.view.prefetch({start for _, start, _ in edges}, outgoing=True)
        for (rel_type, start, end), info in sorted(edges.items()):
            former = info["former"] or (rel_type == "HOLDS" and not self._holds_now(start, end))
            net.add_edge(node_id(start), node_id(end),
                         title=self._edge_tooltip(rel_type, start, end, former),
                         rel_type=rel_type, former=former,
                         **({"label": rel_type} if labelled_edges else {}),
                         **({"smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.35}}
                            if info["curved"] else {}),
                         **edge_style(rel_type, highlight=info["highlight"],
                                      broken=info["broken"], former=former))
        options = self._options(kind, bool(positions), levelled)
        nodes, edge_list, *_ = net.get_network_data()
        labels = {k[0] for k in kept}
        rel_types = {k[0] for k in edges}
        findings = [{**found, "node": node_id(key), "label": self.label(key),
                     "node_type": key[0]}
                    for key in sorted(kept) for found in self.nodes[key]["findings"]]
        return PageData(title, summary, list(nodes), list(edge_list), options,
                        legend(labels, rel_types), notes, kind,
                        as_of=self.sem.as_of.isoformat(), findings=findings)

    @staticmethod
    def _options(kind: str, positioned: bool, levelled: bool) -> dict[str, Any]:
        """vis-network options: a left-to-right hierarchy for levelled pages (traces), fixed
        positions for large pages, otherwise a seeded force layout (the same picture each
        time); labels drawn only when large enough to read (level of detail by zoom)."""
        options: dict[str, Any] = {
            "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                            "multiselect": False},
            "layout": {"randomSeed": 7, "improvedLayout": not positioned},
            "physics": {"enabled": not positioned and not levelled,
                        "solver": "forceAtlas2Based",
                        "forceAtlas2Based": {"gravitationalConstant": -60,
                                             "springLength": 90},
                        "stabilization": {"iterations": 300}},
            "edges": {"smooth": False if positioned else {"type": "dynamic"},
                      "font": {"size": 11, "align": "horizontal", "color": "#333333",
                               "strokeWidth": 4, "strokeColor": "#ffffff"}},
            "nodes": {"widthConstraint": {"maximum": 170},
                      "font": {"size": 14, "face": "system-ui, sans-serif",
                               "strokeWidth": 3, "strokeColor": "#ffffff"},
                      "scaling": {"label": {"enabled": False, "drawThreshold": 6,
                                            "maxVisible": 30}}},
        }
        if levelled:
            options["layout"]["hierarchical"] = {
                "enabled": True, "direction": "LR", "sortMethod": "directed",
                "levelSeparation": 250, "nodeSpacing": 120, "treeSpacing": 160,
                "shakeTowards": "roots"}
            options["edges"]["smooth"] = False  # the chain is a straight line
        return options

    @staticmethod
    def _layout(kept: set[NodeKey], edges: dict[tuple[str, NodeKey, NodeKey], Any]
                ) -> dict[NodeKey, tuple[float, float]]:
        """Positions computed before the page opens, so the browser need not simulate.

        igraph's Fruchterman-Reingold in C, with its grid for large graphs, lays out 5,000
        nodes in well under a second (networkx's spring layout, in Python, took a minute).
        It starts from positions on a circle in key order and draws from its own seeded
        random generator (igraph's generator is process-wide, hence the lock), so the same
        graph gives the same picture every time.
        """
        import igraph  # only a graph too large for the browser's own layout needs it

        order = sorted(kept)
        index = {key: i for i, key in enumerate(order)}
        graph = igraph.Graph(n=len(order), edges=sorted({(index[s], index[e])
                                                         for _, s, e in edges}))
        # A circle as wide as igraph's own random start: its grid needs room to work.
        radius = math.sqrt(len(order))
        start = [[radius * math.cos(2 * math.pi * i / len(order)),
                  radius * math.sin(2 * math.pi * i / len(order))] for i in range(len(order))]
        with _LAYOUT_LOCK:
            igraph.set_random_number_generator(random.Random(7))
            try:
                layout = graph.layout_fruchterman_reingold(seed=start, niter=300,
                                                           grid=len(order) > 1000)
            finally:
                igraph.set_random_number_generator(random)
        coords = layout.coords
        xs, ys = [c[0] for c in coords], [c[1] for c in coords]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        scale = 40.0 * len(order) ** 0.5 / span
        return {key: (float(coords[i][0] * scale), float(coords[i][1] * scale))
                for key, i in index.items()}
