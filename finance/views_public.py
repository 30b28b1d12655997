"""The public accounts (公示): fee notice and term income/expense statement, page, PDF, .xlsx.

No sign-in, on purpose (plan 1 一(二): 在醒目位置…予以公示; 每学期末…公示课后服务费的收支情况).
Only terms with a published plan; only totals from the ledger — never a child's name.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from finance.disclosure import disclosure, statement_pdf, statement_xlsx
from plans.pdf import CJKFontMissing
from plans.selectors import public_plan


def public_accounts(request, school_code: str, term_id: int):
    d = disclosure(public_plan(school_code=school_code, term_id=term_id))
    return render(request, "finance/public.html", {"title": _("Public accounts"), "d": d})


def public_accounts_pdf(request, school_code: str, term_id: int):
    d = disclosure(public_plan(school_code=school_code, term_id=term_id))
    try:
        data = statement_pdf(d)
    except CJKFontMissing as exc:
        return render(request, "plans/pdf_unavailable.html", {"title": _("Public accounts"), "problem": str(exc)},
                      status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="accounts-{school_code}-{term_id}.pdf"'
    return response


def public_accounts_xlsx(request, school_code: str, term_id: int):
    d = disclosure(public_plan(school_code=school_code, term_id=term_id))
    response = HttpResponse(statement_xlsx(d),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="accounts-{school_code}-{term_id}.xlsx"'
    return response
