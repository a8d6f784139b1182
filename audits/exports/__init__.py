"""Spreadsheet downloads: the hub's heatmap, pairings, partnership map, improvement
actions and follow-up list, and the admin's audits.

- `formulas`: text a spreadsheet would run as a formula, made inert (CSV: a leading
  quote; XLSX: a text cell with Excel's quote prefix).
- `writing`: what every download shares: `Column` (one definition for the CSV, the XLSX
  and the page), file names with the hub, the as-of period and the date, the CSV and
  XLSX writers; `xlsx`: the XLSX file itself (styles, frozen header, widths, filter).
- `heatmap`: the heatmap and pairings; `tables`: the admin's audits, the partnership map;
  `actions`: the hub's improvement actions; `follow_up`: its follow-up list of a period.
"""

from audits.exports.formulas import is_formula_like, neutralise_formula, xlsx_cell
from audits.exports.heatmap import (
    heatmap_columns,
    heatmap_csv_response,
    heatmap_filename,
    heatmap_header,
    heatmap_records,
    heatmap_xlsx_response,
    pairings_csv_response,
    pairings_header,
)
from audits.exports.tables import (
    EXPORT_CHUNK_SIZE,
    audit_columns,
    audit_row,
    audits_csv_response,
    partnership_map_csv_response,
    partnership_map_header,
    partnership_map_records,
    partnership_map_xlsx_response,
)
from audits.exports.writing import (
    BOM,
    CSV_TYPE,
    XLSX_TYPE,
    Column,
    csv_response,
    dated_filename,
    download,
    export_filename,
    export_heading,
    table_sheet,
    xlsx_response,
)

__all__ = [
    "BOM",
    "CSV_TYPE",
    "EXPORT_CHUNK_SIZE",
    "XLSX_TYPE",
    "Column",
    "audit_columns",
    "audit_row",
    "audits_csv_response",
    "csv_response",
    "dated_filename",
    "download",
    "export_filename",
    "export_heading",
    "heatmap_columns",
    "heatmap_csv_response",
    "heatmap_filename",
    "heatmap_header",
    "heatmap_records",
    "heatmap_xlsx_response",
    "is_formula_like",
    "neutralise_formula",
    "pairings_csv_response",
    "pairings_header",
    "partnership_map_csv_response",
    "partnership_map_header",
    "partnership_map_records",
    "partnership_map_xlsx_response",
    "table_sheet",
    "xlsx_cell",
    "xlsx_response",
]
