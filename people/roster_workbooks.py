"""The roster spreadsheets Kehou hands out: the import template and the masked export.

Both use the import's Chinese headers, so a school fills in and reads one layout.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from people.models import Student
from people.presenters import Visibility, shown_national_id, shown_phone
from people.roster import COLUMNS, EXAMPLE, FLAG_FIELDS, TEMPLATE_COLUMNS

SHEET_TITLE = "学生名册"
_TEXT = "@"  # cell format "text": keeps leading zeros and all 18 digits of an ID number
_TEXT_COLUMNS = {"student_number", "national_id", "phone"}
_WIDTHS = {"birth_date": 12, "student_number": 14, "national_id": 22, "phone": 14}
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GENDER_TEXT = {"M": "男", "F": "女"}
RELATION_TEXT = {
    "father": "父亲",
    "mother": "母亲",
    "grandfather": "爷爷/外公",
    "grandmother": "奶奶/外婆",
    "other": "其他",
}
_TEMPLATE_ROWS = 2000  # rows given text format and drop-down lists in the template


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet: Worksheet, headers: Sequence[str], keys: Sequence[str]) -> None:
    sheet.append(list(headers))
    for position, key in enumerate(keys, start=1):
        cell = sheet.cell(row=1, column=position)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = _WIDTHS.get(
            key, max(8, len(headers[position - 1]) * 2 + 2)
        )
        if key in _TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = _TEXT
    sheet.freeze_panes = "A2"


def template_workbook() -> bytes:
    """Return the import template: the header, one example row, and a 说明 sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    keys = [c.key for c in TEMPLATE_COLUMNS]
    _header(sheet, [c.header for c in TEMPLATE_COLUMNS], keys)
    sheet.append([EXAMPLE[key] for key in keys])
    for position, key in enumerate(keys, start=1):
        cell = sheet.cell(row=2, column=position)
        if key in _TEXT_COLUMNS:
            cell.number_format = _TEXT
        elif key == "birth_date":
            cell.number_format = "yyyy-mm-dd"
    choices = {"gender": "男,女", "relation": "父亲,母亲,爷爷,奶奶,外公,外婆,其他"}
    choices.update(dict.fromkeys(FLAG_FIELDS, "是,否"))
    for position, key in enumerate(keys, start=1):
        if key in choices:
            rule = DataValidation(type="list", formula1=f'"{choices[key]}"', allow_blank=True)
            letter = get_column_letter(position)
            rule.add(f"{letter}2:{letter}{_TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(rule)
    _notes(workbook.create_sheet("说明"))
    return _save(workbook)


def _notes(sheet: Worksheet) -> None:
    """Fill the 说明 sheet: how the import works, then each column."""
    for line in (
        _("One row per student, with one guardian. Keep the header row as it is."),
        _("Delete the example row (张小明) before importing."),
        _(
            "Students are matched by 学号: importing the file again updates them and "
            "creates no duplicates. Guardians are matched by their phone number."
        ),
        _(
            "If any row has a problem, nothing is imported and every problem is listed "
            "with its row and column."
        ),
        _("Classes are not created by the import: set them up in Kehou first."),
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("How to fill it in")])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    for column in COLUMNS:
        sheet.append([column.header, _("yes") if column.required else _("no"), str(column.help)])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 8
    sheet.column_dimensions["C"].width = 80
    for row in sheet.iter_rows(min_row=header_row + 1):
        row[2].alignment = Alignment(wrap_text=True)


def export_columns(visibility: Visibility) -> list[tuple[str, str]]:
    """Return (key, header) of the export: priority flags only for those who may see them."""
    columns = [(c.key, c.header) for c in COLUMNS if c.key not in FLAG_FIELDS]
    if visibility.priority_flags:
        columns += [(key, header) for key, header in FLAG_FIELDS.items()]
    return [*columns, ("other_guardians", "其他监护人")]


def _export_row(student: Student, visibility: Visibility, keys: Iterable[str]) -> list[Any]:
    links = list(student.guardian_links.all())
    first = links[0] if links else None
    others = "；".join(
        f"{link.guardian.name}（{RELATION_TEXT.get(link.relation, link.relation)}）"
        f"{shown_phone(link.guardian.phone, visibility)}"
        for link in links[1:]
    )
    values: dict[str, Any] = {
        "name": student.name,
        "gender": _GENDER_TEXT.get(student.gender, student.gender),
        "birth_date": student.birth_date,
        "grade": student.school_class.grade,
        "school_class": student.school_class.number,
        "student_number": student.student_number,
        "national_id": shown_national_id(student),
        "guardian_name": first.guardian.name if first else "",
        "relation": RELATION_TEXT.get(first.relation, "") if first else "",
        "phone": shown_phone(first.guardian.phone, visibility) if first else "",
        "other_guardians": others,
    }
    values.update({key: "是" if getattr(student, key) else "否" for key in FLAG_FIELDS})
    return [values[key] for key in keys]


def export_workbook(students: Iterable[Student], visibility: Visibility) -> bytes:
    """Return the roster as .xlsx; ``students`` come with class and guardian links loaded."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    columns = export_columns(visibility)
    keys = [key for key, _header_text in columns]
    _header(sheet, [header for _key, header in columns], keys)
    birth_column = keys.index("birth_date") + 1
    for student in students:
        sheet.append(_export_row(student, visibility, keys))
        sheet.cell(row=sheet.max_row, column=birth_column).number_format = "yyyy-mm-dd"
    sheet.column_dimensions[get_column_letter(len(keys))].width = 40
    return _save(workbook)
