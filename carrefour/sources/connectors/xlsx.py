"""XLSX workbooks (openpyxl, read-only): the header row is detected, e.g. on row 2 under a stray row of numbers."""

import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading
from carrefour.sources.connectors.csvfile import clean_header

HEADER_SCAN_ROWS = 10


def read(path, options: dict) -> Reading:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ConnectorError(_("Le classeur XLSX est illisible (%(error)s).") % {"error": exc}) from exc
    sheet_name = options.get("sheet")
    if sheet_name and sheet_name not in workbook.sheetnames:
        raise ConnectorError(_("La feuille « %(sheet)s » n'existe pas dans le classeur.") % {"sheet": sheet_name})
    sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
    rows = _read_rows(sheet)
    workbook.close()
    header_index = int(options["header_row"]) - 1 if options.get("header_row") else detect_header(rows)
    if header_index is None:
        raise ConnectorError(_("Aucune ligne d'en-tête trouvée dans les %d premières lignes.") % HEADER_SCAN_ROWS)
    columns = clean_header(rows[header_index])
    reading = Reading(rows=iter(()), columns=columns)
    if header_index:
        reading.warnings.append(_("En-tête trouvé à la ligne %d de la feuille.") % (header_index + 1))
    reading.rows = _rows(rows, header_index, columns)
    return reading


def _read_rows(sheet) -> list[list[str]]:
    """Every row as text. Damaged sheet settings after the data (page margins written as "") end the reading."""
    rows: list[list[str]] = []
    iterator = sheet.iter_rows(values_only=True)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return rows
        except (TypeError, ValueError) as exc:
            if not rows:
                raise ConnectorError(_("Le classeur XLSX est illisible (%(error)s).") % {"error": exc}) from exc
            return rows
        rows.append([_text(cell) for cell in row])


def detect_header(rows: list[list[str]]) -> int | None:
    """The first row whose filled cells are mostly words (not numbers) and cover most of the widest row."""
    width = max((sum(1 for cell in row if cell) for row in rows[:HEADER_SCAN_ROWS]), default=0)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        filled = [cell for cell in row if cell]
        words = [cell for cell in filled if not _is_number(cell)]
        if len(words) >= 2 and len(words) >= 0.8 * len(filled) and len(filled) >= 0.6 * width:
            return index
    return None


def _rows(rows: list[list[str]], header_index: int, columns: list[str]):
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        if not any(row):
            continue
        padded = (row + [""] * len(columns))[: len(columns)]
        yield RawRow(index + 1, dict(zip(columns, padded, strict=True)))


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True
