"""Payment import: statements matched to children, the queue of unmatched rows, assigning one.

Issue 8 §3: a statement row is matched to a child when its remark (备注/附言) or payer
contains the child's student number (学号) or their application receipt. Each matched row
becomes a payment on the child's account with the statement's 流水号 as its unique
reference, so importing the same file twice changes nothing. A row that names no child,
or more than one, waits in the queue until a person assigns it. Partial payments and
overpayments simply move the balance (a negative balance is a credit, settled at term end).
The file is all or nothing: one bad row rejects it, with row, column and reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from enrollment.models import ChildApplication
from finance.ledger import LedgerError
from finance.models import JournalEntry, StatementImport, StatementRow
from finance.services import record_payment
from finance.statement_files import PaymentLine, StatementFileError, parse_lines, read_rows
from people.models import Student
from people.roster import RowError
from schools.models import School, Term

__all__ = ["StatementRejected", "StatementResult", "assign_row", "import_statement", "match_reference"]


class StatementRejected(Exception):
    """The file was refused as a whole; ``errors`` say where and why. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


@dataclass(frozen=True)
class StatementResult:
    rows: int
    matched: int
    queued: int
    already_imported: int
    statement_import: StatementImport | None


_TOKEN = re.compile(r"[0-9A-Za-z]+")


def match_reference(text: str, *, numbers: dict[str, int], receipts: dict[str, int]) -> tuple[int | None, str]:
    """Return (student id, "") when ``text`` names exactly one child, else (None, why not)."""
    found = set()
    for token in _TOKEN.findall(text or ""):
        for key in (token, token.upper()):
            if key in numbers:
                found.add(numbers[key])
            if key in receipts:
                found.add(receipts[key])
    if len(found) == 1:
        return found.pop(), ""
    if not found:
        return None, _("No student number or application receipt in the remark.")
    return None, _("The remark names more than one child.")


def term_for(date: dt.date, terms: Sequence[Term]) -> Term | None:
    """Return the term a payment on ``date`` belongs to: the running one, else the next to start."""
    running = [t for t in terms if t.start <= date <= t.end]
    if running:
        return running[0]
    coming = sorted((t for t in terms if t.start > date), key=lambda t: t.start)
    return coming[0] if coming else None


def _read(source: Any) -> tuple[bytes, str]:
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), path.name
    return source.read(), getattr(source, "name", "") or ""


def import_statement(*, school: School, source: Any, acting_user) -> StatementResult:
    """Import a statement file (a path or an uploaded file) into ``school``, all or nothing.

    Raise :class:`StatementRejected` listing every problem; nothing is written then.
    """
    data, name = _read(source)
    try:
        headers, rows = read_rows(data, name)
    except StatementFileError as e:
        raise StatementRejected([RowError(None, "", str(e))]) from None
    lines, errors = parse_lines(headers, rows)
    terms = list(Term.objects.filter(school=school))
    known = {
        r.reference: r for r in StatementRow.objects.filter(school=school, reference__in=[ln.reference for ln in lines])
    }
    for line in lines:
        if term_for(line.paid_on, terms) is None:
            errors.append(RowError(line.row, "交易时间", _("No term of the school runs on or after %(date)s.") % {
                "date": line.paid_on}))
        earlier = known.get(line.reference)
        if earlier is not None and (earlier.amount, earlier.paid_on) != (line.amount, line.paid_on):
            errors.append(RowError(line.row, "流水号", _(
                "This transaction number was imported before with %(amount)s on %(date)s; the file disagrees."
            ) % {"amount": earlier.amount, "date": earlier.paid_on}))
    if errors:
        raise StatementRejected(errors)
    new = [line for line in lines if line.reference not in known]
    if not new:
        return StatementResult(len(lines), 0, 0, len(lines), None)
    numbers = dict(Student.objects.filter(school=school).values_list("student_number", "pk"))
    receipts = {r.upper(): s for r, s in ChildApplication.objects.filter(school=school).values_list("receipt", "student_id")}
    matches = [match_reference(f"{ln.memo} {ln.payer}", numbers=numbers, receipts=receipts) for ln in new]
    students = Student.objects.in_bulk([m for m, _why in matches if m is not None])
    with transaction.atomic():
        batch = StatementImport.objects.create(
            school=school, file_name=name[:200], sha256=hashlib.sha256(data).hexdigest(), rows=len(lines),
            already_imported=len(lines) - len(new),
            imported_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        matched = 0
        for line, (student_id, why) in zip(new, matches, strict=True):
            row = _save_row(batch, line, term_for(line.paid_on, terms), student_id, why)
            if student_id is not None:
                matched += 1
                _pay(row, students[student_id], acting_user)
        batch.matched, batch.queued = matched, len(new) - matched
        StatementImport.objects.filter(pk=batch.pk).update(matched=batch.matched, queued=batch.queued)
        record_event(action="payments.imported", subject=batch, actor=acting_user, school_id=school.pk,
                     new={"file": name, "rows": len(lines), "matched": matched, "queued": batch.queued})
    return StatementResult(len(lines), matched, batch.queued, batch.already_imported, batch)


def _save_row(batch: StatementImport, line: PaymentLine, term: Term | None, student_id: int | None,
              why: str) -> StatementRow:
    assert term is not None  # checked before writing  # noqa: S101
    return StatementRow.objects.create(
        school_id=batch.school_id, statement_import=batch, row_number=line.row, reference=line.reference,
        paid_on=line.paid_on, amount=line.amount, payer=line.payer, memo=line.memo, term=term,
        student_id=student_id, status=StatementRow.Status.MATCHED if student_id else StatementRow.Status.QUEUED,
        why=why,
    )


def _pay(row: StatementRow, student: Student, acting_user) -> JournalEntry:
    record_payment(term=row.term, student=student, amount=row.amount, date=row.paid_on,
                   reference=row.reference, acting_user=acting_user)
    entry = JournalEntry.objects.get(school_id=row.school_id, idempotency_key=f"payment:{row.reference}")
    StatementRow.objects.filter(pk=row.pk).update(entry=entry)
    row.entry = entry
    return entry


@transaction.atomic
def assign_row(*, row: StatementRow, student: Student, acting_user) -> StatementRow:
    """A person assigns a queued payment to a child; it is then posted like a matched one."""
    row = StatementRow.objects.select_for_update(of=("self",)).select_related("term").get(pk=row.pk)
    if row.status != StatementRow.Status.QUEUED:
        raise LedgerError(_("This payment has already been assigned to a child."))
    if student.school_id != row.school_id:
        raise LedgerError(_("The child is not in this school."))
    row.student, row.status = student, StatementRow.Status.ASSIGNED
    row.assigned_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    row.assigned_at = timezone.now()
    row.save(update_fields=["student", "status", "assigned_by", "assigned_at"])
    _pay(row, student, acting_user)
    record_event(action="payments.assigned", subject=row, actor=acting_user, school_id=row.school_id,
                 new={"reference": row.reference, "student_id": student.pk, "amount": str(row.amount)})
    return row
