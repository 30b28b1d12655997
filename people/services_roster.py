"""Roster import and export (学生名册): all-or-nothing writes, masked exports, both audited.

The import checks every row first (``people.roster``) and writes nothing if any row is
bad. Writing takes a fixed number of statements whatever the number of rows: rows go in
through one ``executemany`` per table. Django 5.2's ``bulk_create`` on SQLite caps a
statement at 999 parameters (66 students), so its statement count would grow with the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from people.actor import Actor, actor_for
from people.models import Guardian, Student, StudentGuardian, name_pinyin
from people.presenters import Visibility
from people.roles import Capability
from people.roster import Progress, RosterRow, RowError, parse_rows
from people.roster_files import RosterFileError, Table, read_table
from people.roster_workbooks import export_workbook
from people.selectors import students_for
from people.services import NotPermitted
from schools.models import School, SchoolClass

__all__ = ["ImportResult", "NotPermitted", "RosterRejected", "export_roster", "import_roster"]


_CHANGED_MEANWHILE = gettext_lazy(
    "The roster changed while importing; nothing was imported. Please try again."
)


class RosterRejected(Exception):
    """The file was refused as a whole; ``errors`` says where and why. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


@dataclass(frozen=True)
class ImportResult:
    """What an import did. ``updated`` counts students with a changed value."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    guardians_created: int = 0
    guardians_renamed: int = 0
    links_created: int = 0
    links_updated: int = 0  # relation changed
    rows: int = 0


def import_roster(
    *,
    school: School,
    rows_or_file: Any,
    acting_user: Any | None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import students with their guardians into ``school``, all or nothing.

    ``rows_or_file`` is an uploaded file, a path, or a list of {header: value} dicts (the
    first is spreadsheet row 2). Students are matched by student number and updated in
    place; guardians by phone, across schools. ``acting_user`` None means the server's
    command line. Raise ``RosterRejected`` listing every bad row, ``NotPermitted`` for a
    user who may not manage this school's roster.
    """
    if acting_user is not None:
        actor = actor_for(acting_user)
        if not actor.may(Capability.MANAGE_ROSTER) or actor.school_id != school.pk:
            raise NotPermitted
    table = _table(rows_or_file, progress)
    classes = {
        (grade, number): pk
        for pk, grade, number in SchoolClass.objects.filter(school=school).values_list(
            "pk", "grade", "number"
        )
    }
    rows, errors = parse_rows(table.headers, table.rows, classes=classes, progress=progress)
    if errors or (errors := _id_numbers_on_file_elsewhere(school, rows)):
        raise RosterRejected(errors)
    try:
        with transaction.atomic():
            result = _write(school=school, rows=rows, progress=progress)
            record_event(
                action="roster.imported",
                subject=school,
                actor=acting_user,
                school_id=school.pk,
                new={
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "guardians_created": result.guardians_created,
                    "links_created": result.links_created,
                },
            )
    except IntegrityError:
        # Another import or edit wrote the same student number or phone meanwhile.
        raise RosterRejected([RowError(None, "", str(_CHANGED_MEANWHILE))]) from None
    return result


def _table(rows_or_file: Any, progress: Progress | None = None) -> Table:
    """Return the header and rows of a file, a path, or a list of dicts."""
    if isinstance(rows_or_file, Sequence) and not isinstance(rows_or_file, str | bytes):
        headers = list(dict.fromkeys(k for row in rows_or_file for k in row))
        return Table(
            headers=headers,
            rows=[(n, [row.get(h) for h in headers]) for n, row in enumerate(rows_or_file, 2)],
        )
    try:
        if isinstance(rows_or_file, str | Path):
            path = Path(rows_or_file)
            return read_table(path.read_bytes(), path.name, progress=progress)
        name = getattr(rows_or_file, "name", "") or ""
        return read_table(rows_or_file.read(), name, progress=progress)
    except RosterFileError as e:
        raise RosterRejected([RowError(None, "", str(e))]) from None


def _id_numbers_on_file_elsewhere(school: School, rows: list[RosterRow]) -> list[RowError]:
    """Return rows whose ID number the school has on file under another student number.

    Without this, students given new numbers would be added a second time.
    """
    by_id = {r.national_id: r for r in rows if r.national_id}
    on_file = (
        Student.objects.filter(school=school, national_id__in=by_id)
        .order_by()
        .values_list("national_id", "student_number")
    )
    errors = [
        RowError(
            by_id[id_number].row,
            "身份证号",
            _("This ID number is on file for student number %(number)s.") % {"number": number},
        )
        for id_number, number in (on_file if by_id else [])
        if number != by_id[id_number].student_number
    ]
    return sorted(errors, key=lambda e: e.row or 0)


_STUDENT_FIELDS = ("school_class_id", "name", "gender", "birth_date")


def _write(*, school: School, rows: list[RosterRow], progress: Progress | None) -> ImportResult:
    """Create or update guardians, students and links in a fixed number of statements."""
    guardians, guardians_created, renamed = _save_guardians(school, rows)
    _step(progress, 1)
    ids, existing_ids, created, updated = _save_students(school, rows)
    _step(progress, 2)
    links_created, links_updated = _save_links(school, rows, ids, existing_ids, guardians)
    _step(progress, 3)
    return ImportResult(
        created=created,
        updated=updated,
        unchanged=len(existing_ids) - updated,
        guardians_created=guardians_created,
        guardians_renamed=renamed,
        links_created=links_created,
        links_updated=links_updated,
        rows=len(rows),
    )


def _save_guardians(school: School, rows: list[RosterRow]) -> tuple[dict[str, Guardian], int, int]:
    """Return {phone: guardian} for every row, creating the missing; and the counts."""
    phones = {r.phone for r in rows}
    guardians = {g.phone: g for g in Guardian.objects.filter(phone__in=phones).order_by()}
    new = {
        r.phone: Guardian(name=r.guardian_name, phone=r.phone)
        for r in rows
        if r.phone not in guardians
    }
    _insert_many(list(new.values()))
    guardians.update(Guardian.objects.filter(phone__in=new).in_bulk(field_name="phone"))
    renamed = _renamed_guardians(school, rows, guardians, set(new))
    _update_many(renamed, ["name"])
    return guardians, len(new), len(renamed)


def _save_students(
    school: School, rows: list[RosterRow]
) -> tuple[dict[str, int], set[int], int, int]:
    """Create or update the students; return {number: id}, the ids already on file, counts."""
    existing = {
        s.student_number: s
        for s in Student.objects.filter(
            school=school, student_number__in=[r.student_number for r in rows]
        ).order_by()
    }
    created, changed = [], []
    for row in rows:
        student = existing.get(row.student_number)
        if student is None:
            created.append(_apply(Student(school=school, student_number=row.student_number), row))
        elif _apply(student, row, compare=True) is not None:
            changed.append(student)
    _insert_many(created)
    _update_many(changed, [*_STUDENT_FIELDS, "pinyin", "national_id", *sorted(rows[0].flags)])
    ids = dict(
        Student.objects.filter(
            school=school, student_number__in=[s.student_number for s in created]
        )
        .order_by()
        .values_list("student_number", "pk")
    )
    ids.update({number: s.pk for number, s in existing.items()})
    return ids, {s.pk for s in existing.values()}, len(created), len(changed)


def _save_links(
    school: School,
    rows: list[RosterRow],
    ids: Mapping[str, int],
    existing_ids: set[int],
    guardians: Mapping[str, Guardian],
) -> tuple[int, int]:
    """Link each row's student and guardian, or correct the relation; return the counts.

    Links the file does not mention are kept: one row names one guardian, not all of them.
    """
    links = {
        (link.student_id, link.guardian_id): link
        for link in StudentGuardian.objects.filter(student_id__in=existing_ids)
    }
    linked = {student_id for student_id, _guardian_id in links}
    new_links, relinked = [], []
    for row in rows:
        student_id, guardian_id = ids[row.student_number], guardians[row.phone].pk
        link = links.get((student_id, guardian_id))
        if link is None:
            new_links.append(
                StudentGuardian(
                    school=school,
                    student_id=student_id,
                    guardian_id=guardian_id,
                    relation=row.relation,
                    may_pick_up=True,
                    is_primary=student_id not in linked,
                )
            )
        elif link.relation != row.relation:
            link.relation = row.relation
            relinked.append(link)
    _insert_many(new_links)
    _update_many(relinked, ["relation"])
    return len(new_links), len(relinked)


def _apply(student: Student, row: RosterRow, *, compare: bool = False) -> Student | None:
    """Copy the row onto ``student``; with ``compare``, return None when nothing changed.

    An empty ID cell and an absent flag column leave what is on file.
    """
    values: dict[str, Any] = {
        "school_class_id": row.class_id,
        "name": row.name,
        "gender": row.gender,
        "birth_date": row.birth_date,
        **row.flags,
    }
    if row.national_id:
        values["national_id"] = row.national_id
    if compare and all(getattr(student, k) == v for k, v in values.items()):
        return None
    for key, value in values.items():
        setattr(student, key, value)
    student.pinyin = name_pinyin(student.name)
    return student


def _renamed_guardians(
    school: School, rows: list[RosterRow], guardians: Mapping[str, Guardian], new: set[str]
) -> list[Guardian]:
    """Return existing guardians whose name the file corrects.

    A guardian is shared across schools, so the name is changed only when all of their
    children are in this school; otherwise the name on file stays.
    """
    candidates = {
        r.phone: r.guardian_name
        for r in rows
        if r.phone not in new and guardians[r.phone].name != r.guardian_name
    }
    if not candidates:
        return []
    shared = set(
        StudentGuardian.objects.filter(guardian__phone__in=candidates)
        .exclude(school=school)
        .values_list("guardian__phone", flat=True)
    )
    renamed = []
    for phone, name in candidates.items():
        if phone not in shared:
            guardians[phone].name = name
            renamed.append(guardians[phone])
    return renamed


def _step(progress: Progress | None, done: int) -> None:
    if progress:
        progress("save", done, 3)


def _insert_many(objs: Sequence[models.Model]) -> None:
    """INSERT ``objs`` (all of one model, primary keys left to the database) in one call."""
    if not objs:
        return
    meta = objs[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from model metadata)
        qn(meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _update_many(objs: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE the fields ``names`` of ``objs`` (all of one model) in one call."""
    if not objs:
        return
    meta = objs[0]._meta
    fields = [meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (names from model metadata)
        qn(meta.db_table),
        ", ".join(f"{qn(f.column)} = %s" for f in fields),
        qn(meta.pk.column),
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def export_roster(*, school: School, actor: Actor) -> bytes:
    """Return the school's roster as .xlsx, masked for ``actor``, and audit the export.

    ID numbers are always masked (the full number is shown only by the audited reveal);
    phones unless the actor may see them; priority flags only for those who may.
    """
    if not (actor.may(Capability.VIEW_ROSTER) and actor.school_id == school.pk):
        raise NotPermitted
    visibility = Visibility.for_actor(actor)
    links = StudentGuardian.objects.select_related("guardian").order_by("-is_primary", "pk")
    students = list(
        students_for(actor)
        .filter(school=school, is_active=True)
        .select_related("school_class")
        .prefetch_related(Prefetch("guardian_links", queryset=links))
        .order_by("school_class__grade", "school_class__number", "pinyin")
    )
    data = export_workbook(students, visibility)
    record_event(
        action="roster.exported",
        subject=school,
        actor=actor.user,
        school_id=school.pk,
        new={
            "students": len(students),
            "phones_unmasked": visibility.phones,
            "priority_flags": visibility.priority_flags,
        },
    )
    return data
