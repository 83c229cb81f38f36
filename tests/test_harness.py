"""The evaluation harness: gold pairs, the naive baseline's section mapping, the gate, and an
end-to-end `planqa eval` run on the real index writing every report file."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from eval.gate import GATED_METRICS, baseline_from_report, check
from eval.harness import gold_pairs, questions_hash
from eval.naive import locate_sections
from ingest.types import Section

# A small question set written by reading the corpus (used until and besides the real set).
FIXTURE_QUESTIONS = [
    {
        "id": "fx-000-deadline",
        "question": "Kế hoạch triển khai Nghị quyết 09-NQ/TU của các sở, ngành phải gửi về "
        "Ủy ban nhân dân tỉnh Đồng Tháp chậm nhất ngày nào?",
        "kind": "deadline",
        "answerable": True,
        "doc_ids": ["000_c6e6a45670724e7f"],
        "section_paths": ["IV.1"],
        "evidence": "Kế hoạch của cơ quan, đơn vị, địa phương gửi về Ủy ban nhân dân tỉnh "
        "(qua Công an tỉnh – Phòng Tham mưu) chậm nhất ngày 20/5/2026 để tổng hợp.",
        "facts": [["20/5/2026"]],
        "no_diacritics": False,
        "tags": [],
        "note": "000 IV.1",
    },
    {
        "id": "fx-002-deadline-nodiac",
        "question": "ke hoach phong chong toi pham, mua ban nguoi nam 2026 cua cac don vi "
        "gui ve uy ban nhan dan tinh truoc ngay nao",
        "kind": "deadline",
        "answerable": True,
        "doc_ids": ["002_eaf36e0f570538e5"],
        "section_paths": ["III.1"],
        "evidence": "Kế hoạch của các cơ quan, đơn vị, địa phương gửi về Ủy ban nhân dân tỉnh "
        "(qua Công an tỉnh – Phòng Tham mưu) trước ngày 10/3/2026 để tổng hợp.",
        "facts": [["10/3/2026"]],
        "no_diacritics": True,
        "tags": [],
        "note": "002 III.1",
    },
    {
        "id": "fx-003-quarterly",
        "question": "Ban Chỉ đạo 138 cấp tỉnh tổ chức họp định kỳ hằng quý trước ngày nào?",
        "kind": "deadline",
        "answerable": True,
        "doc_ids": ["003_b39ee1c3d8cc53e2"],
        "section_paths": ["III.1"],
        "evidence": "cấp tỉnh họp trước ngày 25 tháng cuối quý",
        "facts": [["25 tháng cuối quý"]],
        "no_diacritics": False,
        "tags": [],
        "note": "003 III.1, a recurrence",
    },
    {
        "id": "fx-unanswerable",
        "question": "Kế hoạch phòng, chống tội phạm năm 2023 của tỉnh Cà Mau giao cơ quan nào "
        "chủ trì?",
        "kind": "unanswerable",
        "answerable": False,
        "doc_ids": [],
        "section_paths": [],
        "evidence": "",
        "facts": [],
        "no_diacritics": False,
        "tags": [],
        "note": "no Cà Mau plan in the corpus",
    },
]


def _q(**fields: object) -> SimpleNamespace:
    base = {"doc_ids": [], "section_paths": [], "facts": [], "evidence": "", "answerable": True}
    return SimpleNamespace(**{**base, **fields})


def test_gold_pairs_single_document_owns_every_path() -> None:
    assert gold_pairs(_q(doc_ids=["a"], section_paths=["II.1", "III"])) == (
        ("a", "II.1"),
        ("a", "III"),
    )


def test_gold_pairs_several_documents() -> None:
    assert gold_pairs(_q(doc_ids=["a", "b"], section_paths=["I", "II"])) == (
        ("a", "I"),
        ("b", "II"),
    )
    assert gold_pairs(_q(doc_ids=["a", "b"], section_paths=["b:II.2", "a:I"])) == (
        ("b", "II.2"),
        ("a", "I"),
    )
    # a document without a path accepts any of its sections
    assert gold_pairs(_q(doc_ids=["a", "b"], section_paths=["a:I"])) == (("a", "I"), ("b", ""))
    assert gold_pairs(_q(doc_ids=[], section_paths=[])) == ()


def test_questions_hash_changes_with_the_set() -> None:
    one = [SimpleNamespace(**q) for q in FIXTURE_QUESTIONS]
    assert questions_hash(one) == questions_hash(list(one))
    assert questions_hash(one) != questions_hash(one[:2])


def _section(path: str, title: str, text: str, order: int) -> Section:
    return Section("d", path, path.split(".")[-1], title, text, path.count(".") + 1, None, order)


def test_locate_sections_follows_reading_order() -> None:
    sections = [
        _section("I", "MỤC ĐÍCH", "", 0),
        _section("I.1", "", "Tổ chức triển khai kế hoạch. Thời gian thực hiện: Thường xuyên.", 1),
        _section(
            "I.2", "", "Tăng cường phối hợp giữa các sở. Thời gian thực hiện: Thường xuyên.", 2
        ),
        _section("II", "TỔ CHỨC THỰC HIỆN", "", 3),
    ]
    chunks = [
        "I. MỤC ĐÍCH\n1. Tổ chức triển khai kế hoạch.",
        # a hard-wrapped raw chunk starting inside I.2, on a phrase both sections share
        "Thời gian thực hiện: Thường xuyên. Tăng cường phối hợp giữa\ncác sở.",
        "hoàn toàn không có trong văn bản nào cả ở đây",
    ]
    located = locate_sections(chunks, sections)
    assert [s.path if s else None for s in located] == ["I", "I.1", None]


def test_locate_sections_prefers_the_section_after_the_previous_chunk() -> None:
    text = "Đơn vị thực hiện: Công an tỉnh. Thời gian thực hiện: Thường xuyên."
    sections = [_section(p, "", text, i) for i, p in enumerate(["1", "2", "3"])]
    located = locate_sections(["Công an tỉnh. Thời gian thực hiện: Thường xuyên."] * 3, sections)
    assert [s.path for s in located if s] == ["1", "1", "1"]


# --- gate ------------------------------------------------------------------------------------


def _report(values: dict[str, float | None], sha: str = "abc") -> dict:
    return {
        "metrics": {"hybrid": values},
        "dataset": {"sha256": sha, "questions": 4, "limit": None},
        "command": "planqa eval",
    }


MEASURED = {
    "answer_accuracy": 0.80,
    "hit@5": 0.90,
    "citation_precision": 0.70,
    "abstention_recall": 1.0,
}


def test_gate_passes_within_tolerance_and_fails_beyond() -> None:
    baseline = baseline_from_report(_report(MEASURED))
    assert set(baseline["metrics"]) == set(GATED_METRICS)
    assert check(_report(MEASURED), baseline).ok
    slightly_lower = {**MEASURED, "hit@5": 0.885}  # 0.015 below: within 0.02
    assert check(_report(slightly_lower), baseline).ok
    lower = {**MEASURED, "answer_accuracy": 0.77}  # 0.03 below
    result = check(_report(lower), baseline)
    assert not result.ok
    assert any("answer_accuracy" in m and m.startswith("FAIL") for m in result.messages)


def test_gate_fails_on_another_question_set_or_missing_config() -> None:
    baseline = baseline_from_report(_report(MEASURED))
    other = check(_report(MEASURED, sha="def"), baseline)
    assert not other.ok and "question set differs" in other.messages[0]
    missing = {"metrics": {"naive": MEASURED}, "dataset": {"sha256": "abc"}}
    assert not check(missing, baseline).ok


def test_gate_fails_when_a_metric_cannot_be_measured() -> None:
    baseline = baseline_from_report(_report(MEASURED))
    assert not check(_report({**MEASURED, "abstention_recall": None}), baseline).ok


# --- end to end on the real index --------------------------------------------------------------


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def _run(argv: list[str], settings) -> int:  # noqa: ANN001 - Settings from the fixture
    from planqa.cli import _build_parser
    from planqa.commands.eval import run

    return run(_build_parser().parse_args(["eval", *argv]), settings)


@pytest.mark.slow
def test_eval_end_to_end_writes_reports_and_gates(built_index, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    dataset = _write_jsonl(tmp_path / "qa.jsonl", FIXTURE_QUESTIONS)
    out = tmp_path / "run"
    baseline = tmp_path / "baseline.json"
    common = [
        "--dataset",
        str(dataset),
        "--limit",
        "4",
        "--no-progress",
        "--baseline",
        str(baseline),
    ]
    code = _run(
        [*common, "--configs", "hybrid,naive", "--out", str(out), "--write-baseline"], built_index
    )
    assert code == 0

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for key in (
        "command",
        "machine",
        "dataset",
        "metrics",
        "by_kind",
        "by_document",
        "diacritics",
        "planqa_vs_naive",
        "failures",
        "questions",
        "skipped",
        "wall_time_s",
    ):
        assert key in report, key
    assert report["configs"] == ["hybrid", "naive"]
    assert report["dataset"]["questions"] == 4
    hybrid = report["metrics"]["hybrid"]
    for key in ("hit@1", "hit@5", "mrr@10", "ndcg@10", "citation_precision", "abstention_recall"):
        assert key in hybrid
    assert hybrid["latency_p50_ms"] > 0
    assert set(report["by_kind"]["hybrid"]) == {"deadline", "unanswerable"}
    assert report["diacritics"]["hybrid"]["accuracy_gap_points"] is not None
    # the naive baseline never abstains, so it misses the unanswerable question
    naive_fail = {f["id"]: f["reason"] for f in report["failures"]["naive"]}
    assert naive_fail.get("fx-unanswerable") == "missed abstention"
    assert report["metrics"]["naive"]["abstention_recall"] == 0.0
    # every question has an outcome per configuration
    assert all(set(q["results"]) == {"hybrid", "naive"} for q in report["questions"])

    markdown = (out / "report.md").read_text(encoding="utf-8")
    for heading in ("## Overall", "## Diacritics", "## By question kind", "## By document"):
        assert heading in markdown
    assert "| hybrid |" in markdown and "| naive |" in markdown
    assert "PlanQA (`hybrid`) / naive answer accuracy" in markdown
    for plot in ("accuracy_by_kind.png", "latency.png"):
        data = (out / plot).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    assert json.loads((out / "progress.json").read_text())["finished"] is True

    stored = json.loads(baseline.read_text(encoding="utf-8"))
    assert stored["config"] == "hybrid" and stored["questions"] == 4
    assert stored["metrics"]["hit@5"] == hybrid["hit@5"]

    # the same run checks clean against its own baseline...
    assert (
        _run(
            [*common, "--configs", "hybrid", "--out", str(tmp_path / "ok"), "--check"], built_index
        )
        == 0
    )
    # ...and fails once the baseline is set above what is measured
    stored["metrics"]["hit@5"] = (hybrid["hit@5"] or 0.0) + 0.05
    baseline.write_text(json.dumps(stored), encoding="utf-8")
    capsys.readouterr()
    code = _run(
        [*common, "--configs", "hybrid", "--out", str(tmp_path / "bad"), "--check"], built_index
    )
    assert code == 1
    assert "FAIL: hit@5" in capsys.readouterr().err
