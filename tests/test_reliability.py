"""Failure modes against real processes on loopback: bad files through `planqa ingest PATH` and
`POST /documents`, bad and hostile requests, missing or wrong API keys, and `kill -9` during an
ingest and during an upload. The index must stay as it was and keep serving."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

import httpx
import pytest
from servers import index_state, planqa_cli, planqa_server, serving, wait_for, writable_copy

from ingest.settings import Settings
from planqa.bench.servers import REPO_ROOT, planqa_command, planqa_env

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

API_KEY = "reliability-test-key"
TIMEOUT = 120
KNOWN_DOC = "000_c6e6a45670724e7f"
FIFTY_MB = 50 * 1024 * 1024


# --- bad files ----------------------------------------------------------------------------


def _text_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for n in range(40):
        pdf.cell(
            0,
            8,
            f"Ke hoach trien khai nhiem vu so {n}: Cong an tinh chu tri.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_text_pdf())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _broken_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Kế hoạch triển khai nhiệm vụ năm 2026.")
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    return data[: len(data) // 2]  # a zip cut in the middle: central directory gone


def _docx_zip_bomb() -> bytes:
    """A valid-looking package whose document.xml inflates to 60 MB from a few dozen KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", b" " * (60 * 1024 * 1024))
    return out.getvalue()


def bad_files() -> dict[str, bytes]:
    vietnamese = "Kế hoạch phòng, chống tội phạm trên địa bàn tỉnh. " * 20
    return {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "truncated.pdf": _text_pdf()[:1500],
        "password.pdf": _encrypted_pdf(),
        "broken.docx": _broken_docx(),
        "bomb.docx": _docx_zip_bomb(),
        # UTF-16 without its BOM: NUL bytes everywhere, a text reader must not index it
        "utf16-no-bom.txt": vietnamese.encode("utf-16-le"),
        # a UTF-16 BOM followed by an odd number of bytes: undecodable as what it claims
        "bad-utf16.txt": b"\xff\xfe" + vietnamese.encode("utf-16-le")[:-1],
        "renamed-binary.pdf": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    }


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-files")
    for name, data in bad_files().items():
        (folder / name).write_bytes(data)
    with open(folder / "fifty-mb.txt", "wb") as fh:
        line = "Kế hoạch triển khai nhiệm vụ năm 2026 của Ủy ban nhân dân tỉnh.\n".encode()
        fh.write(line * (FIFTY_MB // len(line) + 1))
    return folder


@pytest.fixture(scope="module")
def deployment(
    built_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, str]]:
    """A writable copy of the built index served by `planqa serve` with an API key."""
    settings = writable_copy(built_index, tmp_path_factory.mktemp("reliable")).model_copy(
        update={"api_key": API_KEY}
    )
    with serving(settings, api_key=API_KEY) as server:
        yield settings, server.base_url


def _snapshot(settings: Settings, base: str) -> tuple:
    health = httpx.get(base + "/healthz", timeout=TIMEOUT).json()
    corpus = sorted(p.name for p in settings.corpus_dir.iterdir())
    return index_state(settings), health, corpus


def test_bad_files_refused_by_cli_and_index_unchanged(
    deployment: tuple[Settings, str], bad_dir: Path
) -> None:
    settings, base = deployment
    before = _snapshot(settings, base)
    files = sorted(bad_dir.iterdir())
    done = planqa_cli(settings, "ingest", "--no-progress", *map(str, files))
    assert done.returncode == 1, done.stdout + done.stderr
    refusals = [line for line in done.stderr.splitlines() if line.startswith("Từ chối ")]
    for path in files:
        line = next((r for r in refusals if str(path) in r), None)
        assert line is not None, f"{path.name} not refused:\n{done.stderr}"
        assert f"Không đọc được tệp '{path.name}'" in line  # a clear, named reason
    assert _snapshot(settings, base) == before


@pytest.mark.parametrize("name", [*bad_files(), "fifty-mb.txt"], ids=lambda n: n.replace(".", "_"))
def test_bad_files_refused_by_upload_and_index_unchanged(
    deployment: tuple[Settings, str], bad_dir: Path, name: str
) -> None:
    settings, base = deployment
    before = _snapshot(settings, base)
    with open(bad_dir / name, "rb") as fh:
        response = httpx.post(
            base + "/documents",
            files={"file": (name, fh)},
            headers={"X-API-Key": API_KEY},
            timeout=TIMEOUT,
        )
    assert response.status_code in (413, 422), response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 10
    expected = 413 if name == "fifty-mb.txt" else 422
    assert response.status_code == expected, detail
    assert _snapshot(settings, base) == before


# --- bad requests ------------------------------------------------------------------------


BAD_JSON_REQUESTS = [
    ("/ask", {"question": ""}),
    ("/ask", {"question": "   "}),
    ("/ask", {"question": "Ai chủ trì? " * 16_667}),  # 200,000 characters
    ("/ask", {"question": 123}),
    ("/ask", {"question": ["ai", "chủ trì"]}),
    ("/ask", {"question": "Ai chủ trì?", "top_k": "nhiều"}),
    ("/ask", {"question": "Ai chủ trì?", "top_k": -1}),
    ("/ask", {"question": "Ai chủ trì?", "filters": []}),
    ("/ask", {"question": "Ai chủ trì?", "filters": {"doc_ids": ["../../etc/passwd"]}}),
    ("/ask", {"question": "Ai chủ trì?", "filters": {"doc_ids": ["khong_co_van_ban"]}}),
    ("/ask", {"question": "Ai chủ trì?", "filters": {"year": "2026"}}),
    ("/ask", {}),
    ("/search", {"query": None}),
    ("/search", {"query": "x" * 200_000}),
    ("/search", {"query": "hạn báo cáo", "mode": "../../etc"}),
    ("/search", {"query": "hạn báo cáo", "filters": {"doc_ids": ["..%2F..%2Fetc"]}}),
]


@pytest.mark.parametrize("path,body", BAD_JSON_REQUESTS, ids=range(len(BAD_JSON_REQUESTS)))
def test_bad_json_requests_get_json_4xx(
    deployment: tuple[Settings, str], path: str, body: dict
) -> None:
    _, base = deployment
    response = httpx.post(base + path, json=body, timeout=TIMEOUT)
    assert 400 <= response.status_code < 500, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


def test_malformed_bodies_get_json_4xx(deployment: tuple[Settings, str]) -> None:
    _, base = deployment
    for content, kind in ((b"{not json", "application/json"), (b"\xff\xfe\x00", "text/plain")):
        response = httpx.post(
            base + "/ask", content=content, headers={"content-type": kind}, timeout=TIMEOUT
        )
        assert 400 <= response.status_code < 500 and response.json()["detail"]


RAW_PATHS = [
    "/documents/khong_co_van_ban",
    f"/documents/{KNOWN_DOC}/sections/ZZ.99.z",
    "/documents/../../etc/passwd",
    "/documents/..%2F..%2Fetc%2Fpasswd",
    "/documents/%2e%2e/sections/..%2f..%2fetc%2fpasswd",
    f"/documents/{KNOWN_DOC}/sections/../../../../etc/passwd",
    f"/documents/{KNOWN_DOC}/sections/..%2F..%2F..%2Fetc%2Fpasswd",
    f"/documents/{KNOWN_DOC}/sections/%00",
    "/documents/.env",
    "/tasks?doc_id=../../etc/passwd",
    "/tasks?due_before=31/12/2026x",
]


@pytest.mark.parametrize("raw", RAW_PATHS, ids=range(len(RAW_PATHS)))
def test_unknown_ids_and_traversal_get_json_4xx(deployment: tuple[Settings, str], raw: str) -> None:
    """Sent byte for byte (http.client normalises nothing), as an attacker's tool would."""
    _, base = deployment
    host, port = base.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=TIMEOUT)
    try:
        connection.request("GET", raw)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status >= 400, (raw, response.status, body[:300])
    assert response.status < 500, (raw, response.status, body[:300])
    assert response.getheader("content-type", "").startswith("application/json")
    assert json.loads(body)["detail"]
    assert b"root:" not in body


# --- API key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers,status",
    [({}, 401), ({"X-API-Key": "wrong"}, 403), ({"Authorization": "Bearer wrong"}, 403)],
    ids=["none", "wrong-header", "wrong-bearer"],
)
def test_writes_need_the_right_key(
    deployment: tuple[Settings, str], headers: dict[str, str], status: int
) -> None:
    settings, base = deployment
    before = _snapshot(settings, base)
    upload = httpx.post(
        base + "/documents",
        files={"file": ("new.txt", "Kế hoạch mới.".encode())},
        headers=headers,
        timeout=TIMEOUT,
    )
    delete = httpx.delete(f"{base}/documents/{KNOWN_DOC}", headers=headers, timeout=TIMEOUT)
    for response in (upload, delete):
        assert response.status_code == status, response.text
        assert response.json()["detail"]
    assert _snapshot(settings, base) == before


# --- kill -9 ---------------------------------------------------------------------------


def _building(settings: Settings) -> list[Path]:
    return [p for p in settings.index_root.iterdir() if p.name.startswith(".building-")]


def test_kill_9_during_ingest_and_upload(
    built_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Kill an ingest mid-build, then an API process mid-upload: the previous version serves
    throughout, and the next ingest completes and cleans up."""
    from planqa.bench.synthetic import variant_text

    settings = writable_copy(built_index, tmp_path_factory.mktemp("kill9"))
    live, stats = index_state(settings)

    # 1. planqa ingest --rebuild re-embeds everything: a long build to kill.
    with serving(settings) as server:
        ingest = subprocess.Popen(
            planqa_command("ingest", "--rebuild", "--no-progress"),
            cwd=REPO_ROOT,
            env=planqa_env(settings.data_dir, settings.corpus_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert wait_for(lambda: bool(_building(settings)), timeout_s=180), "no build started"
            time.sleep(1.0)
            assert ingest.poll() is None, "the ingest finished before it could be killed"
            os.kill(ingest.pid, signal.SIGKILL)
        finally:
            ingest.kill()
            ingest.wait(timeout=30)
        assert ingest.returncode == -signal.SIGKILL
        assert index_state(settings) == (live, stats)
        health = httpx.get(server.base_url + "/healthz", timeout=TIMEOUT).json()
        assert health["documents"] == stats["documents"]
        hits = httpx.post(
            server.base_url + "/search", json={"query": "chậm nhất ngày"}, timeout=TIMEOUT
        )
        assert hits.status_code == 200 and hits.json()["hits"]

    # 2. kill -9 the API process while it builds the version for an upload.
    source = min(built_index.corpus_dir.glob("*.txt"), key=lambda p: p.stat().st_size)
    upload_text = variant_text(source.read_text(encoding="utf-8"), 7)  # new text: embeds
    server = planqa_server(settings.data_dir, settings.corpus_dir, api_key=API_KEY).start()
    outcome: dict[str, object] = {}

    def upload() -> None:
        try:
            outcome["response"] = httpx.post(
                server.base_url + "/documents",
                files={"file": ("ke_hoach_moi.txt", upload_text.encode())},
                headers={"X-API-Key": API_KEY},
                timeout=TIMEOUT,
            )
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=upload, daemon=True)
    try:
        sender.start()
        assert wait_for(lambda: bool(_building(settings)), timeout_s=180), "upload never built"
        assert "response" not in outcome
        server.kill()
    finally:
        server.stop()
        server.cleanup()
        sender.join(TIMEOUT)
    assert "error" in outcome, outcome  # the client saw the connection die, not a success
    assert index_state(settings) == (live, stats)
    with serving(settings) as restarted:
        health = httpx.get(restarted.base_url + "/healthz", timeout=TIMEOUT).json()
        assert (health["documents"], health["chunks"]) == (stats["documents"], stats["chunks"])

    # 3. The next run completes: a new live version, no half-built folders left.
    done = planqa_cli(settings, "ingest", "--no-progress", timeout_s=600)
    assert done.returncode == 0, done.stderr
    new_live, _ = index_state(settings)
    assert new_live != live and not _building(settings)
