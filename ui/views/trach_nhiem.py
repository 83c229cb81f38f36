"""Trách nhiệm: pick an agency (aliases merged at ingest) and see what it leads and where it
cooperates, across every plan, each task linked to its section."""

from __future__ import annotations

import streamlit as st

from ui.client import ApiError
from ui.render import format_time, section_label
from ui.responsibilities import ROLES, agencies_in, by_document, roles_of
from ui.state import api, show_error
from ui.widgets import show_section

DOCUMENTS_PAGE = "views/van_ban.py"

st.title("Trách nhiệm theo cơ quan")
st.caption(
    "Chọn một cơ quan để xem các nhiệm vụ cơ quan đó chủ trì, phối hợp hoặc thực hiện trong mọi "
    "kế hoạch. Các cách viết khác nhau của cùng một cơ quan đã được gộp."
)

try:
    agencies = agencies_in(api().tasks())
except ApiError as error:
    show_error(error)
    st.stop()

if not agencies:
    st.info("Chưa có nhiệm vụ nào trong các văn bản đã lập chỉ mục.")
    st.stop()

agency = st.selectbox("Cơ quan", options=agencies, key="resp_agency")
try:
    # The API matches the name in any role and resolves aliases; grouping by role is ours.
    roles = roles_of(api().tasks(agency=agency), agency)
except ApiError as error:
    show_error(error)
    st.stop()

summary = st.columns(len(ROLES))
for column, (role, label) in zip(summary, ROLES, strict=True):
    column.metric(label, len(roles[role]))

for role, label in ROLES:
    tasks = roles[role]
    if not tasks and role in ("executing", "directing"):
        continue
    st.subheader(f"{label} ({len(tasks)})")
    if not tasks:
        st.caption("Không có nhiệm vụ nào.")
    for title, items in by_document(tasks):
        st.markdown(f"**{title}**")
        for task in items:
            path = task["section_path"]
            citation = task.get("citation") or {}
            with st.container(border=True):
                st.markdown(task.get("description") or citation.get("quote") or "")
                details = [section_label(path, citation.get("section_title", ""))]
                if task.get("time"):
                    details.append(f"Thời gian: {format_time(task['time'])}")
                for other, other_label in (("lead", "Chủ trì"), ("cooperating", "Phối hợp")):
                    if other != role and task.get(other):
                        details.append(f"{other_label}: " + "; ".join(task[other]))
                st.caption(" · ".join(details))
                left, right = st.columns([1, 3])
                if left.button("Xem nguyên văn", key=f"resp_{task['task_id']}"):
                    show_section(task["doc_id"], path, citation.get("quote", ""))
                right.page_link(
                    DOCUMENTS_PAGE,
                    label=f"Mở mục {path} trong «Văn bản»",
                    icon=":material/description:",
                    query_params={"doc": task["doc_id"], "muc": path},
                )
