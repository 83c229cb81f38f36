"""Helpers for tests that run real servers and real CLI processes on loopback: `planqa serve`,
`chroma run`, `planqa ingest`, and a writable copy of the session's built index (the
`built_index` fixture's folder is shared and read-only)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ingest.settings import Settings
from planqa.bench.servers import (
    REPO_ROOT,
    ServerProcess,
    chroma_server,
    free_port,
    planqa_command,
    planqa_env,
    planqa_server,
)

CLI_TIMEOUT_S = 300.0

__all__ = [
    "ServerProcess",
    "chroma_server",
    "free_port",
    "index_state",
    "planqa_cli",
    "planqa_server",
    "serving",
    "wait_for",
    "writable_copy",
]


def writable_copy(built: Settings, target: Path, docs: int | None = None) -> Settings:
    """A private data dir and corpus: the built index's embedding cache (so re-ingesting embeds
    nothing new) and its corpus files, optionally only the `docs` smallest. With `docs` the
    index is not copied (the caller ingests); otherwise the live index version is copied too."""
    data = target / "data"
    corpus = target / "corpus"
    corpus.mkdir(parents=True)
    from ingest.pipeline import corpus_files

    files = corpus_files(built.corpus_dir)
    if docs is not None:
        files = sorted(files, key=lambda p: p.stat().st_size)[:docs]
    for path in files:
        shutil.copy2(path, corpus / path.name)
        sidecar = path.with_name(f"{path.stem}.meta.json")  # optional metadata beside a file
        if sidecar.exists():
            shutil.copy2(sidecar, corpus / sidecar.name)
    (data / "cache").mkdir(parents=True)
    for name in ("embeddings.sqlite", "embeddings.sqlite-wal"):
        source = built.data_dir / "cache" / name
        if source.exists():
            shutil.copy2(source, data / "cache" / name)
    if docs is None:
        root = built.index_root
        live = (root / "CURRENT").read_text(encoding="utf-8").strip()
        (data / "index").mkdir()
        shutil.copytree(root / live, data / "index" / live)
        shutil.copy2(root / "CURRENT", data / "index" / "CURRENT")
    return built.model_copy(update={"data_dir": data, "corpus_dir": corpus, "chroma_url": None})


def planqa_cli(
    settings: Settings, *args: str, timeout_s: float = CLI_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    """Run `planqa ARGS` as a user would, with this settings object's folders."""
    return subprocess.run(
        planqa_command(*args),
        cwd=REPO_ROOT,
        env=planqa_env(
            settings.data_dir, settings.corpus_dir, settings.api_key, settings.chroma_url
        ),
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )


def index_state(settings: Settings) -> tuple[str, dict[str, int]]:
    """(CURRENT version, counts) of the live index, read fresh from disk."""
    from ingest.index import open_index

    current = (settings.index_root / "CURRENT").read_text(encoding="utf-8").strip()
    return current, dict(open_index(settings).stats())


@contextmanager
def serving(
    settings: Settings, api_key: str | None = None, workers: int | None = None
) -> Iterator[ServerProcess]:
    """A started `planqa serve` over `settings`' folders (`--workers` when given); always
    stopped afterwards."""
    server = planqa_server(
        settings.data_dir,
        settings.corpus_dir,
        api_key=api_key,
        chroma_url=settings.chroma_url,
        workers=workers,
    )
    try:
        yield server.start()
    finally:
        server.stop()
        server.cleanup()


def wait_for(predicate, timeout_s: float, interval_s: float = 0.05) -> bool:  # noqa: ANN001
    """Poll `predicate` until true or the time is up (a bounded wait)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return bool(predicate())


def health(base_url: str) -> dict:
    return httpx.get(base_url + "/healthz", timeout=30).json()
