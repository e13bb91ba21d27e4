"""Negation in many languages: a draft that adds or drops one against its source is flagged.

Each case is a sentence written for this test, once affirmative and once negated, with the same
content words; the verifier reads each with the language's own rules (never English ones).
"""

from __future__ import annotations

import pytest

from redraft.records import Article, Block, Budget, Draft, Entry, Verdict
from redraft.text import negated_tokens, word_spans_of
from redraft.text.negation import negation_word_in
from redraft.verify import verify

# language: (affirmative, negated, the negation as written in the negated sentence)
CASES = {
    "ja": ("大臣は火曜日に新しい協定に署名した。", "大臣は火曜日に新しい協定に署名しなかった。", "な"),
    "ja-masen": ("大臣は火曜日に新しい協定に署名します。", "大臣は火曜日に新しい協定に署名しません。", "ま"),
    "ja-dewanai": ("この協定は大臣の案である。", "この協定は大臣の案ではない。", "な"),
    "ja-zu": ("大臣は協定の内容を知らせて署名した。", "大臣は協定の内容を知らず署名した。", "ず"),
    "ja-nu": ("大臣はその事実を知る。", "大臣はその事実を知らぬ。", "ぬ"),
    "zh": ("部长周二签署了新的协议。", "部长周二没有签署新的协议。", "没"),
    "zh-bu": ("部长同意签署新的协议。", "部长不同意签署新的协议。", "不"),
    "zh-bie": ("部长说大家签署新的协议。", "部长说大家别签署新的协议。", "别"),
    "ko": ("장관은 화요일에 새 협정에 서명했다.", "장관은 화요일에 새 협정에 서명하지 않았다.", "않았다"),
    "ko-eop": ("회사는 올해 새 공장을 지을 계획이 있다.", "회사는 올해 새 공장을 지을 계획이 없다.", "없다"),
    "ko-an": ("장관은 화요일에 새 협정에 서명했다.", "장관은 화요일에 새 협정에 안 서명했다.", "안"),
    "ko-mot": ("장관은 화요일에 새 협정에 서명했다.", "장관은 화요일에 새 협정에 서명하지 못했다.", "못했다"),
    "th": ("รัฐมนตรีลงนามในข้อตกลงฉบับใหม่เมื่อวันอังคาร",
           "รัฐมนตรีไม่ได้ลงนามในข้อตกลงฉบับใหม่เมื่อวันอังคาร", "ไม่"),
    "ar": ("وقع الوزير الاتفاق الجديد يوم الثلاثاء.", "لم يوقع الوزير الاتفاق الجديد يوم الثلاثاء.", "لم"),
    "hi": ("मंत्री ने मंगलवार को नए समझौते पर हस्ताक्षर किए।",
           "मंत्री ने मंगलवार को नए समझौते पर हस्ताक्षर नहीं किए।", "नहीं"),
    "he": ("השר חתם על ההסכם החדש ביום שלישי.", "השר לא חתם על ההסכם החדש ביום שלישי.", "לא"),
    "tr": ("Bakan yeni anlaşmayı salı günü imzaladı.", "Bakan yeni anlaşmayı salı günü imzalamadı.",
           "imzalamadı"),
    "tr-iyor": ("Bakan yeni anlaşmayı bu hafta imzalıyor.", "Bakan yeni anlaşmayı bu hafta imzalamıyor.",
                "imzalamıyor"),
    "tr-degil": ("Bakanın yeni anlaşması geçerli.", "Bakanın yeni anlaşması geçerli değil.", "değil"),
    "ru": ("Министр подписал новое соглашение во вторник.",
           "Министр не подписал новое соглашение во вторник.", "не"),
    "ru-net": ("В городе есть новая больница.", "В городе нет новой больницы.", "нет"),
    "it": ("Il ministro ha firmato il nuovo accordo martedì.",
           "Il ministro non ha firmato il nuovo accordo martedì.", "non"),
    "de": ("Der Minister hat das neue Abkommen am Dienstag unterzeichnet.",
           "Der Minister hat das neue Abkommen am Dienstag nicht unterzeichnet.", "nicht"),
    "id": ("Menteri menandatangani perjanjian baru itu pada hari Selasa.",
           "Menteri tidak menandatangani perjanjian baru itu pada hari Selasa.", "tidak"),
    "pt": ("O ministro assinou o novo acordo na terça-feira.",
           "O ministro não assinou o novo acordo na terça-feira.", "não"),
}
# A second paragraph, so that the source is more than the sentence judged.
CONTEXT = {
    "ja": "会見は東京で開かれた。", "zh": "记者会在北京举行。", "ko": "회견은 서울에서 열렸다.",
    "th": "การแถลงข่าวจัดขึ้นที่กรุงเทพมหานคร", "ar": "عقد المؤتمر الصحفي في القاهرة.",
    "hi": "संवाददाता सम्मेलन दिल्ली में हुआ।", "he": "מסיבת העיתונאים נערכה בירושלים.",
    "tr": "Basın toplantısı Ankara'da yapıldı.", "ru": "Пресс-конференция прошла в Москве.",
    "it": "La conferenza stampa si è svolta a Roma.", "de": "Die Pressekonferenz fand in Berlin statt.",
    "id": "Konferensi pers diadakan di Jakarta.", "pt": "A entrevista coletiva foi em Lisboa.",
}


def _verdict(language: str, source: str, draft: str) -> Verdict:
    entry = Entry(source="s", key="k", url="https://news.example/1", title="t", html="")
    blocks = (Block("p", source), Block("p", CONTEXT[language]))
    article = Article(entry=entry, blocks=blocks, language=language)
    return verify(Draft(article=article, paragraphs=(draft,), engine="x", budget=Budget(),
                        credit=entry.credit(language)))


def _negation_problems(verdict: Verdict) -> list[str]:
    return [p.detail for p in verdict.problems if "negation" in p.detail or "opposite" in p.detail]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_language_rules_find_the_negation_and_only_it(case: str) -> None:
    language = case.split("-", maxsplit=1)[0]
    affirmative, negated, marker = CASES[case]
    assert negated_tokens(affirmative, word_spans_of(affirmative, language), language, strict=True) == []
    spans = word_spans_of(negated, language)
    found = [negated[slice(*spans[i])] for i in negated_tokens(negated, spans, language, strict=True)]
    assert found and found[0] == marker


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_draft_that_adds_a_negation_is_flagged(case: str) -> None:
    language = case.split("-", maxsplit=1)[0]
    affirmative, negated, _ = CASES[case]
    verdict = _verdict(language, affirmative, negated)
    assert not verdict.passed
    assert any("the source has no negation here" in d for d in _negation_problems(verdict)), verdict.problems


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_draft_that_drops_a_negation_is_flagged(case: str) -> None:
    language = case.split("-", maxsplit=1)[0]
    affirmative, negated, _ = CASES[case]
    verdict = _verdict(language, negated, affirmative)
    assert not verdict.passed
    assert any("the source says the opposite" in d for d in _negation_problems(verdict)), verdict.problems


@pytest.mark.parametrize(("language", "text"), [
    ("zh", "这是非常特别的未来计划，不过别人不少。"),  # very, special, future, but, others, many
    ("ja", "少ない予算で危ない工事を間もなく始めるかもしれません。"),  # few, dangerous, soon, maybe
    ("tr", "Komedi filmi tamamen yeni ve Yılmaz sahnede."),  # a comedy; a surname ending in -maz
    ("ko", "아니면 회사는 새 공장을 짓는다."),  # "or else"
])
def test_words_that_only_look_negated_are_not_negations(language: str, text: str) -> None:
    assert negated_tokens(text, word_spans_of(text, language), language, strict=True) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_word_list_language_answers_from_the_words_as_its_spans_do(case: str) -> None:
    language = case.split("-", maxsplit=1)[0]
    rules_read_text = language in {"ja", "zh", "ko", "tr"}  # markers in running text, inflections
    for sentence in CASES[case][:2]:
        spans = word_spans_of(sentence, language)
        found = negation_word_in([sentence[a:b] for a, b in spans], language)
        if rules_read_text:
            assert found is None
        else:
            assert found is bool(negated_tokens(sentence, spans, language))
    assert negation_word_in(["Nunca", "dijo"], "es") is True  # lower-cased before the look-up
