"""Query benchmark: `/ask` and `/search` latency (p50/p95/p99) and throughput over HTTP against a
real `planqa serve` subprocess on loopback, with 1, 8 and 32 concurrent clients; server start to
healthy time; the API processes' resident memory; a 32-client soak; and in-process answer latency
of PlanQA against the naive LangChain baseline (`eval.naive`) on the same questions.

Two server setups are measured and reported separately: `planqa serve` as shipped (one worker
process) and `planqa serve --workers 2`. Every load also records the CPU time the server's
processes used per answer and how many of the machine's cores were busy: on a shared 2-core
machine, throughput depends on what else runs, CPU per answer much less.

The index is built in a throw-away folder from the corpus; vectors already in the developer's
embedding cache (`<data_dir>/cache`) are reused. A full run writes its section of docs/BENCH.md.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from eval.metrics import percentile
from ingest.settings import Settings

CLIENTS = (1, 8, 32)
FULL = {"duration_s": 15.0, "max_requests": 4000, "soak_s": 60.0, "naive_questions": 12}
QUICK = {"duration_s": 2.0, "max_requests": 60, "soak_s": 3.0, "naive_questions": 3}
REQUEST_TIMEOUT_S = 120.0
RSS_SAMPLE_S = 0.25
TARGET_ANSWERS_PER_S_AT_8 = 20.0
SCALE_OUT_WORKERS = 2  # the second setup: `planqa serve --workers 2` (one per core here)


@dataclass(frozen=True)
class LoadResult:
    """What `clients` concurrent loops of requests saw on one endpoint."""

    path: str
    clients: int
    requests: int
    errors: int
    seconds: float
    throughput_per_s: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    mean_ms: float | None
    max_ms: float | None
    statuses: dict[str, int]
    server_cpu_ms_per_request: float | None = None
    server_cores: float | None = None
    machine_busy_cores: float | None = None


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000.0, 1)


def load_questions(limit: int | None = None) -> list[str]:
    """Real users' questions: those of the evaluation set (accented and accentless)."""
    from eval.dataset import load_dataset

    questions = [q.question for q in load_dataset()]
    return questions[:limit] if limit else questions


class QuestionStream:
    """Distinct question texts across every load of one server, so no cache of query vectors
    (the embedder's, the retriever's) ever answers from memory: the evaluation questions first,
    then the same questions tagged with a pass number (a new string costs a new embedding, as a
    new user question would). With `tag`, every text is tagged with it, so two streams over one
    server (`/ask` and `/search`) never send the same text."""

    def __init__(self, questions: Sequence[str], key: str, tag: str | None = None) -> None:
        self.questions = list(questions)
        self.key = key
        self.tag = tag
        self.used = 0
        self._lock = threading.Lock()

    def __call__(self, n: int) -> dict[str, Any]:
        with self._lock:
            i = self.used
            self.used += 1
        base = self.questions[i % len(self.questions)]
        lap = i // len(self.questions)
        if self.tag is not None:
            return {self.key: f"{base} ({self.tag} {lap + 1})"}
        return {self.key: base if lap == 0 else f"{base} (lần {lap + 1})"}


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy (not idle, not waiting on I/O) since boot,
    from /proc/stat (Linux); None elsewhere."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def run_load(
    base_url: str,
    path: str,
    payloads: Sequence[dict[str, Any]] | Callable[[int], dict[str, Any]],
    clients: int,
    duration_s: float,
    max_requests: int,
    server_cpu: Callable[[], float] | None = None,
) -> LoadResult:
    """`clients` threads, each with its own connection, post payloads (a list taken
    round-robin, or a function of the request number) until the time or the request budget
    runs out (both bounds always hold). Non-2xx and transport failures count as errors.
    With `server_cpu` (the server's CPU seconds so far), also the server's CPU per successful
    request and the cores it kept busy, next to the cores busy on the whole machine."""
    payload_for = payloads if callable(payloads) else (lambda n: payloads[n % len(payloads)])
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    issued = 0
    deadline = time.monotonic() + duration_s

    def take() -> int | None:
        nonlocal issued
        with lock:
            if issued >= max_requests or time.monotonic() >= deadline:
                return None
            issued += 1
            return issued

    def worker() -> None:
        with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S) as client:
            while (n := take()) is not None:
                payload = payload_for(n)
                started = time.perf_counter()
                try:
                    status = str(client.post(path, json=payload).status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[status] += 1
                    if status.startswith("2"):
                        latencies.append(elapsed)

    cpu_before = server_cpu() if server_cpu else None
    busy_before = busy_cpu_seconds()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration_s + REQUEST_TIMEOUT_S + 10)
    seconds = time.perf_counter() - started
    cpu = server_cpu() - cpu_before if server_cpu and cpu_before is not None else None
    busy_after = busy_cpu_seconds()
    busy = busy_after - busy_before if busy_after is not None and busy_before is not None else None
    done = sum(statuses.values())
    ok = len(latencies)
    return LoadResult(
        path=path,
        clients=clients,
        requests=done,
        errors=done - ok,
        seconds=round(seconds, 2),
        throughput_per_s=round(ok / seconds, 2) if seconds else 0.0,
        p50_ms=_ms(percentile(latencies, 50)),
        p95_ms=_ms(percentile(latencies, 95)),
        p99_ms=_ms(percentile(latencies, 99)),
        mean_ms=_ms(sum(latencies) / ok if ok else None),
        max_ms=_ms(max(latencies) if latencies else None),
        statuses=dict(statuses),
        server_cpu_ms_per_request=round(cpu * 1000 / ok, 1) if cpu is not None and ok else None,
        server_cores=round(cpu / seconds, 2) if cpu is not None and seconds else None,
        machine_busy_cores=round(busy / seconds, 2) if busy is not None and seconds else None,
    )


class RssSampler:
    """Peak resident memory of one process, sampled in a background thread while it runs."""

    def __init__(self, read: Callable[[], int | None]) -> None:
        self._read = read
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._read() or 0)
            self._stop.wait(RSS_SAMPLE_S)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


def _mib(value: int | None) -> float | None:
    return None if not value else round(value / (1024 * 1024), 1)


def _logged_setup(log: str) -> str | None:
    """The line `planqa serve` prints about its workers and threads, if it printed one."""
    lines = [line for line in log.splitlines() if line.startswith("PlanQA API:")]
    return lines[-1].removeprefix("PlanQA API:").strip() if lines else None


def measure_server(
    data_dir: Path,
    corpus_dir: Path,
    questions: Sequence[str],
    clients: Sequence[int],
    duration_s: float,
    max_requests: int,
    soak_s: float = 0.0,
    extra_env: dict[str, str] | None = None,
    workers: int | None = None,
    repeated: bool = True,
) -> dict[str, Any]:
    """Start `planqa serve` (with `--workers` when given) over `data_dir`, time it to healthy,
    warm it with one question per worker, then load `/ask` and `/search` at each client count
    (then optionally repeated questions, and a soak of `/ask` at 32)."""
    from planqa.bench.servers import planqa_server

    server = planqa_server(data_dir, corpus_dir, extra_env=extra_env, workers=workers)
    try:
        server.start()
        ask = QuestionStream(questions, "question")
        search = QuestionStream(questions, "query", tag="tìm")
        result: dict[str, Any] = {
            "command": " ".join(["planqa", *server.command[3:]]),
            "workers": workers or 1,
            "extra_env": dict(extra_env or {}),
            "startup_to_healthy_s": round(server.startup_seconds or 0.0, 2),
            "rss_idle_mib": _mib(server.rss()),
        }
        started = time.perf_counter()
        first = httpx.post(server.base_url + "/ask", json=ask(0), timeout=REQUEST_TIMEOUT_S)
        first.raise_for_status()
        result["first_ask_s"] = round(time.perf_counter() - started, 2)
        result["setup"] = _logged_setup(server.log())
        if (workers or 1) > 1:  # every worker warms its own embedder: ask on each connection
            run_load(server.base_url, "/ask", ask, 2 * workers, duration_s, 2 * workers)
        result["rss_warm_mib"] = _mib(server.rss())
        loads: list[dict[str, Any]] = []
        with RssSampler(server.rss) as sampler:
            for path, payloads in (("/ask", ask), ("/search", search)):
                for n in clients:
                    load = run_load(
                        server.base_url,
                        path,
                        payloads,
                        n,
                        duration_s,
                        max_requests,
                        server_cpu=server.cpu_seconds,
                    )
                    loads.append(asdict(load))
            if repeated:
                # Questions already asked: the query-vector caches answer them.
                again = [{"question": q} for q in questions[: min(20, ask.used)]]
                warm = run_load(
                    server.base_url,
                    "/ask",
                    again,
                    8,
                    duration_s / 2,
                    max_requests,
                    server_cpu=server.cpu_seconds,
                )
                result["repeated_questions"] = asdict(warm)
            if soak_s:
                soak = run_load(
                    server.base_url, "/ask", ask, 32, soak_s, 10**6, server_cpu=server.cpu_seconds
                )
                result["soak"] = asdict(soak)
        result["loads"] = loads
        result["rss_peak_mib"] = _mib(sampler.peak)
        result["rss_after_mib"] = _mib(server.rss())
        return result
    finally:
        server.stop()
        server.cleanup()


def compare_with_naive(settings: Settings, questions: Sequence[str]) -> dict[str, Any]:
    """Answer latency in this process, one question at a time: PlanQA's configured answerer
    over the index vs the naive LangChain baseline over the same corpus and embedder."""
    from eval.naive import NaiveBaseline
    from service.answering import build_answerer

    warm_up = "Ai chủ trì thực hiện kế hoạch?"  # not in the timed set: the LRU must not help
    answerer = build_answerer(settings)
    answerer.answer(warm_up)  # models and index opened outside the timing
    started = time.perf_counter()
    naive = NaiveBaseline(settings.corpus_dir, embedder_spec=settings.embedder).build()
    naive_build_s = time.perf_counter() - started
    naive.answer(warm_up)

    def timings(answer: Callable[[str], object]) -> list[float]:
        out = []
        for question in questions:
            t0 = time.perf_counter()
            answer(question)
            out.append(time.perf_counter() - t0)
        return out

    from ingest.embed import get_embedder

    def clear_query_vectors() -> None:
        # Both answerers share this process's embedder; neither may reuse the other's vectors.
        cache = getattr(get_embedder(settings.embedder), "query_cache", None)
        if cache is not None:
            cache.clear()

    clear_query_vectors()
    planqa_t = timings(answerer.answer)
    clear_query_vectors()
    naive_t = timings(naive.answer)

    def summary(values: list[float]) -> dict[str, float | None]:
        return {f"p{q}_ms": _ms(percentile(values, q)) for q in (50, 95, 99)}

    planqa_s, naive_s = summary(planqa_t), summary(naive_t)
    ratio = {
        key: round(planqa_s[key] / naive_s[key], 2)
        for key in planqa_s
        if planqa_s[key] and naive_s[key]
    }
    return {
        "questions": len(questions),
        "planqa": planqa_s,
        "naive": naive_s,
        "naive_build_s": round(naive_build_s, 2),
        "ratio_planqa_over_naive": ratio,
    }


def seed_cache(source: Settings, data_dir: Path) -> bool:
    """Copy the developer's embedding cache into a throw-away data dir; True when there was one."""
    cache = source.data_dir / "cache" / "embeddings.sqlite"
    if not cache.is_file():
        return False
    target = data_dir / "cache"
    target.mkdir(parents=True, exist_ok=True)
    import sqlite3

    # The SQLite backup API copies a consistent snapshot even while another process writes.
    src = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    dst = sqlite3.connect(target / "embeddings.sqlite")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return True


def bench_command(name: str) -> str:
    """The command as run, with the environment that changes the numbers."""
    env = [
        f"{k}={os.environ[k]}" for k in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS") if k in os.environ
    ]
    return " ".join([*env, f"planqa bench {name}"])


def machine() -> dict[str, Any]:
    """nproc, CPU model, RAM and load: numbers mean nothing without them."""
    info: dict[str, Any] = {"nproc": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / (1024 * 1024), 1)
                break
    except OSError:
        pass
    info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return info


def run(settings: Settings, quick: bool = False) -> dict[str, Any]:
    from ingest.pipeline import corpus_files, ingest

    plan = QUICK if quick else FULL
    files = corpus_files(settings.corpus_dir)
    if quick:  # the smallest plan: a smoke run of every step in seconds
        files = sorted(files, key=lambda p: p.stat().st_size)[:1]
    questions = load_questions()
    result: dict[str, Any] = {"quick": quick, "machine_before": machine()}
    with tempfile.TemporaryDirectory(prefix="planqa-bench-query-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for path in files:
            shutil.copy2(path, corpus / path.name)
        data = Path(tmp) / "data"
        bench = settings.model_copy(
            update={"data_dir": data, "corpus_dir": corpus, "chroma_url": None}
        )
        result["cache_seeded"] = seed_cache(settings, data)
        report = ingest(bench, progress=False)
        result["ingest"] = {
            "documents": report.documents,
            "chunks": report.chunks,
            "embedded": report.embedded,
            "cached": report.cached,
            "seconds": round(report.seconds, 2),
        }
        clients = (1, 8) if quick else CLIENTS
        result["server"] = measure_server(
            data,
            corpus,
            questions,
            clients,
            plan["duration_s"],
            plan["max_requests"],
            soak_s=plan["soak_s"],
        )
        # The scale-out setup: several worker processes on one port, each with its embedder.
        result["server_workers"] = measure_server(
            data,
            corpus,
            questions,
            clients[:2],
            plan["duration_s"],
            plan["max_requests"],
            workers=SCALE_OUT_WORKERS,
            repeated=False,
        )
        result["naive"] = compare_with_naive(bench, questions[: plan["naive_questions"]])
    result["machine_after"] = machine()
    result["targets"] = targets(result)
    if not quick:
        from planqa.bench.report import update_section

        result["written"] = str(
            update_section("query", render_markdown(result), command=bench_command("query"))
        )
    return result


def _load(
    result: dict[str, Any], path: str, clients: int, setup: str = "server"
) -> dict[str, Any] | None:
    return next(
        (
            x
            for x in result.get(setup, {}).get("loads", [])
            if x["path"] == path and x["clients"] == clients
        ),
        None,
    )


def targets(result: dict[str, Any]) -> dict[str, Any]:
    """The target (≥ 20 new answers/s at 8 clients), per setup; met when either setup meets it."""
    values = {}
    for setup in ("server", "server_workers"):
        at8 = _load(result, "/ask", 8, setup)
        values[setup] = at8["throughput_per_s"] if at8 else None
    met = [s for s, v in values.items() if v is not None and v >= TARGET_ANSWERS_PER_S_AT_8]
    at8 = _load(result, "/ask", 8)
    cpu_ms = at8.get("server_cpu_ms_per_request") if at8 else None
    cores = os.cpu_count() or 1
    return {
        "ask_answers_per_s_at_8_clients": values["server"],
        "ask_answers_per_s_at_8_clients_workers": values["server_workers"],
        "ask_server_cpu_ms_per_answer_at_8_clients": cpu_ms,
        # What the CPU cost allows if the server had every core to itself.
        "ask_cpu_bound_ceiling_per_s": round(cores * 1000 / cpu_ms, 1) if cpu_ms else None,
        "target": TARGET_ANSWERS_PER_S_AT_8,
        "met": bool(met),
        "met_by": met,
    }


def load_table(loads: Sequence[dict[str, Any]]) -> list[str]:
    rows = [
        "| endpoint | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms "
        "| server CPU ms/req | server cores | machine busy cores |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for x in loads:
        rows.append(
            f"| `{x['path']}` | {x['clients']} | {x['requests']} | {x['errors']} | "
            f"{x['throughput_per_s']} | {x['p50_ms']} | {x['p95_ms']} | {x['p99_ms']} | "
            f"{x['max_ms']} | {x.get('server_cpu_ms_per_request')} | {x.get('server_cores')} | "
            f"{x.get('machine_busy_cores')} |"
        )
    return rows


def _setup_lines(label: str, server: dict[str, Any]) -> list[str]:
    return [
        f"**{label}** — `{server['command']}` ({server.get('setup') or 'setup not logged'}):",
        "",
        f"- start → healthy: **{server['startup_to_healthy_s']} s**; first `/ask` "
        f"(opens the index, loads the embedder): {server['first_ask_s']} s",
        f"- RSS of all its processes: idle {server['rss_idle_mib']} MiB, warm "
        f"{server['rss_warm_mib']} MiB, peak under load {server['rss_peak_mib']} MiB",
        "",
        *load_table(server["loads"]),
        "",
    ]


def render_markdown(result: dict[str, Any]) -> str:
    server, naive, ing = result["server"], result["naive"], result["ingest"]
    target = result["targets"]
    lines = [
        f"Corpus ×1: {ing['documents']} documents, {ing['chunks']} chunks; ingest "
        f"{ing['seconds']} s ({ing['embedded']} chunks embedded, {ing['cached']} from the "
        f"embedding cache{' seeded from the developer cache' if result['cache_seeded'] else ''}).",
        "",
        "Every request in the tables carries a question text not asked before in the run (the "
        "evaluation set's questions, then the same tagged with a pass number), so no cache of "
        "query vectors helps. *server CPU ms/req*: CPU time of the server's processes per "
        "successful request; *server cores*: that CPU time per second of the load; *machine "
        "busy cores*: the same for the whole machine (load generator and other work included).",
        "",
        *_setup_lines("Setup A: one worker process (the default)", server),
    ]
    warm = server.get("repeated_questions")
    if warm:
        lines += [
            f"Setup A, already-asked questions again (8 clients, {warm['requests']} requests): "
            f"{warm['throughput_per_s']} answers/s, p50 {warm['p50_ms']} ms, p95 "
            f"{warm['p95_ms']} ms, server CPU {warm.get('server_cpu_ms_per_request')} ms per "
            "answer.",
            "",
        ]
    if "soak" in server:
        soak = server["soak"]
        lines += [
            f"Setup A soak: 32 clients on `/ask` for {soak['seconds']} s → {soak['requests']} "
            f"requests, **{soak['errors']} errors**, {soak['throughput_per_s']} answers/s, "
            f"p95 {soak['p95_ms']} ms, p99 {soak['p99_ms']} ms (statuses {soak['statuses']}).",
            "",
        ]
    workers = result.get("server_workers")
    if workers:
        lines += _setup_lines(f"Setup B: {workers['workers']} worker processes", workers)
    at8 = {
        "A": target["ask_answers_per_s_at_8_clients"],
        "B": target.get("ask_answers_per_s_at_8_clients_workers"),
    }
    lines += [
        f"In-process answer latency, one question at a time ({naive['questions']} questions of "
        "the evaluation set):",
        "",
        "| answerer | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: |",
        f"| PlanQA (extractive, hybrid) | {naive['planqa']['p50_ms']} | "
        f"{naive['planqa']['p95_ms']} | {naive['planqa']['p99_ms']} |",
        f"| naive LangChain baseline (`eval/naive.py`) | {naive['naive']['p50_ms']} | "
        f"{naive['naive']['p95_ms']} | {naive['naive']['p99_ms']} |",
        f"| ratio PlanQA / naive | {naive['ratio_planqa_over_naive'].get('p50_ms')} | "
        f"{naive['ratio_planqa_over_naive'].get('p95_ms')} | "
        f"{naive['ratio_planqa_over_naive'].get('p99_ms')} |",
        "",
        f"Target: 8 clients sustain ≥ {target['target']:.0f} new answers/s on ×1 → measured "
        f"{at8['A']} answers/s with setup A, {at8['B']} with setup B: "
        f"**{'met' if target['met'] else 'NOT met'}**. A new answer costs the server "
        f"{target.get('ask_server_cpu_ms_per_answer_at_8_clients')} ms of CPU (setup A, 8 "
        f"clients), so even with all {result['machine_before']['nproc']} cores to itself it "
        f"could give at most {target.get('ask_cpu_bound_ceiling_per_s')} answers/s.",
        "",
        f"Load average (1/5/15 min) before: {result['machine_before']['loadavg']}, after: "
        f"{result['machine_after']['loadavg']} (other processes on the machine share its 2 cores).",
    ]
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    return render_markdown(result)
