"""The dashboard as a page: charts drawn as SVG on the server (no script, nothing fetched:
it works offline and prints as it shows), each mark a link to the page behind it, in the
colour-blind-safe palette the graph pages use. Served at ``/``; ``aimsgraph report
dashboard -f html`` writes the same page to a file (its links then answer from a server).
"""

from __future__ import annotations

import html
from typing import Any

from aimsgraph.graph.reports.model import Report
from aimsgraph.ontology.palette import (
    BLUISH_GREEN,
    GREY,
    LIGHT_GREY,
    ORANGE,
    SKY,
    VERMILLION,
    YELLOW,
)

__all__ = ["dashboard_html"]

SEVERITY_COLOURS = {"high": VERMILLION, "medium": ORANGE, "low": SKY}
LEVEL_COLOURS = {"covered": BLUISH_GREEN, "partial": YELLOW, "none": VERMILLION,
                 "unmapped": LIGHT_GREY}
_esc = html.escape

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;
max-width:72rem;color:#222;line-height:1.4;padding:0 1rem}h1{font-size:1.5rem;margin:0}
h2{font-size:1.05rem;margin:1.4rem 0 .4rem}.grid{display:grid;
grid-template-columns:repeat(auto-fit,minmax(32rem,1fr));gap:1rem 2rem}
section{break-inside:avoid}svg a:hover rect,svg a:focus rect{stroke:#222;stroke-width:2}
svg text{font-size:11px;fill:#222}.legend span{display:inline-block;width:.8rem;height:.8rem;
margin:0 .25rem 0 .8rem;vertical-align:-.1rem}.hint{color:#555;font-size:.9rem}
@media print{.grid{display:block}a{color:inherit;text-decoration:none}}
"""


def _legend(colours: dict[str, str]) -> str:
    return '<p class="legend">' + "".join(
        f'<span style="background:{c}"></span>{_esc(name)}' for name, c in colours.items()) + \
        "</p>"


def _link(href: str, body: str, title: str) -> str:
    return f'<a href="{_esc(href)}"><title>{_esc(title)}</title>{body}</a>'


def _trend(trend: dict[str, Any]) -> str:
    """Findings per severity over the recorded runs: a line each, the chart a link to the
    gap page."""
    labels, series = trend["labels"], trend["series"]
    width, height, left, bottom = 520, 200, 36, 30
    peak = max([1, *(v for values in series.values() for v in values)])
    step = (width - left - 16) / max(1, len(labels) - 1)

    def y(value: float) -> float:
        return float(8 + (height - bottom - 8) * (1 - value / peak))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img" aria-label="Findings run by run, by severity" data-chart="trend">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}" '
             'stroke="#999"/>', f'<text x="4" y="14">{peak}</text>',
             f'<text x="4" y="{height - bottom}">0</text>']
    shown = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % shown == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{_esc(str(label))}</text>')
    marks = []
    for name, values in series.items():
        colour = SEVERITY_COLOURS.get(name, GREY)
        points = " ".join(f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(values))
        marks.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                     f'points="{points}" data-series="{_esc(name)}" '
                     f'data-values="{",".join(map(str, values))}"/>')
        marks += [f'<circle cx="{left + i * step:.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
                  for i, v in enumerate(values)]
    parts.append(_link(trend["link"], "".join(marks), "Open the gap page"))
    return "".join(parts) + "</svg>" + _legend({k: SEVERITY_COLOURS.get(k, GREY)
                                                 for k in series})


def _heat(groups: list[dict[str, Any]]) -> str:
    """A square per assessable requirement, a row per clause or Annex A objective."""
    size, gap, left = 18, 3, 46
    rows = len(groups)
    widest = max([1, *(len(g["cells"]) for g in groups)])
    width, height = left + widest * (size + gap) + 8, rows * (size + gap) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             'role="img" aria-label="ISO/IEC 42001 coverage by requirement" '
             'data-chart="coverage">']
    for r, group in enumerate(groups):
        top = 4 + r * (size + gap)
        parts.append(f'<text x="2" y="{top + 13}">{_esc(group["group"])}</text>')
        for c, cell in enumerate(group["cells"]):
            rect = (f'<rect x="{left + c * (size + gap)}" y="{top}" width="{size}" '
                    f'height="{size}" rx="2" fill="{LEVEL_COLOURS[cell["level"]]}" '
                    f'data-id="{_esc(cell["id"])}" data-level="{cell["level"]}"/>')
            parts.append(_link(cell["link"], rect,
                               f'{cell["ref"]} {cell["title"]}: {cell["level"]}'))
    return "".join(parts) + "</svg>" + _legend({k: v for k, v in LEVEL_COLOURS.items()
                                                 if k != "unmapped"})


def _bars(rows: list[dict[str, Any]], parts_of: dict[str, str], chart: str,
          label: str) -> str:
    """A horizontal stacked bar per row (its ``parts_of`` keys, in their colours), each bar
    a link to the row's page."""
    left, height, gap, width = 190, 16, 6, 520
    peak = max([1, *(sum(r[k] for k in parts_of) for r in rows)])
    scale = (width - left - 40) / peak
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{max(1, len(rows)) * (height + gap) + 6}" role="img" '
           f'aria-label="{_esc(label)}" data-chart="{chart}">']
    for i, row in enumerate(rows):
        top = 3 + i * (height + gap)
        name = f'{row.get("prefix", "")}{row["name"]}'
        marks, x = [f'<text x="2" y="{top + 12}">{_esc(name[:30])}</text>'], float(left)
        for key, colour in parts_of.items():
            value = row[key]
            if value:
                marks.append(f'<rect x="{x:.1f}" y="{top}" width="{value * scale:.1f}" '
                             f'height="{height}" fill="{colour}" data-part="{key}" '
                             f'data-value="{value}"/>')
                x += value * scale
        total = sum(row[k] for k in parts_of)
        if not total:
            marks.append(f'<rect x="{left}" y="{top}" width="2" height="{height}" '
                         f'fill="{LIGHT_GREY}" data-part="none" data-value="0"/>')
        marks.append(f'<text x="{x + 4:.1f}" y="{top + 12}">{total}</text>')
        detail = ", ".join(f"{row[k]} {k}" for k in parts_of)
        out.append(_link(row["link"], "".join(marks), f"{name}: {detail}"))
    return "".join(out) + "</svg>" + _legend(parts_of)


def dashboard_html(report: Report, links: str = "") -> str:
    """The dashboard page; ``links`` is HTML put after the charts (the server's index)."""
    data = report.data
    systems = [{**s, "prefix": f"[{s['tier']}] "} for s in data["systems"]]
    executives = [{**e, "name": f"{e['name']} ({e['items']} items)"}
                  for e in data["executives"]]
    charts = [
        ("Findings run by run", "Every recorded run, then now; click for the gap page.",
         _trend(data["trend"])),
        ("ISO/IEC 42001 coverage", "Clauses 4-10 and Annex A, a square each; click one for "
         "what covers it.", _heat(data["coverage"])),
        ("AI systems by risk tier", "Open findings on each system; click for its page.",
         _bars(systems, SEVERITY_COLOURS, "systems", "AI systems by tier and findings")),
        ("Executives", "Findings on what each executive answers for; click for their "
         "page.", _bars(executives, SEVERITY_COLOURS, "executives",
                        "Findings per executive")),
    ]
    if data["frameworks"]:
        charts.append(("Other frameworks", "Requirements by coverage through the "
                       "crosswalks; click for the coverage report.",
                       _bars([{**f, "name": f["id"]} for f in data["frameworks"]],
                             LEVEL_COLOURS, "frameworks", "Coverage of other frameworks")))
    body = "".join(f'<section><h2>{_esc(title)}</h2><p class="hint">{_esc(hint)}</p>{svg}'
                   "</section>" for title, hint, svg in charts)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>aimsgraph dashboard</title><style>{_STYLE}</style></head><body>"
            f"<h1>aimsgraph</h1><p>{_esc(report.header_sentence)}</p>"
            f'<div class="grid">{body}</div>{links}</body></html>')
