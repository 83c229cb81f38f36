"""Văn bản: the indexed documents, their metadata and a browsable section tree; upload a new
plan (API key) and watch it being ingested; delete one."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import streamlit as st

from ui.client import ApiClient, ApiError
from ui.render import document_label, flatten_sections, section_label
from ui.state import api, show_error
from ui.widgets import section_view

POLL_S = 0.5

st.title("Văn bản")

try:
    documents = api().documents()
except ApiError as error:
    show_error(error)
    st.stop()

if notice := st.session_state.pop("vb_notice", None):
    st.success(notice)
# A choice made after the select box was drawn (upload, delete) is applied on the next run.
if "vb_pending_doc" in st.session_state:
    pending = st.session_state.pop("vb_pending_doc")
    if pending is None:
        st.session_state.pop("vb_doc", None)
    else:
        st.session_state["vb_doc"] = pending

st.dataframe(
    [
        {
            "Mã": d["doc_id"],
            "Loại": d.get("doc_type", ""),
            "Số hiệu": d.get("number", ""),
            "Cơ quan ban hành": d.get("issuer", ""),
            "Tỉnh": d.get("province", ""),
            "Ngày": d.get("date_text") or d.get("issued_date") or "",
            "Tiêu đề": d.get("title", ""),
        }
        for d in documents
    ],
    hide_index=True,
    width="stretch",
)

# A link from another page (?doc=…&muc=…) selects that document and section once.
query = (st.query_params.get("doc"), st.query_params.get("muc"))
ids = [d["doc_id"] for d in documents]
if query[0] in ids and st.session_state.get("vb_query") != query:
    st.session_state["vb_query"] = query
    st.session_state["vb_doc"] = query[0]
    if query[1]:
        st.session_state["vb_section"] = query[1]


def show_metadata(detail: dict[str, Any]) -> None:
    left, right = st.columns(2)
    left.markdown(
        f"**Loại:** {detail.get('doc_type') or '—'}  \n"
        f"**Số hiệu:** {detail.get('number') or '—'}  \n"
        f"**Cơ quan ban hành:** {detail.get('issuer') or '—'}  \n"
        f"**Tỉnh:** {detail.get('province') or '—'}"
    )
    right.markdown(
        f"**Địa danh, ngày:** {detail.get('place') or ''} {detail.get('date_text') or ''}  \n"
        f"**Người ký:** {detail.get('signer') or '—'}  \n"
        f"**Định dạng:** {detail.get('source_format') or '—'}  \n"
        f"**Mã:** `{detail['doc_id']}`"
    )
    if detail.get("recipients"):
        with st.expander("Nơi nhận"):
            st.markdown("\n".join(f"- {name}" for name in detail["recipients"]))


if documents:
    st.subheader("Xem văn bản")
    doc_id = st.selectbox(
        "Văn bản",
        options=ids,
        format_func=lambda d: document_label(next(x for x in documents if x["doc_id"] == d), 100),
        key="vb_doc",
    )
    try:
        detail = api().document(doc_id)
    except ApiError as error:
        show_error(error)
        st.stop()
    st.markdown(f"#### {detail.get('title') or doc_id}")
    show_metadata(detail)

    tree = list(flatten_sections(detail.get("sections") or []))
    paths = [node["path"] for _, node in tree]
    names = {
        node["path"]: "\u2003" * depth + section_label(node["path"], node.get("title", ""))
        for depth, node in tree
    }
    if st.session_state.get("vb_section") not in paths:
        st.session_state.pop("vb_section", None)
    st.markdown(f"**Cây mục lục** ({len(paths)} mục)")
    tree_col, text_col = st.columns([2, 3])
    with tree_col, st.container(height=480):
        st.markdown(
            "  \n".join(
                f"{'&emsp;' * depth}`{node['path']}` {node.get('title') or ''}"
                for depth, node in tree
            ),
            unsafe_allow_html=True,
        )
    with text_col:
        path = st.selectbox(
            "Mục", options=paths, format_func=lambda p: names.get(p, p), key="vb_section"
        )
        if path:
            with st.container(border=True, height=420):
                section_view(doc_id, path)


def watch_upload(client: ApiClient, file: Any, api_key: str, doc_id: str, replace: bool) -> None:
    """Send the file and show the ingest running until the API answers."""
    with st.status("Đang gửi tệp và lập chỉ mục…", expanded=True) as status:
        st.write(f"Tệp: {file.name} ({len(file.getvalue()) / 1024:.0f} KB)")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=1) as pool:
            job = pool.submit(
                client.upload, file.name, file.getvalue(), api_key, doc_id or None, replace
            )
            while not job.done():
                elapsed = time.monotonic() - started
                status.update(label=f"Đang đọc, tách mục, trích nhiệm vụ và nhúng… {elapsed:.0f} s")
                time.sleep(POLL_S)
        try:
            result = job.result()
        except ApiError as error:
            status.update(label="Không thêm được văn bản", state="error", expanded=False)
            failure = error
        else:
            failure = None
            status.update(label="Đã lập chỉ mục xong", state="complete")
    if failure is not None:  # outside the status box, so it stays visible
        show_error(failure)
        return
    st.session_state["vb_notice"] = (
        f"Đã thêm «{result.get('title') or result['doc_id']}» (mã {result['doc_id']}): "
        f"{result.get('sections', 0)} mục, {result.get('tasks', 0)} nhiệm vụ."
    )
    st.session_state["vb_pending_doc"] = result["doc_id"]
    st.rerun()


st.divider()
st.subheader("Thêm văn bản mới")
st.caption("Cần khóa API (PLANQA_API_KEY của máy chủ). Tệp được kiểm tra nội dung trước khi thêm.")
uploaded = st.file_uploader(
    "Tệp kế hoạch (.txt, .md, .docx, .pdf)", type=["txt", "md", "docx", "pdf"], key="vb_file"
)
col_key, col_id = st.columns(2)
api_key = col_key.text_input("Khóa API", type="password", key="vb_key")
new_id = col_id.text_input("Mã văn bản (để trống: theo tên tệp)", key="vb_new_id")
replace = st.checkbox("Thay thế văn bản cùng mã nếu đã có", key="vb_replace")
if st.button("Tải lên và lập chỉ mục", disabled=uploaded is None, key="vb_upload"):
    if not api_key:
        st.warning("Hãy nhập khóa API trước khi tải lên.")
    else:
        watch_upload(api(), uploaded, api_key, new_id.strip(), replace)

if documents:
    with st.expander("Xóa văn bản khỏi chỉ mục"):
        target = st.selectbox(
            "Văn bản cần xóa",
            ids,
            format_func=lambda d: (
                f"{d} — {document_label(next(x for x in documents if x['doc_id'] == d), 70)}"
            ),
            key="vb_del",
        )
        if st.button("Xóa", key="vb_del_btn"):
            if not api_key:
                st.warning("Hãy nhập khóa API (ô phía trên) trước khi xóa.")
            else:
                try:
                    api().delete(target, api_key)
                except ApiError as error:
                    show_error(error)
                else:
                    st.session_state["vb_notice"] = f"Đã xóa {target} khỏi chỉ mục."
                    st.session_state["vb_pending_doc"] = None
                    st.rerun()
