"""Rendering reports as CSV, Markdown or self-contained HTML."""

from __future__ import annotations

import html
from typing import Any

from aimsgraph.api.output import csv_text
from aimsgraph.graph.reports.standard import Report
from aimsgraph.ontology.palette import (
    BLUE,
    BLUISH_GREEN,
    GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    WINE,
)

__all__ = ["RENDERERS", "render"]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def to_csv(report: Report) -> str:
    """One plain CSV table, whatever the report: a report of several sections gets a first
    column naming each row's section, and the sections' columns side by side (a cell is
    empty where its section has no such column), so any CSV reader takes it whole. Cells
    that a spreadsheet would run as formulas are neutralised (see api.output)."""
    if len(report.sections) == 1:
        section = report.sections[0]
        return csv_text(section.columns, section.rows)
    columns: list[str] = []
    for section in report.sections:
        columns += [c for c in section.columns if c not in columns]
    rows = []
    for section in report.sections:
        index = {c: i for i, c in enumerate(section.columns)}
        rows += [[section.title, *(row[index[c]] if c in index else None for c in columns)]
                 for row in section.rows]
    return csv_text(["section", *columns], rows)


def _md(value: Any) -> str:
    """A Markdown table cell: HTML escaped (a renderer would pass it through), pipes and
    newlines kept from breaking the table."""
    return html.escape(_cell(value)).replace("|", "\\|").replace("\n", " ")


def to_markdown(report: Report) -> str:
    lines = [f"# {_md(report.title)}", "", _md(report.header_sentence), ""]
    for section in report.sections:
        lines += [f"## {_md(section.title)}", "", "| " + " | ".join(map(_md, section.columns))
                  + " |",
                  "|" + "|".join("---" for _ in section.columns) + "|"]
        lines += ["| " + " | ".join(_md(v) for v in row) + " |" for row in section.rows]
        lines.append("")
    return "\n".join(lines)


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}tr:nth-child(even) td{background:#fafafa}
td.high{color:#b00020;font-weight:600}td.medium{color:#a15c00}td.low{color:#555}
td,th{overflow-wrap:anywhere}
@page{size:A4 landscape;margin:12mm}
@media print{
body{margin:0;font-size:9pt;color:#000}h1{font-size:14pt}h2{font-size:11pt;break-after:avoid}
table{font-size:8pt;width:100%;table-layout:auto}thead{display:table-header-group}
tr,td,th{break-inside:avoid}th{background:#e6e6e6 !important;print-color-adjust:exact;
-webkit-print-color-adjust:exact}tr:nth-child(even) td{background:none}
svg{max-width:100%;height:auto}
}
"""


#: The review pack's lines: the colour-blind-safe palette of the graph pages.
_PALETTE = (VERMILLION, BLUE, BLUISH_GREEN, ORANGE, PURPLE, SKY, WINE, GREY)


def chart_colours(count: int) -> list[str]:
    """The colours of a chart's lines, the same in HTML and in a workbook."""
    return [_PALETTE[n % len(_PALETTE)] for n in range(count)]


def _svg_chart(chart: dict[str, Any]) -> str:
    """A small line chart as inline SVG: one line per series, a legend, no script."""
    esc = html.escape
    labels, series = chart["labels"], chart["series"]
    width, height, left, top, bottom = 640, 220, 40, 10, 40
    peak = max([1, *(v for values in series.values() for v in values)])
    step = (width - left - 10) / max(1, len(labels) - 1)

    def point(i: int, v: float) -> str:
        return f"{left + i * step:.1f},{top + (height - top - bottom) * (1 - v / peak):.1f}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height + 16 * len(series)}" role="img" '
             f'aria-label="{esc(chart["title"])}">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" '
             f'y2="{height - bottom}" stroke="#999"/>',
             f'<text x="2" y="{top + 10}" font-size="11">{peak}</text>',
             f'<text x="2" y="{height - bottom}" font-size="11">0</text>']
    for i, label in enumerate(labels):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - bottom + 14}" '
                     f'font-size="10" text-anchor="middle">{esc(str(label))}</text>')
    for n, (name, values) in enumerate(series.items()):
        colour = _PALETTE[n % len(_PALETTE)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                     + " ".join(point(i, v) for i, v in enumerate(values)) + '"/>')
        y = height + 16 * n
        parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + 16}" y="{y}" font-size="11">{esc(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: Report) -> str:
    """A self-contained page: inline style, no script, nothing fetched."""
    esc = html.escape
    parts = ["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">",
             f"<title>{esc(report.title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{esc(report.title)}</h1><p>{esc(report.header_sentence)}</p>"]
    if report.chart:
        parts.append(f"<h2>{esc(report.chart['title'])}</h2>{_svg_chart(report.chart)}")
    for section in report.sections:
        parts.append(f"<h2>{esc(section.title)}</h2><table><thead><tr>")
        parts += [f"<th>{esc(c)}</th>" for c in section.columns]
        parts.append("</tr></thead><tbody>")
        for row in section.rows:
            cells = []
            for column, value in zip(section.columns, row, strict=True):
                css = f" class=\"{esc(_cell(value))}\"" if column == "severity" else ""
                cells.append(f"<td{css}>{esc(_cell(value))}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)


RENDERERS = {"csv": to_csv, "markdown": to_markdown, "html": to_html}


def render(report: Report, fmt: str) -> str:
    """``report`` as ``fmt`` (csv, markdown or html; the dashboard's html is its charts)."""
    if fmt == "html" and report.kind == "dashboard":
        from aimsgraph.api.dashboard import dashboard_html  # only for the dashboard

        return dashboard_html(report)
    return RENDERERS[fmt](report)
