"""Language identification (py3langid, model inside its wheel) and script facts.

The answer is an ISO 639-1 code, or :data:`UNDETERMINED` (``"und"``) when the identifier is
unsure; callers then apply neutral rules (no stemming, no stop words, no language's word lists).
"""

from __future__ import annotations

import logging
import lzma
import math
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from redraft.text.tokens import blanked, runs_or_matches
from redraft.vocab import MARKERS, NEIGHBOUR_WORDS, RUSSIAN_WORDS, STOPWORDS, VARIETIES

UNDETERMINED = "und"  # ISO 639-2 "undetermined": what BCP 47 and HTML lang use for unknown text

# Below even odds the top language is likelier wrong than right; langid's normalised
# probability is above 0.99 for a paragraph of one language, so only short or mixed text abstains.
CONFIDENCE = 0.5
# A hundred-odd words settle it; langid's cost grows with the sample: 1,000 gave the same
# language as 800 on the 1,152 articles of wp-posts and wp-posts-2 (and 1,500 as 1,000 on
# 1,331 texts) at 1.2 times the cost; 600 changed one of them.
SAMPLE_CHARS = 800
_MIN_LETTERS = 12  # fewer letters than this (a title, a caption) is no evidence at all

_FAST_MIN_WORDS = 20  # fewer words give too noisy a share
_OTHER_LETTERS = re.compile("[^\\W\\d_A-Za-z\u00c0-\u024f]")  # letters of no Latin block up to Extended-B
_DIGITS = re.compile("[0-9]")
_CAPITALS = re.compile("[A-ZÀ-ÖØ-ÞА-ЯЁ]")  # Latin and Russian ones: the two the fast path reads

# Plainly English, Spanish or French, without the model, when all of these hold of the words
# the model would read (its SAMPLE_CHARS):
# - they are in Latin letters: letters of another script are at most PLAIN_OTHER_SCRIPT_SHARE
#   of the characters (counted by words, a line of Chinese would weigh as one word);
# - at least PLAIN_STOP_SHARE are the language's stop words (running text: 35-60%, a list of
#   places and times 30-35%; Portuguese, Galician, Occitan, Catalan and Esperanto, which share
#   many of Spanish's, 25-47%: the share alone tells nothing between neighbours);
# - at least PLAIN_MARKERS are its markers (vocab.MARKERS), more than either other language's:
#   frequent words of its own that its neighbours do not write ("y", "muy", "también"; "et",
#   "dans", "avec"; "the", "which"), not the articles and prepositions it shares with them
#   ("el", "los", "del", "para" are Catalan, Occitan, Galician too);
# - at most PLAIN_MIXED_SHARE are the other two's markers or its neighbours' frequent words
#   (vocab.NEIGHBOUR_WORDS: Portuguese "não", Galician "unha", Catalan "amb", Esperanto "kaj",
#   Italian "della"...): a text mixing languages, as a post in English and then Spanish, or
#   one in a neighbouring language, goes to the model.
# Each half of the sample must pass the stop-word share, so a text opening in one language and
# going on in another goes to the model, as do a text more than PLAIN_CAPITALS_SHARE capitals
# or PLAIN_DIGIT_SHARE digits, one whose words are apart by other spaces than " " and one with
# decomposed accents (the model reads those otherwise). Measured against the model's answer:
# over the 2,447 texts of the evaluation data (`benchmarks/languages.py --fast-path`: answered
# 1,115 of 1,172 English, 588 of 603 Spanish and 87 of 90 French texts without it) and the 380
# texts of tests/fixtures/lang (244 written to trip it over five rounds of review: neighbouring
# languages and creoles, mixed languages and scripts, capitals, odd spaces, checksums, short and
# list-like texts; 136 ordinary news in 20 languages), no answer differs. The model's answer
# costs 0.2-0.3 ms an article in a run (its tables are read from memory, not cache): a tenth of
# a run over Spanish and French posts; sparing English articles also spares most runs mapping
# the model (about 90 MB).
PLAIN_STOP_SHARE = 0.3
PLAIN_OTHER_SCRIPT_SHARE = 0.015
PLAIN_MARKERS = 3
PLAIN_MIXED_SHARE = 0.03
PLAIN_DIGIT_SHARE = 0.1  # running text: 0-3% digits; three SHA-256 sums in a post: 17%
PLAIN_CAPITALS_SHARE = 0.3  # running text: 2-10% capitals; a headline in capitals goes to the model
_MARKER_LANGUAGE = {word: code for code, words in MARKERS.items() for word in words}

# Plainly a language by its letters, without the model: when at least SCRIPT_SHARE of a text's
# opening letters are of a script only that language of the model's writes (Korean, Thai, ...);
# Japanese when they are kana and Chinese characters, with at least _KANA_SHARE hiragana
# (Japanese running text: 20-60%; Chinese: none, or readings) and no simplified Chinese
# character; Russian when they are Cyrillic with only Russian's letters and enough of its small
# words (see _plain_script). Letters of a second of these scripts over SCRIPT_STRAY_SHARE: the
# model decides, as it does when letters of a script with no rule here (Devanagari, Arabic,
# Hebrew, Greek...) are over that share. Measured against the model over the same texts: 137 of
# the 150 Japanese (the others: programming notes, more Latin letters than Japanese ones) and 140
# of the 143 Russian ones answered, never another answer.
SCRIPT_SHARE = 0.5
SCRIPT_STRAY_SHARE = 0.05
_KANA_SHARE = 0.2
_RUSSIAN_SHARE = 0.005  # ы and э: 0.6-3% of the letters of Russian prose
_RUSSIAN_WORD_SHARE = 0.15  # Russian running text: 25-40% of these
_HARD_SIGN_SHARE = 0.005  # ъ: 2-3% of Bulgarian's letters, 0.02% of Russian's
_SCRIPT_MIN_LETTERS = 50  # the model is sure of a script's language from a sentence or two
_LATIN = "[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]"
# Spaces, digits and punctuation (ASCII, Latin-1's, general, CJK, full-width, Arabic, Indic):
# what is left of a text is letters and their marks, in any script (and a few symbols)
_NOT_LETTERS_OF_ANY_SCRIPT = (
    "[\\s0-9!-/:-@\\[-`{-~\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2e00-\u2e7f\u3000-\u303f"
    "\uff01-\uff20\uff3b-\uff40\uff5b-\uff65\u060c\u061b\u061f\u06d4\u0964\u0965]")
_HIRAGANA = "[\u3041-\u309f]"
_KANA = "[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]"
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_CYRILLIC = "[\u0400-\u04ff]"
_RUSSIAN = "[ыэЫЭ]"
# Letters of the other Cyrillic alphabets (every one beyond Russian's 33), and accented Latin
# ones, which some write Cyrillic with (Chuvash ă ĕ ç, Ossetian æ)
_NOT_RUSSIAN = "[\u0400\u0402-\u040f\u0450\u0452-\u045f\u0460-\u052f\u00c0-\u024f]"
_HARD_SIGN = "[ъЪ]"  # a vowel of Bulgarian's, a rare sign of Russian's
# Simplified Chinese characters Japanese writes otherwise (这 for 這, 说 for 説, ...)
_SIMPLIFIED = "[这们说对时为个还过让给请认进现发问题样经觉见长门东车马动变从吗么开关书买卖头华节两钱铁电话语]"
_OWN_SCRIPTS = (
    ("ko", "[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"),  # Hangul
    ("th", "[\u0e00-\u0e7f]"),
    ("ka", "[\u10a0-\u10ff]"),  # Georgian
    ("hy", "[\u0531-\u058f]"),  # Armenian
    ("km", "[\u1780-\u17ff]"),  # Khmer
    ("lo", "[\u0e80-\u0eff]"),
    ("my", "[\u1000-\u109f]"),  # Myanmar
    ("si", "[\u0d80-\u0dff]"),  # Sinhala
    ("ta", "[\u0b80-\u0bff]"),
    ("te", "[\u0c00-\u0c7f]"),
    ("kn", "[\u0c80-\u0cff]"),
    ("ml", "[\u0d00-\u0d7f]"),
    ("gu", "[\u0a80-\u0aff]"),
    ("pa", "[\u0a00-\u0a7f]"),  # Gurmukhi
    ("or", "[\u0b00-\u0b7f]"),
)


class _Scripts:
    """The patterns :func:`_plain_script` counts letters with, compiled when first needed (most
    texts are told by their stop words first; compiling them all costs 3 ms, a run's start-up)."""

    def __init__(self) -> None:
        (self.hiragana, self.kana, self.han, self.simplified, self.cyrillic, self.russian,
         self.not_russian, self.hard_sign) = (
            re.compile(pattern) for pattern in (_HIRAGANA, _KANA, _HAN, _SIMPLIFIED, _CYRILLIC,
                                                _RUSSIAN, _NOT_RUSSIAN, _HARD_SIGN))
        self.own = tuple((code, re.compile(pattern)) for code, pattern in _OWN_SCRIPTS)
        # one class of all their ranges ("[...]" each), not an alternation of fifteen
        self.any_own = re.compile("[" + "".join(pattern[1:-1] for _, pattern in _OWN_SCRIPTS) + "]")
        self.latin = re.compile(_LATIN)
        self.not_letters = re.compile(_NOT_LETTERS_OF_ANY_SCRIPT)


@lru_cache(maxsize=1)
def _scripts() -> _Scripts:
    return _Scripts()


# The arrays of py3langid's model file (an LZMA-compressed .npz).
_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
# The model's feature table is float16; numpy multiplies float16 by converting it element by
# element (five times slower than the float32 product, a third of a text's scoring), so the
# cache holds it as float32 (the same numbers: every float16 is exact in float32). The layout
# names the cache folder, so a copy written before it is not read.
_TABLE = "ptc"
_CACHE_LAYOUT = "f32"
# Beside them in the cache: the depth of the model's automaton (see _Scorer), found once.
_DEPTH_FILE = "depth"
_BFS_CHUNK = 4096  # states expanded at a time while finding the depth (bounds its memory)

log = logging.getLogger(__name__)
_LOCK = threading.Lock()
_WORDS = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _scorer() -> _Scorer | None:
    """The scorer over the model's decompressed copy in the user's cache directory (made on
    first use; memory mapped, a few hundredths of a second to open), or None when the cache
    cannot be used (then py3langid scores each text itself)."""
    folder = _model_folder()
    if folder is None:
        return None
    try:
        return _Scorer(folder)
    except (OSError, ValueError, KeyError) as exc:
        log.debug("language model cache not used (%s); py3langid scores the texts", exc)
        return None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's own identifier over the wheel's model, loaded once (about half a second of
    CPU: it is LZMA-compressed): used only when the cache, hence the scorer, is not."""
    from py3langid.langid import (  # type: ignore[import-untyped]  # noqa: PLC0415  (heavy)
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _model_folder() -> Path | None:
    """The cache folder holding the wheel's model decompressed (written there first when
    missing), or None when it cannot be written."""
    import py3langid  # type: ignore[import-untyped]  # noqa: PLC0415
    from py3langid.langid import MODEL_DIR, MODEL_FILE  # noqa: PLC0415

    model = MODEL_DIR / MODEL_FILE
    try:
        # Named after the release and the model's size, not the file's time: reinstalling the
        # same wheel (every new virtual environment) reuses the copy instead of adding 66 MB.
        version = getattr(py3langid, "__version__", "0")
        folder = _cache_root() / f"langid-{version}-{model.stat().st_size}-{_CACHE_LAYOUT}"
        if not (folder / "done").exists():
            _write_cache(model, folder)
            _forget_others(folder)
    except (OSError, ValueError, KeyError) as exc:
        log.debug("language model cache not usable (%s)", exc)
        return None
    return folder


# A copy another release wrote is removed once unused this long: two environments on two
# releases (two checkouts) each keep theirs instead of rewriting 66 MB in turns.
_STALE_SECONDS = 7 * 24 * 3600


def _forget_others(folder: Path) -> None:
    """Remove the copies other releases of the model left beside ``folder`` and nobody opened
    for :data:`_STALE_SECONDS` (best effort: a process reading one keeps reading it)."""
    now = time.time()
    for other in folder.parent.glob("langid-*"):
        try:
            # Read by every process that scores (memory mapped): its access time says when.
            stale = now - (other / "nextmove.npy").stat().st_atime > _STALE_SECONDS
        except OSError:
            stale = other.is_dir()  # a layout without the file: no release reads it now
        if other != folder and stale:
            shutil.rmtree(other, ignore_errors=True)


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redraft"


def _write_cache(model: Path, folder: Path) -> None:
    """Decompress the wheel's model into ``folder`` (one ``.npy`` per array), atomically."""
    import numpy as np  # noqa: PLC0415

    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent) as scratch:
        work = Path(scratch)
        with lzma.open(model) as source, open(work / "model.npz", "wb") as target:
            shutil.copyfileobj(source, target, length=1 << 20)
        with np.load(work / "model.npz", allow_pickle=False) as data:
            for name in _MODEL_ARRAYS:
                array = data[name].astype(np.float32) if name == _TABLE else data[name]
                np.save(work / f"{name}.npy", array, allow_pickle=False)
        (work / "model.npz").unlink()
        (work / "done").write_text("ok\n", encoding="utf-8")
        try:
            os.rename(work, folder)
        except OSError:  # another process wrote it first
            if not (folder / "done").exists():
                raise


def _depth(folder: Path, moves: Any, rows: Any) -> int:
    """The depth of the model's automaton, from the cache (found and written there first)."""
    path = folder / _DEPTH_FILE
    try:
        return int(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        pass
    depth = _automaton_depth(moves, rows)
    scratch = folder / f".{_DEPTH_FILE}.{os.getpid()}.{threading.get_ident()}"
    try:
        scratch.write_text(f"{depth}\n", encoding="ascii")
        os.replace(scratch, path)
    except OSError as exc:
        log.debug("language model depth not cached (%s)", exc)
    return depth


def _automaton_depth(moves: Any, rows: Any) -> int:
    """The most steps from the start state to any state (a breadth-first search, about 0.2 s):
    the most bytes one state of the automaton stands for. ``moves`` is the transition table,
    ``rows`` each state's offset in it."""
    import numpy as np  # noqa: PLC0415

    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier = np.zeros(1, dtype=np.intp)
    byte = np.arange(256, dtype=np.intp)
    depth = 0
    while True:
        reached = np.zeros(len(rows), dtype=bool)
        for start in range(0, len(frontier), _BFS_CHUNK):
            part = rows[frontier[start : start + _BFS_CHUNK]]
            reached[moves[(part[:, None] + byte).ravel()]] = True
        frontier = np.flatnonzero(reached & ~seen)
        if not len(frontier):
            return depth
        seen[frontier] = True
        depth += 1


class _Scorer:
    """py3langid's scores (``rank`` with normalised probabilities), the same numbers, computed
    with numpy instead of a Python loop over the text's bytes.

    py3langid's automaton is Aho-Corasick's over the model's byte n-grams: its state after a
    byte is the longest suffix of the text read so far that starts a feature, which is never
    longer than the automaton's depth. So the state after each byte is the state the start
    state reaches on the ``depth`` bytes ending there, and every byte's state is found in
    ``depth`` array steps over the whole text.
    """

    def __init__(self, folder: Path) -> None:
        import numpy as np  # noqa: PLC0415

        def mapped(name: str) -> Any:  # a plain view of the mapped file: indexing is cheaper
            return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False))

        self.np = np
        self.table, self.prior, self.moves, self.output = (
            mapped("ptc"), mapped("pc"), mapped("nextmove"), mapped("out_feat"))
        self.classes: list[str] = mapped("classes").tolist()
        self.rows = mapped("nextmove_row").astype(np.intp) << 8
        self.start = int(self.rows[0])  # the start state's moves
        self.depth = _depth(folder, self.moves, self.rows)
        first: dict[str, int] = {}
        self.aliases = [(first[c], i) for i, c in enumerate(self.classes)
                        if first.setdefault(c, i) != i]
        # Each class's language once its varieties are merged (see :func:`identify`).
        merged = [VARIETIES.get(code, code) for code in self.classes]
        self.languages = list(dict.fromkeys(merged))
        number = {code: i for i, code in enumerate(self.languages)}
        self.groups = np.array([number[code] for code in merged], dtype=np.intp)

    @property
    def labels(self) -> list[str]:
        """The distinct language codes (py3langid's ``labels``)."""
        return list(dict.fromkeys(self.classes))

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every language with its probability, most likely first (py3langid's ``rank``)."""
        merged: dict[str, float] = {}
        for language, score in zip(self.classes, self.scores(text).tolist(), strict=True):
            merged.setdefault(language, score)
        return sorted(merged.items(), key=lambda item: item[1], reverse=True)

    def best(self, text: str) -> tuple[str, float]:
        """The likeliest language, its varieties' probabilities added to its own, and that sum
        (:func:`identify`'s answer, without ranking every language in Python)."""
        totals = self.np.bincount(self.groups, weights=self.scores(text),
                                  minlength=len(self.languages))
        top = int(totals.argmax())
        return self.languages[top], float(totals[top])

    def scores(self, text: str) -> Any:
        """Normalised naive Bayes probabilities per class, as py3langid computes them."""
        np = self.np
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
        visits = self._visits(data)
        if visits is None:
            scores = np.full(len(self.classes), 0.0, dtype=np.float32)
        else:
            features, counts = visits
            # take copies each row whole, where indexing gathers them element by element
            # (7 against 10 microseconds for a text's 450 rows; 8M instructions fewer over 150
            # Spanish and French posts, 6M over 145 in six languages): the same rows, in the
            # same order, so the same product.
            rows = self.table.take(features, 0)
            scores = np.log1p(counts.astype(np.float32)) @ rows + self.prior
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for first, again in self.aliases:
            scores[first] += scores[again]
            scores[again] = 0.0
        return scores

    def _visits(self, data: bytes) -> tuple[Any, Any] | None:
        """The features the text's bytes reach and how often, in order of first visit."""
        np = self.np
        size = len(data)
        if not size:
            return None
        text = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        top = min(self.depth, size) - 1
        states = np.zeros(size, dtype=np.intp)
        states[top:] = self.moves[self.start + text[: size - top]]  # from the start state
        for back in range(top - 1, -1, -1):
            states[back:] = self.moves[self.rows[states[back:]] + text[: size - back]]
        found = self.output[states]
        found = found[found >= 0]
        return _first_visits(np, found) if len(found) else None


def _first_visits(np: Any, found: Any) -> tuple[Any, Any]:
    """Each distinct value of ``found`` and how often it occurs, in order of first occurrence
    (``np.unique`` with its first indices, then sorted by those: one sort of every value, one of
    the distinct ones' first positions, which are distinct, so their order is the one order).
    In place and by methods where numpy's functions are Python wrappers (``np.sort``,
    ``np.flatnonzero``): a text's scoring is a hundred numpy calls, whose overhead is most of
    it; this takes a quarter less time than scattering the first positions into arrays of the
    text's length (48 against 66 microseconds a text)."""
    size = len(found)
    shift = size.bit_length()  # room for a position below each value
    keys = found.astype(np.int64)
    keys <<= shift
    keys |= np.arange(size)
    keys.sort()  # by value, then position
    values = keys >> shift
    starts = np.empty(size, dtype=bool)
    starts[0] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    bounds = starts.nonzero()[0]
    first = keys[bounds]
    first &= (1 << shift) - 1
    counts = np.empty(len(bounds), dtype=np.intp)
    np.subtract(bounds[1:], bounds[:-1], out=counts[:-1])
    counts[-1] = size - bounds[-1]
    order = first.argsort()
    return values[bounds[order]], counts[order]


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """The two-letter ISO 639-1 codes the identifier knows (``--language`` accepts these)."""
    scorer = _scorer()
    labels = scorer.labels if scorer is not None else _identifier().labels
    return frozenset(code for code in labels if len(code) == 2 and code != "zxx")


def identify(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` and the identifier's confidence in it (0 to 1).

    The probabilities of a language's varieties (Wu and Cantonese for Chinese, ...) are added
    to its own: technical Chinese prose is often split between ``zh`` and ``wuu``.
    """
    sample = text[:SAMPLE_CHARS]
    if sum(1 for _ in islice(_LETTER.finditer(sample), _MIN_LETTERS)) < _MIN_LETTERS:
        return UNDETERMINED, 0.0
    scorer = _scorer()
    if scorer is not None:  # reads the model only: any thread may use it
        return scorer.best(sample)
    with _LOCK:  # one caller at a time: py3langid's numpy buffers are shared
        ranked = _identifier().rank(sample)
    totals: dict[str, float] = {}
    for code, probability in ranked:
        language = VARIETIES.get(code, code)
        totals[language] = totals.get(language, 0.0) + float(probability)
    best = max(totals, key=totals.__getitem__)
    return best, totals[best]


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``"und"`` when the evidence is too weak.

    Codes the identifier has that are no ISO 639-1 code (three-letter ones) also come back as
    ``"und"``: redraft's per-language data is keyed by ISO 639-1.
    """
    return _plain_language(text) or model_language(text)


def model_language(text: str) -> str:
    """:func:`detect_language`'s answer from the model alone (what its shortcut must agree with)."""
    code, probability = identify(text)
    if probability < CONFIDENCE or len(code) != 2 or code == "zxx":
        return UNDETERMINED
    return code


def _plain_language(text: str) -> str | None:
    """The language of ``text`` when the opening the model would read leaves no doubt: English,
    Spanish or French by their words (see :data:`PLAIN_STOP_SHARE`), Japanese, Russian and the
    languages of :data:`_OWN_SCRIPTS` by their letters (see :data:`SCRIPT_SHARE`); else None
    (the model decides)."""
    sample = text[:SAMPLE_CHARS]
    if not sample.isascii():
        if not unicodedata.is_normalized("NFC", sample):
            return None  # decomposed accents: the model composes them, the words here would split
        if len(_OTHER_LETTERS.findall(sample)) > PLAIN_OTHER_SCRIPT_SHARE * len(sample):
            return _plain_script(sample)
    # Each half of the sample read apart: a text that opens in one language and goes on in
    # another (a Tagalog lead, then English) is plain in neither half.
    middle = sample.find(" ", len(sample) // 2)
    middle = len(sample) if middle < 0 else middle
    head, tail = _letter_runs(sample[:middle].lower()), _letter_runs(sample[middle:].lower())
    tokens = head + tail
    size = len(tokens)
    if size < _FAST_MIN_WORDS:
        return None
    if _shouting(sample, sum(map(len, tokens))):
        return None
    if len(_DIGITS.findall(sample)) > PLAIN_DIGIT_SHARE * len(sample):
        return None  # checksums, tables, timetables: the model reads their digits, not words
    # Words apart by other spaces (no-break, ideographic): the model reads them without the word
    # boundaries its features are made of, and is unsure
    if sample.count(" ") < size // 2:
        return None
    found = Counter(map(_MARKER_LANGUAGE.get, tokens))  # one look-up a word, not one a language
    markers = {code: found[code] for code in MARKERS}
    language = max(markers, key=markers.__getitem__)
    stops = STOPWORDS[language].__contains__
    if markers[language] < PLAIN_MARKERS or \
            sum(map(stops, head)) < PLAIN_STOP_SHARE * len(head) or \
            sum(map(stops, tail)) < PLAIN_STOP_SHARE * len(tail):
        return None
    # Words of the other two or of its neighbours: a text mixing languages goes to the model.
    others = sum(markers.values()) - markers[language]
    neighbours = NEIGHBOUR_WORDS.get(language)
    if neighbours is not None:
        others += sum(map(neighbours.__contains__, tokens))
    return language if others <= PLAIN_MIXED_SHARE * size else None


def _shouting(sample: str, letters: int) -> bool:
    """Whether more than :data:`PLAIN_CAPITALS_SHARE` of the sample's letters are capitals (and
    not all of its cased ones are: the model lower-cases only a text all in capitals, and reads
    one in capitals but for a unit or a brand, "630 kg", as it is, unsure of its language)."""
    return len(_CAPITALS.findall(sample)) > PLAIN_CAPITALS_SHARE * letters and \
        not sample.isupper()


def _plain_script(sample: str) -> str | None:
    """Japanese, Russian or a language of :data:`_OWN_SCRIPTS` when the sample's letters are
    plainly that language's (see :data:`SCRIPT_SHARE`), else None."""
    scripts = _scripts()
    # Letters with their marks (an Indic vowel sign is no letter to str.isalpha, but is in its
    # script's block), by script; the shares below are of the letters of every script (all but
    # spaces, digits and punctuation), those of a script not counted here (Devanagari, Arabic,
    # Hebrew, Greek...) included: a Hindi notice with a line of Tamil is no Tamil text
    latin = len(scripts.latin.findall(sample))
    cyrillic = len(scripts.cyrillic.findall(sample))
    chinese = len(scripts.kana.findall(sample)) + len(scripts.han.findall(sample))
    own = len(scripts.any_own.findall(sample))
    letters = len(sample) - len(scripts.not_letters.findall(sample))
    if letters < _SCRIPT_MIN_LETTERS or _shouting(sample, letters):
        return None
    least, stray = SCRIPT_SHARE * letters, SCRIPT_STRAY_SHARE * letters
    uncounted = max(0, letters - latin - cyrillic - chinese - own)
    if cyrillic >= least:
        if chinese + own + uncounted > stray:
            return None
        tokens = _letter_runs(sample.lower())
        # Russian writes ы and э often; of the model's other languages in Cyrillic, those that
        # write them too (Belarusian, Kazakh, Kyrgyz, Tatar, Bashkir, Mongolian) write letters it
        # lacks, and Bulgarian, which quotes Russian, writes ъ as a vowel
        russian = len(scripts.russian.findall(sample)) >= max(3, _RUSSIAN_SHARE * cyrillic)
        other = scripts.not_russian.search(sample) or \
            len(scripts.hard_sign.findall(sample)) > _HARD_SIGN_SHARE * cyrillic
        # and Russian's own small words: Kazakh, Kyrgyz, Uzbek or Mongolian typed with Russian's
        # letters alone (a keyboard without theirs) has none of them
        words = sum(map(RUSSIAN_WORDS.__contains__, tokens)) >= _RUSSIAN_WORD_SHARE * len(tokens)
        return "ru" if russian and words and not other else None
    if chinese >= least:
        hiragana = len(scripts.hiragana.findall(sample))
        plain = hiragana >= _KANA_SHARE * letters and cyrillic + own + uncounted <= stray and \
            not scripts.simplified.search(sample)
        return "ja" if plain else None
    if own >= least and cyrillic + chinese + uncounted <= stray:
        for code, script in scripts.own:
            count = len(script.findall(sample))
            if count >= least:
                return code if own - count <= stray else None  # one script, not two
    return None


# Never part of a letter run (punctuation, digits): replaced by spaces in one C pass each, after
# which the runs between spaces of most texts are letters only.
_NOT_LETTERS = "\"'()[]“”‘’«»—–-/…¿¡:;!?%&.,0123456789"


def _letter_runs(text: str) -> list[str]:
    """``_WORDS.findall(text)``, three times faster: the runs between blanks and common
    punctuation that are letters only are the runs as they stand; the pattern reads only the
    others. No character replaced or split at can be in a run."""
    return runs_or_matches(blanked(text, _NOT_LETTERS), str.isalpha, _WORDS)
