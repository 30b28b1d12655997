"""The timetable as the 课后服务样表 a school posts: an .xlsx workbook opened in Excel or WPS.

The layout is the school's published form, so its sheet names and headers are Chinese
whatever the reader's language; values (kinds, grades) follow the active language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from programs.timetable import Grid, SlotRow

LIST_SHEET = "课后服务安排表"
GRID_SHEET = "周课表"
HEADERS = ("星期", "时间", "项目", "类型", "年级/班级", "场地", "指导教师")
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_WIDTHS = (8, 14, 24, 22, 22, 14, 12)
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="EEF2F7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def timetable_workbook(*, title: str, rows: Sequence[SlotRow], grid: Grid) -> bytes:
    """Return the workbook: one row per slot on the first sheet, the weekly grid on the second."""
    book = Workbook()
    sheet = book.active
    sheet.title = LIST_SHEET
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    for row in rows:
        sheet.append(
            [
                WEEKDAY_NAMES[row.weekday],
                row.time_label,
                row.offering,
                row.kind_label,
                row.audience,
                row.venue,
                row.instructor,
            ]
        )
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"

    week = book.create_sheet(GRID_SHEET)
    week.append([title])
    week["A1"].font = Font(bold=True, size=14)
    week.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(grid.weekdays) + 1)
    week.append(["时间", *(WEEKDAY_NAMES[d] for d in grid.weekdays)])
    for cell in week[2]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    for grid_row in grid.rows:
        week.append(
            [
                grid_row.time_label,
                *("\n".join(_cell_line(r) for r in cell) for cell in grid_row.cells),
            ]
        )
    for cells in week.iter_rows(min_row=3):
        for cell in cells:
            cell.alignment = _WRAP
    week.column_dimensions["A"].width = 14
    for index in range(len(grid.weekdays)):
        week.column_dimensions[get_column_letter(index + 2)].width = 26
    week.freeze_panes = "B3"

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_line(row: SlotRow) -> str:
    return f"{row.offering}（{row.audience}·{row.venue}·{row.instructor}）"
