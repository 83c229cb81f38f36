"""Đánh giá: the latest evaluation report with its plots; start a run and follow it."""

from __future__ import annotations

import streamlit as st

from ui.evaluation import EvalRun, list_runs, metrics_rows, start_run
from ui.render import strip_images

POLL_S = 2.0

st.title("Đánh giá độ chính xác")
st.caption(
    "Kết quả chạy bộ câu hỏi đánh giá (`planqa eval`): độ chính xác câu trả lời, trích dẫn, "
    "khả năng từ chối khi văn bản không nêu, và thời gian trả lời."
)


@st.fragment(run_every=POLL_S)
def follow(run: EvalRun) -> None:
    """Progress of a run started from this page, refreshed every few seconds."""
    progress = run.progress()
    total, done = int(progress.get("total") or 0), int(progress.get("done") or 0)
    code = run.exit_code
    if code is None:
        stage = progress.get("config") or "chuẩn bị"
        label = f"Đang chạy đánh giá — {stage}: {done}/{total or '?'} lượt hỏi"
        if progress.get("finished"):
            label = "Đang viết báo cáo…"
        st.progress(min(done / total, 1.0) if total else 0.0, text=label)
        return
    del st.session_state["eval_run"]
    if code == 0 and (run.folder / "report.json").exists():
        st.session_state["eval_notice"] = f"Đánh giá đã xong: báo cáo {run.folder.name}."
    else:
        st.session_state["eval_failure"] = (
            f"Lần chạy đánh giá dừng với mã {code}. Nhật ký: {run.folder / 'log.txt'}",
            run.log_tail(),
        )
    st.rerun()


if notice := st.session_state.pop("eval_notice", None):
    st.success(notice)
if failure := st.session_state.pop("eval_failure", None):
    message, log = failure
    st.error(message)
    if log:
        st.code(log, language=None)

running: EvalRun | None = st.session_state.get("eval_run")
with st.expander("Chạy đánh giá mới", expanded=running is not None):
    col_limit, col_configs = st.columns(2)
    limit = col_limit.number_input(
        "Số câu hỏi (0 = tất cả)", min_value=0, value=20, step=10, key="dg_limit"
    )
    configs = col_configs.text_input(
        "Cấu hình", value="hybrid", help="ví dụ: hybrid,lexical,dense,naive", key="dg_configs"
    )
    if st.button("Bắt đầu", disabled=running is not None, key="dg_start"):
        st.session_state["eval_run"] = start_run(int(limit) or None, configs)
        st.rerun()
    if running is not None:
        follow(running)

runs = list_runs()
if not runs:
    st.info("Chưa có báo cáo đánh giá nào. Hãy chạy `planqa eval` hoặc bấm «Bắt đầu» ở trên.")
    st.stop()

names = [run.name for run in runs]
chosen = st.selectbox("Báo cáo", names, key="dg_run", help="Mới nhất ở đầu danh sách.")
report = runs[names.index(chosen)]
summary = report.summary()
if summary:
    dataset = summary.get("dataset") or {}
    wall = summary.get("wall_time_s")
    st.caption(
        f"{summary.get('created', '')} · `{summary.get('command') or 'planqa eval'}` · "
        f"{dataset.get('questions', '?')} câu hỏi"
        + (f" · chạy trong {wall:.0f} s" if isinstance(wall, int | float) else "")
    )
    rows = metrics_rows(summary)
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
for plot in report.plots:
    st.image(str(plot), caption=plot.stem, width="stretch")
with st.expander("Báo cáo đầy đủ", expanded=False):
    st.markdown(strip_images(report.markdown))
