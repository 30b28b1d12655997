"""Roster export: ID numbers always masked, phones and priority flags only for those who may."""

from __future__ import annotations

import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from lib import testing as make
from people.roles import Role

FULL_ID = re.compile(r"\d{17}[\dXx]")


def export(client) -> list[list]:
    """Return the exported sheet as rows of cell values (header first)."""
    response = client.get(reverse("people:roster_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def cells(rows: list[list]) -> list[str]:
    return [str(v) for r in rows for v in r if v is not None]


def test_teacher_export_masks_ids_and_phones_and_omits_flags(
    as_user, school_a, child_a, guardian_a
):
    plain_teacher = make.make_staff(school_a, Role.TEACHER)  # not a head teacher: no VIEW_PHONE
    rows = export(as_user(plain_teacher))
    assert not any(FULL_ID.search(c) for c in cells(rows))
    assert guardian_a.phone not in cells(rows)
    assert guardian_a.masked_phone in cells(rows)
    assert child_a.masked_national_id in cells(rows)
    assert "家庭经济困难" not in rows[0] and "随迁子女" not in rows[0]


def test_principal_export_shows_phones_and_flags_but_never_full_ids(
    as_user, principal, child_a, child_b, guardian_a
):
    rows = export(as_user(principal))
    assert not any(FULL_ID.search(c) for c in cells(rows))
    header = rows[0]
    by_number = {r[header.index("学号")]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    mine = by_number[child_a.student_number]
    assert mine["联系电话"] == guardian_a.phone
    assert (
        mine["家庭经济困难"] == "是" and by_number[child_b.student_number]["家庭经济困难"] == "否"
    )
    assert mine["身份证号"] == child_a.masked_national_id


def test_head_teacher_sees_phones_but_not_flags(as_user, teacher, child_a, guardian_a):
    rows = export(as_user(teacher))
    assert guardian_a.phone in cells(rows)
    assert "家庭经济困难" not in rows[0]
    assert not any(FULL_ID.search(c) for c in cells(rows))


def test_export_lists_only_the_own_schools_students(as_user, outsider, child_a, class_b):
    other = make.make_student(class_b, name="外校生")
    rows = export(as_user(outsider))
    assert [r[0] for r in rows[1:]] == [other.name]


def test_second_guardian_is_listed_masked_for_a_plain_teacher(
    as_user, school_a, child_a, guardian_a
):
    second = make.make_guardian(child_a, name="张爸爸")
    rows = export(as_user(make.make_staff(school_a, Role.TEACHER)))
    header = rows[0]
    others = rows[1][header.index("其他监护人")]
    assert "张爸爸" in others and second.phone not in others and second.masked_phone in others


def test_guardian_and_district_get_403(as_user, guardian_a, district):
    assert as_user(guardian_a).get(reverse("people:roster_export")).status_code == 403
    assert as_user(district).get(reverse("people:roster_export")).status_code == 403


def test_export_is_audited(as_user, principal, child_a):
    export(as_user(principal))
    event = AuditEvent.objects.get(action="roster.exported")
    assert event.actor == principal.user
    assert event.new_values == {"students": 1, "phones_unmasked": True, "priority_flags": True}


def test_export_queries_do_not_grow_with_the_roster(as_user, principal, class_a):
    client = as_user(principal)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export(client)
        return len(captured)

    for _ in range(3):
        make.make_guardian(make.make_student(class_a))
    few = queries()
    for _ in range(30):
        make.make_guardian(make.make_student(class_a))
    assert queries() == few
