"""A person's monthly pay statement as a PDF, with the embedded CJK font of plans.pdf."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape as _escape

from django.utils.translation import gettext as _

from payroll.models import PayLine, PayRun
from payroll.selectors import Working, deduction_rows
from plans.pdf import register_cjk_font


def statement_pdf(*, run: PayRun, line: PayLine, working: Working, school_name: str) -> bytes:
    """Return the statement of ``line`` in ``run`` as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    title = ParagraphStyle("h1", parent=body, fontSize=16, leading=24, alignment=1)
    buffer = io.BytesIO()
    heading = _("Pay statement %(month)s") % {"month": f"{run.month:%Y-%m}"}
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"{school_name} {heading} {line.staff.name}", author=school_name)
    rows = [
        [_("Name"), line.staff.name],
        [_("Periods"), str(line.periods)],
        [_("Value of a period"), f"{working.value:.2f}" + (" " + _("(capped)") if working.capped else "")],
        [_("Teaching pay"), f"{line.teaching_pay}"],
        [_("Duty days"), str(line.duty_days)],
        [_("Management subsidy"), f"{line.subsidy}"],
        [_("External instructor pay"), f"{line.external_pay}"],
        [_("Deducted"), f"{line.deducted}"],
        [_("Net"), f"{line.net}"],
    ]
    table = Table([[Paragraph(_escape(str(a)), body), Paragraph(_escape(str(b)), body)] for a, b in rows],
                  colWidths=[60 * mm, 100 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [Paragraph(_escape(school_name), title), Paragraph(_escape(heading), title), Spacer(1, 4 * mm), table]
    cuts = deduction_rows(line)
    if cuts:
        story += [Spacer(1, 4 * mm), Paragraph(_escape(_("Deductions")), body)]
        for d in cuts:
            story.append(Paragraph(_escape(f"· {d.rule}: {d.amount}"), body))
            story += [Paragraph(_escape(f"    – {e}"), body) for e in d.events]
    if working.model == "pool":
        story += [Spacer(1, 4 * mm), Paragraph(_escape(_(
            "Pool %(pool)s = fees %(fees)s − subsidies %(subsidies)s − external pay %(external)s − consumables and "
            "upkeep %(upkeep)s, over %(periods)d periods this term.") % {
            "pool": working.pool, "fees": working.fees, "subsidies": working.subsidies, "external": working.external,
            "upkeep": working.consumables_upkeep, "periods": working.periods}), body)]
    status = _("committed") if run.status == PayRun.Status.COMMITTED else _("preview, not yet paid")
    story.append(Paragraph(_escape(_("Status: %(status)s") % {"status": status}), body))
    doc.build(story)
    return buffer.getvalue()
