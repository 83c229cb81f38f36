"""Per-session objects the pages share: the API client (built from PLANQA_API_URL) and the
one way errors are shown."""

from __future__ import annotations

import streamlit as st

from ingest.settings import Settings
from ui.client import ApiClient, ApiError

__all__ = ["api", "api_url", "show_error"]


def api_url() -> str:
    """PLANQA_API_URL (or `.env`), read when the session starts."""
    if "api_url" not in st.session_state:
        st.session_state["api_url"] = Settings().api_url
    return st.session_state["api_url"]


def api() -> ApiClient:
    if "api_client" not in st.session_state:
        st.session_state["api_client"] = ApiClient(api_url())
    return st.session_state["api_client"]


def show_error(error: ApiError) -> None:
    """One readable message for the officer; never a traceback."""
    if error.status == 0:
        st.error(error.message, icon=":material/cloud_off:")
    elif error.status == 404:
        st.warning(f"Không tìm thấy: {error.message}")
    elif error.status in (401, 403):
        st.error(f"Không có quyền: {error.message}")
    elif error.status == 503:
        st.warning(f"Máy chủ chưa sẵn sàng: {error.message}")
    elif error.status >= 500:
        st.error(f"Lỗi máy chủ ({error.status}): {error.message}")
    else:
        st.error(f"Yêu cầu bị từ chối ({error.status}): {error.message}")
