"""Reading an uploaded roster: .xlsx (openpyxl, read-only) or .csv in UTF-8 or GBK.

Excel and WPS in China save "CSV" in GBK (GB18030 is its superset) unless told
otherwise; newer versions offer "CSV UTF-8", which starts with a byte-order mark. Both work.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from people.roster import Progress, header_key

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_HEADER_SEARCH_ROWS = 10  # a title line (城南小学2026年学生名册) may sit above the header


class RosterFileError(Exception):
    """The file as a whole cannot be used; the message is for the user."""


@dataclass(frozen=True)
class Table:
    headers: list[Any]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells)


def read_table(
    data: bytes, filename: str, *, max_rows: int | None = None, progress: Progress | None = None
) -> Table:
    """Return the header and the non-empty rows below it, or raise ``RosterFileError``.

    ``progress`` is told ("read", rows so far, 0) now and then: the total is not known yet.
    """
    max_rows = settings.KEHOU_IMPORT_MAX_ROWS if max_rows is None else max_rows
    name = (filename or "").lower()
    if not data:
        raise RosterFileError(_("The file is empty."))
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise RosterFileError(_("This is an old .xls file: save it as .xlsx or CSV and try again."))
    if data.startswith(_ZIP_MAGIC):
        return _table(_xlsx_rows(data), max_rows, progress)
    if name.endswith(".xlsx"):
        raise RosterFileError(_("The file could not be read as .xlsx; it may be damaged."))
    if name.endswith((".csv", ".txt")):
        return _table(_csv_rows(data), max_rows, progress)
    raise RosterFileError(_("Upload an .xlsx or .csv file (start from the template)."))


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise RosterFileError(
            _("The file could not be read as .xlsx; it may be damaged.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # Files saved by some tools carry a wrong size record; read every cell instead.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except RosterFileError:
        raise
    except Exception:
        raise RosterFileError(
            _("The file could not be read as .xlsx; it may be damaged.")
        ) from None
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """Return the text of a CSV saved as UTF-8 (with or without BOM), UTF-16 or GBK."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(_("The CSV file's text encoding was not recognised; save it as UTF-8."))


def _csv_rows(data: bytes) -> Iterator[Sequence[Any]]:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise RosterFileError(_("The CSV file could not be read.")) from None


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _table(
    source: Iterable[Sequence[Any]], max_rows: int, progress: Progress | None = None
) -> Table:
    """Find the header row, then collect the non-empty rows below it (at most ``max_rows``).

    The header is the first row naming 姓名 (a title line may sit above it), else the first
    non-empty row, so that a wrong header is reported column by column.
    """
    source = iter(source)
    head = list(islice(source, _HEADER_SEARCH_ROWS))
    filled = [i for i, values in enumerate(head) if not _is_blank(values)]
    if not filled:
        raise RosterFileError(_("The file is empty."))
    name_keys = {header_key("姓名"), "name"}
    at = next((i for i in filled if name_keys & {header_key(v) for v in head[i]}), filled[0])
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(chain(head[at + 1 :], source), start=at + 2):
        if _is_blank(values):
            continue
        if len(rows) >= max_rows:
            raise RosterFileError(
                _("The file has more than %(max)d students; split it into several files.")
                % {"max": max_rows}
            )
        rows.append((number, list(values)))
        if progress and len(rows) % 500 == 0:
            progress("read", len(rows), 0)
    if progress:
        progress("read", len(rows), 0)
    return Table(headers=list(head[at]), rows=rows)
