"""Thời hạn: every task with a deadline or recurrence, filters, CSV export and a timeline."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from ui.client import ApiError
from ui.deadlines import (
    STATUS_OVERDUE,
    STATUS_UPCOMING,
    STATUSES,
    UPCOMING_DAYS,
    agency_options,
    filter_frame,
    status_counts,
    tasks_frame,
    to_csv,
)
from ui.render import document_label
from ui.state import api, show_error
from ui.widgets import show_section

ALL = ""
STATUS_COLORS = ["#dc2626", "#f59e0b", "#16a34a", "#2563eb", "#7c3aed", "#6b7280"]

st.title("Thời hạn thực hiện")
today = date.today()
st.caption(
    f"Các nhiệm vụ có thời hạn hoặc định kỳ trong mọi kế hoạch. "
    f"Trạng thái tính theo ngày hôm nay: {today:%d/%m/%Y}."
)

try:
    documents = api().documents()
    all_tasks = api().tasks()
except ApiError as error:
    show_error(error)
    st.stop()

titles = {d["doc_id"]: document_label(d, 80) for d in documents}
col_agency, col_doc = st.columns(2)
agency = col_agency.selectbox(
    "Cơ quan (chủ trì, phối hợp, thực hiện)",
    options=[ALL, *agency_options(all_tasks)],
    format_func=lambda a: a or "(tất cả)",
    key="dl_agency",
)
doc_id = col_doc.selectbox(
    "Văn bản",
    options=[ALL, *titles],
    format_func=lambda d: titles.get(d, "(tất cả)"),
    key="dl_doc",
)
col_status, col_range = st.columns(2)
statuses = col_status.multiselect(
    "Trạng thái", options=STATUSES, placeholder="(tất cả)", key="dl_status"
)
use_range = col_range.toggle("Lọc theo khoảng ngày (hạn)", key="dl_use_range")
date_from = date_to = None
if use_range:
    col_from, col_to = st.columns(2)
    date_from = col_from.date_input(
        "Từ ngày", value=date(today.year, 1, 1), format="DD/MM/YYYY", key="dl_from"
    )
    date_to = col_to.date_input(
        "Đến ngày", value=date(today.year, 12, 31), format="DD/MM/YYYY", key="dl_to"
    )

if agency or doc_id or use_range:
    try:
        tasks = api().tasks(
            agency=agency or None, doc_id=doc_id or None, due_after=date_from, due_before=date_to
        )
    except ApiError as error:
        show_error(error)
        st.stop()
else:
    tasks = all_tasks

frame = filter_frame(tasks_frame(tasks, today), statuses)
counts = status_counts(frame)
m1, m2, m3 = st.columns(3)
m1.metric("Nhiệm vụ có thời gian", len(frame))
m2.metric(f"Sắp đến hạn ({UPCOMING_DAYS} ngày tới)", counts[STATUS_UPCOMING])
m3.metric("Quá hạn", counts[STATUS_OVERDUE])

if frame.empty:
    st.info("Không có nhiệm vụ nào khớp bộ lọc.")
    st.stop()

visible = frame.drop(columns=["doc_id", "section_path", "quote"])
event = st.dataframe(
    visible,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="dl_table",
    column_config={
        "Hạn": st.column_config.DateColumn("Hạn", format="DD/MM/YYYY"),
        "Bắt đầu": st.column_config.DateColumn("Bắt đầu", format="DD/MM/YYYY"),
        "Nhiệm vụ": st.column_config.TextColumn("Nhiệm vụ", width="large"),
    },
)
st.caption("Chọn một dòng để xem nguyên văn mục của nhiệm vụ.")
st.download_button(
    "Tải CSV",
    data=to_csv(frame),
    file_name=f"thoi-han-{today:%Y%m%d}.csv",
    mime="text/csv",
    key="dl_csv",
    icon=":material/download:",
)
selected = event.selection.rows if event and event.selection else []
if selected:
    row = frame.iloc[selected[0]]
    if st.button(f"Xem nguyên văn: {row['Mục']}", key="dl_open"):
        show_section(row["doc_id"], row["section_path"], row["quote"])

dated = frame[frame["Hạn"].notna()].copy()
if not dated.empty:
    st.subheader("Dòng thời gian")
    dated["Hạn"] = pd.to_datetime(dated["Hạn"])
    dated["Bắt đầu"] = pd.to_datetime(dated["Bắt đầu"]).fillna(dated["Hạn"])
    color = alt.Color(
        "Trạng thái:N", scale=alt.Scale(domain=STATUSES, range=STATUS_COLORS), title="Trạng thái"
    )
    tooltip = ["Nhiệm vụ", "Chủ trì", "Thời gian (nguyên văn)", "Mục"]
    y = alt.Y("Văn bản:N", title=None, axis=alt.Axis(labelLimit=260))
    spans = (
        alt.Chart(dated)
        .mark_bar(opacity=0.35, height=10)
        .encode(x=alt.X("Bắt đầu:T", title="Thời gian"), x2="Hạn:T", y=y, color=color)
    )
    points = (
        alt.Chart(dated).mark_circle(size=110).encode(x="Hạn:T", y=y, color=color, tooltip=tooltip)
    )
    today_rule = (
        alt.Chart(pd.DataFrame({"Hôm nay": [pd.Timestamp(today)]}))
        .mark_rule(color="#dc2626", strokeDash=[4, 4])
        .encode(x="Hôm nay:T")
    )
    st.altair_chart(spans + points + today_rule, width="stretch")
