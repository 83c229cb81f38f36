"""Scoring functions for the evaluation: pure, on plain values, so each is tested by hand.

Retrieval is judged at section level (a chunk counts when its section is a gold section or an
ancestor/descendant of one), answers by key facts (every fact, any accepted variant), and
abstention as a binary classifier whose positive class is "should abstain".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ingest.vntext import index_form

# --- text comparison -------------------------------------------------------------------------

# "ngày 20 tháng 5 năm 2026" → "ngày 20/5/2026"; applied to lower-cased text.
_DATE_WORDS = re.compile(r"ngày\s+0*(\d{1,2})\s+tháng\s+0*(\d{1,2})\s+năm\s+(\d{4})")
# "tháng 5 năm 2026" → "tháng 5/2026"
_MONTH_WORDS = re.compile(r"tháng\s+0*(\d{1,2})\s+năm\s+(\d{4})")
# "20/05/2026", "20-05-2026", "20.05.2026" → "20/5/2026" (same separator both times)
_DMY = re.compile(r"(?<![\d/.-])0*(\d{1,2})([/.-])0*(\d{1,2})\2(\d{4})(?![\d/])")
# "05/2026" → "5/2026" and "14/06" → "14/6": leading zeros of short numbers around a slash.
_SHORT_PAIR = re.compile(r"(?<![\d/])0+(\d)(?=/\d)|(?<=\d/)0+(\d)(?!\d)")
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")  # "2025 – 2030" = "2025-2030"
_MARKUP = re.compile(r"[*`]+|~~|</?sup>")
_SPACE = re.compile(r"\s+")
WORD_PATTERN = re.compile(r"\w+(?:[/-]\w+)*")  # words, with dates and codes kept whole


def normalize_for_match(text: str) -> str:
    """One comparable form: NFC, canonical tones, lower case, no emphasis marks, one dash,
    collapsed whitespace, dates without leading zeros ("20/05/2026" = "ngày 20 tháng 5 năm 2026")."""
    out = index_form(text)
    out = _MARKUP.sub("", out)
    out = _SPACE.sub(" ", out).strip()
    out = _DATE_WORDS.sub(lambda m: f"ngày {int(m[1])}/{int(m[2])}/{m[3]}", out)
    out = _MONTH_WORDS.sub(lambda m: f"tháng {int(m[1])}/{m[2]}", out)
    out = _DMY.sub(lambda m: f"{int(m[1])}/{int(m[3])}/{m[4]}", out)
    out = _SHORT_PAIR.sub(lambda m: m[1] or m[2], out)
    out = _DASHES.sub("-", out)
    return _SPACE.sub(" ", out).strip()


def contains_phrase(haystack: str, phrase: str) -> bool:
    """`phrase` occurs in `haystack` as whole words (both already normalised).

    "20/5/2026" is not found in "120/5/2026", and "14/6" is not found in "14/6/2026".
    """
    if not phrase:
        return False
    before = r"(?<![\w/])" if phrase[0].isalnum() else ""
    after = r"(?!\w|/\d)" if phrase[-1].isalnum() else ""
    return re.search(before + re.escape(phrase) + after, haystack) is not None


def fact_present(text: str, variants: Sequence[str]) -> bool:
    """One key fact holds when any of its accepted variants appears in the text."""
    target = normalize_for_match(text)
    return any(contains_phrase(target, normalize_for_match(v)) for v in variants if v.strip())


def facts_present(text: str, facts: Sequence[Sequence[str]]) -> bool:
    """All key facts hold. A question without facts cannot be judged correct this way."""
    return bool(facts) and all(fact_present(text, variants) for variants in facts)


def _word_ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = WORD_PATTERN.findall(normalize_for_match(text))
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def text_overlap(a: str, b: str, n: int = 3) -> float:
    """Share of the shorter text's word n-grams found in the longer one (0..1)."""
    grams_a, grams_b = _word_ngrams(a, n), _word_ngrams(b, n)
    if not grams_a or not grams_b:
        return 0.0
    small, large = (grams_a, grams_b) if len(grams_a) <= len(grams_b) else (grams_b, grams_a)
    return len(small & large) / len(small)


# --- section-level relevance -----------------------------------------------------------------

GoldPair = tuple[str, str]  # (doc_id, section_path); "" as path means "anywhere in the doc"


def paths_related(path: str, gold: str) -> bool:
    """Equal, or one is an ancestor of the other on "." boundaries ("II.2" ~ "II.2.a.-3").

    An empty gold path accepts any section of the document.
    """
    if not gold:
        return True
    if not path:
        return False
    return path == gold or path.startswith(gold + ".") or gold.startswith(path + ".")


def pair_matches(doc_id: str, section_path: str, gold: GoldPair) -> bool:
    return doc_id == gold[0] and paths_related(section_path, gold[1])


def relevance_flags(retrieved: Sequence[tuple[str, str]], gold: Sequence[GoldPair]) -> list[bool]:
    """For each retrieved (doc_id, section_path), whether it matches any gold pair."""
    return [any(pair_matches(d, p, g) for g in gold) for d, p in retrieved]


def first_relevant_rank(flags: Sequence[bool], k: int = 10) -> int | None:
    """1-based rank of the first relevant item within the top k, or None."""
    for i, flag in enumerate(flags[:k]):
        if flag:
            return i + 1
    return None


def hit_at_k(flags: Sequence[bool], k: int) -> float:
    return 1.0 if any(flags[:k]) else 0.0


def reciprocal_rank(flags: Sequence[bool], k: int = 10) -> float:
    rank = first_relevant_rank(flags, k)
    return 1.0 / rank if rank else 0.0


def ndcg_at_k(retrieved: Sequence[tuple[str, str]], gold: Sequence[GoldPair], k: int = 10) -> float:
    """Binary-gain nDCG where each gold pair earns credit once, at the first item matching it.

    Counting a gold section once keeps the score within [0, 1] when several chunks of one
    section are retrieved; the ideal ranking puts one item per gold pair at the top.
    """
    if not gold:
        return 0.0
    covered: set[int] = set()
    dcg = 0.0
    for i, (doc_id, path) in enumerate(retrieved[:k]):
        new = [j for j, g in enumerate(gold) if j not in covered and pair_matches(doc_id, path, g)]
        if new:
            covered.update(new)
            dcg += 1.0 / math.log2(i + 2)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(set(gold)), k)))
    return dcg / ideal


# --- citations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitedPassage:
    """The parts of a citation the metrics look at."""

    doc_id: str
    section_path: str
    quote: str = ""


def citation_supports(
    citation: CitedPassage,
    gold: Sequence[GoldPair],
    facts: Sequence[Sequence[str]],
    evidence: Sequence[str],
    min_overlap: float = 0.5,
) -> bool:
    """A citation is good when it is in a gold document and its section or its quote holds the
    evidence: section related to a gold path, or the quote has a key fact or overlaps evidence."""
    gold_docs = {d for d, _ in gold}
    if citation.doc_id not in gold_docs:
        return False
    if any(pair_matches(citation.doc_id, citation.section_path, g) for g in gold):
        return True
    if citation.quote and any(fact_present(citation.quote, variants) for variants in facts):
        return True
    return any(
        text_overlap(citation.quote, ev) >= min_overlap for ev in evidence if ev and citation.quote
    )


def citation_precision(
    citations: Sequence[CitedPassage],
    gold: Sequence[GoldPair],
    facts: Sequence[Sequence[str]],
    evidence: Sequence[str],
) -> float | None:
    """Share of citations that support the answer; None when there are no citations."""
    if not citations:
        return None
    good = sum(citation_supports(c, gold, facts, evidence) for c in citations)
    return good / len(citations)


def citation_recall(citations: Sequence[CitedPassage], gold: Sequence[GoldPair]) -> float | None:
    """Share of gold (doc, section) pairs covered by at least one citation; None without gold."""
    unique = list(dict.fromkeys(gold))
    if not unique:
        return None
    covered = sum(any(pair_matches(c.doc_id, c.section_path, g) for c in citations) for g in unique)
    return covered / len(unique)


# --- abstention and latency ------------------------------------------------------------------


@dataclass(frozen=True)
class AbstentionScores:
    precision: float | None  # of the abstentions, how many were right
    recall: float | None  # of the questions to abstain on, how many were abstained on
    false_abstention_rate: float | None  # abstentions among answerable questions
    true_positives: int
    false_positives: int
    false_negatives: int


def abstention_scores(
    should_abstain: Sequence[bool], abstained: Sequence[bool]
) -> AbstentionScores:
    """Positive class = should abstain (the corpus does not support an answer)."""
    if len(should_abstain) != len(abstained):
        raise ValueError("should_abstain and abstained differ in length")
    pairs = list(zip(should_abstain, abstained, strict=True))
    tp = sum(1 for s, a in pairs if s and a)
    fp = sum(1 for s, a in pairs if not s and a)
    fn = sum(1 for s, a in pairs if s and not a)
    answerable = sum(1 for s, _ in pairs if not s)
    return AbstentionScores(
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / (tp + fn) if tp + fn else None,
        false_abstention_rate=fp / answerable if answerable else None,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (as numpy's default); q in [0, 100]."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when there are none."""
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


# --- one question, then a group of questions -------------------------------------------------

RETRIEVAL_MISS = "retrieval miss"
WRONG_EXTRACTION = "wrong extraction"
FALSE_ABSTENTION = "false abstention"
MISSED_ABSTENTION = "missed abstention"
BAD_CITATION = "bad citation"


@dataclass(frozen=True)
class GoldAnswer:
    answerable: bool
    pairs: tuple[GoldPair, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prediction:
    answer: str
    abstained: bool
    citations: tuple[CitedPassage, ...] = ()
    retrieved: tuple[tuple[str, str], ...] = ()  # top-10 (doc_id, section_path) in rank order
    latency_ms: float = 0.0


@dataclass(frozen=True)
class QuestionScore:
    correct: bool  # answerable: not abstained and all facts present; else: abstained
    facts_ok: bool
    rank: int | None  # first relevant retrieved rank (1-based, within 10)
    hits: dict[int, float] = field(default_factory=dict)  # k → 0/1
    rr: float = 0.0
    ndcg: float = 0.0
    citation_precision: float | None = None
    citation_recall: float | None = None
    failure: str | None = None


HIT_KS = (1, 3, 5, 10)


def score_question(gold: GoldAnswer, pred: Prediction) -> QuestionScore:
    """Score one answer against its gold record and name the first reason it failed."""
    if not gold.answerable:
        correct = pred.abstained
        return QuestionScore(
            correct=correct,
            facts_ok=correct,
            rank=None,
            failure=None if correct else MISSED_ABSTENTION,
        )
    flags = relevance_flags(pred.retrieved, gold.pairs)
    rank = first_relevant_rank(flags, 10)
    facts_ok = not pred.abstained and facts_present(pred.answer, gold.facts)
    citations = () if pred.abstained else pred.citations
    precision = citation_precision(citations, gold.pairs, gold.facts, gold.evidence)
    recall = citation_recall(citations, gold.pairs)
    if pred.abstained:
        failure: str | None = FALSE_ABSTENTION
    elif not facts_ok:
        failure = RETRIEVAL_MISS if rank is None else WRONG_EXTRACTION
    elif not precision:
        failure = BAD_CITATION  # right facts, but no citation holds the evidence
    else:
        failure = None
    return QuestionScore(
        correct=facts_ok,
        facts_ok=facts_ok,
        rank=rank,
        hits={k: hit_at_k(flags, k) for k in HIT_KS},
        rr=reciprocal_rank(flags, 10),
        ndcg=ndcg_at_k(pred.retrieved, gold.pairs, 10),
        citation_precision=precision,
        citation_recall=recall,
        failure=failure,
    )


def summarize(
    golds: Sequence[GoldAnswer], preds: Sequence[Prediction], scores: Sequence[QuestionScore]
) -> dict[str, float | int | None]:
    """Aggregate metrics over a group of questions (overall, one kind, one document...).

    Retrieval and citation metrics are means over answerable questions; accuracy is over all.
    """
    answerable = [i for i, g in enumerate(golds) if g.answerable]
    abst = abstention_scores([not g.answerable for g in golds], [p.abstained for p in preds])
    latencies = [p.latency_ms for p in preds]
    out: dict[str, float | int | None] = {
        "questions": len(golds),
        "answerable": len(answerable),
        "accuracy": mean(1.0 if s.correct else 0.0 for s in scores),
        "answer_accuracy": mean(1.0 if scores[i].correct else 0.0 for i in answerable),
        # right facts and at least one citation that holds the evidence (not a lucky quote
        # from another plan)
        "grounded_accuracy": mean(
            1.0 if scores[i].correct and scores[i].citation_precision else 0.0 for i in answerable
        ),
    }
    for k in HIT_KS:
        out[f"hit@{k}"] = mean(scores[i].hits.get(k, 0.0) for i in answerable)
    out["mrr@10"] = mean(scores[i].rr for i in answerable)
    out["ndcg@10"] = mean(scores[i].ndcg for i in answerable)
    out["citation_precision"] = mean(scores[i].citation_precision for i in answerable)
    out["citation_recall"] = mean(scores[i].citation_recall for i in answerable)
    out["abstention_precision"] = abst.precision
    out["abstention_recall"] = abst.recall
    out["false_abstention_rate"] = abst.false_abstention_rate
    out["latency_p50_ms"] = percentile(latencies, 50)
    out["latency_p95_ms"] = percentile(latencies, 95)
    return out


__all__ = [
    "AbstentionScores",
    "CitedPassage",
    "GoldAnswer",
    "GoldPair",
    "Prediction",
    "QuestionScore",
    "HIT_KS",
    "RETRIEVAL_MISS",
    "WRONG_EXTRACTION",
    "WORD_PATTERN",
    "FALSE_ABSTENTION",
    "MISSED_ABSTENTION",
    "BAD_CITATION",
    "abstention_scores",
    "citation_precision",
    "citation_recall",
    "citation_supports",
    "contains_phrase",
    "fact_present",
    "facts_present",
    "first_relevant_rank",
    "hit_at_k",
    "mean",
    "ndcg_at_k",
    "normalize_for_match",
    "pair_matches",
    "paths_related",
    "percentile",
    "reciprocal_rank",
    "relevance_flags",
    "score_question",
    "summarize",
    "text_overlap",
]
