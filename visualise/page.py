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

__all__ = ["PageData", "render_page"]


@cache
def _vis_assets() -> tuple[str, str]:
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
    legend: list[dict[str, str]]
    notes: list[str] = field(default_factory=list)
    kind: str = "node"


def _json(value: Any) -> str:
    """JSON safe to place inside a <script> element."""
    return json.dumps(value, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")


_CSS = """
html,body{margin:0;height:100%;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;
color:#222}
#page{display:grid;grid-template-columns:1fr 280px;grid-template-rows:auto 1fr;height:100%}
header{grid-column:1 / span 2;padding:.6rem 1rem;border-bottom:1px solid #ddd;display:flex;
gap:1rem;align-items:center;flex-wrap:wrap}
header h1{font-size:1.1rem;margin:0}
header .summary{color:#555;font-size:.9rem}
#search{padding:.3rem .5rem;min-width:16rem;border:1px solid #bbb;border-radius:4px}
#network{width:100%;height:100%;min-height:400px}
aside{border-left:1px solid #ddd;padding:.6rem;overflow:auto;font-size:.85rem}
aside h2{font-size:.95rem;margin:.2rem 0 .4rem}
.legend-item{display:flex;align-items:center;gap:.4rem;margin:.15rem 0}
.swatch{width:14px;height:14px;border-radius:3px;flex:none}
.swatch.edge{height:4px;border-radius:0}
.swatch.dashed{background:transparent!important;border-top:3px dashed}
.note{background:#fff4d6;border:1px solid #f0c36d;padding:.4rem;border-radius:4px;
margin:.4rem 0}
.gapkey{border:3px solid #d00000;background:#fff}
div.vis-tooltip{white-space:pre-wrap;max-width:420px;font-size:12px}
"""

_SCRIPT = """
(function () {
  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const container = document.getElementById("network");
  const network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  window.network = network;
  window.aimsgraph = {nodes: nodes, edges: edges, kind: DATA.kind, stable: false};
  const markStable = function () { window.aimsgraph.stable = true; };
  if (DATA.options.physics && DATA.options.physics.enabled !== false) {
    network.once("stabilizationIterationsDone", markStable);
    network.once("stabilized", markStable);
  } else {
    network.once("afterDrawing", markStable);
  }
  const byName = {};
  nodes.forEach(function (n) { byName[(n.label || "").toLowerCase()] = n.id;
                               byName[String(n.id).toLowerCase()] = n.id; });
  const search = document.getElementById("search");
  search.addEventListener("change", function () {
    const wanted = byName[search.value.trim().toLowerCase()];
    if (wanted === undefined) { search.setCustomValidity("not in this view"); return; }
    search.setCustomValidity("");
    network.selectNodes([wanted]);
    network.focus(wanted, {scale: 1.3, animation: {duration: 400}});
    highlight(wanted);
  });
  const original = {};
  nodes.forEach(function (n) { original[n.id] = n.opacity === undefined ? 1 : n.opacity; });
  function highlight(id) {
    const keep = new Set(id === null ? [] : network.getConnectedNodes(id).concat([id]));
    nodes.update(nodes.map(function (n) {
      return {id: n.id, opacity: id === null || keep.has(n.id) ? original[n.id] : 0.15};
    }));
    window.aimsgraph.highlighted = id === null ? [] : Array.from(keep);
  }
  window.aimsgraph.highlight = highlight;
  network.on("click", function (params) {
    highlight(params.nodes.length ? params.nodes[0] : null);
  });
})();
"""


def render_page(page: PageData) -> str:
    """The whole HTML document for ``page``."""
    js, css = _vis_assets()
    esc = html.escape
    options = "".join(f'<option value="{esc(n.get("label") or str(n["id"]))}"></option>'
                      for n in page.nodes)
    legend = []
    for entry in page.legend:
        if entry["kind"] == "node":
            swatch = f'<span class="swatch" style="background:{esc(entry["colour"])}"></span>'
        else:
            dashed = " dashed" if entry["shape"] == "dashed" else ""
            swatch = (f'<span class="swatch edge{dashed}" style="background:'
                      f'{esc(entry["colour"])};border-color:{esc(entry["colour"])}"></span>')
        legend.append(f'<div class="legend-item" title="{esc(entry["description"])}">'
                      f'{swatch}{esc(entry["name"])}</div>')
    notes = "".join(f'<div class="note">{esc(n)}</div>' for n in page.notes)
    data = {"nodes": page.nodes, "edges": page.edges, "options": page.options,
            "kind": page.kind}
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(page.title)} - aimsgraph</title>
<style>{css}</style><style>{_CSS}</style>
<script>{js}</script>
</head><body><div id="page">
<header><h1>{esc(page.title)}</h1><span class="summary">{esc(page.summary)}</span>
<input id="search" list="node-names" placeholder="Find a node by name or id" aria-label="Find">
<datalist id="node-names">{options}</datalist></header>
<div id="network"></div>
<aside>{notes}<h2>Legend</h2>
<div class="legend-item"><span class="swatch gapkey"></span>has a gap finding</div>
{"".join(legend)}</aside>
</div>
<script>const DATA = {_json(data)};</script>
<script>{_SCRIPT}</script>
</body></html>
"""
