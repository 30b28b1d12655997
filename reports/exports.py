"""Workbooks of the reports (openpyxl). Headers are Chinese: the sheets go to the bureau as they are."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.district import DistrictView

DISTRICT_HEADERS = (
    "学校", "学期", "方案已公布", "达到5+2", "在籍学生", "申请人数", "参加人数", "参加比例",
    "每周5天参加", "每学期收费(元)", "每学期上限", "每课时收费(元)", "每课时上限",
    "每课时报酬(元)", "报酬上限", "考勤记录", "出勤率", "安全事件", "教师人数", "参与教师",
    "校外人员", "志愿者",
)


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def district_workbook(view: DistrictView) -> bytes:
    """Return the district table (one row a school) and the coverage figures on a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "学校明细"
    sheet.append(list(DISTRICT_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in view.rows:
        sheet.append([
            r.school.name, r.term.name if r.term else "", _yes(r.plan_published), _yes(r.five_plus_two),
            r.on_roll, r.applied, r.served, r.share_served, r.five_days,
            r.fee_per_term, r.fee_cap_per_term, r.fee_per_period, r.fee_cap_per_period,
            r.pay_per_period, r.pay_cap_per_period, r.marks, r.attendance_rate, r.incidents,
            r.teachers, r.teachers_taking_part, r.outside_staff, r.volunteers,
        ])
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 20
    cover = book.create_sheet("覆盖情况")
    cover.append(["指标", "数量", "比例"])
    for label, figure, share in view.coverage.figures():
        cover.append([str(label), figure, share])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
