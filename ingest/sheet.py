"""The rows of one worksheet, read cell by cell with the checks openpyxl does not make.

openpyxl reads a sheet's XML trusting what it finds: a shared-string index of -1 reads the
last string, a number cell holding ``maybe`` raises ``int()``'s own message, an impossible ISO
date raises ``datetime``'s, and (reading saved results only) a formula whose result was never
saved reads as an empty cell. Each of these is a damaged or hand-made file; here each becomes
a :class:`CellError` naming the cell, so the reader reports it at its row in a person's words.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

__all__ = ["CellError", "sheet_rows"]


class CellError(ValueError):
    """A cell that cannot be read as the workbook declares it; ``row`` is its row number."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


#: What openpyxl (and the datetime and int conversions under it) raise for a cell whose
#: stored text does not fit its declared type.
_CONVERSION_ERRORS = (ValueError, TypeError, IndexError, KeyError, OverflowError)


class _CheckedParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's sheet parser, refusing the cells it would misread (see the module)."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        where = element.get("r") or f"column {self.col_counter + 1}"
        value = element.findtext(VALUE_TAG)
        if element.find(FORMULA_TAG) is not None and not value:
            raise CellError(self.row_counter, f"cell {where} holds a formula whose result was "
                            "never saved (save the workbook in a spreadsheet program that "
                            "calculates, or type the value)")
        if element.get("t") == "s" and value is not None and not (
                value.strip().isdigit() and int(value) < len(self.shared_strings)):
            raise CellError(self.row_counter, f"cell {where} refers to shared text "
                            f"'{value[:20]}', which the workbook does not hold")
        try:
            return dict(super().parse_cell(element))
        except _CONVERSION_ERRORS:
            kind = element.get("t", "n")
            raise CellError(self.row_counter, f"cell {where} holds '{(value or '')[:40]}', "
                            f"which is not readable as its declared type '{kind[:12]}'") from None


def sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """``(row number, values)`` for each row of a read-only ``sheet`` that holds a cell, in
    order; values stand at their column's place (None where a cell is missing). The first
    row yielded is row 1, empty if the sheet has none. Raises :class:`CellError`."""
    book = sheet.parent
    with sheet._get_source() as source:
        parser = _CheckedParser(source, sheet._shared_strings, data_only=True,
                                epoch=book.epoch, date_formats=book._date_formats,
                                timedelta_formats=book._timedelta_formats)
        first = True
        try:
            for number, cells in parser.parse():
                if first and number != 1:
                    yield 1, []
                first = False
                values: list[Any] = []
                for cell in cells:
                    column = int(cell["column"])
                    if column > len(values):
                        values.extend([None] * (column - len(values)))
                    values[column - 1] = cell["value"]
                yield number, values
        except CellError:
            raise
        except _CONVERSION_ERRORS:  # a row attribute that is not a number
            raise CellError(parser.row_counter + 1, "a row of the sheet is damaged (its row "
                            "number cannot be read)") from None
