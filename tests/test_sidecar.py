import json
from pathlib import Path

import pytest

from ingest.errors import BadDocument
from ingest.parse import parse_path
from ingest.sidecar import apply_sidecar, read_sidecar
from ingest.types import DocumentMeta

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def test_corpus_sidecar_supplies_004_province_with_its_provenance():
    meta = parse_path(CORPUS / "004_836614bf9213366e.txt").document.meta
    assert meta.province == "Quảng Ngãi"
    assert meta.issuer == "Ban Thường vụ Tỉnh ủy Quảng Ngãi"
    assert "004_836614bf9213366e.meta.json" in meta.title_note
    assert "province" in meta.title_note


def test_document_without_sidecar_is_unchanged():
    meta = parse_path(CORPUS / "003_b39ee1c3d8cc53e2.txt").document.meta
    assert meta.province == "Hải Dương"
    assert "meta.json" not in meta.title_note


def test_apply_sidecar_keeps_an_explicit_issuer():
    meta = DocumentMeta(doc_id="x", title="t", issuer="Ban Thường vụ Tỉnh ủy")
    out = apply_sidecar(meta, {"province": "Huế", "issuer": "Tỉnh ủy Huế"})
    assert (out.province, out.issuer) == ("Huế", "Tỉnh ủy Huế")


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "JSON hợp lệ"), ("[1, 2]", "đối tượng JSON"), ('{"secret": 1}', "secret")],
)
def test_broken_sidecar_is_refused_with_a_message(tmp_path, content, message):
    (tmp_path / "plan.txt").write_text("KẾ HOẠCH\n", encoding="utf-8")
    (tmp_path / "plan.meta.json").write_text(content, encoding="utf-8")
    with pytest.raises(BadDocument) as info:
        read_sidecar(tmp_path / "plan.txt")
    assert message in info.value.message


def test_sidecar_values_are_read(tmp_path):
    (tmp_path / "plan.meta.json").write_text(json.dumps({"year": 2025}), encoding="utf-8")
    assert read_sidecar(tmp_path / "plan.txt") == {"year": 2025}
