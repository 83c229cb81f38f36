"""The UI's pure parts on small inputs: highlighting, labels, the deadline table, agency roles,
server-sent event parsing, the client's errors and the evaluation folder contract."""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import pytest

from ui.client import ApiClient, ApiError, ask_body, parse_sse
from ui.deadlines import (
    STATUS_LATER,
    STATUS_ONGOING,
    STATUS_OVERDUE,
    STATUS_RECURRING,
    STATUS_UNCLEAR,
    STATUS_UPCOMING,
    agency_options,
    filter_frame,
    status_counts,
    status_of,
    tasks_frame,
    to_csv,
)
from ui.evaluation import list_runs, metrics_rows, read_progress
from ui.render import (
    find_quote,
    flatten_sections,
    format_time,
    highlight,
    normalised_time,
    recurrence_text,
    section_label,
    strip_images,
)
from ui.responsibilities import agencies_in, by_document, roles_of

TODAY = date(2026, 5, 1)


def _task(task_id: str, doc_id: str = "d1", time: dict | None = None, **roles: list[str]) -> dict:
    return {
        "task_id": task_id,
        "doc_id": doc_id,
        "section_path": f"II.{task_id}",
        "description": f"Nhiệm vụ {task_id}",
        "lead": roles.get("lead", []),
        "cooperating": roles.get("cooperating", []),
        "executing": roles.get("executing", []),
        "directing": roles.get("directing", []),
        "time": time,
        "citation": {
            "doc_id": doc_id,
            "doc_title": f"Kế hoạch {doc_id}",
            "section_path": f"II.{task_id}",
            "section_title": "Nhiệm vụ cụ thể",
            "quote": f"Trích {task_id}",
        },
    }


def _time(kind: str, text: str = "", **fields: str) -> dict:
    return {
        "text": text or kind,
        "kind": kind,
        "due_date": fields.get("due_date"),
        "start_date": fields.get("start_date"),
        "recurrence": fields.get("recurrence", ""),
        "recurrence_detail": fields.get("recurrence_detail", ""),
    }


# --- highlighting and labels -------------------------------------------------------------------


def test_highlight_marks_quote_across_line_wraps_and_escapes_html() -> None:
    text = "1. Sở Tư pháp chủ trì,\nphối hợp <các> sở, ngành thực hiện."
    html = highlight(text, "Sở Tư pháp chủ trì, phối hợp <các> sở")
    assert html.count("<mark") == 1
    marked = html.split("<mark", 1)[1].split(">", 1)[1].split("</mark>")[0]
    assert marked == "Sở Tư pháp chủ trì,<br>phối hợp &lt;các&gt; sở"
    assert html.startswith("1. ")
    assert "<các>" not in html


def test_highlight_without_the_quote_shows_text_unmarked() -> None:
    assert highlight("Công an tỉnh chủ trì.", "Sở Y tế") == "Công an tỉnh chủ trì."
    assert find_quote("Công an tỉnh chủ trì.", "") is None


def test_highlight_matches_composed_and_decomposed_vietnamese() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đồng Tháp")
    assert find_quote(f"tỉnh {decomposed} năm 2026", "Đồng Tháp") == (5, 14)


def test_section_labels() -> None:
    assert section_label("II.2.a", "Công tác phòng ngừa") == "Mục II.2.a — Công tác phòng ngừa"
    assert section_label("KH.preamble", "") == "Phần mở đầu"
    assert section_label("fn2", "") == "Chú thích fn2"
    assert section_label("Điều1", "") == "Mục Điều1"


def test_time_readings_in_vietnamese() -> None:
    dated = _time("date", "Chậm nhất ngày 20/5/2026", due_date="2026-05-20")
    assert format_time(dated) == "Chậm nhất ngày 20/5/2026 (hạn 20/05/2026)"
    period = _time("period", "Năm 2026", start_date="2026-01-01", due_date="2026-12-31")
    assert normalised_time(period) == "từ 01/01/2026 đến 31/12/2026"
    quarterly = _time(
        "recurrence",
        recurrence="quarterly",
        recurrence_detail="before day 25 of the quarter's last month",
    )
    assert recurrence_text(quarterly) == "hằng quý, trước ngày 25 tháng cuối quý"
    several = _time("recurrence", recurrence="quarterly,half_yearly,yearly")
    assert recurrence_text(several) == "hằng quý, 6 tháng một lần, hằng năm"
    assert normalised_time(
        _time("recurrence", recurrence="yearly", recurrence_detail="before 15/12")
    ) == ("hằng năm, trước ngày 15/12")
    assert normalised_time(_time("ongoing", "Thường xuyên")) == "thường xuyên"
    assert format_time(_time("ongoing", "Thường xuyên.")) == "Thường xuyên."
    assert format_time(None) == ""


def test_flatten_sections_keeps_reading_order_and_depth() -> None:
    tree = [
        {"path": "I", "children": [{"path": "I.1", "children": []}]},
        {"path": "II", "children": [{"path": "II.1", "children": [{"path": "II.1.a"}]}]},
    ]
    assert [(d, n["path"]) for d, n in flatten_sections(tree)] == [
        (0, "I"),
        (1, "I.1"),
        (0, "II"),
        (1, "II.1"),
        (2, "II.1.a"),
    ]


def test_strip_images_keeps_text() -> None:
    markdown = "## Plots\n\n![accuracy](run/accuracy_by_kind.png)\n\nText ![x](y) inline\n"
    assert strip_images(markdown) == "## Plots\n\n\n\nText ![x](y) inline\n"


# --- deadlines ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("time", "status"),
    [
        (_time("date", due_date="2026-04-30"), STATUS_OVERDUE),
        (_time("date", due_date="2026-05-01"), STATUS_UPCOMING),
        (_time("date", due_date="2026-05-31"), STATUS_UPCOMING),
        (_time("date", due_date="2026-06-01"), STATUS_LATER),
        (_time("recurrence", recurrence="yearly"), STATUS_RECURRING),
        (_time("ongoing"), STATUS_ONGOING),
        (_time("unknown", "Theo chỉ đạo"), STATUS_UNCLEAR),
        (None, None),
    ],
)
def test_status_relative_to_today(time: dict | None, status: str | None) -> None:
    assert status_of(time, TODAY) == status


def test_tasks_frame_rows_order_and_filters() -> None:
    tasks = [
        _task("1", time=_time("recurrence", recurrence="yearly"), lead=["Sở Tư pháp"]),
        _task("2", time=None, lead=["Công an tỉnh"]),
        _task(
            "3",
            doc_id="d2",
            time=_time("date", "Trước ngày 10/3/2026", due_date="2026-03-10"),
            executing=["Ủy ban nhân dân cấp xã"],
            cooperating=["Công an tỉnh"],
        ),
        _task("4", time=_time("date", due_date="2026-05-20"), lead=["Công an tỉnh"]),
    ]
    frame = tasks_frame(tasks, TODAY)
    assert list(frame["Nhiệm vụ"]) == ["Nhiệm vụ 3", "Nhiệm vụ 4", "Nhiệm vụ 1"]  # no time: out
    first = frame.iloc[0]
    assert first["Chủ trì"] == "Ủy ban nhân dân cấp xã"  # no "chủ trì" line: who carries it out
    assert first["Phối hợp"] == "Công an tỉnh"
    assert first["Thời gian (nguyên văn)"] == "Trước ngày 10/3/2026"
    assert first["Thời gian (chuẩn hóa)"] == "hạn 10/03/2026"
    assert first["Trạng thái"] == STATUS_OVERDUE
    assert first["Văn bản"] == "Kế hoạch d2"
    assert first["Mục"] == "Mục II.3 — Nhiệm vụ cụ thể"
    assert (first["doc_id"], first["section_path"], first["quote"]) == ("d2", "II.3", "Trích 3")

    assert list(filter_frame(frame, [STATUS_UPCOMING])["Nhiệm vụ"]) == ["Nhiệm vụ 4"]
    assert len(filter_frame(frame, [])) == 3
    counts = status_counts(frame)
    assert (counts[STATUS_OVERDUE], counts[STATUS_UPCOMING], counts[STATUS_RECURRING]) == (1, 1, 1)
    assert agency_options(tasks) == ["Công an tỉnh", "Sở Tư pháp", "Ủy ban nhân dân cấp xã"]


def test_csv_is_excel_friendly_utf8_without_hidden_columns() -> None:
    frame = tasks_frame(
        [_task("1", time=_time("ongoing", "Thường xuyên"), lead=["Sở Y tế"])], TODAY
    )
    data = to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Trạng thái,Hạn,Nhiệm vụ,Chủ trì")
    assert "doc_id" not in header and "quote" not in header
    assert "Thường xuyên" in text and "Sở Y tế" in text


# --- responsibilities --------------------------------------------------------------------------


def test_roles_of_agency_and_grouping_by_document() -> None:
    tasks = [
        _task("1", lead=["Sở Tư pháp"], cooperating=["Công an tỉnh"]),
        _task("2", doc_id="d2", lead=["Công an tỉnh"], cooperating=["Sở Tư pháp"]),
        _task("3", executing=["Sở Tư pháp"]),
        _task("4", lead=["Sở Y tế"]),
    ]
    assert agencies_in(tasks) == ["Công an tỉnh", "Sở Tư pháp", "Sở Y tế"]
    roles = roles_of(tasks, "Sở Tư pháp")
    assert [t["task_id"] for t in roles["lead"]] == ["1"]
    assert [t["task_id"] for t in roles["cooperating"]] == ["2"]
    assert [t["task_id"] for t in roles["executing"]] == ["3"]
    assert roles["directing"] == []
    groups = by_document(tasks)
    assert [(title, [t["task_id"] for t in items]) for title, items in groups] == [
        ("Kế hoạch d1", ["1", "3", "4"]),
        ("Kế hoạch d2", ["2"]),
    ]


# --- client ------------------------------------------------------------------------------------


def test_parse_sse_as_sse_starlette_writes_it() -> None:
    payload = {"answer": "Sở Tư pháp chủ trì.", "citations": []}
    lines = [
        "event: status\r",
        'data: {"stage": "retrieving", "message": "Đang tìm trong các văn bản…"}\r',
        "\r",
        ": ping - 2026-05-01 00:00:00\r",
        "\r",
        "event: delta",
        'data: {"text": "Sở Tư "}',
        "",
        "event: answer",
        f"data: {json.dumps(payload, ensure_ascii=False)}",
        "",
        "event: done",
        "data: {}",
    ]
    events = list(parse_sse(lines))
    assert [e.event for e in events] == ["status", "delta", "answer", "done"]
    assert events[0].data["message"] == "Đang tìm trong các văn bản…"
    assert events[1].data == {"text": "Sở Tư "}
    assert events[2].data == payload
    assert list(parse_sse(["data: not json", ""])) == [type(events[0])("message", "not json")]


def test_ask_body_leaves_out_empty_filters() -> None:
    assert ask_body("Ai chủ trì?", 8, {"doc_ids": [], "province": None, "year": None}) == {
        "question": "Ai chủ trì?",
        "top_k": 8,
    }
    body = ask_body("Ai chủ trì?", 5, {"doc_ids": ["003_b39ee1c3d8cc53e2"], "year": 2024})
    assert body["filters"] == {"doc_ids": ["003_b39ee1c3d8cc53e2"], "year": 2024}


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_client_reports_a_down_api_in_vietnamese() -> None:
    client = ApiClient(f"http://127.0.0.1:{_closed_port()}", timeout=3)
    with pytest.raises(ApiError) as down:
        client.documents()
    assert down.value.status == 0
    assert "Không kết nối được máy chủ PlanQA" in down.value.message
    with pytest.raises(ApiError) as streaming:
        list(client.ask_stream("Ai chủ trì?", previous_question="Câu trước?"))
    assert streaming.value.status == 0
    client.close()


# --- evaluation folder contract ----------------------------------------------------------------


def test_progress_written_by_the_harness_is_read_by_the_page(tmp_path: Path) -> None:
    from eval.harness import progress_writer

    assert read_progress(tmp_path) == {}
    write = progress_writer(tmp_path)
    write(3, 10, "hybrid")
    assert read_progress(tmp_path) == {
        "done": 3,
        "total": 10,
        "config": "hybrid",
        "finished": False,
    }
    write(10, 10, "", True)
    assert read_progress(tmp_path)["finished"] is True


def test_list_runs_newest_first_and_metrics_rows(tmp_path: Path) -> None:
    import os

    for name, mtime in (("old", 1_000), ("new", 2_000)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "report.json").write_text(
            json.dumps({"metrics": {"hybrid": {"accuracy": 0.875, "latency_p50_ms": 41.6}}}),
            encoding="utf-8",
        )
        os.utime(folder / "report.json", (mtime, mtime))
    (tmp_path / "unfinished").mkdir()
    runs = list_runs(tmp_path)
    assert [r.name for r in runs] == ["new", "old"]
    rows = metrics_rows(runs[0].summary())
    assert rows[0]["Cấu hình"] == "hybrid"
    assert rows[0]["Chính xác (tất cả)"] == "88%"
    assert rows[0]["p50 (ms)"] == "42"
    assert rows[0]["Hit@5"] == "—"
    assert list_runs(tmp_path / "missing") == []
