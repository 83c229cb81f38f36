"""A versioned index: `data/index/<version>/` holds `planqa.sqlite` (records + FTS5),
`chroma/` (vectors) and `manifest.json`; `data/index/CURRENT` names the live version.

Readers use `open_index(settings)`; writers are in `ingest.pipeline`.
"""

from ingest.index.reader import INDEX_MISSING_MESSAGE, IndexVersionReader, open_index

__all__ = ["INDEX_MISSING_MESSAGE", "IndexVersionReader", "open_index"]
