"""No stack trace ever reaches a page; production settings pass Django's deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]


@override_settings(ROOT_URLCONF="kehou.tests.urls_boom", DEBUG=False)
def test_a_crash_shows_a_friendly_page_without_a_stack_trace(db):
    response = Client(raise_request_exception=False).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in body
    assert "secret stack detail" not in body and "Traceback" not in body


def test_unknown_page_is_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in to Kehou" in client.get("/login/").content.decode()


def test_check_deploy_has_no_warnings_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "KEHOU_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "x7-" + "k" * 60 + "-not-a-real-key-but-long-and-random-enough",
        "DJANGO_ALLOWED_HOSTS": "kehou.example.cn",
        "KEHOU_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "KEHOU_PRODUCTION": "1", "KEHOU_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
