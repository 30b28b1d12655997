"""Documents of enrollment: the service agreement (its text, shown on the apply page, and the
signed PDF of one child) and a published roster as PDF.

Both embed the CJK font registered by :func:`plans.pdf.register_cjk_font` (it raises
:class:`plans.pdf.CJKFontMissing`, which the pages turn into a plain explanation). Neither
prints a national ID number or a phone: the agreement names the child and class; the
roster prints masked names and classes only.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment.models import ChildApplication, Review
from enrollment.selectors import RosterRow
from plans.notice import grades_text, word
from plans.pdf import register_cjk_font
from plans.policy import Fees, parse_document
from plans.policy_types import money_text

# --- The agreement's text: shown on the apply page, printed in the PDF ------------------


def fee_lines(fees: dict) -> list[str]:
    """Return the fee figures of a plan's ``fees`` part (as stored in Application.fees_seen).

    The apply page shows these lines and the agreement PDF prints them again from
    ``fees_seen``, so the guardian's copy says exactly what they were shown.
    """
    parsed = Fees.model_validate(fees)
    lines = [
        _("%(name)s: %(amount)s yuan %(basis)s (%(kind)s), for %(grades)s.")
        % {"name": item.name, "amount": money_text(item.amount), "basis": word(item.basis),
           "kind": word(item.fee_kind), "grades": grades_text(item.grades)}
        for item in parsed.items
    ] or [_("Families pay no service fee.")]
    if parsed.meals:
        lines.append(
            _("Lunch: about %(price)s yuan a meal, %(kind)s, paid monthly within the first "
              "%(days)s working days of the month.")
            % {"price": money_text(parsed.meals.price_per_meal), "kind": word(parsed.meals.fee_kind),
               "days": parsed.meals.billing_within_working_days}
        )
    lines += [
        _("%(group)s: %(percent)s%% of the fee waived.") % {"group": word(w.group), "percent": w.percent}
        for w in parsed.waivers
    ]
    if parsed.refund.basis == "school_day" and parsed.refund.refund != "none":
        lines.append(
            _("After a continuous absence of more than %(n)s school days, the fee of the absent days is refunded.")
            % {"n": parsed.refund.after_continuous_absent_days}
        )
    lines.append(word(parsed.settlement) + ".")
    return lines


def agreement_clauses(document: dict) -> list[str]:
    """Return the service agreement (课后服务协议) the plan implies: both parties' duties.

    Plan 2 二(一): 经审核同意后，学校向家长明确双方职责和课后服务有关事项; plan 7 六(二):
    与家长签订课后服务协议书. The clauses are written from the published plan, so a new
    plan version gives a new text and the guardian's copy names the version they accepted.
    """
    doc = parse_document(document)
    clauses = [
        _("Taking part is voluntary. The guardian applies in writing and may withdraw the application."),
        _("The school provides the service on its premises at the times and with the content of the "
          "published plan, with teachers in charge, a roll call every day and hand-overs at the end."),
    ]
    clauses += [_("Hand-over: %(point)s") % {"point": p} for p in doc.safety.handover_points]
    clauses.append(
        _("The school keeps the children safe during the service and tells the guardian at once "
          "when something happens to their child.")
    )
    clauses.append(
        _("The guardian collects the child on time at the end of the service, or sends a person "
          "named to the school, and tells the school in advance when the child will be absent.")
    )
    clauses.append(_("Fees follow the published plan; the figures the guardian saw are listed in this agreement."))
    if doc.safety.insurance_required:
        clauses.append(
            _("The guardian insures the child against accidents for the whole term, as the plan requires.")
        )
    if doc.content.forbidden:
        clauses.append(
            _("Not done in service time: %(items)s.")
            % {"items": "、".join(word(f) for f in doc.content.forbidden)}
        )
    clauses.append(
        _("The child's personal data is used for the service only; published lists show masked names "
          "and never a family's situation.")
    )
    return clauses


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "body": body,
        "h2": ParagraphStyle("h2", parent=body, fontSize=12.5, leading=20, spaceBefore=8),
        "h1": ParagraphStyle("h1", parent=body, fontSize=17, leading=26, alignment=1),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=13),
    }


def _document(buffer: io.BytesIO, *, title: str, author: str):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=title, author=author,
    )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _services(child: ChildApplication) -> str:
    wanted = [
        label for wanted, label in (
            (child.wants_after_school, _("After-school care")),
            (child.wants_noon_care, _("Noon care")),
            (child.wants_meals, _("School lunch")),
        ) if wanted
    ]
    return "、".join(str(w) for w in wanted) or "—"


def _approved_at(child: ChildApplication):
    """Return when the school's side was signed: the last approval of the chain, or the
    submission itself for a plan without review steps; None while not approved."""
    if child.status != ChildApplication.Status.APPROVED:
        return None
    approvals = [r.at for r in child.reviews.all() if r.decision == Review.Decision.APPROVED]
    return approvals[-1] if approvals else child.application.submitted_at


def agreement_pdf(child: ChildApplication) -> bytes:
    """Return the service agreement (课后服务协议书) of one child as PDF bytes.

    Both parties: the school, and the guardian with the time they accepted online; the plan
    version and the fee figures the guardian saw (``Application.fees_seen``), the services
    and clubs asked for, the insurance, the child's name and class. No ID number.
    """
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    s = _styles()
    application = child.application
    school, term = child.school, child.term
    title = _("After-school service agreement")

    def line(text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), s[style])

    story = [
        line(f"{school.name} · {term.name}", "h1"),
        line(str(title), "h1"),
        line(_("Receipt number: %(receipt)s") % {"receipt": child.receipt}, "small"),
        Spacer(1, 3 * mm),
        line(_("Parties"), "h2"),
        line(_("The school: %(school)s") % {"school": school.name}),
        line(_("The guardian: %(guardian)s") % {"guardian": application.guardian.name}),
        line(_("The child: %(name)s, %(class)s") % {
            "name": child.student.name, "class": child.student.school_class.label}),
        line(_("Plan: %(title)s, version %(version)s") % {
            "title": application.plan.document.get("title", ""), "version": application.plan_version}),
        line(_("Services"), "h2"),
        line(_("Care: %(services)s") % {"services": _services(child)}),
    ]
    for choice in child.choices.all():
        story.append(line(_("Club choice %(rank)d: %(offering)s (%(status)s)") % {
            "rank": choice.rank, "offering": choice.offering.name, "status": choice.get_status_display()}))
    story.append(line(_("Fees as shown when applying"), "h2"))
    story += [line("· " + text) for text in fee_lines(application.fees_seen)]
    story.append(line(_("Insurance"), "h2"))
    if child.insurance_policy:
        story.append(line(_("%(insurer)s, policy %(policy)s, from %(start)s until %(end)s") % {
            "insurer": child.insurer, "policy": child.insurance_policy,
            "start": child.insurance_start or "—", "end": child.insurance_end or "—"}))
    else:
        story.append(line(_("No insurance was given with the application.")))
    story.append(line(_("Terms"), "h2"))
    story += [
        line(f"{n}. {clause}")
        for n, clause in enumerate(agreement_clauses(application.plan.document), start=1)
    ]
    story += [Spacer(1, 4 * mm), line(_("Signatures"), "h2")]
    approved_at = _approved_at(child)
    story.append(line(
        _("The school: %(school)s, approved on %(time)s.") % {"school": school.name, "time": _local(approved_at)}
        if approved_at else _("The school: %(school)s, not yet approved (status: %(status)s).") % {
            "school": school.name, "status": child.get_status_display()}
    ))
    story.append(line(_("The guardian: %(guardian)s, accepted online on %(time)s.") % {
        "guardian": application.guardian.name, "time": _local(application.agreement_accepted_at)}))
    buffer = io.BytesIO()
    _document(buffer, title=f"{school.name} {title}", author=school.name).build(story)
    return buffer.getvalue()


def roster_pdf(*, school_name: str, term_name: str, heading: str, rows: list[RosterRow]) -> bytes:
    """Return a published roster (公示名单) as PDF bytes: masked names and classes only."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    s = _styles()
    story = [
        Paragraph(escape(f"{school_name} · {term_name}"), s["h1"]),
        Paragraph(escape(heading), s["h1"]),
        Paragraph(escape(_("Published list of pupils taking part (%(n)d). Names are masked.") % {"n": len(rows)}), s["small"]),
        Spacer(1, 3 * mm),
    ]
    data = [[_("No."), _("Name"), _("Class")]] + [
        [str(n), row.name, row.class_label] for n, row in enumerate(rows, start=1)
    ]
    table = Table(data, colWidths=[18 * mm, 60 * mm, 60 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), s["body"].fontName),
        ("FONTSIZE", (0, 0), (-1, -1), 10.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
    ]))
    story.append(table)
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(escape(_("Published on %(date)s.") % {"date": timezone.localdate().isoformat()}), s["small"]))
    buffer = io.BytesIO()
    _document(buffer, title=f"{school_name} {heading}", author=school_name).build(story)
    return buffer.getvalue()
