"""The quality gate: redraft's scores on a small corpus the project wrote itself, and their floors.

Run ``python tests/eval_gate.py`` to print every score beside its bound (exit status 1 when one
is broken); ``--propose`` prints a baseline with today's values and the standard margins, for a
reviewed edit of ``tests/gate/baseline.json``. ``tests/test_quality_gate.py`` runs the same
evaluation in ``make test``.

The corpus, under ``tests/gate/`` (all of it written for the gate, no third-party text):

- ``pages/`` and ``pages.json``: whole news pages (navigation, cookie banners, share buttons,
  related posts, plugin boxes, comments) with must / must-not snippets, read as a user's HTML
  file is (:func:`redraft.sources.files.read_items`) and extracted (:func:`redraft.extract`).
- ``articles/``: news articles in English, Spanish and French, each with a reference summary,
  faithful drafts, and edits that make them unfaithful (a changed number, a swapped name, an
  invented claim, a flipped negation, a repeated paragraph, a missing credit).
- ``defects.json``: the publishable-draft checks of issue 16, as data (see
  :mod:`tests.gate.checks`).

Scores:

- ``extraction.*``: share of must snippets kept and of must-not snippets dropped.
- ``condense.<langs>.rouge1/2``: ROUGE F1 of the default extractive engine at 3 sentences against
  the references (LEAD-3 printed beside it). English uses Google's ``rouge-score`` (Porter
  stemming); Spanish and French, which it cannot tokenise, use :func:`rouge_n` below: lower-cased
  Unicode words, no stemming, clipped n-gram overlap, F1.
- ``verifier.*``: AUC of the verdict's score, faithful drafts against drafts with a content edit
  (number, name, invented claim, negation); share of faithful drafts passing; share of
  unfaithful drafts (every kind) failing.
- ``publishable.*``: share of the default engine's drafts (default budget and ``words=100``, on
  the articles and the extracted pages) carrying each defect, and any.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer

from redraft.condense.extractive import ExtractiveCondenser
from redraft.errors import Rejected
from redraft.extract import extract
from redraft.records import Article, Budget, Draft, Entry
from redraft.sources.files import read_items
from redraft.text import split_sentences
from redraft.verify import verify

if __package__ in (None, ""):  # run as a script: make ``tests`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.gate.checks import Checks, defects_of

GATE = Path(__file__).resolve().parent / "gate"
BASELINE = GATE / "baseline.json"

# The extractive engine is compared with LEAD-3 at this many sentences (the news convention).
SUMMARY_SENTENCES = 3
# Edits that change what a draft claims; the AUC ranks these against the faithful drafts.
CONTENT_EDITS = ("number", "name", "invented", "negation")
# The budgets of the publishable-draft section: the default, and a short one an editor asks for.
DRAFT_BUDGETS = (Budget(), Budget("words", 100))
# A ratio of 1 puts no limit on a constructed draft's length: the verifier judges its content.
NO_LIMIT = Budget.asked("ratio", 1.0)
# Floors sit this far below today's value: a share over n items tolerates one item turning
# (1/n, at least MIN_SHARE_MARGIN); a mean ROUGE F1 over a handful of articles moves this much
# when one article's draft swaps one sentence for a similar one; an AUC by about one pair in 50.
MIN_SHARE_MARGIN = 0.02
ROUGE_MARGIN = 0.02
AUC_MARGIN = 0.02


class GateError(Exception):
    """The corpus itself is wrong (an edit that does not apply, a missing file)."""


@dataclass(frozen=True, slots=True)
class GateArticle:
    """One article of the corpus, extracted, with its reference and constructed drafts."""

    id: str
    language: str
    article: Article
    reference: str
    faithful: tuple[tuple[str, ...], ...]
    unfaithful: tuple[Mapping[str, Any], ...]


@dataclass(slots=True)
class Result:
    """Scores (each with how many items it is over) and lines printed for information."""

    scores: dict[str, float] = dataclasses.field(default_factory=dict)
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    info: dict[str, float] = dataclasses.field(default_factory=dict)
    notes: list[str] = dataclasses.field(default_factory=list)

    def share(self, name: str, hits: int, total: int) -> None:
        self.scores[name] = round(hits / total, 4) if total else 0.0
        self.counts[name] = total


# --- the corpus --------------------------------------------------------------------------------

def load_json(name: str) -> Any:
    return json.loads((GATE / name).read_text(encoding="utf-8"))


def page_articles() -> list[tuple[str, Article | Rejected, Mapping[str, Any]]]:
    """Each page's file name, its extracted article (or rejection) and its snippets."""
    result: list[tuple[str, Article | Rejected, Mapping[str, Any]]] = []
    for page in load_json("pages.json")["pages"]:
        data = (GATE / "pages" / page["file"]).read_bytes()
        (item,) = read_items(data, label=page["file"], input_format="html")
        if isinstance(item, Entry):
            try:
                result.append((page["file"], extract(item), page))
            except Rejected as exc:
                result.append((page["file"], exc, page))
        elif isinstance(item, Rejected):
            result.append((page["file"], item, page))
        else:
            raise GateError(f"{page['file']}: {item}")
    return result


def load_articles() -> list[GateArticle]:
    """The articles, extracted from HTML as a post's body is."""
    articles = []
    for path in sorted((GATE / "articles").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in spec["paragraphs"])
        published = datetime.combine(date.fromisoformat(spec["published"]), datetime.min.time())
        entry = Entry(source="gate", key=f"gate:{spec['id']}", url=spec["url"], title=spec["title"],
                      html=body, published=published)
        articles.append(GateArticle(
            id=spec["id"], language=spec["language"], article=extract(entry),
            reference=spec["reference"], faithful=tuple(tuple(d) for d in spec["faithful"]),
            unfaithful=tuple(spec["unfaithful"]),
        ))
    return articles


# --- extraction --------------------------------------------------------------------------------

def score_extraction(result: Result, pages: Sequence[tuple[str, Article | Rejected, Mapping[str, Any]]],
                     articles: Sequence[GateArticle]) -> None:
    kept = dropped = musts = must_nots = extracted = 0
    for _, article, page in pages:
        paragraphs = article.paragraphs if isinstance(article, Article) else ()
        text = "\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)
        extracted += isinstance(article, Article)
        kept += sum(snippet in text for snippet in page["must"])
        dropped += sum(snippet not in text for snippet in page["must_not"])
        result.notes.extend(f"extraction: {page['file']}: lost {snippet!r}"
                            for snippet in page["must"] if snippet not in text)
        result.notes.extend(f"extraction: {page['file']}: kept {snippet!r}"
                            for snippet in page["must_not"] if snippet in text)
        musts += len(page["must"])
        must_nots += len(page["must_not"])
    result.share("extraction.pages_extracted", extracted, len(pages))
    result.share("extraction.must_kept", kept, musts)
    result.share("extraction.must_not_dropped", dropped, must_nots)
    right = sum(a.article.language == a.language for a in articles)
    result.share("extraction.language_detected", right, len(articles))


# --- condensation ------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def rouge_n(reference: str, candidate: str, n: int) -> float:
    """ROUGE-N F1 on lower-cased Unicode words (any script, no stemming), overlap clipped."""
    def grams(text: str) -> Counter[tuple[str, ...]]:
        tokens = _WORD.findall(text.lower())
        return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    ref, cand = grams(reference), grams(candidate)
    overlap = sum((ref & cand).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


def lead(article: Article, sentences: int) -> str:
    """The first ``sentences`` sentences of the body (headings left out)."""
    found: list[str] = []
    for block in article.blocks:
        if block.kind != "h":
            found.extend(split_sentences(block.text, article.language))
        if len(found) >= sentences:
            break
    return " ".join(found[:sentences])


def score_condensation(result: Result, articles: Sequence[GateArticle]) -> None:
    english = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    engine = ExtractiveCondenser()
    groups = {"en": [a for a in articles if a.language == "en"],
              "es_fr": [a for a in articles if a.language in ("es", "fr")]}
    for group, members in groups.items():
        sums: Counter[str] = Counter()
        for item in members:
            draft = engine.condense(item.article, Budget("sentences", SUMMARY_SENTENCES))
            for system, text in (("engine", " ".join(draft.paragraphs)),
                                 ("lead3", lead(item.article, SUMMARY_SENTENCES))):
                for n in (1, 2):
                    if group == "en":
                        value = english.score(item.reference, text)[f"rouge{n}"].fmeasure
                    else:
                        value = rouge_n(item.reference, text, n)
                    sums[f"{system}.rouge{n}"] += value
        for n in (1, 2):
            engine_mean = round(sums[f"engine.rouge{n}"] / len(members), 4)
            lead_mean = round(sums[f"lead3.rouge{n}"] / len(members), 4)
            for name, value in ((f"rouge{n}", engine_mean),
                                (f"rouge{n}_minus_lead3", round(engine_mean - lead_mean, 4))):
                result.scores[f"condense.{group}.{name}"] = value
                result.counts[f"condense.{group}.{name}"] = len(members)
            result.info[f"condense.{group}.rouge{n} (LEAD-3)"] = lead_mean


# --- the verifier ------------------------------------------------------------------------------

def edited(item: GateArticle, edit: Mapping[str, Any]) -> Draft:
    """The faithful draft ``edit["base"]`` with the edit applied (a ``GateError`` if it cannot be)."""
    paragraphs = list(item.faithful[edit["base"]])
    credit = item.article.entry.credit()
    kind = edit["kind"]
    if "replace" in edit:
        old, new = edit["replace"]
        joined = "\n".join(paragraphs)
        if joined.count(old) != 1:
            raise GateError(f"{item.id}: {kind} edit: {old!r} is not in draft {edit['base']} once")
        paragraphs = joined.replace(old, new).split("\n")
    elif kind == "invented":
        paragraphs[-1] = f"{paragraphs[-1]} {edit['append']}"
    elif kind == "repeated":
        paragraphs.append(paragraphs[0])
    elif kind == "credit":
        credit = ""
    else:
        raise GateError(f"{item.id}: unknown edit {edit!r}")
    return Draft(article=item.article, paragraphs=tuple(paragraphs), engine="gate", budget=NO_LIMIT,
                 credit=credit)


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """The chance that a positive outscores a negative (ties count half)."""
    if not positives or not negatives:
        return 0.0
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def score_verifier(result: Result, articles: Sequence[GateArticle]) -> None:
    faithful = [verify(Draft(article=item.article, paragraphs=draft, engine="gate", budget=NO_LIMIT,
                             credit=item.article.entry.credit()))
                for item in articles for draft in item.faithful]
    unfaithful = [(edit["kind"], verify(edited(item, edit)))
                  for item in articles for edit in item.unfaithful]
    content = [v.score for kind, v in unfaithful if kind in CONTENT_EDITS]
    result.scores["verifier.auc"] = round(auc([v.score for v in faithful], content), 4)
    result.counts["verifier.auc"] = len(faithful) + len(content)
    result.share("verifier.faithful_passed", sum(v.passed for v in faithful), len(faithful))
    result.share("verifier.unfaithful_failed", sum(not v.passed for _, v in unfaithful), len(unfaithful))
    result.notes.extend(f"verifier: faithful draft failed: {v.draft.article.entry.key}: "
                        f"{[(p.kind, p.detail) for p in v.problems]}" for v in faithful if not v.passed)
    result.notes.extend(f"verifier: {kind} edit passed: {v.draft.article.entry.key}"
                        for kind, v in unfaithful if v.passed)
    for kind in sorted({kind for kind, _ in unfaithful}):
        verdicts = [v for k, v in unfaithful if k == kind]
        result.info[f"verifier.failed[{kind}]"] = round(
            sum(not v.passed for v in verdicts) / len(verdicts), 4)


# --- publishable drafts ------------------------------------------------------------------------

def score_publishable(result: Result, sources: Iterable[Article], checks: Checks) -> None:
    """Shares of drafts with each defect; a note for each defect found."""
    engine, found = ExtractiveCondenser(), Counter[str]()
    drafts = 0
    for article in sources:
        for budget in DRAFT_BUDGETS:
            draft = engine.condense(article, budget)
            if not draft.credit:
                draft = dataclasses.replace(draft, credit=article.entry.credit())
            defects = defects_of(draft, verify(draft), checks)
            drafts += 1
            found.update({kind for kind, _ in defects})
            found["any"] += bool(defects)
            result.notes.extend(f"publishable: {article.entry.key} [{budget.describe()}] {kind}: "
                                f"{evidence}" for kind, evidence in defects)
    for kind in [*checks.defects, "any"]:
        result.share(f"publishable.{kind}", found[kind], drafts)


# --- the whole gate ----------------------------------------------------------------------------

def evaluate() -> Result:
    """Every score of the gate, with notes on what each section missed or found."""
    result = Result()
    pages = page_articles()
    articles = load_articles()
    score_extraction(result, pages, articles)
    score_condensation(result, articles)
    score_verifier(result, articles)
    sources = [a.article for a in articles] + [a for _, a, _ in pages if isinstance(a, Article)]
    score_publishable(result, sources, Checks.load(GATE / "defects.json"))
    return result


def load_baseline(path: Path = BASELINE) -> dict[str, dict[str, float]]:
    """``{score: {"min": floor} or {"max": ceiling}}`` from the baseline file."""
    return {name: {k: v for k, v in bound.items() if k in ("min", "max")}
            for name, bound in json.loads(path.read_text(encoding="utf-8"))["bounds"].items()}


def broken(scores: Mapping[str, float], baseline: Mapping[str, Mapping[str, float]]) -> list[str]:
    """One line per bound a score breaks, and per score or bound without the other."""
    problems = []
    for name, bound in baseline.items():
        if name not in scores:
            problems.append(f"{name}: in the baseline but no longer measured")
        elif "min" in bound and scores[name] < bound["min"]:
            problems.append(f"{name} = {scores[name]:.4f}, below its floor {bound['min']:.4f}")
        elif "max" in bound and scores[name] > bound["max"]:
            problems.append(f"{name} = {scores[name]:.4f}, above its ceiling {bound['max']:.4f}")
    problems.extend(f"{name}: measured but has no bound in {BASELINE.name}"
                    for name in scores if name not in baseline)
    return problems


def propose(result: Result) -> dict[str, dict[str, float]]:
    """Bounds a reviewer may adopt: today's values with the margins named above."""
    bounds: dict[str, dict[str, float]] = {}
    for name, value in sorted(result.scores.items()):
        if name.startswith("condense."):
            margin = ROUGE_MARGIN
        elif name == "verifier.auc":
            margin = AUC_MARGIN
        else:
            margin = max(MIN_SHARE_MARGIN, 1 / max(result.counts.get(name, 1), 1))
        if name.startswith("publishable."):
            bounds[name] = {"max": min(1.0, math.ceil((value + margin) * 100 - 1e-9) / 100),
                            "measured": value}
        else:
            floor = _floor2(value - margin)
            bounds[name] = {"min": floor if name.endswith("_minus_lead3") else max(0.0, floor),
                            "measured": value}
    return bounds


def _floor2(value: float) -> float:
    """Rounded down to two decimals, so a floor never ends up above the value minus its margin."""
    return math.floor(value * 100 + 1e-9) / 100


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--propose", action="store_true", help="print bounds from today's scores")
    parser.add_argument("--notes", action="store_true",
                        help="list what each section missed or found (lost snippets, defects...)")
    args = parser.parse_args(argv)
    result = evaluate()
    if args.propose:
        print(json.dumps({"bounds": propose(result)}, indent=2, ensure_ascii=False))
        return 0
    baseline = load_baseline()
    for name, value in sorted(result.scores.items()):
        bound = baseline.get(name, {})
        shown = (f">= {bound['min']:.4f}" if "min" in bound else
                 f"<= {bound['max']:.4f}" if "max" in bound else "(no bound)")
        print(f"{name:36} {value:8.4f}  {shown:12} n={result.counts.get(name, 0)}")
    for name, value in sorted(result.info.items()):
        print(f"{name:36} {value:8.4f}  (for information)")
    if args.notes:
        print(*result.notes, sep="\n")
    problems = broken(result.scores, baseline)
    for line in problems:
        print(f"BROKEN: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
