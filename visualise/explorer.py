"""The live explorer served at ``GET /explore``: one offline page that asks the API.

Unlike the written pages, which carry their graph, the explorer starts empty and grows: it
searches entities (``/entities?q=``), expands a node's neighbours on click
(``/entities/{label}/{id}/neighbours``), marks the nodes with findings as of a chosen date
(``/gaps?as_of=``), filters labels, pins nodes and saves the view as PNG. Its scripts and
styles are inline (vis-network from the installed pyvis), so it needs nothing from outside the
server. The styles come from the ontology, as on every page. When the server has API keys
the page asks for one and keeps it in the tab's session storage only.
"""

from __future__ import annotations

import html

from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS
from aimsgraph.ontology import ONTOLOGY
from aimsgraph.visualise.page import script_json, static_text, vis_assets
from aimsgraph.visualise.styles import GAP_COLOUR, edge_style, legend, node_style

__all__ = ["render_explorer"]


def render_explorer(as_of: str) -> str:
    """The explorer page, opening on ``as_of`` (a YYYY-MM-DD date)."""
    js, css = vis_assets()
    styles = {
        "nodes": {n.label: node_style(n.label) for n in ONTOLOGY.nodes},
        "gap": node_style("Person", gap=True)["shadow"] | {"border": GAP_COLOUR},
        "edges": {r.type: edge_style(r.type) for r in ONTOLOGY.relationships},
        "labels": list(ONTOLOGY.labels),
    }
    entries = legend(set(ONTOLOGY.labels), set())
    boxes = "".join(
        f'<label class="lbl"><input type="checkbox" data-label="{html.escape(e["name"])}" '
        f'checked> {html.escape(e["name"])}</label>' for e in entries)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aimsgraph explorer</title>
<style>{css}</style><style>{static_text("page.css")}</style><style>{static_text("explorer.css")}</style>
<script>{js}</script>
</head><body><div id="page">
<header><h1>Explorer</h1>
<label class="asof">as of <input id="asof" type="date" value="{html.escape(as_of)}"></label>
<label class="asof">max neighbours <input id="most" type="number" min="1" max="1000"
 value="{MOST_NEIGHBOURS}" aria-label="How many neighbours a click expands, at most"></label>
<span class="summary" id="status">search for a node to start; click a node to expand it</span>
<div class="find"><input id="search" type="search" autocomplete="off"
 placeholder="Find by name or id" aria-label="Find an entity by name or id">
<ul id="results" role="listbox" hidden></ul><span id="nomatch" hidden>no match</span></div>
<button id="save" type="button">Save PNG</button>
<button id="unpin" type="button">Unpin all</button>
</header>
<div id="network"></div>
<aside>
<section id="keybox" hidden><h2>API key</h2>
<p>This server needs an API key. It is kept for this tab only.</p>
<input id="key" type="password" autocomplete="off" aria-label="API key">
<button id="usekey" type="button">Use key</button><p id="keyerror" hidden></p></section>
<h2>Labels</h2><div id="labels">{boxes}</div>
<p class="hint" id="hint">Drag a node to pin it; click to expand it.</p>
</aside></div>
<script>const STYLES = {script_json(styles)};</script>
<script>{static_text("explorer.js")}</script>
</body></html>
"""
