"""Reports as Excel workbooks: what auditors pass around.

A workbook opens on a summary sheet (the report's title, date and what each sheet holds, then
the report's own summary figures), followed by one sheet per section with a styled header row
that stays in view (frozen) and a filter on every column. Every cell is written as a value,
never as a formula: text that starts with ``=`` stays text, so a bundle cannot plant a
formula in a workbook (the same rule as :func:`api.output.csv_cell` for CSV).
"""

from __future__ import annotations

import io
import re
from typing import Any

from aimsgraph.graph.reports.model import Report

__all__ = ["to_xlsx"]

#: Characters a sheet title may not hold, and characters an xlsx cell may not hold.
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_CELL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_WIDTH = 60


def _shortened(text: str, most: int) -> str:
    """``text`` within ``most`` characters, cut after a whole word when it must be cut (a
    single word longer than that is cut where it must)."""
    if len(text) <= most:
        return text
    cut = text[:most + 1].rsplit(" ", 1)[0].rstrip(" -,;(")
    return cut if cut and len(cut) <= most else text[:most].rstrip()


def _sheet_title(title: str, taken: set[str]) -> str:
    """A unique sheet title within Excel's 31 characters, cut between words."""
    base = " ".join(_SHEET_UNSAFE.sub(" ", title).split())
    name, n = _shortened(base, 31) or "Sheet", 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = _shortened(base, 31 - len(suffix)) + suffix, n + 1
    taken.add(name.lower())
    return name


def _value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    return _CELL_UNSAFE.sub("", str(value))


def _table(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    """Write a header row (bold, shaded, frozen, filtered) and rows, as values only."""
    from openpyxl.styles import Font, PatternFill  # only a workbook needs openpyxl (0.1 s to load)
    from openpyxl.utils import get_column_letter  # as above

    sheet.append([_value(h) for h in header])
    for row in rows:
        sheet.append([_value(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # text that merely looks like a formula
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="305496")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(header, start=1):
        longest = max([len(str(name)), *(len(str(r[index - 1] or "")) for r in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, longest + 2)


def _summary_rows(report: Report, sheets: list[tuple[str, str, int]]) -> list[list[Any]]:
    """The report's title and date, each sheet with the section it holds (sheet names are
    cut at Excel's 31 characters) and its row count, then the report's summary figures."""
    rows: list[list[Any]] = [["report", report.title, None], ["as of", report.as_of, None]]
    if report.recorded:
        rows.append(["recorded", report.recorded, None])
    rows += [[f"sheet '{name}'", title, count] for name, title, count in sheets]
    figures = report.data.get("summary")
    if isinstance(figures, dict):
        rows += [[str(k).replace("_", " "), v, None] for k, v in figures.items()
                 if isinstance(v, int | str)]
    return rows


def _chart(sheet: Any, chart: dict[str, Any]) -> None:
    """The report's line chart as an Excel chart, drawn from a table of its values (a row
    per point, a column per line), in the colours of the HTML one."""
    from openpyxl.chart import LineChart, Reference
    from openpyxl.utils import get_column_letter

    from aimsgraph.api.render import chart_colours

    series = chart["series"]
    _table(sheet, ["point", *series], [[label, *(values[i] for values in series.values())]
                                       for i, label in enumerate(chart["labels"])])
    drawn = LineChart()
    drawn.title = chart["title"]
    drawn.y_axis.title = "findings"
    drawn.height, drawn.width = 9, 18
    points = len(chart["labels"])
    drawn.add_data(Reference(sheet, min_col=2, max_col=1 + len(series), min_row=1,
                             max_row=1 + points), titles_from_data=True)
    drawn.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + points))
    for line, colour in zip(drawn.series, chart_colours(len(series)), strict=True):
        line.graphicalProperties.line.solidFill = colour.lstrip("#")
    sheet.add_chart(drawn, f"{get_column_letter(len(series) + 3)}2")


def to_xlsx(report: Report) -> bytes:
    """The report as an .xlsx workbook: a summary sheet, then one sheet per section."""
    from openpyxl import Workbook  # only a workbook needs openpyxl (0.1 s to load)

    book = Workbook()
    summary = book.active
    taken = {"summary"}
    summary.title = "Summary"
    named = [(_sheet_title(section.title, taken), section) for section in report.sections]
    _table(summary, ["item", "value", "rows"], _summary_rows(
        report, [(name, section.title, len(section.rows)) for name, section in named]))
    for name, section in named:
        _table(book.create_sheet(name), section.columns, section.rows)
    if report.chart:
        _chart(book.create_sheet(_sheet_title("Trend", taken)), report.chart)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
