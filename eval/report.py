"""Turn a run into report.json, report.md and PNG plots; keep docs/EVAL.md on the latest run.

The JSON holds every number (and each question's outcome per configuration) so reports can be
compared later; the Markdown is for people; plots use matplotlib's Agg backend (no display).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.configs import PRIMARY_CONFIG
from eval.harness import QuestionRun, RunResult, gold_answer, questions_hash
from eval.metrics import summarize

NO_DOC = "(none)"
WITH_DIACRITICS = "with diacritics"
WITHOUT_DIACRITICS = "without diacritics"
PLOTS = ("accuracy_by_kind.png", "latency.png")
QUOTE_CHARS = 300

# --- numbers ---------------------------------------------------------------------------------


def _summary(questions: Sequence[Any], runs: Sequence[QuestionRun]) -> dict[str, Any]:
    return summarize(
        [gold_answer(q) for q in questions],
        [r.prediction for r in runs],
        [r.score for r in runs],
    )


def _grouped(
    questions: Sequence[Any], runs: Sequence[QuestionRun], keys: Callable[[Any], list[str]]
) -> dict[str, dict[str, Any]]:
    """Summaries per group; a question in several groups (two documents) counts in each."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(questions):
        for key in keys(q):
            members[key].append(i)
    return {
        key: _summary([questions[i] for i in idx], [runs[i] for i in idx])
        for key, idx in sorted(members.items())
    }


def _kind(q: Any) -> list[str]:
    return [str(q.kind or "unknown")]


def _docs(q: Any) -> list[str]:
    docs = [d for d in (q.doc_ids or []) if d]
    return list(dict.fromkeys(docs)) or [NO_DOC]


def _diacritics(q: Any) -> list[str]:
    return [WITHOUT_DIACRITICS if q.no_diacritics else WITH_DIACRITICS]


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "nproc": os.cpu_count(),
        "load_average": load,  # at report time: latencies on a busy machine are inflated
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _failure_rows(questions: Sequence[Any], runs: Sequence[QuestionRun]) -> list[dict[str, Any]]:
    rows = []
    for q, r in zip(questions, runs, strict=True):
        if r.score.failure is None and not r.error:
            continue
        gold = gold_answer(q)
        rows.append(
            {
                "id": r.question_id,
                "question": q.question,
                "kind": q.kind,
                "reason": r.score.failure or "error",
                "first_relevant_rank": r.score.rank,
                "expected": [list(f) for f in gold.facts] if gold.answerable else "abstain",
                "gold_sections": [f"{d}:{p}" for d, p in gold.pairs],
                "answer": r.answer[:QUOTE_CHARS],
                "abstained": r.abstained,
                "cited": [f"{c.doc_id}:{c.section_path}" for c in r.prediction.citations],
                "error": r.error,
            }
        )
    return rows


def _question_rows(result: RunResult) -> list[dict[str, Any]]:
    rows = []
    for i, q in enumerate(result.questions):
        per_config = {}
        for name, runs in result.runs.items():
            r = runs[i]
            per_config[name] = {
                "correct": r.score.correct,
                "abstained": r.abstained,
                "failure": r.score.failure,
                "first_relevant_rank": r.score.rank,
                "ndcg@10": r.score.ndcg,
                "citation_precision": r.score.citation_precision,
                "citation_recall": r.score.citation_recall,
                "latency_ms": r.prediction.latency_ms,
                "intent": r.intent,
                "answer": r.answer[:QUOTE_CHARS],
                "citations": [
                    {"doc_id": c.doc_id, "section_path": c.section_path}
                    for c in r.prediction.citations
                ],
                "retrieved": [f"{d}:{p}" for d, p in r.prediction.retrieved],
                "error": r.error,
            }
        rows.append(
            {
                "id": str(q.id),
                "question": q.question,
                "kind": q.kind,
                "answerable": bool(q.answerable),
                "no_diacritics": bool(q.no_diacritics),
                "doc_ids": list(q.doc_ids or []),
                "results": per_config,
            }
        )
    return rows


def build_report(
    result: RunResult,
    command: str = "",
    dataset_path: str = "",
    limit: int | None = None,
    run_name: str = "",
) -> dict[str, Any]:
    """Every number of a run as one JSON-able dict."""
    qs = result.questions
    metrics, by_kind, by_doc, diacritics, failures = {}, {}, {}, {}, {}
    for name, runs in result.runs.items():
        metrics[name] = _summary(qs, runs)
        by_kind[name] = _grouped(qs, runs, _kind)
        by_doc[name] = _grouped(qs, runs, _docs)
        groups = _grouped(qs, runs, _diacritics)
        with_acc = groups.get(WITH_DIACRITICS, {}).get("accuracy")
        without_acc = groups.get(WITHOUT_DIACRITICS, {}).get("accuracy")
        gap = (
            (with_acc - without_acc) * 100.0
            if with_acc is not None and without_acc is not None
            else None
        )
        diacritics[name] = {
            WITH_DIACRITICS: groups.get(WITH_DIACRITICS),
            WITHOUT_DIACRITICS: groups.get(WITHOUT_DIACRITICS),
            "accuracy_gap_points": gap,
        }
        failures[name] = _failure_rows(qs, runs)
    ratio = None
    if PRIMARY_CONFIG in metrics and "naive" in metrics:
        planqa = metrics[PRIMARY_CONFIG]["answer_accuracy"]
        naive = metrics["naive"]["answer_accuracy"]
        ratio = {
            "planqa_config": PRIMARY_CONFIG,
            "planqa_answer_accuracy": planqa,
            "naive_answer_accuracy": naive,
            "ratio": (planqa / naive) if planqa is not None and naive else None,
        }
    return {
        "run": run_name,
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "started_at": result.started_at,
        "command": command,
        "machine": machine_info(),
        "dataset": {
            "path": dataset_path,
            "sha256": questions_hash(qs),
            "questions": len(qs),
            "answerable": sum(1 for q in qs if q.answerable),
            "limit": limit,
        },
        "wall_time_s": result.wall_time_s,
        "setup_s": result.setup_s,
        "run_s": result.run_s,
        "primary_config": PRIMARY_CONFIG,
        "configs": list(result.runs),
        "skipped": result.skipped,
        "notes": result.notes,
        "metrics": metrics,
        "by_kind": by_kind,
        "by_document": by_doc,
        "diacritics": diacritics,
        "planqa_vs_naive": ratio,
        "failures": failures,
        "questions": _question_rows(result),
    }


# --- Markdown --------------------------------------------------------------------------------

_RATE_COLUMNS = (
    ("accuracy", "accuracy (all)"),
    ("answer_accuracy", "answer acc."),
    ("grounded_accuracy", "grounded acc."),
    ("hit@1", "Hit@1"),
    ("hit@3", "Hit@3"),
    ("hit@5", "Hit@5"),
    ("hit@10", "Hit@10"),
    ("mrr@10", "MRR@10"),
    ("ndcg@10", "nDCG@10"),
    ("citation_precision", "cit. P"),
    ("citation_recall", "cit. R"),
    ("abstention_precision", "abst. P"),
    ("abstention_recall", "abst. R"),
    ("false_abstention_rate", "false abst."),
)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


def _overall_table(metrics: dict[str, dict[str, Any]]) -> list[str]:
    header = ["config", "n"] + [label for _, label in _RATE_COLUMNS] + ["p50 ms", "p95 ms"]
    rows = [
        [name, str(m["questions"])]
        + [_pct(m[key]) for key, _ in _RATE_COLUMNS]
        + [_ms(m["latency_p50_ms"]), _ms(m["latency_p95_ms"])]
        for name, m in metrics.items()
    ]
    return _table(header, rows)


def _group_table(groups: dict[str, dict[str, dict[str, Any]]], title: str) -> list[str]:
    """Rows = groups, columns = configurations: accuracy (all questions) and Hit@5."""
    configs = list(groups)
    keys = sorted({k for g in groups.values() for k in g})
    header = [title, "n"] + [f"{c} acc." for c in configs] + [f"{c} Hit@5" for c in configs]
    rows = []
    for key in keys:
        first = next((groups[c][key] for c in configs if key in groups[c]), {})
        rows.append(
            [key, str(first.get("questions", 0))]
            + [_pct(groups[c].get(key, {}).get("accuracy")) for c in configs]
            + [_pct(groups[c].get(key, {}).get("hit@5")) for c in configs]
        )
    return _table(header, rows)


def _failure_lines(report: dict[str, Any], configs: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for name in configs:
        rows = report["failures"].get(name, [])
        counts: dict[str, int] = defaultdict(int)
        for row in rows:
            counts[row["reason"]] += 1
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none"
        lines += ["", f"### {name} — {len(rows)} failures ({summary})", ""]
        if not rows:
            continue
        table_rows = [
            [
                row["id"],
                row["kind"] or "",
                row["reason"] + (f" ({row['error']})" if row["error"] else ""),
                str(row["first_relevant_rank"] or "—"),
                row["question"],
                "; ".join(" / ".join(v) for v in row["expected"])
                if isinstance(row["expected"], list)
                else row["expected"],
                "(abstained)" if row["abstained"] else _one_line(row["answer"], 120),
            ]
            for row in rows
        ]
        lines += _table(
            ["id", "kind", "reason", "rank", "question", "expected", "answer"], table_rows
        )
    return lines


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_markdown(
    report: dict[str, Any], failures_for: Sequence[str] | None = None, plot_dir: str = "."
) -> str:
    """The human-readable report; `failures_for` limits the failure lists (default: all)."""
    ds, machine = report["dataset"], report["machine"]
    lines = [
        f"# PlanQA evaluation — {report['created']}",
        "",
        f"- Command: `{report['command']}`" if report["command"] else "- Command: (library call)",
        f"- Machine: {machine['nproc']} CPU ({machine['cpu']}), Python {machine['python']}"
        + (
            f", load average {machine['load_average'][0]:.1f} at the end of the run"
            if machine.get("load_average")
            else ""
        ),
        f"- Questions: {ds['questions']} ({ds['answerable']} answerable)"
        + (f", first {ds['limit']} only" if ds["limit"] else "")
        + f"; dataset sha256 `{ds['sha256'][:16]}`",
        f"- Wall time: {report['wall_time_s']:.1f} s; per configuration, setup + answering: "
        + ", ".join(
            f"{k} {report['setup_s'].get(k, 0.0):.1f} + {report['run_s'].get(k, 0.0):.1f} s"
            for k in report["configs"]
        ),
    ]
    for name, why in report["skipped"].items():
        lines.append(f"- Skipped `{name}`: {why}")
    lines += [
        "",
        "Accuracy (all) counts an abstention as correct on unanswerable questions; answer "
        "accuracy is over answerable questions only (every key fact present, any accepted "
        "variant, after NFC, canonical tones, whitespace and date normalisation); grounded "
        "accuracy also needs one citation that holds the evidence (a gold document, and its "
        "section or quote). Retrieval "
        "metrics are at section level on answerable questions (a chunk in a gold section, or "
        "its ancestor/descendant). Latency is the answer call, per question.",
        "",
        "## Overall",
        "",
        *_overall_table(report["metrics"]),
    ]
    ratio = report.get("planqa_vs_naive")
    if ratio:
        value = f"{ratio['ratio']:.2f}×" if ratio["ratio"] is not None else "— (naive scored 0)"
        lines += [
            "",
            f"PlanQA (`{ratio['planqa_config']}`) / naive answer accuracy: **{value}** "
            f"({_pct(ratio['planqa_answer_accuracy'])} vs {_pct(ratio['naive_answer_accuracy'])}).",
        ]
    lines += ["", "## Diacritics", ""]
    rows = []
    for name, d in report["diacritics"].items():
        w, wo = d[WITH_DIACRITICS] or {}, d[WITHOUT_DIACRITICS] or {}
        gap = d["accuracy_gap_points"]
        rows.append(
            [
                name,
                f"{_pct(w.get('accuracy'))} (n={w.get('questions', 0)})",
                f"{_pct(wo.get('accuracy'))} (n={wo.get('questions', 0)})",
                "—" if gap is None else f"{gap:+.1f}",
                _pct(w.get("hit@5")),
                _pct(wo.get("hit@5")),
            ]
        )
    lines += _table(
        [
            "config",
            "accuracy with",
            "accuracy without",
            "gap (points)",
            "Hit@5 with",
            "Hit@5 without",
        ],
        rows,
    )
    lines += ["", "## By question kind", "", *_group_table(report["by_kind"], "kind")]
    lines += ["", "## By document", "", *_group_table(report["by_document"], "document")]
    if report["notes"]:
        lines += ["", "## Notes", ""]
        for name, notes in report["notes"].items():
            lines += [f"- `{name}`: {note}" for note in notes]
    lines += [
        "",
        "## Plots",
        "",
        f"![accuracy by kind]({plot_dir}/accuracy_by_kind.png)",
        "",
        f"![latency]({plot_dir}/latency.png)",
        "",
        "## Failures",
        "",
        "Reasons: `retrieval miss` = no gold section in the top 10; `wrong extraction` = "
        "retrieved but a key fact is missing from the answer; `false abstention` / `missed "
        "abstention`; `bad citation` = right facts but no citation holds the evidence.",
    ]
    lines += _failure_lines(report, failures_for if failures_for is not None else report["configs"])
    return "\n".join(lines) + "\n"


# --- plots -----------------------------------------------------------------------------------


def plot_accuracy_by_kind(report: dict[str, Any], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = list(report["by_kind"])
    kinds = sorted({k for groups in report["by_kind"].values() for k in groups})
    width = 0.8 / max(len(configs), 1)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.3 * len(kinds) + 2), 4.2))
    for j, name in enumerate(configs):
        values = [
            (report["by_kind"][name].get(kind, {}).get("accuracy") or 0.0) * 100 for kind in kinds
        ]
        xs = [i - 0.4 + width * (j + 0.5) for i in range(len(kinds))]
        ax.bar(xs, values, width=width, label=name)
    ax.set_xticks(range(len(kinds)))
    ax.set_xticklabels(kinds, rotation=20, ha="right")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title("Accuracy by question kind and configuration")
    ax.legend(fontsize="small", ncol=min(len(configs), 5))
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_latency(result: RunResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(result.runs)
    data = [[max(r.prediction.latency_ms, 0.01) for r in result.runs[n]] for n in names]
    fig, ax = plt.subplots(figsize=(max(5.0, 1.4 * len(names) + 2), 4.2))
    ax.boxplot(data, showfliers=True)
    ax.set_xticks(range(1, len(names) + 1))
    ax.set_xticklabels(names)
    ax.set_yscale("log")
    ax.set_ylabel("answer latency (ms, log scale)")
    ax.set_title("Latency per question by configuration")
    ax.grid(axis="y", alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --- files -----------------------------------------------------------------------------------


def write_report(result: RunResult, report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """report.json, report.md and the plots in `out_dir`; returns their paths by name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "report.json": out_dir / "report.json",
        "report.md": out_dir / "report.md",
    }
    paths["report.json"].write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    paths["report.md"].write_text(render_markdown(report), encoding="utf-8")
    paths["accuracy_by_kind.png"] = plot_accuracy_by_kind(report, out_dir / "accuracy_by_kind.png")
    paths["latency.png"] = plot_latency(result, out_dir / "latency.png")
    return paths


def write_docs(report: dict[str, Any], out_dir: Path, docs_dir: Path) -> Path:
    """docs/EVAL.md from the latest full run (failures of the primary config), plots copied to
    docs/eval/."""
    plot_dir = docs_dir / "eval"
    plot_dir.mkdir(parents=True, exist_ok=True)
    for name in PLOTS:
        shutil.copyfile(out_dir / name, plot_dir / name)
    primary = [c for c in report["configs"] if c == PRIMARY_CONFIG] or report["configs"][:1]
    body = render_markdown(report, failures_for=primary, plot_dir="eval")
    try:
        shown = out_dir.resolve().relative_to(docs_dir.resolve().parent)
    except ValueError:
        shown = out_dir
    intro = (
        "<!-- Written by `planqa eval` (eval/report.py); do not edit by hand. -->\n\n"
        f"Full report: `{shown}` (report.json holds every question's outcome per "
        "configuration; failures of the other configurations are listed in report.md).\n\n"
    )
    path = docs_dir / "EVAL.md"
    title, _, rest = body.partition("\n")
    path.write_text(title + "\n\n" + intro + rest.lstrip("\n"), encoding="utf-8")
    return path


__all__ = [
    "PLOTS",
    "build_report",
    "machine_info",
    "plot_accuracy_by_kind",
    "plot_latency",
    "render_markdown",
    "write_docs",
    "write_report",
]
