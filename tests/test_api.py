"""The HTTP API through FastAPI's TestClient on a real index of the real corpus.

Read-only tests share the session's `built_index`; tests that upload or delete work on a
copy of its data folder and corpus, so they cannot disturb other test modules.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest.settings import Settings
from ingest.types import Section
from service.app import create_app
from service.routes.ask import answer_pieces
from service.section_tree import ancestors, children_by_parent, display_label, render, subtree

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "data" / "corpus"
CORPUS_IDS = sorted(p.stem for p in CORPUS_DIR.glob("*.txt"))
API_KEY = "test-key-7f3a"
TRAFFICKING_PLAN = "002_eaf36e0f570538e5"  # Đồng Tháp 2026, phòng chống mua bán người
# III.1 of that plan: "Kế hoạch của các cơ quan ... gửi về Ủy ban nhân dân tỉnh ... trước ngày
# 10/3/2026 để tổng hợp."
DEADLINE_QUESTION = (
    "Theo kế hoạch phòng, chống mua bán người năm 2026 của tỉnh Đồng Tháp, kế hoạch của các "
    "cơ quan, đơn vị gửi về Ủy ban nhân dân tỉnh trước ngày nào?"
)
OFF_TOPIC_QUESTION = "Giá vé máy bay khứ hồi từ Hà Nội đi Paris vào tháng 7 là bao nhiêu tiền?"
ANSWER_KEYS = {"answer", "abstained", "intent", "citations", "timings_ms", "resolved_question"}
CITATION_KEYS = {
    "doc_id",
    "doc_title",
    "section_path",
    "section_title",
    "quote",
    "chunk_id",
    "score",
}
HIT_KEYS = {"chunk_id", "doc_id", "section_path", "section_title", "text", "score"}


@pytest.fixture(scope="module")
def settings(built_index: Settings) -> Settings:
    return built_index.model_copy(update={"api_key": API_KEY})


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def writable(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the built index and of the corpus, for upload/delete tests."""
    root = tmp_path_factory.mktemp("api_writes")
    data_dir = root / "data"
    shutil.copytree(built_index.data_dir, data_dir)
    corpus = root / "corpus"
    shutil.copytree(CORPUS_DIR, corpus)
    return Settings(data_dir=data_dir, corpus_dir=corpus, api_key=API_KEY)


@pytest.fixture(scope="module")
def writer(writable: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(writable)) as test_client:
        yield test_client


def _key(value: str = API_KEY) -> dict[str, str]:
    return {"X-API-Key": value}


def _stats(client: TestClient) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200, response.text
    return response.json()


# --- health, documents, sections -------------------------------------------------------------


def test_healthz_reports_counts(client: TestClient) -> None:
    body = _stats(client)
    assert body["status"] == "ok"
    assert body["documents"] == len(CORPUS_IDS)
    assert body["chunks"] > body["documents"]
    assert set(body) == {"status", "documents", "chunks"}


def test_healthz_without_index_is_503_json(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, corpus_dir=tmp_path))
    with TestClient(app) as bare:
        response = bare.get("/healthz")
        assert response.status_code == 503
        assert "ingest" in response.json()["detail"]
        assert bare.post("/ask", json={"question": "hạn nộp?"}).status_code == 503


def test_documents_list(client: TestClient) -> None:
    response = client.get("/documents")
    assert response.status_code == 200
    documents = response.json()["documents"]
    assert sorted(d["doc_id"] for d in documents) == CORPUS_IDS
    assert all(d["title"].strip() for d in documents)
    plan = next(d for d in documents if d["doc_id"] == TRAFFICKING_PLAN)
    assert plan["province"] == "Đồng Tháp"
    assert plan["year"] == 2026


def _flatten(nodes: list[dict]) -> list[dict]:
    out = []
    for node in nodes:
        out.append(node)
        out.extend(_flatten(node["children"]))
    return out


def test_document_detail_has_the_section_tree(client: TestClient) -> None:
    response = client.get(f"/documents/{TRAFFICKING_PLAN}")
    assert response.status_code == 200
    body = response.json()
    assert body["doc_id"] == TRAFFICKING_PLAN
    flat = _flatten(body["sections"])
    paths = [node["path"] for node in flat]
    assert len(paths) == len(set(paths))
    assert {"I", "II", "III"} <= {node["path"] for node in body["sections"]}
    assert "III.1" in paths
    for node in flat:
        for child in node["children"]:
            assert child["level"] == node["level"] + 1


def test_section_with_subtree_text(client: TestClient) -> None:
    response = client.get(f"/documents/{TRAFFICKING_PLAN}/sections/III")
    assert response.status_code == 200
    section = response.json()
    assert section["path"] == "III"
    assert section["doc_title"]
    assert section["breadcrumb"] == []
    assert any(child["path"] == "III.1" for child in section["children"])
    child = client.get(f"/documents/{TRAFFICKING_PLAN}/sections/III.1").json()
    assert child["breadcrumb"][0]["path"] == "III"
    flat_subtree = " ".join(section["subtree_text"].split())
    # The deadline sentence of III.1 is part of III's subtree text.
    assert "10/3/2026" in flat_subtree
    assert " ".join(child["text"].split())[:60] in flat_subtree


@pytest.mark.parametrize(
    "url",
    [
        "/documents/no_such_document",
        f"/documents/{TRAFFICKING_PLAN}/sections/IX.99.z",
        "/documents/no_such_document/sections/I",
    ],
)
def test_unknown_ids_are_404(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/documents/..%2F..%2Fetc",
        "/documents/..%2F..%2Fetc%2Fpasswd/sections/I",
        "/documents/%2E%2E",
        "/documents/.env",
        "/tasks?doc_id=../x",
        "/tasks?doc_id=..",
    ],
)
def test_traversal_ids_are_refused(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


# --- ask ---------------------------------------------------------------------------------------


def test_ask_answers_with_citations(client: TestClient) -> None:
    response = client.post("/ask", json={"question": DEADLINE_QUESTION})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == ANSWER_KEYS
    assert body["abstained"] is False
    assert body["citations"]
    for citation in body["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["doc_id"] in CORPUS_IDS
        assert citation["doc_title"] and citation["quote"]
        # A citation must lead a reader to the passage: its section resolves.
        url = f"/documents/{citation['doc_id']}/sections/{citation['section_path']}"
        assert client.get(url).status_code == 200
    assert TRAFFICKING_PLAN in {c["doc_id"] for c in body["citations"]}
    cited_text = body["answer"] + " ".join(c["quote"] for c in body["citations"])
    assert "10/3/2026" in " ".join(cited_text.split())
    assert body["timings_ms"]["total"] >= 0


def test_ask_abstains_off_topic(client: TestClient) -> None:
    body = client.post("/ask", json={"question": OFF_TOPIC_QUESTION}).json()
    assert set(body) == ANSWER_KEYS
    assert body["abstained"] is True
    assert body["citations"] == []
    assert body["answer"].strip()


def test_ask_understands_a_followup_in_the_previous_question_context(client: TestClient) -> None:
    previous = "Ai chủ trì công tác tuyên truyền phòng, chống tội phạm ở Đồng Tháp?"
    body = client.post(
        "/ask", json={"question": "còn Hải Dương thì sao?", "previous_question": previous}
    ).json()
    assert body["resolved_question"] == previous.replace("Đồng Tháp", "Hải Dương")
    assert body["abstained"] is False
    assert {c["doc_id"] for c in body["citations"]} == {"003_b39ee1c3d8cc53e2"}
    alone = client.post("/ask", json={"question": "Ai chủ trì?"}).json()
    assert alone["resolved_question"] is None


def test_ask_filter_restricts_documents(client: TestClient) -> None:
    other = "003_b39ee1c3d8cc53e2"
    body = client.post(
        "/ask", json={"question": "Ai chủ trì thực hiện?", "filters": {"doc_ids": [other]}}
    ).json()
    assert {c["doc_id"] for c in body["citations"]} <= {other}
    unknown = client.post(
        "/ask", json={"question": "Ai chủ trì?", "filters": {"doc_ids": ["nope_123"]}}
    )
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"question": ""},
        {"question": "   \n\t "},
        {"question": "a" * 2001},
        {"question": "a" * 200_000},
        {"question": 42},
        {"question": ["hạn", "nộp"]},
        {"question": None},
        {},
        {"question": "hạn nộp?", "top_k": 0},
        {"question": "hạn nộp?", "top_k": 51},
        {"question": "hạn nộp?", "top_k": "five"},
        {"question": "hạn nộp?", "filters": {"doc_ids": ["../x"]}},
        {"question": "hạn nộp?", "filters": {"doc_ids": "000"}},
        {"question": "hạn nộp?", "filters": {"year": 1800}},
        {"question": "hạn nộp?", "filters": {"year": 2101}},
        {"question": "hạn nộp?", "filters": {"unknown": 1}},
    ],
)
def test_ask_validation_is_422_in_vietnamese(client: TestClient, payload: dict) -> None:
    response = client.post("/ask", json=payload)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"].startswith("Yêu cầu không hợp lệ")
    assert body["errors"] and all(e["field"] and e["message"] for e in body["errors"])


def test_ask_accepts_boundaries(client: TestClient) -> None:
    question = ("hạn nộp kế hoạch " * 200)[:2000]
    response = client.post("/ask", json={"question": f"  {question}  ", "top_k": 50})
    assert response.status_code == 200
    response = client.post("/ask", json={"question": "x", "top_k": 1})
    assert response.status_code == 200


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/ask", content=b'{"question": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def _events(raw: str) -> list[tuple[str, object]]:
    events = []
    for block in raw.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


def test_ask_stream_sends_status_deltas_answer_done(client: TestClient) -> None:
    with client.stream("POST", "/ask/stream", json={"question": DEADLINE_QUESTION}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = _events(raw)
    names = [name for name, _ in events]
    assert names[0] == "status"
    assert names[-1] == "done"
    assert names.count("answer") == 1
    answer = dict(events)["answer"]
    assert set(answer) == ANSWER_KEYS
    assert answer["citations"]
    deltas = "".join(data["text"] for name, data in events if name == "delta")
    assert deltas == answer["answer"]
    assert names.index("answer") > max(i for i, n in enumerate(names) if n == "delta")


def test_ask_stream_validates_before_streaming(client: TestClient) -> None:
    response = client.post("/ask/stream", json={"question": " "})
    assert response.status_code == 422


# --- search ------------------------------------------------------------------------------------


def test_search_hits(client: TestClient) -> None:
    response = client.post("/search", json={"query": "phòng, chống mua bán người", "top_k": 4})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert 1 <= len(hits) <= 4
    assert all(set(hit) >= HIT_KEYS for hit in hits)
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert TRAFFICKING_PLAN in {hit["doc_id"] for hit in hits}


@pytest.mark.parametrize("mode", ["lexical", "dense"])
def test_search_modes_and_filters(client: TestClient, mode: str) -> None:
    response = client.post(
        "/search",
        json={
            "query": "thoi gian thuc hien",
            "top_k": 3,
            "mode": mode,
            "filters": {"doc_ids": [TRAFFICKING_PLAN]},
        },
    )
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert hits and {hit["doc_id"] for hit in hits} == {TRAFFICKING_PLAN}


def test_search_validation(client: TestClient) -> None:
    assert client.post("/search", json={"query": ""}).status_code == 422
    assert client.post("/search", json={"query": "a", "top_k": 51}).status_code == 422
    assert client.post("/search", json={"query": "a", "mode": "magic"}).status_code == 422


# --- tasks -------------------------------------------------------------------------------------


def test_tasks_carry_their_citation(client: TestClient) -> None:
    response = client.get("/tasks")
    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks
    titles = {d["doc_id"]: d["title"] for d in client.get("/documents").json()["documents"]}
    for task in tasks:
        citation = task["citation"]
        assert citation["doc_id"] == task["doc_id"]
        assert citation["doc_title"] == titles[task["doc_id"]]
        assert citation["section_path"] == task["section_path"]
        assert citation["quote"].strip()
    sample = tasks[0]
    url = f"/documents/{sample['doc_id']}/sections/{sample['section_path']}"
    section = client.get(url).json()
    assert section["title"] == sample["citation"]["section_title"]


def test_tasks_filters(client: TestClient) -> None:
    own = client.get("/tasks", params={"doc_id": TRAFFICKING_PLAN}).json()["tasks"]
    assert own and {t["doc_id"] for t in own} == {TRAFFICKING_PLAN}
    dated = [t for t in client.get("/tasks").json()["tasks"] if t["time"] and t["time"]["due_date"]]
    assert dated, "the corpus states dated deadlines (e.g. 20/5/2026 in file 000)"
    pivot = sorted(t["time"]["due_date"] for t in dated)[len(dated) // 2]
    before = client.get("/tasks", params={"due_before": pivot}).json()["tasks"]
    after = client.get("/tasks", params={"due_after": pivot}).json()["tasks"]
    assert before and all(t["time"]["due_date"] <= pivot for t in before)
    assert after and all(t["time"]["due_date"] >= pivot for t in after)
    lead = next(t for t in own if t["lead"])
    by_agency = client.get("/tasks", params={"agency": lead["lead"][0]}).json()["tasks"]
    assert lead["task_id"] in {t["task_id"] for t in by_agency}


@pytest.mark.parametrize(
    "params",
    [
        {"due_before": "20/5/2026"},
        {"due_before": "2026-02-30"},
        {"due_after": "yesterday"},
        {"due_after": "1700000000"},
        {"doc_id": "a/b"},
    ],
)
def test_tasks_bad_params_are_422(client: TestClient, params: dict) -> None:
    response = client.get("/tasks", params=params)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("Yêu cầu không hợp lệ")


def test_tasks_unknown_document_is_404(client: TestClient) -> None:
    assert client.get("/tasks", params={"doc_id": "no_such_doc"}).status_code == 404


# --- writes: API key, upload, delete -----------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"X-API-Key": "wrong"}, 403),
        ({"Authorization": "Bearer wrong"}, 403),
        ({"Authorization": "Basic " + API_KEY}, 401),
    ],
)
def test_writes_need_the_key(client: TestClient, headers: dict, status: int) -> None:
    files = {"file": ("x.txt", "KẾ HOẠCH\nI. MỤC TIÊU\n1. Một việc.".encode())}
    response = client.post("/documents", files=files, headers=headers)
    assert response.status_code == status
    assert response.json()["detail"]
    response = client.delete(f"/documents/{TRAFFICKING_PLAN}", headers=headers)
    assert response.status_code == status
    assert client.get(f"/documents/{TRAFFICKING_PLAN}").status_code == 200


def test_writes_disabled_without_configured_key(built_index: Settings) -> None:
    with TestClient(create_app(built_index.model_copy(update={"api_key": None}))) as bare:
        response = bare.delete(f"/documents/{TRAFFICKING_PLAN}", headers=_key())
        assert response.status_code == 403
        assert "tắt" in response.json()["detail"]


def test_upload_then_delete_a_real_plan(writer: TestClient, writable: Settings) -> None:
    before = _stats(writer)
    content = (CORPUS_DIR / f"{TRAFFICKING_PLAN}.txt").read_bytes()
    response = writer.post(
        "/documents",
        files={"file": ("uploaded_plan.txt", content, "text/plain")},
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    assert response.status_code == 201, response.text
    uploaded = response.json()
    assert uploaded["doc_id"] == "uploaded_plan"
    assert uploaded["tasks"] > 0
    assert (writable.corpus_dir / "uploaded_plan.txt").exists()

    ids = {d["doc_id"] for d in writer.get("/documents").json()["documents"]}
    assert "uploaded_plan" in ids
    assert _stats(writer)["documents"] == before["documents"] + 1
    tasks = writer.get("/tasks", params={"doc_id": "uploaded_plan"}).json()["tasks"]
    original = writer.get("/tasks", params={"doc_id": TRAFFICKING_PLAN}).json()["tasks"]
    assert len(tasks) == len(original)

    again = writer.post(
        "/documents", files={"file": ("uploaded_plan.txt", content)}, headers=_key()
    )
    assert again.status_code == 409

    response = writer.delete("/documents/uploaded_plan", headers=_key())
    assert response.status_code == 200
    assert response.json() == {"doc_id": "uploaded_plan", "deleted": True}
    ids = {d["doc_id"] for d in writer.get("/documents").json()["documents"]}
    assert "uploaded_plan" not in ids
    assert writer.get("/tasks", params={"doc_id": "uploaded_plan"}).status_code == 404
    assert not (writable.corpus_dir / "uploaded_plan.txt").exists()
    assert _stats(writer) == before
    assert writer.delete("/documents/uploaded_plan", headers=_key()).status_code == 404


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("plan.pdf", bytes(range(256)) * 40),
        ("plan.pdf", b"KE HOACH\nI. MUC TIEU\n"),  # text with a .pdf name: not trusted by name
        ("plan.docx", b"PK\x03\x04 not really a zip"),
        ("plan.exe", b"MZ\x90\x00"),
        ("empty.txt", b""),
    ],
)
def test_junk_upload_is_refused_and_index_unchanged(
    writer: TestClient, writable: Settings, filename: str, content: bytes
) -> None:
    before = _stats(writer)
    corpus_before = sorted(p.name for p in writable.corpus_dir.iterdir())
    response = writer.post("/documents", files={"file": (filename, content)}, headers=_key())
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]
    assert _stats(writer) == before
    assert sorted(p.name for p in writable.corpus_dir.iterdir()) == corpus_before


def test_upload_size_limit_is_413(writable: Settings) -> None:
    small = writable.model_copy(update={"max_upload_bytes": 1000})
    with TestClient(create_app(small)) as limited:
        before = _stats(limited)
        big = ("KẾ HOẠCH\n" + "1. Nội dung. " * 2000).encode()
        response = limited.post("/documents", files={"file": ("big.txt", big)}, headers=_key())
        assert response.status_code == 413
        assert "MB" in response.json()["detail"] or "lớn" in response.json()["detail"]
        assert _stats(limited) == before


def test_upload_without_file_part(writer: TestClient) -> None:
    response = writer.post("/documents", data={"doc_id": "x"}, headers=_key())
    assert response.status_code == 400
    response = writer.post("/documents", json={"file": "x"}, headers=_key())
    assert response.status_code == 400


# --- the rest of the surface -------------------------------------------------------------------


def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/healthz",
        "/ask",
        "/ask/stream",
        "/search",
        "/documents",
        "/documents/{doc_id}",
        "/documents/{doc_id}/sections/{section_path}",
        "/tasks",
    ):
        assert path in paths, path
    assert {"get", "post"} <= set(paths["/documents"])
    assert "delete" in paths["/documents/{doc_id}"]


# --- pure helpers ------------------------------------------------------------------------------


def _section(path: str, parent: str | None, order: int, **kw: str) -> Section:
    label = kw.get("label", path.rsplit(".", 1)[-1])
    return Section(
        doc_id="d",
        path=path,
        label=label,
        title=kw.get("title", ""),
        text=kw.get("text", ""),
        level=path.count(".") + 1,
        parent_path=parent,
        order=order,
        kind=kw.get("kind", "heading"),
    )


def test_section_tree_helpers() -> None:
    sections = [
        _section("II", None, 0, title="NHIỆM VỤ"),
        _section("II.1", "II", 1, title="Tuyên truyền", text="Nội dung 1."),
        _section("II.1.a", "II.1", 2, title="Ở cơ sở", text="Việc a."),
        _section("II.1.a.-1", "II.1.a", 3, label="-1", kind="bullet", text="gạch đầu dòng"),
        _section("II.2", "II", 4, title="Kiểm tra"),
        _section("III", None, 5, title="TỔ CHỨC"),
    ]
    assert [s.path for s in children_by_parent(sections)[None]] == ["II", "III"]
    assert [s.path for s in ancestors(sections, "II.1.a")] == ["II", "II.1"]
    assert [s.path for s in subtree(sections, "II.1")] == ["II.1", "II.1.a", "II.1.a.-1"]
    assert subtree(sections, "nope") == []
    assert render(subtree(sections, "II.1")) == (
        "1. Tuyên truyền\nNội dung 1.\na) Ở cơ sở\nViệc a.\n- gạch đầu dòng"
    )
    assert display_label(_section("Điều1", None, 0, label="Điều1")) == "Điều 1."
    assert display_label(_section("PhầnI", None, 0, label="PhầnI")) == "Phần I"


def test_answer_pieces_join_back() -> None:
    text = "Chậm nhất ngày 20/5/2026, các sở gửi kế hoạch về Ủy ban nhân dân tỉnh (qua Công an)."
    pieces = answer_pieces(text, words=3)
    assert len(pieces) > 1
    assert "".join(pieces) == text
    assert answer_pieces("") == []
