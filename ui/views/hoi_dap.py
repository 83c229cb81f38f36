"""Hỏi đáp: chat with streamed answers, citations as cards, the whole section one click away."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.client import ApiError
from ui.render import NO_ANSWER_HINT, document_label
from ui.state import api, show_error
from ui.widgets import citation_card

ALL = "(tất cả)"
PLACEHOLDER = "Nhập câu hỏi, ví dụ: Ai chủ trì tuyên truyền phòng, chống mua bán người?"

st.title("Hỏi đáp về kế hoạch")
st.caption(
    "Hỏi bằng tiếng Việt, có dấu hoặc không dấu. Mỗi câu trả lời kèm trích dẫn văn bản và mục; "
    "có thể hỏi tiếp, ví dụ «còn Hải Dương thì sao?»."
)

history: list[dict[str, Any]] = st.session_state.setdefault("chat_history", [])

try:
    documents = api().documents()
except ApiError as error:
    show_error(error)
    documents = []

with st.sidebar:
    st.subheader("Bộ lọc")
    labels = {d["doc_id"]: document_label(d, 70) for d in documents}
    chosen_docs = st.multiselect(
        "Văn bản",
        options=list(labels),
        format_func=lambda d: labels.get(d, d),
        placeholder="(tất cả)",
        key="f_docs",
    )
    provinces = sorted({d["province"] for d in documents if d.get("province")})
    province = st.selectbox("Tỉnh", options=[ALL, *provinces], key="f_province")
    years = sorted({d["year"] for d in documents if d.get("year")}, reverse=True)
    year = st.selectbox("Năm", options=[ALL, *years], key="f_year")
    if st.button("Xóa hội thoại", key="clear_chat"):
        history.clear()

filters = {
    "doc_ids": chosen_docs,
    "province": None if province == ALL else province,
    "year": None if year == ALL else year,
}


def render_answer(turn: int, answer: dict[str, Any]) -> None:
    # Set by the API when it read a follow-up in the light of the previous question.
    if answer.get("resolved_question"):
        st.caption(f"Hiểu câu hỏi là: «{answer['resolved_question']}»")
    if answer.get("abstained"):
        st.info(answer.get("answer") or "Các văn bản hiện có không nêu thông tin này.")
        st.caption(NO_ANSWER_HINT)
        return
    st.markdown(answer.get("answer", ""))
    citations = answer.get("citations") or []
    if citations:
        st.markdown("**Trích dẫn**")
    for n, citation in enumerate(citations, start=1):
        citation_card(citation, n, key=f"open_{turn}_{n}")


def stream_answer(question: str, previous: str | None, streamed: Any) -> dict[str, Any]:
    """Show the answer in `streamed` (a placeholder) as it arrives; return the /ask payload."""
    answer: dict[str, Any] | None = None
    text = ""
    with st.status("Đang tìm trong các văn bản…", expanded=False) as status:
        for event in api().ask_stream(question, filters=filters, previous_question=previous):
            data = event.data if isinstance(event.data, dict) else {}
            if event.event == "status":
                status.update(label=data.get("message") or "Đang xử lý…")
            elif event.event == "delta":
                text += data.get("text", "")
                status.update(label="Đang soạn câu trả lời…")
                streamed.markdown(text + " ▌")
            elif event.event == "answer":
                answer = data
            elif event.event == "error":
                status.update(label="Không trả lời được", state="error")
                raise ApiError(
                    str(data.get("detail") or event.data), int(data.get("status") or 500)
                )
        if answer is None:
            raise ApiError("Máy chủ ngắt kết nối trước khi trả lời xong. Vui lòng hỏi lại.", 502)
        status.update(label="Đã tìm xong", state="complete")
    streamed.empty()
    return answer


for turn, item in enumerate(history):
    with st.chat_message("user"):
        st.markdown(item["question"])
    with st.chat_message("assistant"):
        if "error" in item:
            st.error(item["error"])
        else:
            render_answer(turn, item["answer"])

question = st.chat_input(PLACEHOLDER)
if question:
    answered = [item for item in history if "answer" in item]
    # A follow-up of a follow-up builds on what the server understood the last one to mean.
    previous = (
        (answered[-1]["answer"].get("resolved_question") or answered[-1]["question"])
        if answered
        else None
    )
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        streamed = st.empty()
        try:
            answer = stream_answer(question, previous, streamed)
        except ApiError as error:
            streamed.empty()
            show_error(error)
            history.append({"question": question, "error": error.message})
        else:
            history.append({"question": question, "answer": answer})
            render_answer(len(history) - 1, answer)
