"""Reading a payment statement (对账单/银行流水): the columns, the template, checking rows.

Pure functions, no database. A statement exported by a payment platform or a bank, or
filled in from Kehou's template, has one incoming payment per row: 交易时间, 金额, 付款人,
备注/附言 and 流水号. Every cell is checked before anything is written; one bad cell
rejects the file, each problem named by row (as the spreadsheet numbers it) and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.money import ZERO
from people.roster import RowError, header_key
from people.roster_files import decode_csv

_ZIP_MAGIC = b"PK\x03\x04"
_HEADER_SEARCH_ROWS = 15  # banks put the account and period above the header


class StatementFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    aliases: tuple[str, ...]
    help: Any  # lazy text for the 说明 sheet


COLUMNS: tuple[Column, ...] = (
    Column("paid_at", "交易时间", True, ("交易日期", "入账时间", "入账日期", "支付时间", "时间", "日期", "date", "time"),
           gettext_lazy("2026-09-05 10:23:11, 2026/9/5 or a date cell.")),
    Column("amount", "金额", True, ("交易金额", "收入金额", "收入", "贷方金额", "收款金额", "金额元", "amount"),
           gettext_lazy("Yuan, at most two decimals: 350 or 350.00 (¥ and thousands separators are accepted).")),
    Column("payer", "付款人", False, ("付款方", "对方户名", "付款人姓名", "对方名称", "对方账户名", "payer"),
           gettext_lazy("As the statement shows it.")),
    Column("memo", "备注", False, ("附言", "备注附言", "摘要", "用途", "交易附言", "留言", "memo", "remark"),
           gettext_lazy("Must contain the child's student number (学号) or the application receipt.")),
    Column("reference", "流水号", True, ("交易流水号", "交易单号", "订单号", "商户单号", "凭证号", "交易号", "reference"),
           gettext_lazy("The platform's or bank's unique number of the payment; importing it again changes nothing.")),
)
_BY_KEY = {c.key: c for c in COLUMNS}
EXAMPLE = {"paid_at": "2026-09-05 10:23:11", "amount": "350.00", "payer": "张丽",
           "memo": "学号20260001 课后服务费", "reference": "4200001234202609051234567890"}


@dataclass(frozen=True)
class PaymentLine:
    row: int
    paid_on: dt.date
    amount: Decimal
    payer: str
    memo: str
    reference: str


def read_rows(data: bytes, filename: str) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """Return the header and the non-empty rows below it (with spreadsheet row numbers)."""
    name = (filename or "").lower()
    if not data:
        raise StatementFileError(_("The file is empty."))
    if data.startswith(_ZIP_MAGIC):
        source = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        text = decode_csv(data)
        first = text.split("\n", 1)[0]
        source = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if first.count("\t") > first.count(",") else ",")
    else:
        raise StatementFileError(_("Upload an .xlsx or .csv statement (start from the template)."))
    known = {header_key(c.header): c.key for c in COLUMNS} | {header_key(a): c.key for c in COLUMNS for a in c.aliases}
    rows = [(n, list(values)) for n, values in enumerate(source, start=1)]
    header_at = next(
        (i for i, (_n, values) in enumerate(rows[:_HEADER_SEARCH_ROWS])
         if sum(header_key(v) in known for v in values) >= 2),
        next((i for i, (_n, values) in enumerate(rows) if not _blank(values)), None),
    )
    if header_at is None:
        raise StatementFileError(_("The file is empty."))
    body = [(n, values) for n, values in rows[header_at + 1:] if not _blank(values)]
    return rows[header_at][1], body


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(values_only=True))
        workbook.close()
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise StatementFileError(_("The file could not be read as .xlsx; it may be damaged.")) from None
    yield from rows


def _blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def parse_lines(headers: Sequence[Any], rows: Sequence[tuple[int, Sequence[Any]]]) -> tuple[list[PaymentLine], list[RowError]]:
    """Check every row; return the payment lines, or every problem found (and no lines)."""
    known = {header_key(c.header): c.key for c in COLUMNS} | {header_key(a): c.key for c in COLUMNS for a in c.aliases}
    columns: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    for position, raw in enumerate(headers):
        key = known.get(header_key(raw))
        if key is not None and key not in columns:
            columns[key] = (position, str(raw).strip())
    missing = [c.header for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        return [], [RowError(1, "", _("Missing columns: %(columns)s. Start from the template.") % {
            "columns": "、".join(missing)})]
    if "memo" not in columns and "payer" not in columns:
        return [], [RowError(1, "", _("The statement needs a 备注 (remark) column to match payments to children."))]
    lines: list[PaymentLine] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        def cell(key: str, values: Sequence[Any] = values) -> Any:
            position = columns[key][0] if key in columns else len(values)
            return values[position] if position < len(values) else None

        def error(key: str, message: str, number: int = number) -> None:
            errors.append(RowError(number, columns[key][1] if key in columns else _BY_KEY[key].header, message))

        paid_on = _date(cell("paid_at"))
        if paid_on is None:
            error("paid_at", _("“%(value)s” is not a date, e.g. 2026-09-05 10:23:11.") % {"value": _text(cell("paid_at"))})
        amount = _amount(cell("amount"))
        if amount is None:
            error("amount", _("“%(value)s” is not an amount in yuan with at most two decimals.") % {
                "value": _text(cell("amount"))})
        elif amount <= ZERO:
            error("amount", _("Only incoming payments can be imported; this amount is %(value)s.") % {"value": amount})
        reference = _text(cell("reference"))
        if not reference:
            error("reference", _("The transaction number (流水号) is required."))
        elif len(reference) > 64:
            error("reference", _("The transaction number is longer than 64 characters."))
        elif reference in seen:
            error("reference", _("Also on row %(row)d: each payment appears once.") % {"row": seen[reference]})
        seen.setdefault(reference, number)
        if paid_on is not None and amount is not None and amount > ZERO and reference and len(reference) <= 64:
            lines.append(PaymentLine(number, paid_on, amount, _text(cell("payer"))[:100],
                                     _text(cell("memo"))[:300], reference))
    if not rows:
        errors.append(RowError(None, "", _("The file has a header but no payments.")))
    return ([] if errors else lines), errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a long number typed into a general cell
    return unicodedata.normalize("NFKC", str(value)).strip()


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    # openpyxl gives a number cell as float; its shortest repr is the typed figure.
    text = repr(value) if isinstance(value, float) else _text(value)
    text = re.sub(r"[\s,¥￥元]|RMB|CNY", "", text, flags=re.IGNORECASE).lstrip("+")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?$")


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{8}(\d{6})?", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:8]}"
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def template_workbook() -> bytes:
    """Return the statement template: the Chinese headers, one example row and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "缴费流水"
    sheet.append([c.header for c in COLUMNS])
    sheet.append([EXAMPLE[c.key] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, max_row=500):
        for cell in row:
            cell.number_format = "@"  # text: keeps long 流水号 and amounts exactly as typed
    for letter, width in zip("ABCDE", (20, 12, 12, 36, 32), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("说明")
    notes.append([_("Column"), _("Required"), _("Also accepted as"), _("How to fill it in")])
    for c in COLUMNS:
        notes.append([c.header, _("yes") if c.required else _("no"), "、".join(c.aliases), str(c.help)])
    notes.append([])
    notes.append([_("Delete the example row before importing. One bad cell rejects the whole file.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
