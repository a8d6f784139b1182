"""Text a spreadsheet would run as a formula, and how each format makes it inert."""

import re

# A cell a spreadsheet could run as a formula: text starting with a tab or a carriage
# return, or whose first character after any whitespace, control or zero-width characters
# (which a spreadsheet may drop) is = + - or @, or their full-width and small forms
# (" =cmd", "\n=1+1", "\u200b=1", "＝1"). OWASP: make it text.
_FORMULA = re.compile(
    r"[\t\r]|[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b]"
)


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and _FORMULA.match(value) is not None


def neutralise_formula(value: object) -> object:
    """For CSV: text a spreadsheet would run as a formula, made inert with a leading
    quote. Only text: a number (-3 as an int) is a value, never a formula, and is kept."""
    return "'" + value if is_formula_like(value) else value


def xlsx_cell(sheet, value: str):
    """For an openpyxl sheet (write-only): text without the control characters XML cannot
    hold, and text a spreadsheet would run as a formula as a string cell marked as text
    (Excel's quote prefix), so that nothing is added to what the person wrote. The
    downloads use `audits.exports.xlsx`, which applies the same two rules."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
