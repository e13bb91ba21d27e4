"""Thai articles are measured in ICU words from extraction to the draft's budget.

Thai writes no spaces between words; counting by spaces made a 240-word article look like a
few dozen words, and its draft one sentence long. The text below is written for this test.
"""

from __future__ import annotations

from redraft.condense.extractive import ExtractiveCondenser
from redraft.config import ExtractOptions
from redraft.extract import extract
from redraft.records import Article, Budget, Entry
from redraft.text import word_count

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
