"""The public notice (公示) of a published plan: what parents read before applying.

One function builds the sections; the web page and the PDF both print them, so the two
always say the same. It holds plan content only, never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import SchoolPlan
from plans.policy import PlanDocument, parse_document
from plans.policy_types import money_text
from schools.models import Grade

WORDS = {
    "after_school": gettext_lazy("After-school service"),
    "noon_care": gettext_lazy("Noon care"),
    "morning_care": gettext_lazy("Morning care"),
    "evening_study": gettext_lazy("Evening study"),
    "term": gettext_lazy("per term"),
    "month": gettext_lazy("per month"),
    "period": gettext_lazy("per period"),
    "day": gettext_lazy("per day"),
    "service": gettext_lazy("service fee of the school (服务性收费)"),
    "collected_for_provider": gettext_lazy("collected for the provider (代收费)"),
    "is_migrant_child": gettext_lazy("children of migrant workers"),
    "is_single_parent": gettext_lazy("children of single-parent families"),
    "is_left_behind": gettext_lazy("left-behind children"),
    "is_low_income": gettext_lazy("children of low-income families"),
    "has_disability": gettext_lazy("children with disabilities"),
    "younger_grades": gettext_lazy("younger pupils"),
    "publicity": gettext_lazy("the school publishes the plan"),
    "written_application": gettext_lazy("written application by the guardian"),
    "class_review": gettext_lazy("review by the class"),
    "school_review": gettext_lazy("review by the school"),
    "parent_committee_review": gettext_lazy("review by the parent committee"),
    "agreement": gettext_lazy("service agreement signed"),
    "roster_published": gettext_lazy("list of pupils published"),
    "collective_teaching": gettext_lazy("collective teaching"),
    "cramming": gettext_lazy("cramming or extra lessons"),
    "new_lessons": gettext_lazy("new lessons"),
    "paid_partnerships": gettext_lazy("paid services with outside companies"),
    "refund_and_top_up": gettext_lazy(
        "settled at term end: overpayment refunded, shortfall collected"
    ),
    "refund_only": gettext_lazy("settled at term end: overpayment refunded, no extra charge"),
    "fees": gettext_lazy("paid by families"),
    "allocation": gettext_lazy("paid by the government allocation"),
    "allocation_plus_fees": gettext_lazy("government allocation; families pay the shortfall"),
}


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)


def word(key: str) -> str:
    return str(WORDS.get(key, key))


def weekdays_text(days: list[int]) -> str:
    return "、".join(str(WEEKDAYS[d]) for d in sorted(days))


def grades_text(grades: list[int]) -> str:
    return "、".join(str(Grade(g).label) for g in sorted(grades))


def _fee_lines(doc: PlanDocument) -> list[str]:
    fees = doc.fees
    lines = [_("Funding: %(funding)s.") % {"funding": word(fees.funding)}]
    if fees.government_allocation_per_student is not None:
        lines.append(
            _("Government allocation: %(amount)s yuan per pupil per term.")
            % {"amount": money_text(fees.government_allocation_per_student)}
        )
    for item in fees.items:
        lines.append(
            _("%(name)s: %(amount)s yuan %(basis)s (%(kind)s), for %(grades)s.")
            % {
                "name": item.name,
                "amount": money_text(item.amount),
                "basis": word(item.basis),
                "kind": word(item.fee_kind),
                "grades": grades_text(item.grades),
            }
        )
    if not fees.items:
        lines.append(_("Families pay no service fee."))
    if fees.meals:
        lines.append(
            _(
                "Lunch: about %(price)s yuan a meal, %(kind)s, paid monthly within the first "
                "%(days)s working days of the month."
            )
            % {
                "price": money_text(fees.meals.price_per_meal),
                "kind": word(fees.meals.fee_kind),
                "days": fees.meals.billing_within_working_days,
            }
        )
    lines.append(word(fees.settlement) + ".")
    if fees.separate_books:
        lines.append(_("The fees are kept in separate books and spent on the service only."))
    if fees.accounts_published != "none":
        lines.append(_("Income and spending are published to families at the end of the term."))
    return lines


def notice_sections(plan: SchoolPlan) -> list[Section]:
    """Return the notice of ``plan`` as headed sections of plain lines."""
    doc = parse_document(plan.document)
    times = Section(_("Service times"))
    for w in doc.windows:
        times.lines.append(
            _(
                "%(kind)s: %(days)s, %(start)s–%(end)s (counted as %(periods)s periods), for %(grades)s."
            )
            % {
                "kind": word(w.kind),
                "days": weekdays_text(w.weekdays),
                "start": w.start.strftime("%H:%M"),
                "end": w.end.strftime("%H:%M"),
                "periods": w.periods,
                "grades": grades_text(w.grades),
            }
            + (f" {w.venue}" if w.venue else "")
        )
    content = Section(_("Content by grade"))
    for a in doc.content.by_grade:
        free = _(" (free)") if a.free else ""
        subjects = f"（{'、'.join(a.subjects)}）" if a.subjects else ""
        content.lines.append(f"{grades_text(a.grades)}：{a.activity}{subjects}{free}")
    if doc.content.school_clubs:
        content.lines.append(
            _("School-wide clubs: %(clubs)s.") % {"clubs": "、".join(doc.content.school_clubs)}
        )
    if doc.content.forbidden:
        content.lines.append(
            _("Not done in service time: %(items)s.")
            % {"items": "、".join(word(f) for f in doc.content.forbidden)}
        )
    applying = Section(_("How to apply"))
    applying.lines.append(_("Taking part is voluntary."))
    applying.lines.append(" → ".join(word(s) for s in doc.selection.application_steps))
    if doc.selection.priority_order:
        applying.lines.append(
            _("Priority: %(groups)s.")
            % {"groups": "、".join(word(g) for g in doc.selection.priority_order)}
        )
    exemptions = Section(_("Exemptions"))
    for w in doc.fees.waivers:
        exemptions.lines.append(
            _("%(group)s: %(percent)s%% of the fee waived.")
            % {"group": word(w.group), "percent": w.percent}
        )
    exemptions.lines.append(
        _("Applications are handled in confidence; no family situation is published.")
    )
    refunds = Section(_("Refunds"))
    refund = doc.fees.refund
    if refund.basis == "school_day" and refund.refund != "none":
        refunds.lines.append(
            _(
                "After a continuous absence of more than %(n)s school days, the fee of the absent days is refunded."
            )
            % {"n": refund.after_continuous_absent_days}
        )
    else:
        refunds.lines.append(_("No refunds for absence."))
    safety = Section(_("Safety"))
    safety.lines.append(
        _("Accident insurance is required.")
        if doc.safety.insurance_required
        else _("Accident insurance is voluntary.")
    )
    safety.lines.extend(doc.safety.handover_points)
    if doc.safety.gate_register:
        safety.lines.append(_("Visitors are registered at the gate."))
    if doc.safety.emergency_plan:
        safety.lines.append(_("The school keeps an emergency plan and tells guardians at once."))
    contact = Section(_("Approval and complaints"))
    approval = doc.governance.parent_committee_approval
    if approval:
        contact.lines.append(
            _("Approved by the parent committee on %(date)s.") % {"date": approval.date.isoformat()}
        )
    if doc.governance.fee_basis:
        contact.lines.append(
            _("Fee basis: %(docs)s.") % {"docs": "、".join(doc.governance.fee_basis)}
        )
    contact.lines.append(
        _("Complaint phone: %(phone)s") % {"phone": doc.governance.complaint_phone or "—"}
    )
    return [
        times,
        content,
        applying,
        Section(_("Fees"), _fee_lines(doc)),
        exemptions,
        refunds,
        safety,
        contact,
    ]
