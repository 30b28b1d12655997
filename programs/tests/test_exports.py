"""The timetable as the 课后服务样表 workbook a school posts."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Offering
from programs.services import add_slot, create_offering

T = dt.time


def test_the_xlsx_has_the_chinese_headers_and_a_row_per_slot(
    as_user, teacher, term3, music_room, art_room, music_teacher, art_teacher
):
    choir = create_offering(
        term=term3, kind=Offering.Kind.CLUB, name="合唱社团", grades=[3, 4], capacity=40,
        acting_user=None,
    )
    for weekday, start, end, venue, staff in [
        (0, T(16, 30), T(17, 30), music_room, music_teacher),
        (2, T(16, 30), T(17, 30), music_room, music_teacher),
        (5, T(9, 0), T(10, 30), art_room, art_teacher),
    ]:
        add_slot(offering=choir, weekday=weekday, start=start, end=end, venue=venue,
                 instructor=staff, acting_user=None)

    response = as_user(teacher).get(reverse("programs:timetable_xlsx") + f"?term={term3.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["课后服务安排表", "周课表"]

    rows = list(book["课后服务安排表"].iter_rows(values_only=True))
    assert "课后服务安排表" in rows[0][0]
    assert rows[1] == ("星期", "时间", "项目", "类型", "年级/班级", "场地", "指导教师")
    assert [r[:3] for r in rows[2:]] == [
        ("星期一", "16:30–17:30", "合唱社团"),
        ("星期三", "16:30–17:30", "合唱社团"),
        ("星期六", "09:00–10:30", "合唱社团"),
    ]
    assert rows[2][4:] == ("三年级、四年级", "音乐室", "周老师")

    grid = list(book["周课表"].iter_rows(values_only=True))
    assert grid[1] == ("时间", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六")
    assert grid[2][0] == "09:00–10:30" and "美术室" in grid[2][6]
    assert grid[3][0] == "16:30–17:30" and "合唱社团" in grid[3][1] and grid[3][2] is None


def test_a_teachers_export_holds_only_their_slots(
    as_user, teacher, term3, music_room, art_room, music_teacher, art_teacher
):
    choir = create_offering(
        term=term3, kind=Offering.Kind.CLUB, name="合唱社团", grades=[3], capacity=40,
        acting_user=None,
    )
    add_slot(offering=choir, weekday=0, start=T(16, 30), end=T(17, 30), venue=music_room,
             instructor=music_teacher, acting_user=None)
    add_slot(offering=choir, weekday=1, start=T(16, 30), end=T(17, 30), venue=art_room,
             instructor=art_teacher, acting_user=None)
    url = reverse("programs:timetable_xlsx") + f"?term={term3.pk}&view=teacher&id={art_teacher.pk}"
    book = load_workbook(io.BytesIO(as_user(teacher).get(url).content))
    rows = list(book["课后服务安排表"].iter_rows(values_only=True))
    assert "吴老师" in rows[0][0]
    assert [r[6] for r in rows[2:]] == ["吴老师"]
