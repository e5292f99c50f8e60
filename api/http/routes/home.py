"""The landing page at ``/``: where the docs, reports and pages of this server are."""

from __future__ import annotations

import html

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from aimsgraph.graph.questions.kinds import REPORT_KINDS

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
    "review": "Management review pack (needs ?since=RUN or a date)",
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    """Links to everything a person opens in a browser; it needs no key, what it links to
    may."""
    keyed = bool(request.app.state.api_keys)
    reports = "".join(
        f'<li><a href="reports/{kind}?format=html">{html.escape(_REPORTS[kind])}</a> '
        f'(<a href="reports/{kind}?format=xlsx">xlsx</a>, '
        f'<a href="reports/{kind}?format=csv">csv</a>)</li>' for kind in REPORT_KINDS)
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>aimsgraph</title><style>{_STYLE}</style></head><body>
<h1>aimsgraph</h1>
<p>Governance and traceability for ISO/IEC 42001 AI management systems.</p>
<h2>API</h2>
<ul><li><a href="docs">Interactive API documentation</a> (Swagger UI{
    ": use <b>Authorize</b> with your API key" if keyed else ""})</li>
<li><a href="redoc">API reference</a> (ReDoc)</li>
<li><a href="openapi.json">OpenAPI description</a></li>
<li><a href="health">Health</a></li></ul>
<h2>Reports</h2><ul>{reports}</ul>
<h2>Pages</h2>
<ul><li><a href="visualise/gaps">The graph with its gaps marked</a></li>
<li><a href="visualise/schema">The ontology</a></li></ul>
<p>{"Every page but this one needs an API key (<code>Authorization: Bearer KEY</code>)."
    if keyed else "No API keys are configured: this server answers loopback clients only."}
The reference pages (ontology, bundle files, gap checks) are in the <code>docs/</code> folder
of the source, and <code>aimsgraph docs</code> writes them.</p>
</body></html>"""
    return HTMLResponse(page)
