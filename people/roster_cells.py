"""Reading one cell of a roster row: text, dates, grades, classes, IDs, phones, yes/no.

Each ``parse_*`` returns the clean value or raises ``InvalidCell`` with a message for the
user (in their language). Pure functions, no database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.identity import (
    birth_date_from_national_id,
    is_mobile_phone,
    national_id_problem,
    normalise_national_id,
    normalise_phone,
)
from people.models import Gender, StudentGuardian

Relation = StudentGuardian.Relation

RELATIONS = {
    "父亲": Relation.FATHER,
    "爸爸": Relation.FATHER,
    "father": Relation.FATHER,
    "母亲": Relation.MOTHER,
    "妈妈": Relation.MOTHER,
    "mother": Relation.MOTHER,
    "爷爷": Relation.GRANDFATHER,
    "祖父": Relation.GRANDFATHER,
    "外公": Relation.GRANDFATHER,
    "外祖父": Relation.GRANDFATHER,
    "爷爷/外公": Relation.GRANDFATHER,  # as the export writes it
    "grandfather": Relation.GRANDFATHER,
    "奶奶": Relation.GRANDMOTHER,
    "祖母": Relation.GRANDMOTHER,
    "外婆": Relation.GRANDMOTHER,
    "外祖母": Relation.GRANDMOTHER,
    "奶奶/外婆": Relation.GRANDMOTHER,
    "grandmother": Relation.GRANDMOTHER,
    "其他": Relation.OTHER,
    "other": Relation.OTHER,
}
_GENDERS = {
    "男": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}
_TRUE = {"是", "1", "y", "yes", "true", "√", "✓"}
_FALSE = {"", "否", "0", "n", "no", "false", "×", "-"}
_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


class InvalidCell(Exception):
    """A cell's value is refused; the message is for the user."""


def _text(value: Any) -> str:
    """Return a cell as text: numbers without a trailing .0, whitespace stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _plain(value: Any) -> str:
    """Return a cell as text with full-width digits and brackets made ASCII (NFKC)."""
    return unicodedata.normalize("NFKC", _text(value)).replace(" ", "")


def _number_1_to_99(text: str) -> int | None:
    """Return 1–99 from '12', '三' or '十二'; None when the text is not such a number."""
    if text.isdigit():
        return int(text)
    m = re.fullmatch(r"([一二三四五六七八九]?)(十?)([一二三四五六七八九]?)", text)
    if not text or not m:
        return None
    tens, ten, units = m.groups()
    if not ten:
        return _CN_DIGITS[tens] if tens and not units else None
    return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(units, 0)


def parse_name(value: Any, *, required_message: Any) -> str:
    name = re.sub(r"\s+", " ", _text(value))
    if not name:
        raise InvalidCell(str(required_message))
    if len(name) > 50:
        raise InvalidCell(_("At most 50 characters."))
    return name


def parse_gender(value: Any) -> str:
    gender = _GENDERS.get(_plain(value).lower())
    if gender is None:
        raise InvalidCell(_("Write 男 or 女 (not “%(value)s”).") % {"value": _text(value)})
    return gender


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = _plain(value)
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text) or re.fullmatch(
            r"(\d{4})(\d{2})(\d{2})", text
        )
        if not text:
            raise InvalidCell(_("The birth date is required."))
        try:
            if not m:
                raise ValueError
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise InvalidCell(
                _("“%(value)s” is not a date; write it like 2017-03-14.") % {"value": text}
            ) from None
    if day > (today or timezone.localdate()):
        raise InvalidCell(_("The birth date is in the future."))
    return day


def parse_grade(value: Any) -> int:
    text = _plain(value).removesuffix("年级").removesuffix("级")
    if text.startswith("初") and text[1:] in ("一", "二", "三"):
        return 6 + _CN_DIGITS[text[1:]]
    grade = _number_1_to_99(text)
    if grade is None or not 1 <= grade <= 9:
        raise InvalidCell(
            _("Write the grade as 1 to 9 or like 三年级 (not “%(value)s”).")
            % {"value": _text(value)}
        )
    return grade


_G = r"(?P<grade>[1-9一二三四五六七八九]|初[一二三])"
_N = r"(?P<number>\d{1,2}|[一二三四五六七八九十]{1,3})"
_CLASS_FORMS = tuple(
    re.compile(form)
    for form in (
        rf"\(?{_N}\)?班?",  # 2, 2班, (2)班
        rf"{_G}(?:年级|级)?\({_N}\)班?",  # 3(2)班, 三年级(2)班
        rf"{_G}(?:年级|级){_N}班?",  # 三年级2班, 3年级2班
        rf"(?P<grade>初[一二三]){_N}班?",  # 初一2班
    )
)


def parse_class(value: Any) -> tuple[int | None, int]:
    """Return (grade or None, class number) from 2, 2班, 三年级2班 or 3(2)班."""
    text = _plain(value)
    for form in _CLASS_FORMS:
        m = form.fullmatch(text)
        number = _number_1_to_99(m.group("number")) if m else None
        if m and number:
            grade = m.groupdict().get("grade")
            return (parse_grade(grade) if grade else None), number
    raise InvalidCell(
        _("Write the class like 2, 2班 or 三年级2班 (not “%(value)s”).") % {"value": _text(value)}
    )


def parse_student_number(value: Any) -> str:
    number = _plain(value)
    if not number:
        raise InvalidCell(_("The student number is required."))
    if len(number) > 32:
        raise InvalidCell(_("At most 32 characters."))
    return number


_ID_PROBLEMS = {
    "format": gettext_lazy("An ID number has 18 characters: 17 digits and a digit or X."),
    "birth_date": gettext_lazy("The date of birth inside the ID number is not a real date."),
    "checksum": gettext_lazy("The last character does not match: the number has a typing error."),
}


def parse_national_id(value: Any, *, birth_date: dt.date | None) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # 18 digits do not fit in a spreadsheet number: the last digits are already lost.
        raise InvalidCell(
            _(
                "The ID number was stored as a number and lost digits; "
                "format the column as text and type it again."
            )
        )
    number = normalise_national_id(_plain(value))
    if not number:
        return ""
    if "*" in number:
        raise InvalidCell(_("This ID number is masked; enter the full number or leave it empty."))
    problem = national_id_problem(number)
    if problem:
        raise InvalidCell(str(_ID_PROBLEMS[problem]))
    born = birth_date_from_national_id(number)
    if birth_date is not None and born != birth_date:
        raise InvalidCell(
            _("The ID number says born %(id_date)s but 出生日期 is %(date)s.")
            % {"id_date": born.isoformat(), "date": birth_date.isoformat()}
        )
    return number


def parse_relation(value: Any) -> str:
    relation = RELATIONS.get(_plain(value).lower())
    if relation is None:
        raise InvalidCell(
            _("Write 父亲, 母亲, 爷爷, 奶奶, 外公, 外婆 or 其他 (not “%(value)s”).")
            % {"value": _text(value)}
        )
    return relation.value


def parse_phone(value: Any) -> str:
    phone = normalise_phone(_plain(value))
    if not phone:
        raise InvalidCell(_("The guardian's phone number is required."))
    if not is_mobile_phone(phone):
        raise InvalidCell(
            _("“%(value)s” is not an 11-digit mobile number.") % {"value": _text(value)}
        )
    return phone


def parse_flag(value: Any) -> bool:
    text = _plain(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidCell(_("Write 是 or 否 (not “%(value)s”).") % {"value": _text(value)})
