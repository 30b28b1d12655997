"""Roster import (学生名册导入): the columns, and checking rows before anything is written.

Pure functions: no database. ``parse_rows`` turns the header and the cells of a
spreadsheet into ``RosterRow`` objects, or a list of ``RowError`` naming the row (as the
spreadsheet numbers it: the header is row 1), the column and the reason. The service in
``people.services_roster`` writes only when that list is empty.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.identity import national_id_check_digit
from people import roster_cells as cells
from people.roster_cells import InvalidCell
from schools.models import SchoolClass

ClassKey = tuple[int, int]  # (grade, class number)
Progress = Callable[[str, int, int], None]  # (stage, done, total; 0 = not known yet)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template; files are exchanged with Chinese headers
    required: bool
    help: Any  # lazy text for the 说明 sheet
    aliases: tuple[str, ...] = ()


FLAG_FIELDS = {
    "is_migrant_child": "随迁子女",
    "is_single_parent": "单亲",
    "is_left_behind": "留守",
    "is_low_income": "家庭经济困难",
    "has_disability": "残疾",
}
_YES_NO = gettext_lazy("是 (yes) or 否 (no); 1/0 and an empty cell (no) are accepted too.")

COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, gettext_lazy("The student's name. Required."), ("name",)),
    Column("gender", "性别", True, gettext_lazy("男 or 女."), ("gender", "sex")),
    Column(
        "birth_date",
        "出生日期",
        True,
        gettext_lazy("For example 2017-03-14 or 2017/3/14, or a date cell."),
        ("birthdate", "dateofbirth"),
    ),
    Column("grade", "年级", True, gettext_lazy("1 to 9, or 三年级."), ("grade",)),
    Column(
        "school_class",
        "班级",
        True,
        gettext_lazy("The class number: 2, 2班 or 三年级2班. The class must already exist."),
        ("class",),
    ),
    Column(
        "student_number",
        "学号",
        True,
        gettext_lazy("Unique in the school. A re-import updates the student with this number."),
        ("studentnumber", "studentno"),
    ),
    Column(
        "national_id",
        "身份证号",
        False,
        gettext_lazy(
            "18 characters, stored as text. Optional; an empty cell keeps the number on file."
        ),
        ("nationalid", "idnumber"),
    ),
    Column("guardian_name", "监护人", True, gettext_lazy("The guardian's name."), ("guardian",)),
    Column(
        "relation",
        "关系",
        True,
        gettext_lazy("父亲, 母亲, 爷爷, 奶奶, 外公, 外婆 or 其他."),
        ("relation", "relationship"),
    ),
    Column(
        "phone",
        "联系电话",
        True,
        gettext_lazy("The guardian's mobile number (11 digits); it is also their login."),
        ("phone", "mobile"),
    ),
    Column("is_migrant_child", "随迁子女", False, _YES_NO, ("migrantchild",)),
    Column("is_single_parent", "单亲", False, _YES_NO, ("singleparent",)),
    Column("is_left_behind", "留守", False, _YES_NO, ("leftbehind",)),
    Column("is_low_income", "家庭经济困难", False, _YES_NO, ("lowincome",)),
    Column("has_disability", "残疾", False, _YES_NO, ("disability",)),
)
# The template carries the columns of the specification; 残疾 is accepted when present.
TEMPLATE_COLUMNS = tuple(c for c in COLUMNS if c.key != "has_disability")
_BY_KEY = {c.key: c for c in COLUMNS}
_NAME_REQUIRED = gettext_lazy("The name is required.")
_GUARDIAN_NAME_REQUIRED = gettext_lazy("The guardian's name is required.")

_EXAMPLE_ID = "11010120170314002"
# The template's example row; importing it by mistake is refused (see ``_check_row``).
EXAMPLE: dict[str, Any] = {
    "name": "张小明",
    "gender": "男",
    "birth_date": dt.date(2017, 3, 14),
    "grade": 3,
    "school_class": "2班",
    "student_number": "20260001",
    "national_id": _EXAMPLE_ID + national_id_check_digit(_EXAMPLE_ID),
    "guardian_name": "张丽",
    "relation": "母亲",
    "phone": "13800138000",
    **dict.fromkeys(FLAG_FIELDS, "否"),
}


@dataclass(frozen=True)
class RowError:
    """One reason a file is refused. ``row`` is None for a problem with the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class RosterRow:
    """One checked row: a student and one guardian."""

    row: int
    name: str
    gender: str
    birth_date: dt.date
    class_id: int
    student_number: str
    national_id: str  # "" when the cell is empty
    guardian_name: str
    relation: str
    phone: str
    flags: Mapping[str, bool]  # only the flag columns present in the file


def header_key(text: Any) -> str:
    """Return a header reduced for matching: no spaces, no '*' marks, lower case."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"[\s*_\-]", "", text).lower()


def _header_index() -> dict[str, str]:
    index = {header_key(c.header): c.key for c in COLUMNS}
    index.update({alias: c.key for c in COLUMNS for alias in c.aliases})
    return index


def map_headers(headers: Sequence[Any]) -> tuple[dict[str, tuple[int, str]], list[RowError]]:
    """Return {column key: (position, header as written)} or the header problems."""
    known = _header_index()
    found: dict[str, tuple[int, str]] = {}
    errors: list[RowError] = []
    for position, raw in enumerate(headers):
        key = known.get(header_key(raw))
        if key is None:
            continue  # extra columns (备注 …) are ignored
        if key in found:
            errors.append(RowError(1, str(raw).strip(), _("This column appears twice.")))
        found[key] = (position, str(raw).strip())
    missing = [c.header for c in COLUMNS if c.required and c.key not in found]
    if missing:
        errors.append(
            RowError(
                1,
                "",
                _("Missing columns: %(columns)s. Start from the template.")
                % {"columns": "、".join(missing)},
            )
        )
    return found, errors


def _check_row(
    number: int,
    cell: Callable[[str], Any],
    *,
    classes: Mapping[ClassKey, int],
    flag_keys: Sequence[str],
    today: dt.date,
    error: Callable[[str, str], None],
) -> RosterRow | None:
    """Return the row checked cell by cell, or None after reporting each bad cell."""
    ok = True

    def read(key: str, parse: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        nonlocal ok
        try:
            return parse(cell(key), *args, **kwargs)
        except InvalidCell as e:
            error(key, str(e))
            ok = False
            return None

    name = read("name", cells.parse_name, required_message=_NAME_REQUIRED)
    gender = read("gender", cells.parse_gender)
    birth_date = read("birth_date", cells.parse_date, today=today)
    grade = read("grade", cells.parse_grade)
    class_id = None
    class_grade, class_number = read("school_class", cells.parse_class) or (None, None)
    if class_grade is not None and grade is not None and class_grade != grade:
        error(
            "school_class",
            _("The class says grade %(class_grade)d but 年级 says %(grade)d.")
            % {"class_grade": class_grade, "grade": grade},
        )
        ok = False
    elif class_number is not None and (grade or class_grade):
        class_id = classes.get((grade or class_grade, class_number))
        if class_id is None:
            label = SchoolClass(grade=grade or class_grade, number=class_number).label
            error(
                "school_class",
                _("There is no class %(label)s in this school; create it first.")
                % {"label": label},
            )
            ok = False
    student_number = read("student_number", cells.parse_student_number)
    national_id = read("national_id", cells.parse_national_id, birth_date=birth_date)
    guardian_name = read(
        "guardian_name", cells.parse_name, required_message=_GUARDIAN_NAME_REQUIRED
    )
    relation = read("relation", cells.parse_relation)
    phone = read("phone", cells.parse_phone)
    flags = {key: read(key, cells.parse_flag) for key in flag_keys}
    if (name, student_number, phone) == (
        EXAMPLE["name"],
        EXAMPLE["student_number"],
        EXAMPLE["phone"],
    ):
        error("name", _("This is the template's example row: delete it before importing."))
        ok = False
    if not ok or class_id is None:
        return None
    return RosterRow(
        row=number,
        name=name,
        gender=gender,
        birth_date=birth_date,
        class_id=class_id,
        student_number=student_number,
        national_id=national_id or "",
        guardian_name=guardian_name,
        relation=relation,
        phone=phone,
        flags=flags,
    )


def parse_rows(
    headers: Sequence[Any],
    rows: Sequence[tuple[int, Sequence[Any]]],
    *,
    classes: Mapping[ClassKey, int],
    progress: Progress | None = None,
) -> tuple[list[RosterRow], list[RowError]]:
    """Check every row; return the rows and every problem found (no rows if any).

    ``rows`` holds (spreadsheet row number, cells); ``classes`` maps (grade, number) to the
    id of the school's class. Besides each cell, the file as a whole must not repeat a
    student number or an ID number, nor give one phone to two differently named guardians.
    """
    columns, errors = map_headers(headers)
    if errors:
        return [], errors
    flag_keys = [key for key in FLAG_FIELDS if key in columns]
    today = timezone.localdate()
    checked: list[RosterRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    guardian_at: dict[str, tuple[str, int]] = {}
    for done, (number, values) in enumerate(rows, start=1):

        def cell(key: str, values: Sequence[Any] = values) -> Any:
            position = columns[key][0] if key in columns else len(values)
            return values[position] if position < len(values) else None

        def error(key: str, message: str, number: int = number) -> None:
            column = columns[key][1] if key in columns else _BY_KEY[key].header
            errors.append(RowError(number, column, message))

        row = _check_row(
            number, cell, classes=classes, flag_keys=flag_keys, today=today, error=error
        )
        if progress and (done % 100 == 0 or done == len(rows)):
            progress("check", done, len(rows))
        if row is None:
            continue
        for key, value in (
            ("student_number", row.student_number),
            ("national_id", row.national_id),
        ):
            if value and (key, value) in first_seen:
                error(
                    key,
                    _("Also on row %(row)d: each student appears once.")
                    % {"row": first_seen[key, value]},
                )
            first_seen.setdefault((key, value), number)
        name, seen_on = guardian_at.setdefault(row.phone, (row.guardian_name, number))
        if name != row.guardian_name:
            error(
                "phone",
                _("Row %(row)d gives this phone to %(name)s: one phone, one guardian.")
                % {"row": seen_on, "name": name},
            )
        checked.append(row)
    if not rows:
        errors.append(RowError(None, "", _("The file has a header but no students.")))
    return ([] if errors else checked), errors
