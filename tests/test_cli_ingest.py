"""`planqa ingest`, `planqa docs`, `planqa tasks` and `planqa bench ingest` through
`planqa.cli.main`, with settings from the environment as a user would have them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.settings import Settings, get_settings
from planqa.cli import main
from planqa.commands.tasks import normalised_time, parse_cli_date

CORPUS_DIR = Path(__file__).resolve().parents[1] / "data" / "corpus"


@pytest.fixture
def env_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lets a test point PLANQA_* at its folders; the process-wide settings are re-read."""
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _use(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setenv("PLANQA_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PLANQA_CORPUS_DIR", str(settings.corpus_dir))
    get_settings.cache_clear()


def test_parse_cli_date_accepts_both_spellings() -> None:
    from datetime import date

    from ingest.errors import BadRequest
    from ingest.types import TaskTime

    assert parse_cli_date("2026-05-20") == parse_cli_date("20/5/2026") == date(2026, 5, 20)
    assert parse_cli_date(None) is None
    with pytest.raises(BadRequest):
        parse_cli_date("31/02/2026")
    assert normalised_time(TaskTime("Chậm nhất 20/5/2026", "date", date(2026, 5, 20))) == (
        "2026-05-20"
    )
    assert normalised_time(TaskTime("Hằng năm", "recurrence", recurrence="yearly")) == "yearly"
    assert normalised_time(None) == ""


def test_commands_without_an_index_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env_settings: None, capsys
) -> None:
    _use(monkeypatch, Settings(data_dir=tmp_path / "data", corpus_dir=tmp_path))
    assert main(["docs"]) == 2
    assert "Chưa có chỉ mục. Hãy chạy `planqa ingest`." in capsys.readouterr().err
    assert main(["tasks", "--due-before", "not-a-date"]) == 2


@pytest.mark.slow
def test_docs_and_tasks_read_the_index(
    built_index: Settings, monkeypatch: pytest.MonkeyPatch, env_settings: None, capsys
) -> None:
    _use(monkeypatch, built_index)
    assert main(["docs"]) == 0
    listing = capsys.readouterr().out
    for path in CORPUS_DIR.glob("*.txt"):
        assert path.stem in listing

    assert main(["docs", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert {d["doc_id"] for d in docs} == {p.stem for p in CORPUS_DIR.glob("*.txt")}

    doc_id = "002_eaf36e0f570538e5"
    assert main(["docs", doc_id]) == 0
    detail = capsys.readouterr().out
    assert doc_id in detail and "Mục (" in detail
    assert main(["docs", doc_id, "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["document"]["doc_id"] == doc_id
    assert one["sections"] and all(s["doc_id"] == doc_id for s in one["sections"])
    assert main(["docs", "no-such-doc"]) == 2
    assert "no-such-doc" in capsys.readouterr().err

    assert main(["tasks", "--json"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert tasks and {"task_id", "doc_id", "section_path", "lead", "time"} <= set(tasks[0])
    assert main(["tasks", "--doc", doc_id, "--json"]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert mine and {t["doc_id"] for t in mine} == {doc_id}
    assert main(["tasks", "--doc", doc_id]) == 0
    table = capsys.readouterr().out
    assert "Chủ trì" in table and f"{len(mine)} nhiệm vụ." in table
    assert main(["tasks", "--due-before", "01/01/1990", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.slow
def test_ingest_command_reports_and_fails_on_refused_files(
    tmp_path: Path,
    built_index: Settings,
    monkeypatch: pytest.MonkeyPatch,
    env_settings: None,
    capsys,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(CORPUS_DIR / "000_c6e6a45670724e7f.txt", corpus)
    cache = tmp_path / "data" / "cache"
    cache.mkdir(parents=True)
    shutil.copy2(built_index.data_dir / "cache" / "embeddings.sqlite", cache)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    _use(monkeypatch, settings)

    assert main(["ingest", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "1 tài liệu" in out and "nhúng mới 0" in out

    (corpus / "bad.docx").write_bytes(b"plain bytes, not a docx")
    assert main(["ingest", "--no-progress"]) == 1
    captured = capsys.readouterr()
    assert "1 tài liệu" in captured.out and "bad.docx" in captured.err

    extra = tmp_path / "elsewhere" / "004_836614bf9213366e.txt"
    extra.parent.mkdir()
    shutil.copy2(CORPUS_DIR / extra.name, extra)
    assert main(["ingest", "--no-progress", str(extra)]) == 0
    captured = capsys.readouterr()
    assert "2 tài liệu" in captured.out and "Lưu ý" in captured.err


@pytest.mark.slow
def test_bench_ingest_quick_writes_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env_settings: None, capsys
) -> None:
    _use(monkeypatch, Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS_DIR))
    out = tmp_path / "bench.json"
    assert main(["bench", "ingest", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "cold ingest" in printed and "tokens/s" in printed
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["command"] == "planqa bench ingest --quick"
    result = record["results"]["ingest"]
    assert result["files"] == 1 and result["cold_embedded"] == result["chunks"] > 0
    assert result["warm_embedded"] == 0 and result["warm_cached"] == result["chunks"]
    assert result["tokens_per_second"] > 0
    assert not (tmp_path / "data").exists()  # the benchmark works in a throw-away folder
