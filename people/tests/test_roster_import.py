"""Roster import: all or nothing, row-by-row reasons, idempotent re-import, fixed query count."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from lib import testing as make
from people.models import Guardian, Student, StudentGuardian
from people.roles import Role
from people.services import NotPermitted
from people.services_roster import RosterRejected, import_roster

HEADERS = ["姓名", "性别", "出生日期", "年级", "班级", "学号", "身份证号",
           "监护人", "关系", "联系电话", "随迁子女", "单亲", "留守", "家庭经济困难"]  # fmt: skip
_n = itertools.count(1)


def row(**changes) -> dict:
    """Return one good row (a unique student and guardian) as {header: value}."""
    n = next(_n)
    values = {
        "姓名": f"学生{n}",
        "性别": "女",
        "出生日期": "2016-05-20",  # not the factories' 2017-03-14: no ID shared with personas
        "年级": "3",
        "班级": "2",
        "学号": f"S{n:06d}",
        "身份证号": make.make_national_id(birth=dt.date(2016, 5, 20), serial=n % 1000),
        "监护人": f"家长{n}",
        "关系": "母亲",
        "联系电话": f"137{n:08d}",
        "随迁子女": "否",
        "单亲": "否",
        "留守": "",
        "家庭经济困难": "否",
    }
    values.update(changes)
    return values


def xlsx(rows: list[dict], *, headers: list[str] = HEADERS, name="roster.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for r in rows:
        sheet.append([r.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows: list[dict], *, encoding: str, name="roster.csv"):
    lines = [",".join(HEADERS)] + [",".join(str(r[h]) for h in HEADERS) for r in rows]
    return SimpleUploadedFile(name, "\r\n".join(lines).encode(encoding))


def table_counts() -> tuple[int, int, int, int]:
    return (
        Student.objects.count(),
        Guardian.objects.count(),
        StudentGuardian.objects.count(),
        AuditEvent.objects.count(),
    )


def rejected(school, upload) -> list:
    with pytest.raises(RosterRejected) as info:
        import_roster(school=school, rows_or_file=upload, acting_user=None)
    return info.value.errors


def test_it_imports_a_clean_file(school_a, class_a, principal):
    rows = [row(姓名="王小红", 家庭经济困难="是"), row(), row(班级="三年级2班")]
    result = import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=principal.user)
    assert (result.created, result.updated) == (3, 0)
    assert (result.guardians_created, result.links_created) == (3, 3)
    student = Student.objects.get(school=school_a, student_number=rows[0]["学号"])
    assert student.name == "王小红" and student.pinyin == "wang xiao hong"
    assert student.school_class == class_a and student.birth_date == dt.date(2016, 5, 20)
    assert student.is_low_income and not student.is_migrant_child
    link = student.guardian_links.get()
    assert link.guardian.phone == rows[0]["联系电话"] and link.relation == "mother"
    assert link.may_pick_up and link.is_primary and link.school_id == school_a.pk
    event = AuditEvent.objects.get(action="roster.imported")
    assert event.actor == principal.user and event.school_id == school_a.pk
    assert event.new_values["created"] == 3


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ({"姓名": ""}, "姓名"),
        ({"身份证号": "110101201605200019"}, "身份证号"),  # the check character should be 2
        ({"班级": "9"}, "班级"),
        ({"联系电话": "1381234567"}, "联系电话"),  # ten digits
        ({"学号": "DUP"}, "学号"),
    ],
    ids=["missing name", "bad ID checksum", "unknown class", "bad phone", "duplicate number"],
)
def test_one_bad_row_rejects_the_whole_file(school_a, class_a, bad, column):
    first = row(学号="DUP") if column == "学号" else row()
    rows = [first, row(), row(**bad), row()]
    before = table_counts()
    errors = rejected(school_a, xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(4, column)]  # header = row 1
    assert table_counts() == before


def test_every_bad_row_is_listed(school_a, class_a):
    errors = rejected(school_a, xlsx([row(姓名=""), row(), row(性别="X", 联系电话="12")]))
    assert [(e.row, e.column) for e in errors] == [(2, "姓名"), (4, "性别"), (4, "联系电话")]


def test_id_number_must_agree_with_the_birth_date(school_a, class_a):
    wrong = make.make_national_id(birth=dt.date(2016, 1, 2))
    [error] = rejected(school_a, xlsx([row(身份证号=wrong)]))
    assert error.column == "身份证号" and "2016-01-02" in error.message


def test_grade_in_the_class_must_agree_with_the_grade_column(school_a, class_a):
    [error] = rejected(school_a, xlsx([row(年级="4", 班级="三年级2班")]))
    assert error.column == "班级"


def test_missing_headers_give_one_error(school_a, class_a):
    headers = [h for h in HEADERS if h not in ("学号", "联系电话")]
    [error] = rejected(school_a, xlsx([row()], headers=headers))
    assert error.row == 1 and "学号" in error.message and "联系电话" in error.message


def test_empty_and_oversized_files_are_refused(school_a, class_a, settings):
    assert len(rejected(school_a, SimpleUploadedFile("roster.xlsx", b""))) == 1
    assert len(rejected(school_a, xlsx([]))) == 1
    settings.KEHOU_IMPORT_MAX_ROWS = 2
    [error] = rejected(school_a, xlsx([row(), row(), row()]))
    assert error.row is None and "2" in error.message


def test_the_templates_example_row_is_refused(school_a, class_a, principal, as_user):
    template = as_user(principal).get(reverse("people:roster_template")).content
    upload = SimpleUploadedFile("template.xlsx", template)
    [error] = rejected(school_a, upload)
    assert error.row == 2


def test_reimport_updates_by_student_number_and_duplicates_nothing(school_a, class_a):
    other_class = make.make_class(school_a, grade=4, number=1)
    rows = [row(), row(), row()]
    import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
    before = table_counts()
    rows[0] |= {"姓名": "改名字", "年级": "4", "班级": "1"}
    rows[1] |= {"关系": "父亲", "单亲": "是"}
    result = import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert (result.guardians_created, result.links_created) == (0, 0)
    assert table_counts()[:3] == before[:3]
    moved = Student.objects.get(student_number=rows[0]["学号"])
    assert (moved.name, moved.pinyin, moved.school_class) == ("改名字", "gai ming zi", other_class)
    second = Student.objects.get(student_number=rows[1]["学号"])
    assert second.is_single_parent and second.guardian_links.get().relation == "father"


def test_reimporting_the_same_file_changes_nothing(school_a, class_a):
    rows = [row() for _ in range(5)]
    import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
    before = table_counts()
    result = import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
    assert (result.created, result.updated, result.unchanged, result.links_created) == (0, 0, 5, 0)
    assert table_counts() == (before[0], before[1], before[2], before[3] + 1)  # one audit row


def test_an_empty_id_cell_keeps_the_number_on_file(school_a, class_a, child_a):
    import_roster(
        school=school_a,
        rows_or_file=[row(学号=child_a.student_number, 身份证号="", 出生日期="2016/5/20")],
        acting_user=None,
    )
    child_a.refresh_from_db()
    assert child_a.national_id and child_a.name.startswith("学生")


def test_a_guardian_is_found_by_phone(school_a, class_a, guardian_a, child_a):
    rows = [row(监护人=guardian_a.name, 联系电话=guardian_a.phone, 关系="外婆")]
    result = import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
    assert result.guardians_created == 0 and result.links_created == 1
    assert guardian_a.students.count() == 2
    link = StudentGuardian.objects.get(guardian=guardian_a, student__student_number=rows[0]["学号"])
    assert link.relation == "grandmother"


def test_one_phone_for_two_guardian_names_is_refused(school_a, class_a):
    errors = rejected(school_a, xlsx([row(联系电话="13700000001"), row(联系电话="13700000001")]))
    assert [(e.row, e.column) for e in errors] == [(3, "联系电话")]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_in_chinese_encodings_imports(school_a, class_a, encoding):
    rows = [row(姓名="欧阳娜娜", 出生日期="2016/5/20"), row()]
    result = import_roster(
        school=school_a, rows_or_file=csv_file(rows, encoding=encoding), acting_user=None
    )
    assert result.created == 2
    assert Student.objects.filter(name="欧阳娜娜", school_class=class_a).exists()


def test_excel_date_cells_and_number_cells_are_read(school_a, class_a):
    rows = [row(出生日期=dt.datetime(2016, 5, 20), 年级=3, 班级=2, 联系电话=13912345678)]
    assert import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None).created == 1


def test_an_id_number_stored_as_a_number_is_explained(school_a, class_a):
    [error] = rejected(school_a, xlsx([row(身份证号=110101201703140015)]))
    assert error.column == "身份证号"


def test_only_roster_managers_of_the_school_may_import(school_a, class_a, teacher, outsider):
    for staff in (teacher, outsider):
        with pytest.raises(NotPermitted):
            import_roster(school=school_a, rows_or_file=[row()], acting_user=staff.user)
    assert not Student.objects.exists()


def test_import_queries_do_not_grow_with_the_file(school_a, class_a):
    def queries(n: int) -> int:
        upload = xlsx([row() for _ in range(n)])
        with CaptureQueriesContext(connection) as captured:
            import_roster(school=school_a, rows_or_file=upload, acting_user=None)
        return len(captured)

    assert queries(20) == queries(200)


def test_reimport_queries_do_not_grow_with_the_file(school_a, class_a):
    small, large = [row() for _ in range(20)], [row() for _ in range(200)]
    for rows in (small, large):
        import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
    counts = []
    for rows in (small, large):
        for r in rows:
            r["姓名"] += "改"
        with CaptureQueriesContext(connection) as captured:
            import_roster(school=school_a, rows_or_file=xlsx(rows), acting_user=None)
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- the page ---------------------------------------------------------------------------


def test_teacher_gets_403_on_import_and_template(as_user, teacher):
    client = as_user(teacher)
    assert client.get(reverse("people:roster_import")).status_code == 403
    response = client.post(reverse("people:roster_import"), {"file": xlsx([row()])})
    assert response.status_code == 403
    assert client.get(reverse("people:roster_template")).status_code == 403
    assert not Student.objects.exists()


def test_guardian_gets_403_on_import(as_user, guardian_a):
    assert as_user(guardian_a).get(reverse("people:roster_import")).status_code == 403


def test_page_lists_the_problems_and_imports_nothing(as_user, principal, class_a):
    client = as_user(principal)
    response = client.post(
        reverse("people:roster_import"),
        {"file": xlsx([row(), row(联系电话="12345")])},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported." in page and "<td>3</td><td>联系电话</td>" in page
    assert not Student.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.pdf", b"%PDF-1.4 not a roster"),
        ("roster.xlsx", b"PK\x03\x04 broken zip"),
        ("roster.xlsx", b"plain text pretending"),
        ("roster.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("roster.csv", b"\xff\x00\xfe garbage"),
    ],
)
def test_page_explains_a_file_it_cannot_read(as_user, principal, class_a, name, content):
    response = as_user(principal).post(
        reverse("people:roster_import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert 'class="alert error"' in response.content.decode()


def test_page_imports_and_reports_counts(as_user, principal, class_a):
    client = as_user(principal)
    response = client.post(
        reverse("people:roster_import"), {"file": xlsx([row(), row()])}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert Student.objects.filter(school_class=class_a).count() == 2
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 students added" in page


def test_template_has_the_chinese_headers_and_a_notes_sheet(as_user, principal):
    response = as_user(principal).get(reverse("people:roster_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["学生名册", "说明"]
    header = [c.value for c in workbook["学生名册"][1]]
    assert header == HEADERS
    assert workbook["学生名册"].max_row == 2  # one example row


def test_page_is_offered_to_a_principal(as_user, principal):
    assert as_user(principal).get(reverse("people:roster_import")).status_code == 200


# --- the command line -------------------------------------------------------------------


def test_command_imports_and_prints_counts(school_a, class_a, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row(), row()]).read())
    out = io.StringIO()
    call_command(
        "import_roster", str(path), "--school", school_a.code, stdout=out, stderr=io.StringIO()
    )
    assert Student.objects.count() == 2
    assert school_a.name in out.getvalue()


def test_command_lists_each_problem_and_fails(school_a, class_a, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row(), row(姓名="")]).read())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", str(path), "--school", school_a.code, stderr=err)
    assert "3" in err.getvalue() and "姓名" in err.getvalue()
    assert not Student.objects.exists()


def test_command_refuses_a_user_who_may_not_import(school_a, class_a, tmp_path):
    staff = make.make_staff(school_a, Role.GUARD)
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx([row()]).read())
    with pytest.raises(CommandError):
        call_command(
            "import_roster", str(path), "--school", school_a.code, "--user", staff.user.username
        )


def test_an_id_number_on_file_under_another_student_number_is_refused(school_a, class_a, child_a):
    rows = [row(), row(身份证号=child_a.national_id, 出生日期="2017-03-14")]
    before = table_counts()
    errors = rejected(school_a, xlsx(rows))
    assert [(e.row, e.column) for e in errors] == [(3, "身份证号")]
    assert child_a.student_number in errors[0].message
    assert table_counts() == before


def test_a_guardians_name_is_corrected_only_when_all_their_children_are_here(
    school_a, class_a, class_b, child_a, guardian_a, guardian_b, child_b
):
    in_b = make.make_student(class_b)
    StudentGuardian.objects.create(
        school_id=in_b.school_id, student=in_b, guardian=guardian_b, relation="father"
    )
    rows = [
        row(学号=child_a.student_number, 监护人="张丽", 联系电话=guardian_a.phone),
        row(学号=child_b.student_number, 监护人="刘强", 联系电话=guardian_b.phone),
    ]
    result = import_roster(school=school_a, rows_or_file=rows, acting_user=None)
    assert result.guardians_renamed == 1
    guardian_a.refresh_from_db()
    guardian_b.refresh_from_db()
    assert guardian_a.name == "张丽"
    assert guardian_b.name == "刘爸爸"  # also a guardian at 城北小学: that school's record stands
