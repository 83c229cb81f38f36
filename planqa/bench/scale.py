"""Scale benchmark: the same measurements at corpus sizes ×1, ×10 and ×100 (synthetic copies of
the five plans, `planqa.bench.synthetic`): ingest time and throughput, server start to healthy,
`/ask` and `/search` latency and throughput at 1 and 8 clients, and the API process's RSS.

New text costs embedding time (the embedder is the slow part of an ingest). Every size shares
one embedding cache; when embedding all copies would exceed `EMBED_BUDGET_S`, a size is built
from fewer distinct variants and repeats their text, whose vectors then come from the cache.
The result says how many variants each size used.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from ingest.settings import Settings
from planqa.bench.query import bench_command, load_questions, machine, measure_server, seed_cache

FACTORS = (1, 10, 100)
QUICK_FACTORS = (1, 2)
CLIENTS = (1, 8)
FULL = {"duration_s": 15.0, "max_requests": 2000}
QUICK = {"duration_s": 1.5, "max_requests": 30}
EMBED_BUDGET_S = 6 * 60.0  # new embedding allowed per size before variants are repeated
TARGET_P95_RATIO = 2.0
EMBED_PROBE_CHUNKS = 32


def distinct_variants(factor: int, seconds_per_variant: float, budget_s: float) -> int | None:
    """How many differently-worded variants a size can afford (None = every copy distinct).
    Variant 0 is the original text, always cached after ×1."""
    if factor <= 1 or (factor - 1) * seconds_per_variant <= budget_s:
        return None
    return max(1, 1 + int(budget_s // max(seconds_per_variant, 1e-9)))


def embed_seconds_per_chunk(settings: Settings, sample: int = EMBED_PROBE_CHUNKS) -> float:
    """The embedder's cost per chunk, timed on real chunks of the index (the cache bypassed)."""
    from ingest.embed import get_embedder
    from ingest.index import open_index
    from ingest.pipeline import embedding_input

    embedder = get_embedder(settings.embedder)
    index = open_index(settings)
    chunks = index.chunks(index.chunk_ids()[:sample])
    texts = [embedding_input(c, embedder.input_form) for c in chunks]
    embedder.embed_passages(texts[:2])  # load the model outside the timing
    started = time.perf_counter()
    embedder.embed_passages(texts)
    return (time.perf_counter() - started) / max(len(texts), 1)


def _size_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def measure_size(
    settings: Settings,
    sources: list[Path],
    root: Path,
    factor: int,
    distinct: int | None,
    questions: list[str],
    plan: dict[str, float],
    probe_embedding: bool = False,
) -> dict[str, Any]:
    """Make the ×`factor` corpus, ingest it over the shared cache, then load a server on it."""
    from ingest.pipeline import ingest
    from planqa.bench.synthetic import make_corpus

    corpus = root / f"corpus-x{factor}"
    data = root / f"data-x{factor}"
    make_corpus(sources, corpus, factor, distinct=distinct)
    data.mkdir()
    (data / "cache").symlink_to(root / "cache", target_is_directory=True)
    bench = settings.model_copy(update={"data_dir": data, "corpus_dir": corpus, "chroma_url": None})
    report = ingest(bench, progress=False)
    size = _size_bytes(corpus)
    seconds = report.seconds
    result: dict[str, Any] = {
        "factor": factor,
        "distinct_variants": distinct,
        "files": len(list(corpus.iterdir())),
        "bytes": size,
        "ingest": {
            "documents": report.documents,
            "chunks": report.chunks,
            "tasks": report.tasks,
            "embedded": report.embedded,
            "cached": report.cached,
            "refused": len(report.refused),
            "seconds": round(seconds, 2),
            "documents_per_s": round(report.documents / seconds, 2),
            "chunks_per_s": round(report.chunks / seconds, 1),
            "mb_per_s": round(size / (1024 * 1024) / seconds, 3),
            "embedded_per_s": round(report.embedded / seconds, 2) if report.embedded else None,
        },
        "index_mib": round(
            sum(p.stat().st_size for p in (data / "index").rglob("*") if p.is_file()) / 2**20, 1
        ),
    }
    if probe_embedding:
        result["embed_seconds_per_chunk"] = embed_seconds_per_chunk(bench)
    result["server"] = measure_server(
        data, corpus, questions, CLIENTS, plan["duration_s"], int(plan["max_requests"])
    )
    shutil.rmtree(data / "index", ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    return result


def run(settings: Settings, quick: bool = False) -> dict[str, Any]:
    from ingest.pipeline import corpus_files

    plan = QUICK if quick else FULL
    factors = QUICK_FACTORS if quick else FACTORS
    sources = corpus_files(settings.corpus_dir)
    if quick:  # the smallest plan, every copy repeating its text: seconds, not minutes
        sources = sorted(sources, key=lambda p: p.stat().st_size)[:1]
    questions = load_questions()
    result: dict[str, Any] = {
        "quick": quick,
        "command": bench_command("scale"),
        "machine_before": machine(),
        "sizes": [],
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="planqa-bench-scale-") as tmp:
        root = Path(tmp)
        seeded = seed_cache(settings, root / "seed")
        if seeded:
            shutil.move(root / "seed" / "cache", root / "cache")
        else:
            (root / "cache").mkdir()
        result["cache_seeded"] = seeded
        seconds_per_variant = 0.0
        for factor in factors:
            distinct = 1 if quick and factor > 1 else None
            if not quick and factor > 1:
                distinct = distinct_variants(factor, seconds_per_variant, EMBED_BUDGET_S)
            size = measure_size(
                settings,
                sources,
                root,
                factor,
                distinct,
                questions,
                plan,
                factor == 1 and not quick,
            )
            if "embed_seconds_per_chunk" in size:
                # Cost of embedding one full variant (all its chunks) on this machine.
                seconds_per_variant = size["embed_seconds_per_chunk"] * size["ingest"]["chunks"]
                size["seconds_per_variant_estimate"] = round(seconds_per_variant, 1)
            result["sizes"].append(size)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["machine_after"] = machine()
    result["targets"] = targets(result)
    if not quick:
        from planqa.bench.report import update_section

        result["written"] = str(
            update_section("scale", render_markdown(result), command=bench_command("scale"))
        )
    return result


def _ask(size: dict[str, Any], clients: int) -> dict[str, Any] | None:
    return next(
        (x for x in size["server"]["loads"] if x["path"] == "/ask" and x["clients"] == clients),
        None,
    )


def targets(result: dict[str, Any]) -> dict[str, Any]:
    sizes = result["sizes"]
    first, last = sizes[0], sizes[-1]
    base, top = _ask(first, 1), _ask(last, 1)
    ratio = None
    if base and top and base["p95_ms"] and top["p95_ms"]:
        ratio = round(top["p95_ms"] / base["p95_ms"], 2)
    return {
        "ask_p95_ratio_largest_over_x1": ratio,
        "largest_factor": last["factor"],
        "target": TARGET_P95_RATIO,
        "met": bool(ratio is not None and ratio <= TARGET_P95_RATIO),
    }


def render_markdown(result: dict[str, Any]) -> str:
    lines = [
        "| size | docs | chunks | distinct variants | ingest s | embedded / cached | "
        "docs/s | chunks/s | MB/s | index MiB | start→healthy s | RSS idle / peak MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in result["sizes"]:
        ing, srv = s["ingest"], s["server"]
        distinct = s["distinct_variants"] if s["distinct_variants"] is not None else "all"
        lines.append(
            f"| ×{s['factor']} | {ing['documents']} | {ing['chunks']} | {distinct} | "
            f"{ing['seconds']} | {ing['embedded']} / {ing['cached']} | {ing['documents_per_s']} | "
            f"{ing['chunks_per_s']} | {ing['mb_per_s']} | {s['index_mib']} | "
            f"{srv['startup_to_healthy_s']} | {srv['rss_idle_mib']} / {srv['rss_peak_mib']} |"
        )
    lines += [
        "",
        "| size | endpoint | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in result["sizes"]:
        for x in s["server"]["loads"]:
            lines.append(
                f"| ×{s['factor']} | `{x['path']}` | {x['clients']} | {x['requests']} | "
                f"{x['errors']} | {x['throughput_per_s']} | {x['p50_ms']} | {x['p95_ms']} | "
                f"{x['p99_ms']} |"
            )
    t = result["targets"]
    lines += [
        "",
        f"Target: `/ask` p95 (1 client) at ×{t['largest_factor']} ≤ {t['target']:.0f}× its ×1 "
        f"value → measured ratio {t['ask_p95_ratio_largest_over_x1']}: "
        f"**{'met' if t['met'] else 'NOT met'}**.",
        "",
        f"Servers and ingest ran as `{result['command']}` (environment inherited by the "
        "`planqa serve` subprocesses). "
        f"Whole run {result['seconds']} s; embedding cache seeded from the developer cache: "
        f"{result['cache_seeded']}. Load average before {result['machine_before']['loadavg']}, "
        f"after {result['machine_after']['loadavg']}.",
    ]
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    return render_markdown(result)
