"""The pay sheet .xlsx adds up to the run's lines; the statement PDF carries Chinese text."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from finance.tests.test_plan1_fees import term1  # noqa: F401
from payroll.exports import HEADERS
from payroll.models import PayLine
from payroll.tests.test_pages import october  # noqa: F401
from payroll.tests.test_pay_run import school_month  # noqa: F401


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_pay_sheet_rows_and_totals_equal_the_runs_lines(as_user, finance, october):  # noqa: F811
    response = as_user(finance).get("/payroll/2026-10/sheet.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == list(HEADERS)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    body, total = rows[:-1], rows[-1]
    lines = {line.staff.name: line for line in PayLine.objects.filter(run=october).select_related("staff")}
    assert sorted(r[0] for r in body) == sorted(lines) and total[0] == "合计"
    for r in body:
        line = lines[r[0]]
        assert (r[2], _money(r[3]), _money(r[4]), _money(r[5]), _money(r[6]), _money(r[7])) == (
            line.periods, line.teaching_pay, line.subsidy, line.external_pay, line.deducted, line.net)
    for column, field in ((3, "teaching_pay"), (4, "subsidy"), (5, "external_pay"), (6, "deducted"), (7, "net")):
        expected = sum((getattr(x, field) for x in lines.values()), Decimal("0.00"))
        assert _money(total[column]) == expected == sum((_money(r[column]) for r in body), Decimal("0.00"))
    assert total[2] == sum(x.periods for x in lines.values()) == 6
    assert _money(total[7]) == Decimal("282.65")  # 115.59 + 77.06 + 90.00
    assert "迟到12分钟" not in "".join(str(r[8]) for r in body)  # the note names the rule, not the evidence
    assert any("1 ×" in str(r[8]) for r in body)


def _pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        if shutil.which("pdftotext") is None:
            pytest.skip("neither pypdf nor pdftotext is installed")
        return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()  # noqa: S603, S607
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_statement_pdf_carries_chinese_text(as_user, october, school_month):  # noqa: F811
    """乙老师's October: the school, the name and the deduction's evidence in a real text layer."""
    b = school_month["b"]
    response = as_user(b).get(f"/payroll/2026-10/{b.pk}.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "城南小学" in text and "乙老师" in text and "迟到12分钟" in text
    assert "77.06" in text

