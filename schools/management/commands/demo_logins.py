"""Print the demo logins (``make demo`` shows them before serving)."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand

from people.models import User
from schools.demo import DEMO_LOGINS, DEMO_PASSWORD


def display_width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def _who(user: User) -> str:
    """Return the person behind a login and where they belong: 冯磊 · 示范区实验小学."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return f"{staff.name} · {staff.school.name}"
    officer = getattr(user, "district_officer", None)
    if officer is not None:
        return f"{user.first_name} · {officer.district.name}"
    guardian = getattr(user, "guardian", None)
    if guardian is not None:
        return f"{guardian.name} · {'、'.join(s.name for s in guardian.students.all())}"
    return user.get_full_name()


class Command(BaseCommand):
    help = "Print each demo login with its password and what its home page shows."

    def handle(self, *args, **options) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[d.login for d in DEMO_LOGINS])
            .select_related("staff__school", "district_officer__district", "guardian")
            .prefetch_related("guardian__students")
        }
        header = (
            "角色 Role",
            "登录名 Login",
            "密码 Password",
            "姓名 Name",
            "看到什么 What they see",
        )
        rows = [
            (
                f"{d.role_zh} {d.role_en}",
                d.login,
                DEMO_PASSWORD,
                _who(users[d.login]),
                f"{d.sees_zh} / {d.sees_en}",
            )
            for d in DEMO_LOGINS
            if d.login in users
        ]
        widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(4)]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join([*(pad(c, w) for c, w in zip(cells, widths, strict=False)), cells[4]])

        self.stdout.write("")
        self.stdout.write(
            "课后 Kehou 演示账号 / demo logins — 所有账号密码相同 / one password for all: "
            + DEMO_PASSWORD
        )
        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * 24)
        for row in rows:
            self.stdout.write(line(row))
        missing = [d.login for d in DEMO_LOGINS if d.login not in users]
        if missing and rows:
            self.stderr.write(f"未找到 / not found: {', '.join(missing)}")
        if not rows:
            self.stderr.write(
                "没有演示数据 / No demo data: run `manage.py seed_demo` on an empty database."
            )
        self.stdout.write(
            "家长用手机号登录 / Guardians sign in with their phone number. "
            "浏览器打开下方 gunicorn 显示的地址 / open the address gunicorn prints below, "
            "e.g. http://127.0.0.1:8000/"
        )
        self.stdout.write("")
