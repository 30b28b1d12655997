"""The period reports as PDF (reportlab, embedded CJK font from plans.pdf) and .xlsx (openpyxl).

Both print ``PeriodReport.sections()``, the week rows and (internal version only) the named
listings, in the same order as the page, the way finance.disclosure prints the public accounts.
"""

from __future__ import annotations

import io
from decimal import Decimal
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from lib.money import yuan
from plans.pdf import register_cjk_font
from reports.periodic import PeriodReport


def _text(value) -> str:
    return yuan(value) if isinstance(value, Decimal) else str(value)


def report_pdf(report: PeriodReport) -> bytes:
    """Return the report as an A4 PDF (raises plans.pdf.CJKFontMissing without the font)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    heading = ParagraphStyle(
        "h2", parent=body, fontSize=12, leading=18, spaceBefore=8, keepWithNext=1
    )
    title = ParagraphStyle("h1", parent=body, fontSize=15, leading=22, alignment=1)
    grid = TableStyle(
        [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    width = A4[0] - 36 * mm

    def table(rows: list[list], widths: list[float] | None = None) -> Table:
        cells = [[Paragraph(escape(_text(v)), body) for v in row] for row in rows]
        t = Table(cells, colWidths=widths or [width / len(rows[0])] * len(rows[0]), repeatRows=1)
        t.setStyle(grid)
        return t

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=report.title,
        author=report.term.school.name,
    )
    story = [
        Paragraph(escape(f"{report.term.school.name} · {report.term.name}"), title),
        Paragraph(escape(f"{report.heading} · {report.start} – {report.end}"), title),
        Paragraph(
            escape(_("Generated from the records on %(date)s.") % {"date": timezone.localdate()}),
            body,
        ),
    ]
    for section in report.sections():
        story += [
            Paragraph(escape(section.title), heading),
            table([[label, value] for label, value in section.rows], [width * 0.7, width * 0.3]),
        ]
    if report.weeks:
        story += [
            Paragraph(escape(_("Week by week")), heading),
            table(
                [report.week_headers(), *report.week_rows()],
                [width * 0.23] + [width * 0.11] * 7,
            ),
        ]
    for listing in report.listings:
        if listing.rows:
            story += [
                Paragraph(escape(listing.title), heading),
                table([listing.headers, *listing.rows]),
            ]
    pdf.build(story)
    return buffer.getvalue()


def report_xlsx(report: PeriodReport) -> bytes:
    """Return the report as a workbook: the figures, the weeks and each listing on its own sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Section"), _("Item"), _("Figure")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for section in report.sections():
        for label, value in section.rows:
            sheet.append([section.title, label, value])
            if isinstance(value, Decimal):
                sheet.cell(row=sheet.max_row, column=3).number_format = "#,##0.00"
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 26, 48
    sheet.column_dimensions["C"].width = 16
    tables = [("分周", report.week_headers(), report.week_rows())] if report.weeks else []
    tables += [(listing.title[:31], listing.headers, listing.rows) for listing in report.listings]
    for name, headers, rows in tables:
        extra = book.create_sheet(_safe_sheet_name(name))
        extra.append(headers)
        for cell in extra[1]:
            cell.font = Font(bold=True)
        for row in rows:
            extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe_sheet_name(name: str) -> str:
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31]
