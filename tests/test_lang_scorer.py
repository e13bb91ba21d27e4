"""text.lang's numpy scorer gives py3langid's own ranking, number for number."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redraft.text import lang
from redraft.vocab import VARIETIES

TEXTS = [
    "The council approved the new budget on Tuesday after a long debate about schools.",
    "El ayuntamiento aprobó el nuevo presupuesto el martes tras un largo debate sobre escuelas.",
    "Le conseil a approuvé le nouveau budget mardi après un long débat sur les écoles.",
    "O conselho aprovou o novo orçamento na terça-feira depois de um longo debate.",
    "Der Rat hat am Dienstag nach langer Debatte den neuen Haushalt beschlossen.",
    "Городской совет во вторник утвердил новый бюджет после долгих споров о школах.",
    "市议会周二在长时间辩论后批准了新的预算。",
    "我的朋友也不是英语老师，他说的是中文，我们的学校在城市的北边。",  # six-byte states
    "สภาเมืองอนุมัติงบประมาณใหม่เมื่อวันอังคารหลังการอภิปรายที่ยาวนาน",
    "THE COUNCIL APPROVED THE BUDGET",  # all capitals: py3langid lower-cases it
    "",
    "12345 67890 !!! ???",
]


def _random_texts(count: int) -> list[str]:
    rnd = random.Random(13)
    blocks = [(0x20, 0x250), (0x400, 0x4FF), (0x4E00, 0x4F00), (0x0E00, 0x0E7F), (0x600, 0x6FF)]
    texts = []
    for _ in range(count):
        start, end = rnd.choice(blocks)
        texts.append("".join(chr(rnd.randrange(start, end)) if rnd.random() < 0.85 else " "
                             for _ in range(rnd.randrange(1, 400))))
    return texts


@pytest.fixture(scope="module")
def loaded() -> tuple[object, lang._Scorer]:
    identifier, scorer = lang._identifier(), lang._scorer()  # the wheel's model; the cache's copy
    if scorer is None:
        pytest.fail("the language model cache was not usable, so the scorer was not built")
    return identifier, scorer


@pytest.mark.parametrize("sample", TEXTS + _random_texts(60))
def test_scorer_ranks_as_py3langid_does(loaded: tuple[object, lang._Scorer], sample: str) -> None:
    identifier, scorer = loaded
    assert scorer.rank(sample) == identifier.rank(sample)  # type: ignore[attr-defined]


@pytest.mark.parametrize("sample", TEXTS + _random_texts(20))
def test_the_best_language_adds_its_varieties_as_py3langid_ranks_them(
        loaded: tuple[object, lang._Scorer], sample: str) -> None:
    identifier, scorer = loaded
    totals: dict[str, float] = {}
    for code, probability in identifier.rank(sample):  # type: ignore[attr-defined]
        merged = VARIETIES.get(code, code)
        totals[merged] = totals.get(merged, 0.0) + probability
    best = max(totals, key=totals.__getitem__)
    found, probability = scorer.best(sample)
    assert probability == pytest.approx(totals[best], abs=1e-12)
    assert found == best or totals[found] == totals[best]  # a tie (no evidence) may go either way


def test_the_cache_holds_the_feature_table_as_float32(loaded: tuple[object, lang._Scorer]) -> None:
    identifier, scorer = loaded
    assert scorer.table.dtype.name == "float32"
    assert (scorer.table == identifier.nb_ptc).all()  # type: ignore[attr-defined]  # exact widening


def test_the_automaton_depth_is_found_once_and_cached(loaded: tuple[object, lang._Scorer],
                                                      tmp_path: Path) -> None:
    _, scorer = loaded
    found = lang._depth(tmp_path, scorer.moves, scorer.rows)
    assert found == scorer.depth == lang._automaton_depth(scorer.moves, scorer.rows)
    assert (tmp_path / "depth").read_text(encoding="ascii").strip() == str(found)
    (tmp_path / "depth").write_text("1\n", encoding="ascii")
    assert lang._depth(tmp_path, scorer.moves, scorer.rows) == 1  # read back, not searched again


_SPANISH = ("El ayuntamiento aprobó el nuevo presupuesto el martes tras un largo debate sobre las "
            "escuelas de la ciudad y los barrios del norte.")
_PROBE = ("import sys; from redraft.text import lang; "
          "print(lang.detect_language(sys.argv[1]), lang._scorer() is not None)")


def _probe(cache: Path) -> list[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run([sys.executable, "-c", _PROBE, _SPANISH], env=env, capture_output=True,
                          text=True, check=True)
    return done.stdout.split()


def test_a_fresh_cache_is_written_and_the_scorer_reads_it(tmp_path: Path) -> None:
    assert _probe(tmp_path) == ["es", "True"]
    (folder,) = (tmp_path / "redraft").glob("langid-*")
    assert int((folder / "depth").read_text(encoding="ascii")) > 0


def test_without_a_usable_cache_py3langid_scores_the_text(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go\n", encoding="utf-8")
    assert _probe(blocker) == ["es", "False"]


def test_a_new_cache_replaces_copies_left_by_other_releases(tmp_path: Path) -> None:
    stale, recent = tmp_path / "redraft" / "langid-0.0.1-123", tmp_path / "redraft" / "langid-0.0.2-9"
    for folder in (stale, recent):
        folder.mkdir(parents=True)
        (folder / "nextmove.npy").write_bytes(b"")
    month_ago = time.time() - 30 * 24 * 3600
    os.utime(stale / "nextmove.npy", (month_ago, month_ago))
    assert _probe(tmp_path) == ["es", "True"]
    assert not stale.exists()  # unused for a month: removed
    assert recent.exists()  # another release's copy in use: kept
    shutil.rmtree(recent)
    (kept,) = (tmp_path / "redraft").glob("langid-*")
    assert _probe(tmp_path) == ["es", "True"]  # a second run reuses the copy
    assert (kept / "done").exists()


def test_first_visits_are_the_distinct_values_in_order_of_first_occurrence() -> None:
    import numpy as np

    rnd = random.Random(11)
    for size in [1, 2, 3, 7, 64, 700, 5000]:
        for spread in (1, 5, size, 100_000):
            found = np.array([rnd.randrange(spread) for _ in range(size)], dtype=np.int32)
            values, firsts, counts = np.unique(found, return_index=True, return_counts=True)
            order = np.argsort(firsts)
            features, times = lang._first_visits(np, found)
            assert features.tolist() == values[order].tolist()
            assert times.tolist() == counts[order].tolist()
            assert features.dtype == np.intp and times.dtype == np.intp
