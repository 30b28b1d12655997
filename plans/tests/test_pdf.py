"""The notice PDF shows Chinese: the font is embedded, the text layer reads back, pages rasterise.

These tests need poppler-utils and fonts-wqy-microhei (.ci/run installs both). When either
is missing they FAIL with a message saying what to install, never skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from plans import pdf as plan_pdf
from plans.pdf import CJKFontMissing, notice_pdf


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils (apt-get install poppler-utils)")
    return path


def _font_present() -> None:
    if not Path(settings.KEHOU_CJK_FONT).is_file():
        pytest.fail(
            f"CJK font {settings.KEHOU_CJK_FONT} is missing: apt-get install fonts-wqy-microhei"
        )


def _run(*args: str) -> str:
    """Run a poppler tool (a fixed program on a file this test wrote) and return stdout."""
    command = [_tool(args[0]), *args[1:]]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return done.stdout


@pytest.fixture
def notice_file(published_p1, tmp_path):
    _font_present()
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice_pdf(published_p1))
    return path


def test_the_pdf_text_layer_reads_back_in_chinese(notice_file):
    text = _run("pdftotext", "-enc", "UTF-8", str(notice_file), "-")
    for words in ["城南小学", "课后服务收费管理与分配方案", "课后服务费", "350.00", "0557-1234567"]:
        assert words in text, words


def test_the_pdf_embeds_the_cjk_font(notice_file):
    fonts = _run("pdffonts", str(notice_file))
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line or "KehouCJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk), fonts  # embedded (emb column)


def test_the_pdf_rasterises_with_ink_on_the_page(notice_file, tmp_path):
    _run(
        "pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(notice_file), str(tmp_path / "p")
    )
    (image,) = tmp_path.glob("p*.pgm")
    data = image.read_bytes()
    # PGM: header "P5\n<w> <h>\n255\n" then one byte per pixel.
    pixels = data.split(b"\n", 3)[3]
    dark = sum(1 for b in pixels if b < 128)
    assert dark > len(pixels) * 0.005


def test_the_pdf_download_is_public(client, published_p1):
    _font_present()
    url = reverse("plans:notice_pdf", args=[published_p1.school.code, published_p1.term_id])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_missing_font_is_said_plainly(client, published_p1, settings, monkeypatch):
    settings.KEHOU_CJK_FONT = "/nonexistent/font.ttc"
    monkeypatch.setattr(plan_pdf, "FONT_NAME", "KehouCJKMissingTest")
    with pytest.raises(CJKFontMissing) as exc:
        notice_pdf(published_p1)
    assert "fonts-wqy-microhei" in str(exc.value)
    url = reverse("plans:notice_pdf", args=[published_p1.school.code, published_p1.term_id])
    response = client.get(url)
    assert response.status_code == 503
    assert "fonts-wqy-microhei" in response.content.decode()
