"""The generative answerer's logic with LangChain's fake chat models (the only fake: no LLM
runs here). Retrieval, gating and the extractive fallback are real, on the real index."""

import pytest
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage

from ingest.errors import ConfigError
from ingest.settings import Settings
from service.generative import (
    GenerativeAnswerer,
    build_chat_model,
    build_messages,
    cited_numbers,
    renumber_citations,
    says_not_stated,
)
from service.types import ABSTAIN_MESSAGE

QUESTION = "Ai chủ trì tổ chức chiến dịch truyền thông về phòng, chống mua bán người trong học sinh, sinh viên?"


def test_cited_numbers_and_renumbering():
    assert cited_numbers("A [1]. B [3, 1]. C [2-4] [9]") == [1, 3, 2, 4, 9]
    assert cited_numbers("không trích") == []
    text = renumber_citations("Công an tỉnh chủ trì [3]. Sở GD&ĐT phối hợp [9][1].", {3: 1, 1: 2})
    assert text == "Công an tỉnh chủ trì [1]. Sở GD&ĐT phối hợp [2]."
    assert says_not_stated(ABSTAIN_MESSAGE)
    assert says_not_stated("cac van ban khong neu thong tin nay")
    assert not says_not_stated("Công an tỉnh chủ trì [1].")


@pytest.fixture(scope="module")
def extractive(built_index):
    from ingest.index import open_index
    from service.extractive import ExtractiveAnswerer

    return ExtractiveAnswerer(open_index(built_index))


def _answerer(extractive, model, timeout_s=10.0):
    return GenerativeAnswerer(extractive, model, timeout_s=timeout_s)


@pytest.mark.slow
def test_prompt_numbers_the_sources_and_asks_for_citations(extractive):
    gathered = extractive.gather(QUESTION)
    answerer = _answerer(extractive, FakeListChatModel(responses=["x"]))
    sources = answerer._sources(gathered)
    system, user = build_messages(QUESTION, sources)
    assert "[n]" in system.content and ABSTAIN_MESSAGE in system.content
    assert "[1]" in user.content and f"[{len(sources)}]" in user.content
    assert QUESTION in user.content


@pytest.mark.slow
def test_valid_citation_is_kept_and_an_invented_one_dropped(extractive):
    gathered = extractive.gather(QUESTION)
    # find which source holds the answer, as a model reading the prompt would
    answerer = _answerer(extractive, FakeListChatModel(responses=["x"]))
    sources = answerer._sources(gathered)
    right = next(s.number for s in sources if "Đơn vị chủ trì: Công an tỉnh" in s.hit.chunk.text)
    reply = f"Công an tỉnh chủ trì, Sở Giáo dục và Đào tạo phối hợp [{right}][9]."
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    answer = _answerer(extractive, model).answer(QUESTION)
    assert not answer.abstained
    assert answer.answer == "Công an tỉnh chủ trì, Sở Giáo dục và Đào tạo phối hợp [1]."
    assert len(answer.citations) == 1  # [9] was never given: dropped
    citation = answer.citations[0]
    assert citation.doc_id == "002_eaf36e0f570538e5"
    assert "Công an tỉnh" in citation.quote
    assert citation.quote in sources[right - 1].hit.chunk.text
    assert "generate" in answer.timings_ms


@pytest.mark.slow
@pytest.mark.parametrize(
    "reply",
    [
        ABSTAIN_MESSAGE,
        "Các nguồn không đề cập việc này.",
        "Công an tỉnh chủ trì [9].",
        "Công an tỉnh.",
    ],
)
def test_abstains_when_the_model_says_not_stated_or_cites_nothing_valid(extractive, reply):
    answer = _answerer(extractive, FakeListChatModel(responses=[reply])).answer(QUESTION)
    assert answer.abstained
    assert answer.answer == ABSTAIN_MESSAGE
    assert answer.citations == ()


@pytest.mark.slow
def test_model_error_falls_back_to_the_extractive_answer(extractive):
    expected = extractive.answer(QUESTION)
    broken = GenericFakeChatModel(messages=iter([]))  # raises on the first call
    answer = _answerer(extractive, broken).answer(QUESTION)
    assert answer.answer == expected.answer
    assert answer.citations == expected.citations
    assert not answer.abstained


@pytest.mark.slow
def test_model_timeout_falls_back_to_the_extractive_answer(extractive):
    expected = extractive.answer(QUESTION)
    slow = FakeListChatModel(responses=["Công an tỉnh [1]."], sleep=3.0)
    answer = _answerer(extractive, slow, timeout_s=0.3).answer(QUESTION)
    assert answer.answer == expected.answer
    assert "generate" not in answer.timings_ms


@pytest.mark.slow
def test_out_of_scope_questions_abstain_without_calling_the_model(extractive):
    model = GenericFakeChatModel(messages=iter([]))  # would raise if called
    answer = _answerer(extractive, model).answer(
        "Kế hoạch của tỉnh Cà Mau năm 2026 giao ai chủ trì công tác phòng, chống tội phạm?"
    )
    assert answer.abstained and answer.citations == ()


def test_chat_model_factory(tmp_path):
    with pytest.raises(ConfigError):
        build_chat_model(Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1"))
    openai = build_chat_model(
        Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="qwen")
    )
    assert type(openai).__name__ == "ChatOpenAI"
    ollama = build_chat_model(
        Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:11434", llm_model="qwen2.5")
    )
    assert type(ollama).__name__ == "ChatOllama"


def test_build_answerer_picks_generative_when_a_model_is_configured(tmp_path):
    from service.answering import build_answerer

    assert build_answerer(Settings(data_dir=tmp_path)).name == "extractive"
    configured = Settings(data_dir=tmp_path, llm_base_url="http://127.0.0.1:9/v1", llm_model="m")
    assert build_answerer(configured).name == "generative"
