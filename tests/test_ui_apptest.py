"""Each page's logic through Streamlit's AppTest: with the API down (a readable Vietnamese
message, never an exception), and against a real `planqa serve` on the built index."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from servers import serving
from streamlit.testing.v1 import AppTest

from ingest.settings import Settings
from planqa.bench.servers import free_port
from ui.client import ApiError

REPO_ROOT = Path(__file__).resolve().parents[1]
APP = str(REPO_ROOT / "ui" / "app.py")
API_KEY = "ui-test-key"
RUN_TIMEOUT_S = 120.0  # the first question loads the embedder
DOWN_MESSAGE = "Không kết nối được máy chủ PlanQA"
HAI_DUONG_PLAN = "003_b39ee1c3d8cc53e2"
# 003 II.2.a.-5.+5: "Đẩy mạnh hoạt động tuyên truyền phòng, chống mua bán người, ... (Sở Tư pháp
# chủ trì, phối hợp các sở, ngành, địa phương thực hiện)."
QUESTION = "Ai chủ trì tuyên truyền phòng, chống mua bán người trong hoạt động trợ giúp pháp lý?"


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows (markdown, captions, alerts), to look for tracebacks."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "title", "subheader")
    return [str(element.value) for kind in kinds for element in at.get(kind)]


def _open(page: str | None, api_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PLANQA_API_URL", api_url)
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S).run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    return at


def _assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Traceback" in text for text in _texts(at))


# --- API down ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [None, "thoi_han", "trach_nhiem", "van_ban"])
def test_pages_say_in_vietnamese_that_the_api_is_down(
    page: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(page, f"http://127.0.0.1:{free_port()}", monkeypatch)
    _assert_clean(at)
    errors = [e.value for e in at.error]
    assert errors and DOWN_MESSAGE in errors[0]
    assert "127.0.0.1" in errors[0]


def test_asking_while_the_api_is_down_shows_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(None, f"http://127.0.0.1:{free_port()}", monkeypatch)
    at.chat_input[0].set_value("Ai chủ trì?").run()
    _assert_clean(at)
    assert sum(DOWN_MESSAGE in e.value for e in at.error) >= 2  # documents list and the answer
    assert at.session_state["chat_history"][0]["question"] == "Ai chủ trì?"


def test_evaluation_page_without_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.evaluation.REPORTS_DIR", tmp_path)
    at = _open("danh_gia", f"http://127.0.0.1:{free_port()}", monkeypatch)
    _assert_clean(at)
    assert "Chưa có báo cáo đánh giá nào" in at.info[0].value


# --- a real API ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live_api(built_index: Settings) -> Iterator[str]:
    """`planqa serve` on a free loopback port over the built index (writes need API_KEY)."""
    with serving(built_index, api_key=API_KEY) as process:
        yield process.base_url


@pytest.fixture(scope="module")
def documents(live_api: str) -> dict[str, dict]:
    return {d["doc_id"]: d for d in httpx.get(f"{live_api}/documents").json()["documents"]}


def _citation_titles(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**[")]


@pytest.mark.slow
def test_chat_answers_with_citation_cards_and_opens_the_section(
    live_api: str, documents: dict[str, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(None, live_api, monkeypatch)
    at.chat_input[0].set_value(QUESTION).run()
    _assert_clean(at)
    assert not at.error
    answer = at.session_state["chat_history"][0]["answer"]
    assert not answer["abstained"] and "Sở Tư pháp" in answer["answer"]
    shown = [m.value for m in at.markdown]
    assert answer["answer"] in shown
    first = answer["citations"][0]
    assert _citation_titles(at)[0] == f"**[1] {first['doc_title']}**"
    assert any(c.value.startswith(f"Mục {first['section_path']}") for c in at.caption)
    assert any("<mark" in text and first["quote"][:40] in text for text in shown)

    at.button(key="open_0_1").click().run()
    _assert_clean(at)
    section = next(m.value for m in at.markdown if "planqa-section" in m.value)
    assert "<mark" in section
    assert any(first["section_path"] in c.value for c in at.caption)

    # A follow-up is sent with the previous question; the page works whether or not the
    # server understands it yet.
    at.chat_input[0].set_value("còn Hải Dương thì sao?").run()
    _assert_clean(at)
    assert not at.error
    history = at.session_state["chat_history"]
    assert [turn["question"] for turn in history] == [QUESTION, "còn Hải Dương thì sao?"]
    assert "answer" in history[1]
    assert at.session_state["api_client"].follow_up_supported in (True, False)  # it was sent


@pytest.mark.slow
def test_client_reaches_sections_whose_paths_need_escaping(live_api: str) -> None:
    from ui.client import ApiClient
    from ui.render import flatten_sections

    client = ApiClient(live_api)
    detail = client.document("001_9b6bcd664ed356bd")  # a Quyết định followed by its Kế hoạch
    paths = [node["path"] for _, node in flatten_sections(detail["sections"])]
    wanted = [
        next(p for p in paths if p.startswith("Điều")),  # non-ASCII
        max((p for p in paths if p.startswith("KH.")), key=lambda p: p.count(".")),  # 2nd doc
        next(p for p in paths if p.endswith(".đ")),  # "đ)" item
    ]
    for path in wanted:
        section = client.section("001_9b6bcd664ed356bd", path)
        assert section["path"] == path
        assert section["subtree_text"].strip()
    with pytest.raises(ApiError) as missing:
        client.section("001_9b6bcd664ed356bd", "IX.99")
    assert missing.value.status == 404 and missing.value.message
    client.close()


@pytest.mark.slow
def test_chat_says_clearly_when_the_documents_do_not_say(
    live_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(None, live_api, monkeypatch)
    at.chat_input[0].set_value("Giá vàng SJC hôm nay là bao nhiêu?").run()
    _assert_clean(at)
    assert at.session_state["chat_history"][0]["answer"]["abstained"]
    assert "không nêu" in at.info[0].value
    assert not _citation_titles(at)


@pytest.mark.slow
def test_chat_filters_by_province_and_shows_api_errors(
    live_api: str, documents: dict[str, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(None, live_api, monkeypatch)
    assert set(at.selectbox(key="f_province").options) >= {"(tất cả)", "Hải Dương", "Đồng Tháp"}
    at.selectbox(key="f_province").select("Hải Dương").run()
    at.chat_input[0].set_value("Ai chủ trì công tác phòng ngừa xã hội?").run()
    _assert_clean(at)
    answer = at.session_state["chat_history"][0]["answer"]
    assert answer["citations"]
    assert {c["doc_id"] for c in answer["citations"]} == {HAI_DUONG_PLAN}

    at.chat_input[0].set_value("hạn " * 1200).run()  # above the API's question length limit
    _assert_clean(at)
    assert any("422" in e.value and "câu hỏi" in e.value for e in at.error)


@pytest.mark.slow
def test_deadline_table_filters(
    live_api: str, documents: dict[str, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open("thoi_han", live_api, monkeypatch)
    _assert_clean(at)
    all_rows = at.dataframe[0].value
    timed = [t for t in httpx.get(f"{live_api}/tasks").json()["tasks"] if t["time"]]
    assert len(all_rows) == len(timed) > 0
    assert at.metric[0].value == str(len(timed))

    at.selectbox(key="dl_doc").select(HAI_DUONG_PLAN).run()
    rows = at.dataframe[0].value
    assert 0 < len(rows) < len(all_rows)
    assert set(rows["Văn bản"]) == {documents[HAI_DUONG_PLAN]["title"]}

    at.selectbox(key="dl_doc").select("").run()
    at.multiselect(key="dl_status").select("Quá hạn").run()
    rows = at.dataframe[0].value
    assert len(rows) > 0 and set(rows["Trạng thái"]) == {"Quá hạn"}
    assert all(due < date.today() for due in rows["Hạn"])
    assert at.metric[2].value == str(len(rows))

    at.multiselect(key="dl_status").unselect("Quá hạn").run()
    at.toggle(key="dl_use_range").set_value(True).run()
    at.date_input(key="dl_from").set_value(date(2026, 1, 1)).run()
    at.date_input(key="dl_to").set_value(date(2026, 6, 30)).run()
    _assert_clean(at)
    rows = at.dataframe[0].value
    assert len(rows) > 0
    assert all(date(2026, 1, 1) <= due <= date(2026, 6, 30) for due in rows["Hạn"])
    assert at.get("download_button"), "CSV export button"


@pytest.mark.slow
def test_responsibilities_of_an_agency(live_api: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open("trach_nhiem", live_api, monkeypatch)
    _assert_clean(at)
    agency = "Sở Tư pháp"
    assert agency in at.selectbox(key="resp_agency").options
    at.selectbox(key="resp_agency").select(agency).run()
    _assert_clean(at)
    tasks = httpx.get(f"{live_api}/tasks", params={"agency": agency}).json()["tasks"]
    leads = [t for t in tasks if agency in t["lead"]]
    assert leads
    assert at.metric[0].value == str(len(leads))
    assert at.subheader[0].value == f"Chủ trì ({len(leads)})"
    first_button = next(b for b in at.button if b.label == "Xem nguyên văn")
    first_button.click().run()
    _assert_clean(at)
    assert any("planqa-section" in m.value and "<mark" in m.value for m in at.markdown)


@pytest.mark.slow
def test_documents_metadata_section_tree_and_refused_writes(
    live_api: str, documents: dict[str, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open("van_ban", live_api, monkeypatch)
    _assert_clean(at)
    table = at.dataframe[0].value
    assert set(table["Mã"]) == set(documents)
    at.selectbox(key="vb_doc").select(HAI_DUONG_PLAN).run()
    _assert_clean(at)
    assert at.markdown.values.count(f"#### {documents[HAI_DUONG_PLAN]['title']}") == 1
    sections = at.selectbox(key="vb_section")
    shown = [option.strip() for option in sections.options]  # indented by depth
    assert any(option.startswith("Mục II.2.a — ") for option in shown)
    assert any(option.startswith("Phần mở đầu") for option in shown)
    sections.select("II.2.a").run()
    _assert_clean(at)
    text = next(m.value for m in at.markdown if "planqa-section" in m.value)
    assert "phòng ngừa xã hội" in text.lower()

    at.text_input(key="vb_key").input("sai-khoa").run()
    at.selectbox(key="vb_del").select(HAI_DUONG_PLAN).run()
    at.button(key="vb_del_btn").click().run()
    _assert_clean(at)
    assert any("Không có quyền" in e.value for e in at.error)
    still = httpx.get(f"{live_api}/documents").json()["documents"]
    assert HAI_DUONG_PLAN in {d["doc_id"] for d in still}


@pytest.mark.slow
def test_documents_page_follows_a_section_link(
    live_api: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANQA_API_URL", live_api)
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at.query_params["doc"] = HAI_DUONG_PLAN
    at.query_params["muc"] = "II.2.a"
    at.run()
    at.switch_page("views/van_ban.py").run()
    _assert_clean(at)
    assert at.selectbox(key="vb_doc").value == HAI_DUONG_PLAN
    assert at.selectbox(key="vb_section").value == "II.2.a"


@pytest.mark.slow
def test_evaluation_run_started_from_the_page(
    built_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ui.evaluation.REPORTS_DIR", tmp_path)
    monkeypatch.setenv("PLANQA_DATA_DIR", str(built_index.data_dir))  # the child's index
    monkeypatch.setenv("PLANQA_CORPUS_DIR", str(built_index.corpus_dir))
    at = _open("danh_gia", f"http://127.0.0.1:{free_port()}", monkeypatch)
    at.number_input(key="dg_limit").set_value(2)
    at.text_input(key="dg_configs").input("lexical")
    at.button(key="dg_start").click().run()
    _assert_clean(at)
    deadline = time.monotonic() + 90
    while "eval_run" in at.session_state:
        assert time.monotonic() < deadline, "evaluation run did not finish in time"
        assert at.get("progress"), "progress bar while running"
        time.sleep(1)
        at.run()
    _assert_clean(at)
    assert not at.error, [e.value for e in at.error] + [c.value for c in at.code]
    assert "Đánh giá đã xong" in at.success[0].value
    assert len(list(tmp_path.glob("ui-*/*.png"))) == 2
    assert len(at.get("image")) == 2  # the run's plots
    rows = at.dataframe[0].value
    assert list(rows["Cấu hình"]) == ["lexical"]
