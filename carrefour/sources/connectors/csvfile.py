"""CSV files: encoding and separator detected, header-less files, ragged rows reported (or realigned by content)."""

import csv
import io
import re
from collections.abc import Iterator
from typing import Literal

from django.utils.translation import gettext as _

from carrefour.sources.connectors.base import ConnectorError, RawRow, Reading, RowIssue, read_bytes
from carrefour.sources.connectors.encoding import decode

DELIMITERS = ",;|\t"
SPACES = re.compile(r"\s+")


def read(path, options: dict) -> Reading:
    reading = Reading(rows=iter(()))
    text = decode(read_bytes(path), options.get("encoding"), reading.warnings, options.get("refuse_undeclared", False))
    delimiter = options.get("delimiter") or sniff_delimiter(text)
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if options.get("quoting") == "none" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    if options.get("header", True):
        header = next(reader, None)
        if header is None:
            raise ConnectorError(_("Le fichier est vide."))
        columns = clean_header(header)
    else:
        columns = list(options.get("columns") or [])
        if not columns:
            raise ConnectorError(_("Fichier sans ligne d'en-tête : déclarez ses colonnes (« columns »)."))
    reading.columns = columns
    reading.rows = _rows(reader, columns, options.get("realign"), reading.issues)
    return reading


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text[:50_000].splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=first.count) if first else ","


def clean_header(header: list[str]) -> list[str]:
    """Trim and collapse spaces (« Nom du projet  » → « Nom du projet »); name empty or repeated columns."""
    columns: list[str] = []
    for index, name in enumerate(header, start=1):
        name = SPACES.sub(" ", name).strip() or f"colonne_{index}"
        while name in columns:
            name = f"{name}_{index}"
        columns.append(name)
    return columns


def _rows(reader, columns: list[str], realign: dict | None, issues: list[RowIssue]) -> Iterator[RawRow]:
    previous_end = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            issues.append(RowIssue(reader.line_num, "", "", "unreadable_row", _("Ligne illisible : %s") % exc))
            previous_end = reader.line_num
            continue
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) == len(columns):
            yield RawRow(line, dict(zip(columns, row, strict=True)))
            continue
        values = _realigned(row, columns, realign) if realign else None
        if values is not None:
            issues.append(_ragged(line, row, columns, "warning", _("réaligné d'après son contenu")))
            yield RawRow(line, values)
        elif realign:
            issues.append(_ragged(line, row, columns, "error", _("aucune valeur reconnaissable pour le réaligner")))
        else:
            issues.append(_ragged(line, row, columns, "warning", _("complétée par des valeurs vides")))
            padded = (row + [""] * len(columns))[: len(columns)]
            yield RawRow(line, dict(zip(columns, padded, strict=True)))


def _ragged(line: int, row: list[str], columns: list[str], severity: str, outcome: str) -> RowIssue:
    message = _("%(found)d champs au lieu de %(expected)d : %(outcome)s.") % {
        "found": len(row),
        "expected": len(columns),
        "outcome": outcome,
    }
    return RowIssue(line, "", "", "ragged_row", message, severity)


def _realigned(row: list[str], columns: list[str], realign: dict) -> dict | None:
    """Values that slid left (empty fields dropped) are placed back around an anchor recognised by its content.

    `realign`: {leading: N, anchor: {name, pattern}, before: [{name, pattern?}, …] (nearest first), after: [...]}.
    """
    anchor = re.compile(realign["anchor"]["pattern"])
    leading = int(realign.get("leading", 0))
    position = next((i for i in range(leading, len(row)) if anchor.search(row[i])), None)
    if position is None:
        return None
    values = {name: "" for name in columns}
    values.update(zip(columns[:leading], row[:leading], strict=False))
    values[realign["anchor"]["name"]] = row[position]
    _place(values, row, position, -1, realign.get("before", []), floor=leading)
    _place(values, row, position, +1, realign.get("after", []), floor=leading)
    return values


def _place(values: dict, row: list[str], position: int, step: int, slots: list[dict], floor: int) -> None:
    index = position + step
    for slot in slots:
        if not floor <= index < len(row):
            return
        pattern = slot.get("pattern")
        if pattern and not re.search(pattern, row[index]):
            continue
        values[slot["name"]] = row[index]
        index += step
