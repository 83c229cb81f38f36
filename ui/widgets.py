"""Streamlit pieces several pages share: the citation card and the «Xem nguyên văn» dialog."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.client import ApiError
from ui.render import citation_location, highlight, quote_html, section_label
from ui.state import api, show_error

__all__ = ["citation_card", "section_view", "show_section"]


def section_view(doc_id: str, section_path: str, quote: str = "") -> None:
    """The whole section (its subtree, as read) with `quote` highlighted."""
    try:
        section = api().section(doc_id, section_path)
    except ApiError as error:
        show_error(error)
        return
    trail = [ref.get("title") or ref["path"] for ref in section["breadcrumb"]]
    st.markdown(f"**{section['doc_title'] or doc_id}**")
    st.caption(" › ".join([*trail, section_label(section["path"], section["title"])]))
    text = section.get("subtree_text") or section.get("text") or ""
    st.markdown(
        f'<div class="planqa-section" style="line-height:1.6">{highlight(text, quote)}</div>',
        unsafe_allow_html=True,
    )


@st.dialog("Nguyên văn", width="large")
def show_section(doc_id: str, section_path: str, quote: str = "") -> None:
    section_view(doc_id, section_path, quote)


def citation_card(citation: dict[str, Any], number: int, key: str) -> None:
    """Document title, section path and title, the quote highlighted, and the way to the
    whole section."""
    document, location = citation_location(citation)
    with st.container(border=True):
        st.markdown(f"**[{number}] {document}**")
        st.caption(location)
        quote = citation.get("quote") or ""
        if quote:
            st.markdown(quote_html(quote), unsafe_allow_html=True)
        if citation.get("section_path") and st.button("Xem nguyên văn", key=key):
            show_section(citation["doc_id"], citation["section_path"], quote)
