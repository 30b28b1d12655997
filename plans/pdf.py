"""The public notice as a PDF, with an embedded TrueType CJK font.

reportlab's built-in CID font ``STSong-Light`` is not embedded, so viewers without Asian
fonts (pdftoppm, many phones) show empty boxes. The font in ``settings.KEHOU_CJK_FONT``
(Debian's fonts-wqy-microhei by default) is embedded and subset instead. When it is
missing we say so and how to install it, rather than print boxes.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from plans.models import SchoolPlan
from plans.notice import notice_sections

FONT_NAME = "KehouCJK"


class CJKFontMissing(Exception):
    """The CJK font for PDFs is not installed."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(
            _(
                "The Chinese font for PDFs is missing (%(path)s). Install it with "
                "`apt-get install fonts-wqy-microhei`, or set KEHOU_CJK_FONT to a TrueType "
                "CJK font."
            )
            % {"path": path}
        )


def register_cjk_font() -> str:
    """Register the CJK font with reportlab once and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    path = str(settings.KEHOU_CJK_FONT)
    if not Path(path).is_file():
        raise CJKFontMissing(path)
    index = 0 if path.lower().endswith(".ttc") else None
    font = (
        TTFont(FONT_NAME, path, subfontIndex=index)
        if index is not None
        else TTFont(FONT_NAME, path)
    )
    pdfmetrics.registerFont(font)
    return FONT_NAME


def notice_pdf(plan: SchoolPlan) -> bytes:
    """Return the public notice of ``plan`` as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus.flowables import KeepTogether

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    heading = ParagraphStyle("h2", parent=body, fontSize=13, leading=20, spaceBefore=8)
    title = ParagraphStyle("h1", parent=body, fontSize=17, leading=26, alignment=1)

    buffer = io.BytesIO()
    doc_title = plan.document.get("title", "")
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{plan.school.name} {doc_title}",
        author=plan.school.name,
    )
    story = [
        Paragraph(_escape(f"{plan.school.name} · {plan.term.name}"), title),
        Paragraph(_escape(doc_title), title),
        Paragraph(
            _escape(
                _(
                    "Public notice of the after-school service plan, version %(v)s, published %(date)s."
                )
                % {
                    "v": plan.version,
                    "date": plan.published_at.date().isoformat() if plan.published_at else "—",
                }
            ),
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    for section in notice_sections(plan):
        lines = [Paragraph(_escape(section.heading), heading)]
        lines += [Paragraph("· " + _escape(line), body) for line in section.lines]
        story.append(KeepTogether(lines))
    pdf.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
