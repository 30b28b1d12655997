"""Issue 8 §3: statements matched to children by reference; the rest queued; all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from finance.ledger import balance
from finance.models import JournalEntry, StatementImport, StatementRow
from finance.payments import StatementRejected, assign_row, import_statement
from finance.services import charge_term
from finance.statement_files import COLUMNS, template_workbook

D = Decimal
HEADER = ["交易时间", "金额", "付款人", "备注", "流水号"]


def xlsx(rows, header=HEADER, title=None) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "statement.xlsx"
    return buffer


@pytest.fixture
def charged(term1, child_b, approved):
    child = approved(term1, child_b)
    charge_term(term=term1, student=child_b, services={"after_school"}, acting_user=None)
    return child


def test_it_matches_by_student_number_and_by_receipt(term1, child_b, charged, finance):
    data = xlsx([
        ["2026-09-05 10:23:11", "200.00", "刘爸爸", f"学号{child_b.student_number} 课后服务费", "WX001"],
        [dt.datetime(2026, 9, 6, 8, 0), 200, "刘爸爸", f"回执 {charged.receipt}", "WX002"],
    ], title="城南小学 收款流水 2026-09")
    result = import_statement(school=term1.school, source=data, acting_user=finance.user)
    assert (result.rows, result.matched, result.queued) == (2, 2, 0)
    # 350 charged, 400 paid: the overpayment is a 50.00 credit (negative balance).
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("-50.00")
    assert set(StatementRow.objects.values_list("status", flat=True)) == {"matched"}


def test_a_row_naming_no_child_waits_in_the_queue_until_assigned(term1, child_b, charged, finance):
    data = xlsx([["2026-09-05", "100", "某某", "课后服务费", "BANK-9"]])
    result = import_statement(school=term1.school, source=data, acting_user=finance.user)
    assert (result.matched, result.queued) == (0, 1)
    row = StatementRow.objects.get()
    assert row.status == "queued" and row.entry is None
    assert not JournalEntry.objects.filter(source_type="payment").exists()
    assign_row(row=row, student=child_b, acting_user=finance.user)
    row.refresh_from_db()
    assert row.status == "assigned" and row.entry is not None
    # A partial payment: 350 − 100 still owed.
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("250.00")


def test_the_same_file_twice_changes_nothing(term1, child_b, charged):
    rows = [["2026-09-05", "350.00", "刘爸爸", f"{child_b.student_number}", "ALI-1"],
            ["2026-09-05", "20.00", "路人", "无备注", "ALI-2"]]
    import_statement(school=term1.school, source=xlsx(rows), acting_user=None)
    before = (JournalEntry.objects.count(), StatementRow.objects.count(), StatementImport.objects.count())
    result = import_statement(school=term1.school, source=xlsx(rows), acting_user=None)
    assert (result.matched, result.queued, result.already_imported) == (0, 0, 2)
    assert (JournalEntry.objects.count(), StatementRow.objects.count(), StatementImport.objects.count()) == before


def test_a_bad_row_rejects_the_whole_file(term1, child_b, charged):
    data = xlsx([
        ["2026-09-05", "350.00", "刘爸爸", child_b.student_number, "OK-1"],
        ["2026-09-31", "12.345", "刘爸爸", child_b.student_number, "BAD-1"],
        ["2026-09-07", "-5", "刘爸爸", child_b.student_number, ""],
    ])
    with pytest.raises(StatementRejected) as exc:
        import_statement(school=term1.school, source=data, acting_user=None)
    where = {(e.row, e.column) for e in exc.value.errors}
    assert where == {(3, "交易时间"), (3, "金额"), (4, "金额"), (4, "流水号")}
    assert not StatementRow.objects.exists()
    assert not JournalEntry.objects.filter(source_type="payment").exists()


def test_a_csv_in_gbk_is_read(term1, child_b, charged):
    text = "交易时间,金额,付款人,附言,交易流水号\n2026/9/5 10:00,\"1,000.00\",刘爸爸,学号" + child_b.student_number + ",G-1\n"
    data = io.BytesIO(text.encode("gb18030"))
    data.name = "bank.csv"
    result = import_statement(school=term1.school, source=data, acting_user=None)
    assert result.matched == 1
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("-650.00")


def test_the_template_has_the_chinese_headers(term1):
    sheet = load_workbook(io.BytesIO(template_workbook())).worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]


def test_the_command_imports_a_file(term1, child_b, charged, tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_bytes(xlsx([["2026-09-05", "350", "", child_b.student_number, "CMD-1"]]).getvalue())
    out = io.StringIO()
    call_command("import_payments", str(path), "--school", term1.school.code, stdout=out)
    assert "1" in out.getvalue()
    assert balance(school_id=term1.school_id, account="receivable:service", student_id=child_b.pk) == D("0.00")
