"""The term's inspection summary (查堂) as an .xlsx for the yearly review (plan 3: 检查成绩将记入年度考核).

The sheet is the school's own form, so its headers are Chinese whatever the reader's language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from staffing.selectors import InspectionSummary

HEADERS = ("姓名", "查堂次数", "出勤平均分", "内容平均分", "质量平均分", "总平均分")


def inspection_workbook(*, title: str, rows: Sequence[InspectionSummary]) -> bytes:
    """Return the workbook: a title row, the headers, one row per teacher."""
    book = Workbook()
    sheet = book.active
    sheet.title = "查堂汇总"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append([r.name, r.count, r.attendance, r.content, r.quality, round(r.total, 2)])
    sheet.column_dimensions["A"].width = 14
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
