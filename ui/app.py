"""Streamlit entry point: `planqa ui` runs `streamlit run ui/app.py`. Vietnamese throughout.

Icons are Material Symbols (bundled with Streamlit): emoji need a system emoji font that
servers and CI browsers often lack."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

VIEWS = Path(__file__).parent / "views"

st.set_page_config(
    page_title="PlanQA — Hỏi đáp kế hoạch", page_icon=":material/description:", layout="wide"
)

navigation = st.navigation(
    [
        st.Page(
            VIEWS / "hoi_dap.py",
            title="Hỏi đáp",
            icon=":material/forum:",
            url_path="hoi-dap",
            default=True,
        ),
        st.Page(
            VIEWS / "thoi_han.py", title="Thời hạn", icon=":material/event:", url_path="thoi-han"
        ),
        st.Page(
            VIEWS / "trach_nhiem.py",
            title="Trách nhiệm",
            icon=":material/account_balance:",
            url_path="trach-nhiem",
        ),
        st.Page(
            VIEWS / "van_ban.py", title="Văn bản", icon=":material/description:", url_path="van-ban"
        ),
        st.Page(
            VIEWS / "danh_gia.py",
            title="Đánh giá",
            icon=":material/analytics:",
            url_path="danh-gia",
        ),
    ]
)
with st.sidebar:
    st.caption("PlanQA · hỏi đáp có trích dẫn trên các kế hoạch của cơ quan nhà nước")
navigation.run()
