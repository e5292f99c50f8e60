"""What leaves aimsgraph for a terminal or a spreadsheet program cannot act on them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from aimsgraph.api.output import _default, csv_cell, csv_text, plain, to_json
from aimsgraph.api.render import to_csv, to_markdown
from aimsgraph.graph.reports.standard import Report, Section


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(1)", "'@SUM(1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'=1"), ("Claims triage", "Claims triage"), (-3, -3),
    (None, ""), ("a=b", "a=b"), ("\x1b[2J=x", "[2J=x"),
])
def test_csv_cells_that_would_run_are_neutralised(value: object, written: object) -> None:
    assert csv_cell(value) == written


@pytest.mark.parametrize("value", [
    {"subject": {"type": "Person", "id": "U-caf\u00e9", "name": "Zo\u00eb \U0001f600 \u2028"},
     "on": dt.date(2026, 6, 15), "at": dt.datetime(2026, 11, 28, 17, 6, 15, 120,
                                                      tzinfo=dt.UTC),
     "ids": {"b", "a"}, "empty": [], "none": {}, "flags": [True, False, None],
     "text": "tab\t nul\x00 esc\x1b quote\" slash\\ del\x7f"},
    {"big": 2 ** 70, "small": -(2 ** 63)},  # past 64 bits: the standard library writes it
    {"1": [1, [2, [3, {"x": []}]]]},
])
def test_json_output_is_the_standard_librarys_ascii_json(value: object) -> None:
    assert to_json(value) == json.dumps(value, indent=2, default=_default)
    assert to_json(value).isascii()
    assert json.loads(to_json(value)) == json.loads(json.dumps(value, default=_default))


def test_csv_text_neutralises_header_and_rows() -> None:
    rows = list(csv.reader(io.StringIO(csv_text(["=h"], [["@x"], [1]]))))
    assert rows == [["'=h"], ["'@x"], ["1"]]


def test_terminal_text_loses_control_and_bidi_characters() -> None:
    assert plain("\x1b]0;title\x07CEO\u202e\u200b\nnext") == "]0;titleCEO next"


def test_reports_are_neutralised_and_markdown_escapes_html() -> None:
    report = Report("soa", "<b>SoA</b>", "2026-11-27", [Section(
        "<i>part</i>", ["name", "note"], [["=SUM(A1)", "<script>alert(1)</script>|x"]])], {})
    assert "'=SUM(A1)" in to_csv(report)
    markdown = to_markdown(report)
    assert "<script>" not in markdown and "<b>" not in markdown and "<i>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\\|x" in markdown


def _table_text(width: int, header: list[str], rows: list[list[object]]) -> str:
    from rich.console import Console

    from aimsgraph.api.output import _print_table

    console = Console(width=width, record=True, file=io.StringIO())
    _print_table(console, header, rows, "title")
    return console.export_text()


IDS = ["ISO42001:A.6.2.4", "20261128T111609Z-ae0dd75f", "SYS-CUSTOMER-CHURN-2"]


def test_tables_keep_ids_whole_at_80_columns_and_wrap_the_rest() -> None:
    rows = [[i, "a long description that has to wrap somewhere on a narrow terminal " * 2,
             "controls.csv:23"] for i in IDS]
    text = _table_text(80, ["id", "description", "source"], rows)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.count("│") > 0  # still a table
    for value in [*IDS, "controls.csv:23"]:
        assert value in text  # never broken across lines


def test_a_table_too_wide_for_the_terminal_becomes_blocks_of_lines() -> None:
    header = [f"column {n}" for n in range(8)]
    rows = [[f"{i}-{n}" for n in range(8)] for i in IDS]
    text = _table_text(80, header, rows)
    assert "│" not in text
    assert f"column 0: {IDS[0]}-0" in text and f"column 7: {IDS[2]}-7" in text
    assert max(len(line) for line in text.splitlines()) <= 80
