"""The scale-out path: a real Chroma server (`chroma run`) behind `PLANQA_CHROMA_URL`, and two
`planqa serve` processes over one data dir. Everything must answer as the embedded store does,
and a new ingest must reach both API processes without a restart. Loopback only."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from servers import (
    ServerProcess,
    chroma_server,
    planqa_cli,
    planqa_server,
    wait_for,
    writable_copy,
)

from ingest.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

DOCS = 2  # the two smallest plans keep the test quick; their vectors are in the built cache
TIMEOUT = 120


def _questions(doc_ids: set[str], limit: int = 3) -> list[str]:
    from eval.dataset import load_dataset

    return [q.question for q in load_dataset() if q.doc_ids and set(q.doc_ids) <= doc_ids][:limit]


def _ingest(settings: Settings) -> None:
    from ingest.pipeline import ingest

    report = ingest(settings, progress=False)
    assert not report.refused and report.documents == DOCS
    assert report.embedded == 0, "expected every vector from the copied embedding cache"


@pytest.fixture(scope="module")
def deployment(
    built_index: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, object]]:
    """A Chroma server; one data dir indexed through it (served by two API processes) and one
    indexed with the embedded store (served by a third), over the same two documents."""
    root = tmp_path_factory.mktemp("scaleout")
    chroma = chroma_server(root / "chroma-server")
    started: list[ServerProcess] = []
    try:
        chroma.start()
        started.append(chroma)
        remote = writable_copy(built_index, root / "remote", docs=DOCS).model_copy(
            update={"chroma_url": chroma.base_url}
        )
        local = writable_copy(built_index, root / "local", docs=DOCS)
        _ingest(remote)
        _ingest(local)
        servers = {
            name: planqa_server(s.data_dir, s.corpus_dir, chroma_url=s.chroma_url)
            for name, s in (("a", remote), ("b", remote), ("embedded", local))
        }
        for server in servers.values():
            server.start()
            started.append(server)
        yield {"chroma": chroma, "remote": remote, "local": local, **servers}
    finally:
        for server in reversed(started):
            server.stop()
            server.cleanup()


def test_index_lives_on_the_chroma_server(deployment: dict) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from ingest.index.vector_store import collection_name
    from ingest.index.versions import current_version, read_manifest

    remote: Settings = deployment["remote"]
    version = current_version(remote.index_root)
    manifest = read_manifest(remote.index_root / version)
    assert manifest["vector_store"] == "chroma-server"
    assert not (remote.index_root / version / "chroma").exists()  # nothing embedded on disk
    chroma: ServerProcess = deployment["chroma"]
    client = chromadb.HttpClient(
        host="127.0.0.1", port=chroma.port, settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_collection(collection_name(version))
    assert collection.count() == manifest["counts"]["chunks"] > 0


def test_dense_search_matches_embedded_mode(deployment: dict) -> None:
    from ingest.index import open_index

    remote, local = open_index(deployment["remote"]), open_index(deployment["local"])
    questions = _questions({m.doc_id for m in local.documents()})
    assert questions
    for question in questions:
        over_server = remote.dense_search(question, 5)
        embedded = local.dense_search(question, 5)
        assert [cid for cid, _ in over_server] == [cid for cid, _ in embedded]
        for (_, a), (_, b) in zip(over_server, embedded, strict=True):
            assert a == pytest.approx(b, abs=1e-4)


def _search(base: str, query: str) -> list[tuple[str, str]]:
    response = httpx.post(base + "/search", json={"query": query, "top_k": 5}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return [(h["chunk_id"], h["section_path"]) for h in response.json()["hits"]]


def _ask(base: str, question: str) -> tuple:
    response = httpx.post(base + "/ask", json={"question": question}, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    body = response.json()
    cites = tuple((c["doc_id"], c["section_path"], c["chunk_id"]) for c in body["citations"])
    return body["answer"], body["abstained"], body["intent"], cites


def test_search_and_ask_match_embedded_mode_and_across_processes(deployment: dict) -> None:
    bases = [deployment[name].base_url for name in ("a", "b", "embedded")]
    questions = _questions({p.stem for p in deployment["local"].corpus_dir.iterdir()})
    for question in questions:
        searches = [_search(base, question) for base in bases]
        assert searches[0] and searches[0] == searches[1] == searches[2]
        answers = [_ask(base, question) for base in bases]
        assert answers[0][3], f"no citations for {question!r}"
        assert answers[0] == answers[1] == answers[2]


def test_new_ingest_reaches_both_api_processes(deployment: dict, built_index: Settings) -> None:
    remote: Settings = deployment["remote"]
    a, b = deployment["a"].base_url, deployment["b"].base_url
    before = {httpx.get(u + "/healthz", timeout=TIMEOUT).json()["documents"] for u in (a, b)}
    assert before == {DOCS}
    known = {p.name for p in remote.corpus_dir.iterdir()}
    new = min(
        (p for p in built_index.corpus_dir.iterdir() if p.name not in known),
        key=lambda p: p.stat().st_size,
    )
    shutil.copy2(new, remote.corpus_dir / new.name)
    done = planqa_cli(remote, "ingest", "--no-progress")
    assert done.returncode == 0, done.stderr

    def both_see_it() -> bool:
        counts = [httpx.get(u + "/healthz", timeout=TIMEOUT).json()["documents"] for u in (a, b)]
        return counts == [DOCS + 1, DOCS + 1]

    assert wait_for(both_see_it, timeout_s=30, interval_s=0.5)
    question = _questions({Path(new).stem}, limit=1)[0]
    hits = [_search(u, question) for u in (a, b)]
    assert hits[0] == hits[1] and any(cid.startswith(new.stem) for cid, _ in hits[0])
