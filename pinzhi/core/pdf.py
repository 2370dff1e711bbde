"""What the printed documents share (the settlement statement, the quality evaluation
report): the paragraph styles of a CJK font and the ruled table."""

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table, TableStyle

GRID = colors.HexColor("#9aa3ad")
HEAD = colors.HexColor("#e9edf2")


def styles(font: str) -> dict:
    """The paragraph styles of a document in `font` (quality.letters.letter_font)."""
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap="CJK")
    return {
        "font": font,
        "body": base,
        "company": ParagraphStyle("company", parent=base, fontSize=12, leading=16,
                                  alignment=TA_CENTER, textColor=colors.HexColor("#1f3a5f")),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=24,
                                alignment=TA_CENTER, spaceBefore=4, spaceAfter=2),
        "sub": ParagraphStyle("sub", parent=base, fontSize=9.5, alignment=TA_CENTER,
                              textColor=colors.HexColor("#555555")),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=16, spaceBefore=8,
                             spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5),
        "num": ParagraphStyle("num", parent=base, fontSize=9, leading=11.5,
                              alignment=TA_RIGHT),
        "hint": ParagraphStyle("hint", parent=base, fontSize=9.5, leading=13, leftIndent=12),
    }


def grid(table: Table, font: str, extra=()) -> Table:
    """The table ruled, its first row shaded, every cell in `font`; `extra`: more commands."""
    table.setStyle(TableStyle([
        # A table's own font (for plain cells) would add a non-embedded Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *extra,
    ]))
    return table
