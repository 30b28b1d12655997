"""A teacher's roll call and hand-over on a phone, in Debian's chromium (no downloads).

A care group of 50 children on a 375×740 screen: the care teacher taps the marks and hands
the group on to the duty teacher, who counts one short and sees the mismatch in red.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from attendance.models import HandOver, Mark
from lib import testing as make
from lib.testing import PASSWORD
from programs.models import CareGroupMember

CHROMIUM = "/usr/bin/chromium"
WIDTH = 375


@pytest.fixture
def new_page(live_server, monkeypatch):
    """Return a factory of phone-sized pages, each in its own browser context (own login)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the live server's ORM work is in its own.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def make_page():
            context = browser.new_context(viewport={"width": WIDTH, "height": 740}, locale="zh-CN")
            return context.new_page()

        yield make_page
        browser.close()


def _sign_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.mark.django_db(transaction=True)
def test_teacher_takes_roll_call_and_hands_over_on_a_phone(new_page, live_server, care, class_a, child_a, child_b):
    group, base = care["group"], live_server.url
    others = [make.make_student(class_a, name=f"学生{i:02d}") for i in range(48)]
    CareGroupMember.objects.bulk_create([CareGroupMember(group=group, student=s, school_class=class_a) for s in others])

    page = new_page()
    _sign_in(page, base, care["care_teacher"].user.username)
    page.goto(f"{base}/attendance/")
    page.click(f"a[href^='/attendance/groups/{group.pk}/roll/']")
    page.wait_for_selector(".roll-row")
    assert page.locator(".roll-row").count() == 50
    assert _fits(page)
    page.click(f"#child-{child_a.pk} label.mark-present")
    page.click(f"#child-{child_b.pk} label.mark-absent")
    page.click("button[name=rest]")
    page.wait_for_selector(".messages li.success")
    assert Mark.objects.filter(roll_call__care_group=group).count() == 50
    assert Mark.objects.get(student=child_b).status == "absent"
    assert page.is_checked(f"#child-{child_b.pk} input[value=absent]")
    assert _fits(page)

    page.goto(f"{base}/attendance/teacher/")
    page.click(f"a[href^='/attendance/groups/{group.pk}/hand-over/']")
    page.select_option("#id_to_staff", str(care["duty"].pk))
    assert page.input_value("#id_kind") == "to_duty"
    assert page.inner_text("#ticked") == "49"  # the absent child is not ticked
    page.uncheck(f"input[name=students][value='{others[0].pk}']")
    assert page.inner_text("#ticked") == "48"
    assert _fits(page)
    page.click("#hand-over button[type=submit]")
    page.wait_for_selector(".messages li.success")
    record = HandOver.objects.get()
    assert (record.handed_count, record.to_staff) == (48, care["duty"])

    duty = new_page()
    _sign_in(duty, base, care["duty"].user.username)
    duty.goto(f"{base}/attendance/teacher/")
    duty.fill(f"#count-{record.pk}", "47")
    duty.click(f"#handover-{record.pk} button[type=submit]")
    duty.wait_for_selector(f"#handover-{record.pk}.mismatch .mismatch-text")
    color = duty.eval_on_selector(".mismatch-text", "el => getComputedStyle(el).color")
    assert color == "rgb(197, 48, 48)"  # --bad, red
    assert _fits(duty)
