"""The showcase programme (节目单) as a PDF, with the embedded CJK font of plans.pdf.

It names courses, forms, venues, times and teachers — never a child or a phone.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from events.models import Showcase
from plans.pdf import register_cjk_font


def programme_pdf(showcase: Showcase, cohorts: list) -> bytes:
    """Return the programme of ``showcase`` (cohorts as given by selectors.showcase_detail)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    heading = ParagraphStyle(
        "h2", parent=body, fontSize=13, leading=19, spaceBefore=8, spaceAfter=4
    )
    title = ParagraphStyle("h1", parent=body, fontSize=17, leading=26, alignment=1)

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=showcase.title,
    )
    story = [Paragraph(escape(showcase.title), title)]
    if showcase.theme:
        story.append(Paragraph(escape(_("Theme: %(theme)s") % {"theme": showcase.theme}), title))
    story.append(Spacer(1, 4 * mm))
    head = [_("Time"), _("Course"), _("Form"), _("Venue"), _("Lead teacher"), _("Teachers")]
    for cohort in cohorts:
        story.append(
            Paragraph(
                escape(
                    _("%(date)s · courses of %(days)s · %(start)s–%(end)s")
                    % {
                        "date": cohort.date.isoformat(),
                        "days": cohort.label,
                        "start": f"{cohort.start:%H:%M}",
                        "end": f"{cohort.end:%H:%M}",
                    }
                ),
                heading,
            )
        )
        rows = [[Paragraph(escape(str(h)), body) for h in head]]
        for item in cohort.item_list:
            teachers = "、".join(t.name for t in item.teachers.all() if t.pk != item.lead_id)
            rows.append(
                [
                    Paragraph(escape(c), body)
                    for c in (
                        f"{item.start:%H:%M}–{item.end:%H:%M}",
                        item.offering.name,
                        str(item.get_form_display()),
                        item.venue.name,
                        item.lead.name,
                        teachers or "—",
                    )
                ]
            )
        table = Table(
            rows, colWidths=[24 * mm, 38 * mm, 30 * mm, 30 * mm, 22 * mm, 36 * mm], repeatRows=1
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table if cohort.item_list else Paragraph(escape(_("No courses yet.")), body))
    doc.build(story)
    return buffer.getvalue()
