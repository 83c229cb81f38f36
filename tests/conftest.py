"""Shared fixtures. `built_index` ingests the real corpus once per test session (slow: the real
parser and the real embedder) so retriever, service and eval tests can read a real index."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = REPO_ROOT / "data" / "corpus"


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data dir holds a complete index of the real corpus (read it, don't write)."""
    from ingest.pipeline import ingest

    data_dir = tmp_path_factory.mktemp("built_index")
    settings = Settings(data_dir=data_dir, corpus_dir=CORPUS_DIR)
    report = ingest(settings, progress=False)
    assert not report.refused, report.refused
    return settings
