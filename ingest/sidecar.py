"""Catalogue metadata supplied beside a plan when its text lacks it.

A file `<stem>.meta.json` next to `<stem>.txt` (or .docx, .pdf) may set header fields the text
does not state — 004 never names its province, for example. Every value set this way is named
in `title_note`, so the provenance stays visible to whoever reads the metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.errors import BadDocument
from ingest.types import DocumentMeta

SIDECAR_SUFFIX = ".meta.json"
EDITABLE_FIELDS = ("title", "doc_type", "number", "issuer", "province", "place", "year", "signer")


def sidecar_path(document_path: Path) -> Path:
    return document_path.with_name(document_path.stem + SIDECAR_SUFFIX)


def read_sidecar(document_path: Path) -> dict[str, Any]:
    """The overrides for a document, {} when there is no sidecar. Raises BadDocument if broken."""
    path = sidecar_path(document_path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadDocument(
            f"Tệp siêu dữ liệu '{path.name}' không đọc được (cần JSON hợp lệ).", str(exc)
        ) from exc
    if not isinstance(data, dict):
        raise BadDocument(f"Tệp siêu dữ liệu '{path.name}' phải là một đối tượng JSON.")
    unknown = sorted(set(data) - set(EDITABLE_FIELDS) - {"source"})
    if unknown:
        raise BadDocument(
            f"Tệp siêu dữ liệu '{path.name}' có trường không hỗ trợ: {', '.join(unknown)}."
        )
    return data


def apply_sidecar(meta: DocumentMeta, overrides: dict[str, Any]) -> DocumentMeta:
    """Fill header fields from the sidecar; an issuer ending in "tỉnh"/"Tỉnh ủy" gets the
    province appended, as the header parser does when the text names it."""
    values = {key: overrides[key] for key in EDITABLE_FIELDS if key in overrides}
    if not values:
        return meta
    issuer = values.get("issuer", meta.issuer)
    province = values.get("province", meta.province)
    if province and "issuer" not in values and re.search(r"(?:tỉnh|Tỉnh ủy)$", issuer):
        values["issuer"] = f"{issuer} {province}"
    source = overrides.get("source", "catalogue metadata")
    note = f"from {sidecar_path(Path(meta.source_path or meta.doc_id)).name}: " + ", ".join(
        sorted(values)
    )
    note += f" ({source})"
    return replace(meta, **values, title_note="; ".join(x for x in (meta.title_note, note) if x))
