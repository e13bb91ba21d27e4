"""Thai articles are measured in ICU words from extraction to the draft's budget.

Thai writes no spaces between words; counting by spaces made a 240-word article look like a
few dozen words, and its draft one sentence long. The text below is written for this test.
"""

from __future__ import annotations

from pathlib import Path

from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import ExtractOptions
from redraft.extract import extract
from redraft.records import Article, Budget, Draft, Entry
from redraft.store import Store
from redraft.text import word_count, words_in
from redraft.verify import verify

_SUBJECTS = ("รัฐบาล", "นายกรัฐมนตรี", "กระทรวงเกษตร", "ผู้ว่าราชการจังหวัด", "ชาวบ้านในหมู่บ้าน",
             "เจ้าหน้าที่กู้ภัย", "นักวิชาการด้านน้ำ", "สภากาชาดไทย")
_PREDICATES = ("ประกาศมาตรการช่วยเหลือเกษตรกรที่ได้รับผลกระทบจากน้ำท่วม",
               "เรียกประชุมด่วนเพื่อวางแผนอพยพประชาชนออกจากพื้นที่เสี่ยง",
               "รายงานว่ามีพื้นที่นาข้าวเสียหายมากกว่าที่คาดไว้เมื่อต้นเดือน",
               "เตือนว่าระดับน้ำในแม่น้ำสายหลักอาจสูงขึ้นอีกในคืนนี้",
               "ส่งถุงยังชีพและน้ำดื่มไปยังศูนย์พักพิงชั่วคราวทุกแห่ง",
               "ขอให้ผู้ที่อาศัยริมตลิ่งย้ายสิ่งของขึ้นที่สูงโดยเร็ว")


def _article() -> Article:
    sentences = [f"{subject}{predicate}" for subject in _SUBJECTS for predicate in _PREDICATES]
    paragraphs = "".join(f"<p>{' '.join(sentences[i:i + 4])}</p>" for i in range(0, 48, 4))
    entry = Entry(source="test", key="th-1", url="https://example.test/th", title="ข่าว",
                  html=paragraphs)
    return extract(entry, ExtractOptions())


def test_a_thai_article_is_counted_in_icu_words() -> None:
    article = _article()
    by_spaces = sum(len(block.text.split()) for block in article.blocks)
    assert article.words == sum(word_count(block.text) for block in article.blocks)
    assert article.words > 3 * by_spaces


def test_a_thai_draft_fills_its_budget_without_exceeding_it() -> None:
    article = _article()
    budget = Budget(kind="words", value=60)
    draft = ExtractiveCondenser().condense(article, budget)
    words = sum(word_count(paragraph) for paragraph in draft.paragraphs)
    assert words <= 60
    assert words >= 30


def test_a_thai_draft_over_its_word_budget_is_flagged_and_stored_in_icu_words(
        tmp_path: Path) -> None:
    """The verifier and the store count a draft as the budget does: a Thai draft of a few
    spaces but many words is over a small budget, and stored with its ICU word count."""
    article = _article()
    paragraphs = tuple(block.text for block in article.blocks[:3])
    draft = Draft(article, paragraphs, "extractive", budget=Budget(kind="words", value=20))
    assert sum(len(p.split()) for p in paragraphs) < 20 < words_in(paragraphs)
    verdict = verify(draft)
    assert "length" in {problem.kind for problem in verdict.problems}
    with Store.open(tmp_path / "th.db") as store:
        store.save_entry(article.entry)
        store.save_draft(verdict, recipe="test")
        (row,) = store._db.execute("SELECT draft_words FROM drafts").fetchall()
    assert row[0] == words_in(paragraphs)
