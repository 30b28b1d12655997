"""Chinese identity numbers and phone numbers: validation and masking.

Full ID numbers and phones are personal data of minors and their families (PIPL art. 28);
pages, exports and API lists show the masked forms below unless the role may see them
(``people.permissions``).
"""

from __future__ import annotations

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_national_id(value: str) -> str:
    """Return the ID number upper-cased with spaces removed."""
    return re.sub(r"\s+", "", value or "").upper()


def national_id_check_digit(first17: str) -> str:
    """Return the GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def national_id_problem(value: str) -> str | None:
    """Return why an 18-character resident ID is invalid, or None when it is valid.

    The reason is a short English key; callers translate it for the user.
    """
    value = normalise_national_id(value)
    if not _ID_RE.match(value):
        return "format"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "birth_date"
    if national_id_check_digit(value[:17]) != value[17]:
        return "checksum"
    return None


def birth_date_from_national_id(value: str) -> dt.date:
    value = normalise_national_id(value)
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def mask_national_id(value: str | None) -> str:
    """Show the region (first 3) and the check character only: 110***********123X -> 110**************X."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 4) + value[-1]


def normalise_phone(value: str) -> str:
    """Return a mainland mobile number without spaces, dashes or a +86 prefix."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def is_mobile_phone(value: str) -> bool:
    return bool(_MOBILE_RE.match(normalise_phone(value)))


def mask_phone(value: str | None) -> str:
    """138****5678: the common Chinese way of showing a phone number in public."""
    if not value:
        return ""
    if len(value) >= 7:
        return value[:3] + "****" + value[-4:]
    return "*" * len(value)


def mask_name(value: str | None) -> str:
    """Show a name as published lists do: keep the first and last character, mask the middle.

    张小明 -> 张*明, 欧阳小明 -> 欧**明, 李四 -> 李*, a one-character name -> *.
    """
    name = (value or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
