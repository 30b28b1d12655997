"""A guardian and a principal on a phone-sized screen, in Debian's chromium (no downloads)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.testing import PASSWORD

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server, monkeypatch):
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
        context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
        yield context.new_page()
        browser.close()


def _sign_in(page, base, username):
    page.goto(f"{base}/login/")
    assert "登录" in page.title()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_guardian_signs_in_by_phone_and_sees_own_child(page, live_server, guardian_a, child_a, child_b):
    _sign_in(page, live_server.url, guardian_a.phone)
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "我的孩子"
    body = page.inner_text("main")
    assert child_a.name in body and child_b.name not in body
    page.click(f"text={child_a.name}")
    assert child_a.masked_national_id in page.inner_text("main")
    # The page fits a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.django_db(transaction=True)
def test_principal_reveals_an_id_in_place(page, live_server, principal, child_a):
    _sign_in(page, live_server.url, principal.user.username)
    page.goto(f"{live_server.url}/people/students/{child_a.pk}/")
    assert child_a.national_id not in page.content()
    page.click("text=查看完整号码（将被记录）")
    page.wait_for_selector(f"text={child_a.national_id}")
