"""Public accounts (公示): the fee notice and the term's income/expense statement, as PDF and .xlsx.

Plan 1 一(二): 将课后服务收费标准、收费依据及投诉举报电话等内容…予以公示。每学期末学校要
主动向家长公示课后服务费的收支情况. Plan 7 七 2: 主动向家长公布收支情况. The page, the PDF
and the workbook print the same lines, built once here; they carry totals only — no
child, guardian or staff member is named.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape as _escape

from django.utils import timezone
from django.utils.translation import gettext as _

from finance.selectors import PublicStatement, public_statement
from lib.money import yuan
from plans.models import SchoolPlan
from plans.notice import word
from plans.pdf import register_cjk_font
from plans.policy import parse_document
from plans.policy_types import money_text


@dataclass
class Disclosure:
    plan: SchoolPlan
    notice: list[str]
    statement: PublicStatement

    @property
    def title(self) -> str:
        return f"{self.plan.school.name} · {self.plan.term.name}"


def fee_notice(plan: SchoolPlan) -> list[str]:
    """Return the fee notice: each fee standard, the basis documents and the complaint phone."""
    doc = parse_document(plan.document)
    lines = [
        _("%(name)s: %(amount)s yuan %(basis)s (%(kind)s).") % {
            "name": item.name, "amount": money_text(item.amount), "basis": word(item.basis),
            "kind": word(item.fee_kind)}
        for item in doc.fees.items
    ]
    if doc.fees.government_allocation_per_student is not None:
        lines.append(_("Government allocation: %(amount)s yuan per pupil per term.") % {
            "amount": money_text(doc.fees.government_allocation_per_student)})
    if doc.fees.meals:
        lines.append(_("Lunch: about %(price)s yuan a meal, collected for the meal provider (代收费), billed monthly.")
                     % {"price": money_text(doc.fees.meals.price_per_meal)})
    for waiver in doc.fees.waivers:
        lines.append(_("%(group)s: %(percent)s%% of the fee waived.") % {
            "group": word(waiver.group), "percent": waiver.percent})
    if doc.governance.fee_basis:
        lines.append(_("Fee basis: %(docs)s.") % {"docs": "、".join(doc.governance.fee_basis)})
    lines.append(_("Complaint phone: %(phone)s") % {"phone": doc.governance.complaint_phone or "—"})
    return lines


def disclosure(plan: SchoolPlan) -> Disclosure:
    return Disclosure(plan, fee_notice(plan), public_statement(plan.term))


def _table(d: Disclosure) -> list[tuple[str, str, str]]:
    """Return (section, item, amount) rows, the one layout of the PDF and the workbook."""
    s = d.statement
    rows = [(_("Income"), line.label, yuan(line.amount)) for line in s.income]
    rows.append((_("Income"), _("Total income"), yuan(s.income_total)))
    rows += [(_("Expenses"), line.label, yuan(line.amount)) for line in s.expenses]
    rows.append((_("Expenses"), _("Total expenses"), yuan(s.expense_total)))
    rows.append((_("Balance"), _("Income less expenses"), yuan(s.balance)))
    rows += [(_("Meals collected and paid on (代收代付)"), line.label, yuan(line.amount)) for line in s.meals]
    return rows


def statement_pdf(d: Disclosure) -> bytes:
    """Return the notice and the statement as a PDF with the embedded CJK font (plans.pdf)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("h2", parent=body, fontSize=13, leading=20, spaceBefore=8)
    title = ParagraphStyle("h1", parent=body, fontSize=16, leading=24, alignment=1)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=d.title, author=d.plan.school.name)
    story = [
        Paragraph(_escape(d.title), title),
        Paragraph(_escape(_("After-school service fees: notice and income/expense statement")), title),
        Paragraph(_escape(_("Generated from the ledger on %(date)s.") % {"date": timezone.localdate()}), body),
        Paragraph(_escape(_("Fee notice")), heading),
        *[Paragraph("· " + _escape(line), body) for line in d.notice],
        Paragraph(_escape(_("Income and expenses (yuan)")), heading),
        Spacer(1, 2 * mm),
    ]
    cells = [[Paragraph(_escape(a), body), Paragraph(_escape(b), body), Paragraph(c, body)] for a, b, c in _table(d)]
    table = Table(cells, colWidths=[40 * mm, 100 * mm, 32 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("ALIGN", (2, 0), (2, -1), "RIGHT")]))
    story.append(table)
    pdf.build(story)
    return buffer.getvalue()


def statement_xlsx(d: Disclosure) -> bytes:
    """Return the notice and the statement as a workbook (amounts as numbers with two places)."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "收支公示"
    sheet.append([d.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Section"), _("Item"), _("Amount (yuan)")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for section, item, amount in _table(d):
        sheet.append([section, item, Decimal(amount)])
        sheet.cell(row=sheet.max_row, column=3).number_format = "#,##0.00"
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 26, 60
    sheet.column_dimensions["C"].width = 16
    notice = workbook.create_sheet("收费公示")
    for line in d.notice:
        notice.append([line])
    notice.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
