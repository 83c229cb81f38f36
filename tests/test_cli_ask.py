"""`planqa ask` and `planqa search` on the real index: the printed answer with numbered
citations, the contract JSON, argument checks, and one run through the real front door."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.errors import BadRequest
from ingest.settings import Settings
from planqa.cli import _build_parser
from planqa.commands import ask, search

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[1]
TRAFFICKING_PLAN = "002_eaf36e0f570538e5"
# III.1 of file 002: plans are sent to the provincial People's Committee "trước ngày 10/3/2026".
QUESTION = (
    "Theo kế hoạch phòng, chống mua bán người năm 2026 của tỉnh Đồng Tháp, kế hoạch của các "
    "cơ quan, đơn vị gửi về Ủy ban nhân dân tỉnh trước ngày nào?"
)


def _run(module, argv: list[str], settings: Settings, capsys: pytest.CaptureFixture) -> str:
    args = _build_parser().parse_args(argv)
    assert module.run(args, settings) == 0
    return capsys.readouterr().out


def test_ask_prints_answer_then_numbered_citations(
    built_index: Settings, capsys: pytest.CaptureFixture
) -> None:
    out = _run(ask, ["ask", QUESTION], built_index, capsys)
    answer, _, citations = out.partition("\nTrích dẫn:\n")
    assert answer.strip()
    assert citations.startswith("[1] ")
    assert TRAFFICKING_PLAN in citations
    assert "Mục " in citations and "“" in citations


def test_ask_json_is_the_contract(built_index: Settings, capsys: pytest.CaptureFixture) -> None:
    out = _run(ask, ["ask", QUESTION, "--json", "-k", "5"], built_index, capsys)
    body = json.loads(out)
    assert set(body) == {
        "answer",
        "abstained",
        "intent",
        "citations",
        "timings_ms",
        "resolved_question",
    }
    assert body["abstained"] is False
    assert body["citations"]
    assert set(body["citations"][0]) == {
        "doc_id",
        "doc_title",
        "section_path",
        "section_title",
        "quote",
        "chunk_id",
        "score",
    }


def test_ask_doc_filter(built_index: Settings, capsys: pytest.CaptureFixture) -> None:
    other = "004_836614bf9213366e"
    out = _run(ask, ["ask", "Cơ quan nào chủ trì?", "--json", "--doc", other], built_index, capsys)
    assert {c["doc_id"] for c in json.loads(out)["citations"]} <= {other}


def test_ask_refuses_empty_question(built_index: Settings) -> None:
    with pytest.raises(BadRequest):
        ask.run(_build_parser().parse_args(["ask", "   "]), built_index)
    with pytest.raises(BadRequest):
        ask.run(_build_parser().parse_args(["ask", "hạn?", "-k", "0"]), built_index)


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_search_json(built_index: Settings, capsys: pytest.CaptureFixture, mode: str) -> None:
    argv = ["search", "phong chong mua ban nguoi", "--json", "-k", "3", "--mode", mode]
    hits = json.loads(_run(search, argv, built_index, capsys))["hits"]
    assert 1 <= len(hits) <= 3
    assert {"chunk_id", "doc_id", "section_path", "section_title", "text", "score"} <= set(hits[0])


def test_search_text_output(built_index: Settings, capsys: pytest.CaptureFixture) -> None:
    out = _run(search, ["search", "mua bán người", "-k", "2"], built_index, capsys)
    lines = out.splitlines()
    assert lines[0].startswith("[1] ")
    assert any(line.startswith("[2] ") for line in lines)


def test_planqa_ask_front_door(built_index: Settings) -> None:
    env = {
        **os.environ,
        "PLANQA_DATA_DIR": str(built_index.data_dir),
        "PLANQA_CORPUS_DIR": str(built_index.corpus_dir),
    }
    done = subprocess.run(
        [sys.executable, "-m", "planqa", "ask", "--json", QUESTION],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["citations"]
    empty = subprocess.run(
        [sys.executable, "-m", "planqa", "ask", " "],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert empty.returncode == 2
    assert empty.stderr.startswith("Lỗi:")
