"""The school's monthly pay sheet as .xlsx, in the columns finance offices use.

The sheet is the school's own form, so its headers are Chinese whatever the reader's language.
Amounts are written as numbers with two places; the last row holds the totals.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from payroll.models import PayLine
from payroll.selectors import describe_rule, post_label, totals_of

HEADERS = ("姓名", "岗位", "课时", "课时费", "管理补助", "外聘劳务", "扣款", "实发", "备注")
MONEY = "#,##0.00"
_WIDTHS = (12, 18, 8, 12, 12, 12, 12, 12, 40)


def _note(line: PayLine) -> str:
    parts = [f"{describe_rule(d['rule'])} {d['amount']}" for d in line.deductions]
    if line.duty_days:
        parts.insert(0, f"值班{line.duty_days}天")
    return "；".join(parts)


def pay_sheet_workbook(*, title: str, lines: Sequence[PayLine]) -> bytes:
    """Return the pay sheet: a title row, the headers, one row per person, then 合计."""
    book = Workbook()
    sheet = book.active
    sheet.title = "工资表"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append([line.staff.name, post_label(line.staff), line.periods, line.teaching_pay, line.subsidy,
                      line.external_pay, line.deducted, line.net, _note(line)])
    t = totals_of(list(lines))
    sheet.append(["合计", "", t.periods, t.teaching_pay, t.subsidy, t.external_pay, t.deducted, t.net, ""])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3, min_col=4, max_col=8):
        for cell in row:
            cell.number_format = MONEY
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
