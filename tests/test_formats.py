"""Real plans arrive as DOCX and PDF: the same plan must parse to the same tree and tasks.

DOCX and PDF versions of corpus plans are built here (tests/docgen.py) from the .txt; the
PDF's text layer is hard-wrapped and carries page numbers, which normalisation has to undo.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docgen import DEJAVU_FONTS, paragraphs, write_docx, write_pdf

from ingest.load import load_text
from ingest.parse import ParsedFile, parse_path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
PLANS = ["000_c6e6a45670724e7f", "003_b39ee1c3d8cc53e2"]


@pytest.fixture(scope="session")
def dejavu() -> dict[str, Path]:
    """The PDF needs a Unicode TrueType font for Vietnamese; skip only if it is missing."""
    missing = [str(path) for path in DEJAVU_FONTS.values() if not path.is_file()]
    if missing:
        pytest.skip(
            f"DejaVu fonts missing ({', '.join(missing)}): apt-get install fonts-dejavu-core"
        )
    return DEJAVU_FONTS


def _table_passage(text: str) -> tuple[int, int]:
    """The first task block with a lead agency: its item line and its label lines."""
    lines = paragraphs(text)
    for index, line in enumerate(lines):
        if "Đơn vị chủ trì" in line:
            end = index
            while end < len(lines) and re.match(r"^\+ (\*\*)?(Đơn vị|Thời gian)", lines[end]):
                end += 1
            return index - 1, end
    return 0, 0  # no such block: no table


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory, dejavu) -> dict[str, dict[str, Path]]:  # noqa: ANN001
    out: dict[str, dict[str, Path]] = {}
    for stem in PLANS:
        text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
        folder = tmp_path_factory.mktemp(stem[:3])
        out[stem] = {
            "txt": CORPUS / f"{stem}.txt",
            "docx": write_docx(text, folder / f"{stem}.docx", _table_passage(text)),
            "pdf": write_pdf(text, folder / f"{stem}.pdf"),
        }
    return out


@pytest.fixture(scope="module")
def parsed(versions) -> dict[tuple[str, str], ParsedFile]:  # noqa: ANN001
    return {
        (stem, fmt): parse_path(path)
        for stem, paths in versions.items()
        for fmt, path in paths.items()
    }


def _tree(parsed_file: ParsedFile) -> list[tuple[str, str]]:
    return [(s.path, _ws(s.title)) for s in parsed_file.document.sections]


def _ws(text: str) -> str:
    return " ".join(text.split())


def _tasks(parsed_file: ParsedFile) -> list[tuple]:
    rows = []
    for task in parsed_file.tasks:
        time = task.time
        when = (
            None
            if time is None
            else (_ws(time.text), time.kind, time.due_date, time.start_date, time.recurrence)
        )
        rows.append((task.section_path, task.lead, task.cooperating, when))
    return rows


def test_docx_keeps_the_table_passage_in_reading_order(versions) -> None:  # noqa: ANN001
    stem = PLANS[0]
    text = (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")
    lines = paragraphs(text)
    start, end = _table_passage(text)
    assert end - start >= 3, "000 has an item followed by its task label lines"
    loaded = load_text(versions[stem]["docx"])
    assert loaded.source_format == "docx"
    plain = [line.replace("**", "") for line in lines[start - 1 : end + 1]]
    # The lines before, inside and after the table follow each other in the loaded text.
    position = loaded.text.index(plain[1])  # the item line itself is unique
    assert loaded.text[:position].rstrip().endswith(plain[0])
    for line in plain[2:]:
        following = loaded.text.index(line, position)
        assert loaded.text[position:following].count("\n\n") == 1, line
        position = following


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("stem", PLANS)
def test_same_section_tree_as_txt(parsed, stem: str, fmt: str) -> None:  # noqa: ANN001
    expected = _tree(parsed[(stem, "txt")])
    assert len(expected) > 10
    assert _tree(parsed[(stem, fmt)]) == expected


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("stem", PLANS)
def test_same_tasks_as_txt(parsed, stem: str, fmt: str) -> None:  # noqa: ANN001
    expected = _tasks(parsed[(stem, "txt")])
    assert expected
    assert _tasks(parsed[(stem, fmt)]) == expected


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_source_format_and_doc_id(parsed, fmt: str) -> None:  # noqa: ANN001
    for stem in PLANS:
        meta = parsed[(stem, fmt)].document.meta
        assert meta.doc_id == stem
        assert meta.source_format == fmt
