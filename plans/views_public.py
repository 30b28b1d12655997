"""The public notice (公示) of a school's published plan, as a page and a PDF.

Readable without signing in, on purpose: the fee notice must be posted where anyone can
see it (plan 1: 在醒目位置设立固定公示牌; Fuyang: no fee before the notice), and families
read it before they apply, often before they have an account. It holds the published plan
only: times, content, fees, exemptions, refunds, safety and the complaint phone, never a
pupil, a guardian or a teacher's name. Drafts are never public: only published versions.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from plans.notice import notice_sections
from plans.pdf import CJKFontMissing, notice_pdf
from plans.selectors import public_plan


def notice(request, school_code: str, term_id: int):
    plan = public_plan(school_code=school_code, term_id=term_id)
    return render(
        request,
        "plans/notice.html",
        {"title": _("Public notice"), "plan": plan, "sections": notice_sections(plan)},
    )


def notice_pdf_view(request, school_code: str, term_id: int):
    plan = public_plan(school_code=school_code, term_id=term_id)
    try:
        data = notice_pdf(plan)
    except CJKFontMissing as exc:
        return render(
            request,
            "plans/pdf_unavailable.html",
            {"title": _("Public notice"), "problem": str(exc)},
            status=503,
        )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="plan-{plan.school.code}-{plan.term_id}-v{plan.version}.pdf"'
    )
    return response
