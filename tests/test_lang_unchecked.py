"""In a language redraft knows little about, the verifier never passes what it cannot check.

Swahili (Latin script, no negation rules or number words in redraft) and Amharic (Ethiopic, a
script without capitals) sentences written for this test. A sentence copied from the source is
checked whatever the language; a reworded one is reported ``unchecked``, with what could not be
checked and why, and its score is lowered.
"""

from __future__ import annotations

from redraft.records import Article, Block, Budget, Draft, Entry, Verdict
from redraft.verify import UNCHECKED_PENALTY, verify, verify_pairs

SWAHILI = ("Waziri alisaini mkataba mpya siku ya Jumanne mjini Nairobi.",
           "Mkutano huo ulihudhuriwa na wageni wengi kutoka nchi jirani.")
AMHARIC = ("ሚኒስትሩ ማክሰኞ አዲሱን ስምምነት ፈረሙ።", "ስብሰባው በከተማው አዳራሽ ተካሄደ።")


def _verdict(language: str, source: tuple[str, ...], draft: str) -> Verdict:
    entry = Entry(source="s", key="k", url="https://news.example/1", title="t", html="")
    article = Article(entry=entry, blocks=tuple(Block("p", p) for p in source), language=language)
    return verify(Draft(article=article, paragraphs=(draft,), engine="x", budget=Budget(),
                        credit=entry.credit(language)))


def _unchecked(verdict: Verdict) -> list[str]:
    return [p.detail for p in verdict.problems if p.kind == "unchecked"]


def test_a_sentence_copied_from_the_source_is_checked_in_any_language() -> None:
    verdict = _verdict("sw", SWAHILI, SWAHILI[0])
    assert verdict.passed and verdict.score == 1.0 and not verdict.problems


def test_a_reworded_sentence_without_negation_rules_does_not_pass() -> None:
    verdict = _verdict("sw", SWAHILI, "Siku ya Jumanne mjini Nairobi, waziri alisaini mkataba mpya.")
    assert not verdict.passed
    assert verdict.score <= UNCHECKED_PENALTY
    # Every word is in the source: only the negation is beyond the verifier.
    assert _unchecked(verdict) == ["not checked for negation (no negation rules for 'sw')"]


def test_a_negation_the_verifier_cannot_read_is_never_passed() -> None:
    # "hakusaini": "did not sign", Swahili's negation is a prefix of the verb.
    verdict = _verdict("sw", SWAHILI, "Waziri hakusaini mkataba mpya siku ya Jumanne mjini Nairobi.")
    assert not verdict.passed
    (detail,) = _unchecked(verdict)
    assert "negation (no negation rules for 'sw')" in detail
    assert "numbers in words (hakusaini: not in the source, and no number words for 'sw')" in detail
    assert "names" not in detail  # a Latin-script name has a capital: the name check ran


def test_a_name_in_a_script_without_capitals_is_reported_unchecked() -> None:
    verdict = _verdict("am", AMHARIC, "ሚኒስትሩ አበበ ማክሰኞ አዲሱን ስምምነት ፈረሙ።")  # adds "Abebe"
    assert not verdict.passed
    (detail,) = _unchecked(verdict)
    assert "names (አበበ: not in the source, in a script without capitals)" in detail


def test_an_undetermined_language_gets_no_language_rules() -> None:
    verdict = _verdict("und", SWAHILI, "Siku ya Jumanne mjini Nairobi, waziri alisaini mkataba mpya.")
    expected = "not checked for negation (no negation rules for an undetermined language)"
    assert _unchecked(verdict) == [expected]


def test_a_well_known_language_leaves_nothing_unchecked() -> None:
    source = ("El ministro firmó el nuevo acuerdo el martes en Nairobi.", "Hubo muchos invitados.")
    verdict = _verdict("es", source, "El martes en Nairobi, el ministro firmó el nuevo acuerdo.")
    assert verdict.passed, verdict.problems


def test_pair_mode_reports_the_unchecked_sentence() -> None:
    pair = {"id": 7, "source": "\n".join(SWAHILI),
            "summary": "Siku ya Jumanne mjini Nairobi, waziri alisaini mkataba mpya."}
    (result,) = verify_pairs([pair])
    assert result["passed"] is False
    assert [p["kind"] for p in result["problems"]] == ["unchecked"]
    assert result["problems"][0]["detail"].startswith("not checked for negation")


def test_a_japanese_numeral_the_source_lacks_is_reported_unchecked() -> None:
    # "The company will build a factory in Nagoya" / "... three factories ...": 三 is a number
    # in words, which the verifier does not read; 工場 (factory) is in the source.
    source = ("会社は名古屋に新しい工場を建設すると発表した。", "投資額は3000億円になる。")
    verdict = _verdict("ja", source, "会社は名古屋に三つの工場を建設すると発表した。")
    assert not verdict.passed
    (detail,) = _unchecked(verdict)
    assert "numbers in words (三:" in detail
    # Without a numeral, a character the source lacks leaves only names unchecked.
    (detail,) = _unchecked(_verdict("ja", source, "会社は名古屋に大きな工場を建設すると発表した。"))
    assert "numbers" not in detail and "names (大" in detail
