"""Benchmark code: the synthetic corpus maker, percentiles, the BENCH.md writer, and `--quick`
smoke runs of `planqa bench query` and `planqa bench scale` against real servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.metrics import percentile
from ingest.settings import Settings
from planqa.bench.report import update_section
from planqa.bench.scale import distinct_variants
from planqa.bench.synthetic import OTHER_PROVINCES, make_corpus, variant_text

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT / "data" / "corpus"
DONG_THAP_PLAN = CORPUS / "000_c6e6a45670724e7f.txt"
QUANG_NGAI_DECISION = CORPUS / "001_9b6bcd664ed356bd.txt"


def test_variant_zero_is_the_original() -> None:
    text = DONG_THAP_PLAN.read_text(encoding="utf-8")
    assert variant_text(text, 0) == text


def test_variant_moves_province_years_agencies_and_codes() -> None:
    text = "UBND tỉnh Đồng Tháp; Sở Tư pháp chủ trì; Nghị quyết số 09-NQ/TU ngày 16/01/2026."
    copy = variant_text(text, 2)
    assert "Đồng Tháp" not in copy
    assert any(f"tỉnh {p};" in copy for p in OTHER_PROVINCES)
    assert "Sở Tư pháp" not in copy and "Sở Tài chính chủ trì" in copy  # rotated by 2
    assert "16/01/2024" in copy  # years shifted by -2
    assert "09-NQ/TU" not in copy and "-NQ/TU" in copy  # renumbered code, same kind
    assert variant_text(text, 2) == copy  # deterministic


def test_variant_keeps_upper_case_province_headings() -> None:
    copy = variant_text("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", 1)
    assert "QUẢNG NGÃI" not in copy
    assert copy.isupper() and copy.startswith("ỦY BAN NHÂN DÂN TỈNH ")


def test_variant_of_a_real_plan_changes_only_what_it_should() -> None:
    text = QUANG_NGAI_DECISION.read_text(encoding="utf-8")
    copy = variant_text(text, 3)
    assert "Quảng Ngãi" not in copy and "QUẢNG NGÃI" not in copy
    assert abs(len(copy) - len(text)) < 0.01 * len(text)  # same plan, other names
    assert copy.count("\n") == text.count("\n")


def test_make_corpus_names_and_distinct_variants(tmp_path: Path) -> None:
    sources = [DONG_THAP_PLAN, QUANG_NGAI_DECISION]
    files = make_corpus(sources, tmp_path, factor=4, distinct=2)
    assert len(files) == 8 and len({f.name for f in files}) == 8
    assert (tmp_path / DONG_THAP_PLAN.name).read_bytes() == DONG_THAP_PLAN.read_bytes()
    # copy 2 reuses variant 0 (the original text), copy 3 reuses variant 1 = copy 1
    copy1 = (tmp_path / f"s001_{DONG_THAP_PLAN.stem}.txt").read_text(encoding="utf-8")
    copy2 = (tmp_path / f"s002_{DONG_THAP_PLAN.stem}.txt").read_text(encoding="utf-8")
    copy3 = (tmp_path / f"s003_{DONG_THAP_PLAN.stem}.txt").read_text(encoding="utf-8")
    assert copy2 == DONG_THAP_PLAN.read_text(encoding="utf-8")
    assert copy3 == copy1 != copy2


def test_distinct_variants_respects_the_embedding_budget() -> None:
    assert distinct_variants(10, seconds_per_variant=30, budget_s=600) is None  # 270 s fits
    assert distinct_variants(100, seconds_per_variant=60, budget_s=600) == 11
    assert distinct_variants(1, seconds_per_variant=1e6, budget_s=1) is None


def test_percentile_interpolates() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 99) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(101)), 95) == 95


def test_update_section_replaces_only_its_own_block(tmp_path: Path) -> None:
    path = tmp_path / "BENCH.md"
    path.write_text("# Bench\n\nHand-written findings.\n", encoding="utf-8")
    update_section("query", "first numbers", path=path)
    update_section("scale", "scale numbers", path=path)
    update_section("query", "second numbers", command="planqa bench query", path=path)
    text = path.read_text(encoding="utf-8")
    assert "Hand-written findings." in text and "scale numbers" in text
    assert "second numbers" in text and "first numbers" not in text
    assert text.count("<!-- bench:query:start -->") == 1
    assert "Command: `planqa bench query`" in text and "nproc" in text


@pytest.mark.slow
def test_bench_query_quick_smoke(built_index: Settings) -> None:
    from planqa.bench import query

    result = query.run(built_index, quick=True)
    server = result["server"]
    assert result["ingest"]["embedded"] == 0  # every vector came from the seeded cache
    assert server["startup_to_healthy_s"] > 0 and server["rss_peak_mib"] > 0
    loads = {(x["path"], x["clients"]): x for x in server["loads"]}
    assert set(loads) == {("/ask", 1), ("/ask", 8), ("/search", 1), ("/search", 8)}
    for load in loads.values():
        assert load["requests"] > 0 and load["errors"] == 0, load
        assert load["p50_ms"] <= load["p95_ms"] <= load["p99_ms"]
    assert server["soak"]["errors"] == 0
    # The server's own CPU per answer is measured across its processes (a /ask embeds a
    # question: it cannot cost nothing), next to how busy the whole machine was.
    assert all(x["server_cpu_ms_per_request"] > 0 for x in loads.values())
    assert all(x["machine_busy_cores"] > 0 and x["server_cores"] > 0 for x in loads.values())
    workers = result["server_workers"]
    assert workers["workers"] == 2 and "--workers 2" in workers["command"]
    assert workers["setup"].startswith("2 worker process(es)")
    assert {(x["path"], x["clients"]) for x in workers["loads"]} == set(loads)
    assert all(x["requests"] > 0 and x["errors"] == 0 for x in workers["loads"])
    assert set(result["targets"]) >= {"ask_answers_per_s_at_8_clients_workers", "met_by"}
    assert result["naive"]["ratio_planqa_over_naive"]["p50_ms"] > 0
    assert "written" not in result  # a quick run never rewrites docs/BENCH.md


@pytest.mark.slow
def test_bench_scale_quick_smoke(built_index: Settings) -> None:
    from planqa.bench import scale

    result = scale.run(built_index, quick=True)
    sizes = result["sizes"]
    assert [s["factor"] for s in sizes] == [1, 2]
    assert sizes[1]["ingest"]["documents"] == 2 * sizes[0]["ingest"]["documents"]
    assert sizes[1]["ingest"]["embedded"] == 0  # the copy repeats cached text
    for size in sizes:
        assert all(x["errors"] == 0 and x["requests"] > 0 for x in size["server"]["loads"])
    assert result["targets"]["ask_p95_ratio_largest_over_x1"] is not None
