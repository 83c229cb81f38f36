"""Build DOCX and PDF versions of a corpus text, as an office would have produced them.

Markdown marks become formatting (bold, italic, superscript footnote markers), `#` heading
marks are dropped, every paragraph is its own DOCX paragraph / wrapped PDF paragraph. These
are test helpers, so they favour clarity over fidelity to every markdown corner.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
DEJAVU_FONTS = {
    "": DEJAVU_DIR / "DejaVuSans.ttf",
    "B": DEJAVU_DIR / "DejaVuSans-Bold.ttf",
    "I": DEJAVU_DIR / "DejaVuSans-Oblique.ttf",
    "BI": DEJAVU_DIR / "DejaVuSans-BoldOblique.ttf",
}

_HEADING_MARK = re.compile(r"^#{1,6}\s*")
_INLINE = re.compile(r"(\*\*|~~|\*|<sup>(\d+)</sup>)")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of a corpus file: the corpus writes one paragraph per line."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def runs(line: str) -> list[Run]:
    """A markdown line as formatted runs: **bold**, *italic*, ~~strike~~ (kept as text),
    <sup>n</sup> (superscript); `#` heading marks make the whole line bold."""
    heading = _HEADING_MARK.match(line)
    if heading:
        line = line[heading.end() :]
    bold = bool(heading)
    italic = False
    out: list[Run] = []
    position = 0
    for match in _INLINE.finditer(line):
        if match.start() > position:
            out.append(Run(line[position : match.start()], bold, italic))
        mark = match.group(1)
        if mark == "**":
            bold = not bold if not heading else True
        elif mark == "*":
            italic = not italic
        elif match.group(2):
            out.append(Run(match.group(2), bold, italic, superscript=True))
        position = match.end()
    if position < len(line):
        out.append(Run(line[position:], bold, italic))
    return [run for run in out if run.text]


def write_docx(text: str, path: Path, table_lines: tuple[int, int] | None = None) -> Path:
    """One DOCX paragraph per corpus paragraph; paragraphs [start, end) (indices into
    `paragraphs(text)`) go into a one-column table instead, one row each."""
    import docx

    document = docx.Document()
    table = None
    for index, line in enumerate(paragraphs(text)):
        in_table = table_lines is not None and table_lines[0] <= index < table_lines[1]
        if in_table:
            if table is None:
                table = document.add_table(rows=0, cols=1)
            paragraph = table.add_row().cells[0].paragraphs[0]
        else:
            paragraph = document.add_paragraph()
        for run in runs(line):
            added = paragraph.add_run(run.text)
            added.bold = run.bold or None
            added.italic = run.italic or None
            if run.superscript:
                added.font.superscript = True
    document.save(str(path))
    return path


def _html(line: str) -> str:
    parts = []
    for run in runs(line):
        chunk = html.escape(run.text, quote=False)
        if run.superscript:
            chunk = f"<sup>{chunk}</sup>"
        if run.italic:
            chunk = f"<i>{chunk}</i>"
        if run.bold:
            chunk = f"<b>{chunk}</b>"
        parts.append(chunk)
    return "".join(parts)


def write_pdf(text: str, path: Path) -> Path:
    """A4 PDF in DejaVu Sans with wrapped paragraphs and a page number at each page's foot."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", "", 10)
            self.char_vpos = "LINE"
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = _Pdf(format="A4")
    for style, font in DEJAVU_FONTS.items():
        pdf.add_font("DejaVu", style, str(font))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("DejaVu", "", 12)
    # write_html wraps each paragraph at word boundaries across style changes (plain
    # `write()` calls split words when a styled run starts near the end of a line).
    pdf.write_html("".join(f"<p>{_html(line)}</p>" for line in paragraphs(text)))
    pdf.output(str(path))
    return path
