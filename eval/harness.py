"""Run every configuration on the same questions and score each answer.

Each system answers the question (timed: that is the latency reported) and separately returns
its top-10 (doc_id, section_path) list for the retrieval metrics (not timed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.configs import System
from eval.metrics import (
    CitedPassage,
    GoldAnswer,
    GoldPair,
    Prediction,
    QuestionScore,
    score_question,
)
from ingest.embed import clear_query_caches

RETRIEVAL_DEPTH = 10


@dataclass(frozen=True)
class QuestionRun:
    """One configuration's answer to one question, and its score."""

    question_id: str
    config: str
    answer: str
    abstained: bool
    intent: str
    prediction: Prediction
    score: QuestionScore
    error: str = ""  # an exception raised by the system (scored as a wrong answer)


@dataclass
class RunResult:
    questions: list[Any]  # eval.dataset.Question
    runs: dict[str, list[QuestionRun]] = field(default_factory=dict)  # config → per question
    skipped: dict[str, str] = field(default_factory=dict)  # config → why it did not run
    notes: dict[str, list[str]] = field(default_factory=dict)  # config → caveats for the report
    setup_s: dict[str, float] = field(default_factory=dict)  # config → build + warm-up time
    run_s: dict[str, float] = field(default_factory=dict)  # config → time to answer all
    wall_time_s: float = 0.0
    started_at: str = ""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]


def gold_pairs(question: Any) -> tuple[GoldPair, ...]:
    """The (doc_id, section_path) pairs a question's answer lives in.

    Paths may be written "doc_id:path"; otherwise a single gold document owns every path, and
    with several documents the paths are paired in order when the counts match, else with each
    document. A document without paths accepts any of its sections ("").
    """
    docs = _as_list(question.doc_ids)
    paths = _as_list(question.section_paths)
    pairs: list[GoldPair] = []
    loose: list[str] = []
    for path in paths:
        doc, sep, rest = path.partition(":")
        if sep and doc in docs:
            pairs.append((doc, rest))
        else:
            loose.append(path)
    if loose:
        if len(docs) == 1:
            pairs += [(docs[0], p) for p in loose]
        elif len(docs) == len(loose):
            pairs += list(zip(docs, loose, strict=True))
        else:
            pairs += [(d, p) for d in docs for p in loose]
    covered = {d for d, _ in pairs}
    pairs += [(d, "") for d in docs if d not in covered]
    return tuple(dict.fromkeys(pairs))


def gold_answer(question: Any) -> GoldAnswer:
    facts = tuple(tuple(_as_list(variants)) for variants in (question.facts or ()))
    return GoldAnswer(
        answerable=bool(question.answerable),
        pairs=gold_pairs(question) if question.answerable else (),
        facts=tuple(f for f in facts if f),
        evidence=tuple(_as_list(question.evidence)),
    )


def question_record(question: Any) -> dict[str, Any]:
    """A question as plain JSON-able data (for hashing and for the report)."""
    if dataclasses.is_dataclass(question):
        data = dataclasses.asdict(question)
    elif hasattr(question, "model_dump"):
        data = question.model_dump()
    else:
        data = dict(vars(question))
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def questions_hash(questions: Sequence[Any]) -> str:
    """sha256 of the questions actually evaluated (so a --limit subset has its own hash)."""
    payload = json.dumps(
        [question_record(q) for q in questions], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def run_one(system: System, question: Any) -> QuestionRun:
    """Ask one system one question; a crash is recorded, scored as wrong, and not hidden."""
    gold = gold_answer(question)
    error = ""
    started = time.perf_counter()
    try:
        answer = system.answer(question.question)
        latency_ms = (time.perf_counter() - started) * 1000.0
        answer_text, abstained, intent = answer.answer, answer.abstained, answer.intent
        citations = tuple(CitedPassage(c.doc_id, c.section_path, c.quote) for c in answer.citations)
    except Exception as exc:  # noqa: BLE001 - a failing system is a result to report
        latency_ms = (time.perf_counter() - started) * 1000.0
        answer_text, abstained, intent, citations = "", False, "", ()
        error = f"{type(exc).__name__}: {exc}"
    try:
        retrieved = tuple(system.retrieve(question.question, RETRIEVAL_DEPTH))
    except Exception as exc:  # noqa: BLE001
        retrieved = ()
        error = error or f"retrieve: {type(exc).__name__}: {exc}"
    prediction = Prediction(
        answer=answer_text,
        abstained=abstained,
        citations=citations,
        retrieved=retrieved,
        latency_ms=latency_ms,
    )
    return QuestionRun(
        question_id=str(question.id),
        config=system.name,
        answer=answer_text,
        abstained=abstained,
        intent=intent,
        prediction=prediction,
        score=score_question(gold, prediction),
        error=error,
    )


ProgressHook = Callable[..., None]  # (done, total, config, finished=False)


def run_systems(
    questions: Sequence[Any],
    systems: Sequence[System],
    progress: bool = True,
    on_progress: ProgressHook | None = None,
    run_s: dict[str, float] | None = None,
) -> dict[str, list[QuestionRun]]:
    """Every system on every question, in order; a tqdm bar on stderr unless disabled.
    `run_s`, when given, receives each system's total time."""
    from tqdm import tqdm

    total = len(questions) * len(systems)
    runs: dict[str, list[QuestionRun]] = {}
    done = 0
    with tqdm(total=total, disable=not progress, file=sys.stderr, unit="q") as bar:
        for system in systems:
            bar.set_description(system.name)
            runs[system.name] = []
            clear_query_caches()  # no configuration answers from another's query vectors
            started = time.perf_counter()
            for question in questions:
                runs[system.name].append(run_one(system, question))
                done += 1
                bar.update(1)
                if on_progress:
                    on_progress(done, total, system.name)
            if run_s is not None:
                run_s[system.name] = time.perf_counter() - started
    return runs


def progress_writer(out_dir: Path) -> ProgressHook:
    """Keeps `progress.json` in the report folder for the UI's evaluation page."""
    path = out_dir / "progress.json"

    def write(done: int, total: int, config: str, finished: bool = False) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"done": done, "total": total, "config": config, "finished": finished}),
            encoding="utf-8",
        )
        tmp.replace(path)

    return write


def evaluate(
    settings: Any,
    questions: Sequence[Any],
    config_names: Sequence[str],
    progress: bool = True,
    out_dir: Path | None = None,
) -> RunResult:
    """Build the requested configurations and run them on `questions`."""
    from eval.configs import build_systems

    result = RunResult(questions=list(questions), started_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    hook = progress_writer(out_dir) if out_dir else None
    if hook:
        hook(0, len(questions) * len(config_names), "setup")
    started = time.perf_counter()
    built = build_systems(config_names, settings)
    result.skipped = dict(built.skipped)
    result.notes = {k: list(v) for k, v in built.notes.items()}
    result.setup_s = dict(built.setup_s)
    result.runs = run_systems(
        questions, built.systems, progress=progress, on_progress=hook, run_s=result.run_s
    )
    result.wall_time_s = time.perf_counter() - started
    if hook:
        total = len(questions) * len(built.systems)
        hook(total, total, "", True)  # type: ignore[call-arg]
    return result


__all__ = [
    "QuestionRun",
    "RETRIEVAL_DEPTH",
    "RunResult",
    "evaluate",
    "gold_answer",
    "gold_pairs",
    "question_record",
    "questions_hash",
    "run_one",
    "run_systems",
]
