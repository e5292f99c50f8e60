"""The landing page at ``/``: where the docs, reports and pages of this server are."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from aimsgraph.api.dashboard import dashboard_html
from aimsgraph.api.http.deps import QueriesDep
from aimsgraph.graph.questions.kinds import REPORT_KINDS
from aimsgraph.graph.store.runs import freshness

router = APIRouter(tags=["health"])

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:46rem;color:#222;line-height:1.45}h1{font-size:1.5rem}h2{font-size:1.1rem;
margin-top:1.6rem}code{background:#f2f2f2;padding:0 .2rem}li{margin:.15rem 0}
"""

_REPORTS = {
    "soa": "Statement of Applicability", "coverage": "Clause coverage",
    "gaps": "Gap report", "audit-programme": "Internal audit programme",
    "leadership": "Leadership accountability",
    "review": "Management review pack (the last twelve months)",
    "dashboard": "Dashboard",
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, queries: QueriesDep) -> HTMLResponse:
    """The dashboard, then links to everything a person opens in a browser. It needs no key:
    where API keys are configured the charts (which read the graph) are left out, and the
    dashboard is at /reports/dashboard?format=html for a caller with a key."""
    keyed = bool(request.app.state.api_keys)
    links = _links(keyed) + _sources(freshness(queries.store.runs(100_000)))
    if keyed:
        return HTMLResponse(_page(links))
    return HTMLResponse(dashboard_html(queries.report("dashboard"), links))


def _page(links: str) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>aimsgraph</title><style>{_STYLE}</style></head><body>
<h1>aimsgraph</h1>
<p>Governance and traceability for ISO/IEC 42001 AI management systems.</p>
{links}</body></html>"""


def _sources(sources: list[dict[str, Any]]) -> str:
    """When each source last succeeded: how fresh the graph is."""
    if not sources:
        return "<h2>Sources</h2><p>Nothing has been ingested yet.</p>"
    rows = "".join(f"<li><code>{html.escape(s['source'])}</code>: last success "
                   f"{html.escape(s['last_success'] or 'never')}"
                   + ("" if s["last_outcome"] == "succeeded" else
                      f" (last run {html.escape(s['last_outcome'])})") + "</li>"
                   for s in sources)
    return f"<h2>Sources</h2><ul>{rows}</ul>"


def _links(keyed: bool) -> str:
    """The index of the server: its API, reports, deadlines and pages."""
    since = (dt.date.today() - dt.timedelta(days=365)).isoformat()
    extra = {kind: f"&amp;since={since}" if kind == "review" else "" for kind in REPORT_KINDS}
    reports = "".join(
        f'<li><a href="reports/{kind}?format=html{extra[kind]}">'
        f'{html.escape(_REPORTS[kind])}</a> '
        f'(<a href="reports/{kind}?format=xlsx{extra[kind]}">xlsx</a>, '
        f'<a href="reports/{kind}?format=csv{extra[kind]}">csv</a>)</li>'
        for kind in REPORT_KINDS)
    return f"""<h2>API</h2>
<ul><li><a href="docs">Interactive API documentation</a> (Swagger UI{
    ": use <b>Authorize</b> with your API key" if keyed else ""})</li>
<li><a href="redoc">API reference</a> (ReDoc)</li>
<li><a href="openapi.json">OpenAPI description</a></li>
<li><a href="health">Health</a></li></ul>
<h2>Reports</h2><ul>{reports}</ul>
<h2>Deadlines</h2>
<ul><li><a href="due?format=html">What falls due in 30 days, and what is late</a>
(<a href="due?format=csv">csv</a>)</li>
<li><a href="calendar.ics">The deadlines as a calendar feed</a> (subscribe to it)</li></ul>
<h2>Pages</h2>
<ul><li><a href="visualise/gaps">The graph with its gaps marked</a></li>
<li><a href="visualise/schema">The ontology</a></li></ul>
<p>{"Every page but this one needs an API key (<code>Authorization: Bearer KEY</code>)."
    if keyed else "No API keys are configured: this server answers loopback clients only."}
The reference pages (ontology, bundle files, gap checks) are in the <code>docs/</code> folder
of the source, and <code>aimsgraph docs</code> writes them.</p>"""
