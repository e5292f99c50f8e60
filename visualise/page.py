"""The page: one self-contained HTML file (vis-network and styles inline, nothing fetched).

pyvis models the network (nodes, edges, options); the page around it is our own template,
because pyvis's template loads Bootstrap from a CDN even with ``cdn_resources="in_line"``.
The vis ``Network`` is exposed as ``window.network`` so pages can be scripted and tested.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["PageData", "render_page", "script_json", "static_text", "vis_assets"]


@cache
def vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis").joinpath("lib/vis-9.1.2")
    return (lib.joinpath("vis-network.min.js").read_text("utf-8"),
            lib.joinpath("vis-network.css").read_text("utf-8"))


@dataclass
class PageData:
    """What a page shows: the network and the words around it."""

    title: str
    summary: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    legend: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    kind: str = "node"
    #: The date the page shows the graph on.
    as_of: str = ""
    #: Every finding on a node of the page: check, title, severity, reason, node, label.
    findings: list[dict[str, str]] = field(default_factory=list)


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element."""
    return json.dumps(value, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")


def static_text(name: str) -> str:
    return resources.files("aimsgraph.visualise").joinpath(f"static/{name}").read_text("utf-8")


#: SVG drawings of vis-network shapes for the legend (14 by 14).
_SHAPES = {
    "dot": '<circle cx="7" cy="7" r="6"/>',
    "ellipse": '<ellipse cx="7" cy="7" rx="7" ry="4.5"/>',
    "box": '<rect x="1" y="3" width="12" height="8" rx="2"/>',
    "square": '<rect x="1.5" y="1.5" width="11" height="11"/>',
    "diamond": '<polygon points="7,0.5 13.5,7 7,13.5 0.5,7"/>',
    "triangle": '<polygon points="7,1 13.5,13 0.5,13"/>',
    "triangleDown": '<polygon points="0.5,1 13.5,1 7,13"/>',
    "star": '<polygon points="7,0.5 8.8,5 13.5,5.2 9.8,8.2 11.1,13 7,10.3 2.9,13 4.2,8.2 '
            '0.5,5.2 5.2,5"/>',
    "hexagon": '<polygon points="3.5,1 10.5,1 14,7 10.5,13 3.5,13 0,7"/>',
    "database": '<path d="M1,3 a6,2 0 0,0 12,0 v8 a6,2 0 0,1 -12,0 z M1,3 a6,2 0 0,1 12,0"/>',
}
_DASHES = {"solid": "", "dashed": ' stroke-dasharray="6 3"', "dotted": ' stroke-dasharray="1.5 3"'}


def _swatch(entry: dict[str, Any]) -> str:
    """A legend swatch: the label's shape in its colour, or the relationship's line."""
    colour = html.escape(entry["colour"])
    if entry["kind"] == "node":
        shape = _SHAPES.get(entry["shape"], _SHAPES["dot"])
        return (f'<svg class="swatch" viewBox="0 0 14 14" aria-hidden="true">'
                f'<g fill="{colour}" stroke="#333" stroke-width="0.6">{shape}</g></svg>')
    return (f'<svg class="swatch line" viewBox="0 0 28 8" aria-hidden="true"><line x1="0" '
            f'y1="4" x2="28" y2="4" stroke="{colour}" stroke-width="{entry.get("width", 1) + 1}"'
            f'{_DASHES.get(entry["shape"], "")}/></svg>')


def render_page(page: PageData) -> str:
    """The whole HTML document for ``page``."""
    js, css = vis_assets()
    esc = html.escape
    legend = "".join(f'<div class="legend-item" title="{esc(e["description"])}">{_swatch(e)}'
                     f'<span>{esc(e["name"])}</span></div>' for e in page.legend)
    notes = "".join(f'<div class="note">{esc(n)}</div>' for n in page.notes)
    data = {"nodes": page.nodes, "edges": page.edges, "options": page.options,
            "kind": page.kind, "findings": page.findings, "as_of": page.as_of}
    as_of = f'<span class="asof">as of <b>{esc(page.as_of)}</b></span>' if page.as_of else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(page.title)} - aimsgraph</title>
<style>{css}</style><style>{static_text("page.css")}</style>
<script>{js}</script>
</head><body><div id="page">
<header><h1>{esc(page.title)}</h1>{as_of}<span class="summary">{esc(page.summary)}</span>
<div class="find"><input id="search" type="search" autocomplete="off"
 placeholder="Find by name or id" aria-label="Find a node by name or id">
<ul id="results" role="listbox" hidden></ul><span id="nomatch" hidden>no match</span></div>
</header>
<div id="network"></div>
<aside>{notes}
<section id="filters" hidden><h2>Show</h2>
<label>Check <select id="f-check"><option value="">every check</option></select></label>
<label>Severity <select id="f-severity"><option value="">every severity</option></select>
</label>
<label>Label <select id="f-label"><option value="">every label</option></select></label>
<div id="shown"></div></section>
<section id="findings" hidden><h2>Findings</h2><div id="finding-list"></div></section>
<h2>Legend</h2>
<div class="legend-item"><svg class="swatch" viewBox="0 0 14 14" aria-hidden="true">
<circle cx="7" cy="7" r="5" fill="#fff" stroke="#E8000B" stroke-width="3"/></svg>
<span>has a gap finding</span></div>
<div class="legend-item"><svg class="swatch" viewBox="0 0 14 14" aria-hidden="true">
<circle cx="7" cy="7" r="5" fill="#ccc" stroke="#666" stroke-width="1.5"
 stroke-dasharray="2 2" opacity="0.6"/></svg><span>former or expired (faded)</span></div>
{legend}</aside>
</div>
<script>const DATA = {script_json(data)};</script>
<script>{static_text("page.js")}</script>
</body></html>
"""
